"""The recovery sheet: the station's database key on paper, for the supervisor's safe.

Printed once at station setup (ARCHITECTURE.md, "Storage and keys"). If the OS keyring is lost
(a reinstalled Windows, a new laptop), the administrator types the grouped key back (or scans
the QR code) to open the encrypted database. The groups carry a check group
(:mod:`printing.keytext`) so a typing mistake is caught before it looks like a wrong key.

Anyone holding this sheet and a copy of the database can read every record, so the sheet says
so in words; the PDF is built in memory and must never be saved.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from printing.blocks import field_table, official_header, render, signature_boxes
from printing.keytext import key_groups
from printing.model import RecoveryData
from printing.qr import KEY_PREFIX, QrFlowable
from printing.styles import styles
from printing.text import fmt_datetime, para, upper
from resources.i18n import _

MARGIN = 18 * mm
BASE = 10.5
GROUPS_PER_ROW = 4


def key_qr_payload(key: bytes) -> str:
    """What the recovery QR code holds: ``ESKEY1:`` and the grouped key (with its check)."""
    return KEY_PREFIX + "-".join(key_groups(key))


def build_recovery_sheet(data: RecoveryData) -> bytes:
    """The recovery sheet as PDF bytes (one A4 page)."""
    st = styles(BASE)
    width = A4[0] - 2 * MARGIN
    station = data.station
    where = ", ".join(p for p in (station.commune, station.province) if p)
    story: list[Flowable] = [
        official_header(station, width, BASE),
        Paragraph(para(upper(_("Database key recovery sheet"))), st["title"]),
        Paragraph(para(upper(_("Confidential – keep in the safe"))), st["center_bold"]),
        Spacer(1, 5 * mm),
        field_table([
            (_("Station"), station.station_name),
            (_("Station id"), station.station_id or "–"),
            (_("Location"), where),
            (_("Key created at"), fmt_datetime(data.created_at)),
        ], width, BASE, label_frac=0.3),
        Spacer(1, 5 * mm),
        Paragraph(para(_("Database key")), st["section"]),
        _key_table(data.key, width),
        Spacer(1, 2 * mm),
        Paragraph(para(_("{count} groups of 4 characters; the last group is a check group. "
                          "Letters A–Z and digits 2–7 only: there is no 0, 1, 8 or 9.")
                        .format(count=len(key_groups(data.key)))), st["small"]),
        Spacer(1, 5 * mm),
        _qr_and_instructions(data.key, width),
        Spacer(1, 8 * mm),
        signature_boxes([(_("Station administrator"), ""),
                         (_("Received for safekeeping"), "")], width, BASE, space=22 * mm),
    ]
    return render(story, A4, MARGIN, _("Database key recovery sheet"))


def _key_table(key: bytes, width: float) -> Table:
    """The groups in a numbered grid, large and bold, so they can be read aloud and typed."""
    st = styles(BASE)
    groups = key_groups(key)
    rows = []
    for start in range(0, len(groups), GROUPS_PER_ROW):
        chunk = groups[start:start + GROUPS_PER_ROW]
        line: list[Paragraph | str] = [
            Paragraph(f"{start + 1}–{start + len(chunk)}", st["small_center"])]
        line += [Paragraph(g, st["key"]) for g in chunk]
        line += [""] * (GROUPS_PER_ROW - len(chunk))
        rows.append(line)
    first = 16 * mm
    t = Table(rows, colWidths=[first] + [(width - first) / GROUPS_PER_ROW] * GROUPS_PER_ROW)
    t.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
        ("INNERGRID", (1, 0), (-1, -1), 0.5, colors.black),
        ("LINEAFTER", (0, 0), (0, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
    ]))
    return t


def _qr_and_instructions(key: bytes, width: float) -> Table:
    st = styles(BASE)
    steps = [
        _("Keep this sheet in the safe of the commune police. Do not photograph or copy it."),
        _("Anyone who has this sheet and a copy of the station's database can read all of "
          "its records."),
        _("To recover: start Enrollment Station, choose “Recover with the key sheet” and "
          "type the groups above (spaces, dashes and lower case are accepted), or scan the "
          "QR code."),
        _("If the program says the check group does not match, a character was mistyped: "
          "read the groups again one by one."),
        _("If the key is changed, print a new sheet and destroy this one."),
    ]
    items = ListFlowable(
        # types-reportlab omits ListItem from the items ListFlowable accepts.
        [ListItem(Paragraph(para(s), st["body"]), leftIndent=12) for s in steps],  # type: ignore[misc]
        bulletType="1", bulletFontName=st["body"].fontName, bulletFontSize=BASE,
        leftIndent=12,
    )
    qr_size = 45 * mm
    t = Table([[QrFlowable(key_qr_payload(key), qr_size, error="q"),
                [Paragraph(para(_("Instructions")), st["section"]), items]]],
              colWidths=[qr_size + 6 * mm, width - qr_size - 6 * mm])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return t
