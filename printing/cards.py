"""The two papers of the cards that come back from the province (issue 17), A4:

* ``waiting``: the notice list of cards back and waiting to be collected, by village — posted
  in the village or read over the loudspeaker — with where and when to collect them;
* ``handover``: the handover register (sổ trả thẻ căn cước, A4 landscape), one line per card
  and a box tall enough to sign or thumbprint in, which the note on top says.

The lines come in the caller's order (the Vietnamese sort is db/'s); the notice list gathers
them by village in the order the villages first appear. Every page says "trang x/y".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from printing import training
from printing.blocks import official_header
from printing.coverage import LIST_BASE, PAD, header_grid
from printing.model import CardLine, CardListData
from printing.pages import page_of, render_numbered
from printing.styles import styles
from printing.tally import BASE, MARGIN
from printing.text import fmt_date, fmt_datetime, fmt_int, para, upper
from resources.i18n import N_, _, ngettext

TITLES = {
    "waiting": N_("Citizen ID cards back, waiting to be collected"),
    "handover": N_("Citizen ID card handover register"),
}
SIGN_HEIGHT = 18 * mm  # a signature, or a thumbprint with the finger named beside it
#: Column widths (mm) of the notice list after the name, which takes what is left.
_WAITING = (9, 0, 20, 27, 30, 24, 21)  # a date whole: 20 mm
#: ... and of the handover register; the last column (the signature box) takes what is left.
_HANDOVER = (9, 40, 20, 26, 28, 20, 20, 32, 26, 0)


def build_card_list(data: CardListData) -> bytes:
    """The notice list ("waiting") or the handover register ("handover") as PDF bytes."""
    page = A4 if data.kind == "waiting" else landscape(A4)
    width = page[0] - 2 * MARGIN
    title = _(TITLES[data.kind])
    story = _heading(data, width, title)
    if not data.lines:
        story.append(Paragraph(para(_("No card is waiting to be handed over.")),
                               styles(BASE)["body"]))  # fmt: skip
    elif data.kind == "waiting":
        story += _by_village(data, width)
    else:
        story.append(_register(data.lines, width))
    story += [Spacer(1, 3 * mm), Paragraph(para(_("Generated at {time} by {station}.").format(
        time=fmt_datetime(data.generated_at), station=data.station.station_name)),
        styles(BASE)["small"])]  # fmt: skip

    def footer(n: int, pages: int) -> str:
        return f"{title} – {page_of(n, pages)}"

    on_page = training.watermarked() if data.training else None
    return render_numbered(training.top(story, data.training, width, BASE), page, MARGIN,
                           title, footer, on_page=on_page)  # fmt: skip


def _heading(data: CardListData, width: float, title: str) -> list[Flowable]:
    st = styles(BASE)
    n = len(data.lines)
    count = ngettext("{count} card", "{count} cards", n).format(count=fmt_int(n))
    where = (_("Village: {village}").format(village=data.village) + " – " if data.village
             else "")  # fmt: skip
    story: list[Flowable] = [
        official_header(data.station, width, BASE),
        Paragraph(para(upper(title)), st["title"]),
        Paragraph(para(where + count), st["center_bold"]),
        Spacer(1, 3 * mm),
    ]
    if not data.lines:
        return story
    note = _collect_note(data) if data.kind == "waiting" else _handover_note()
    box = Table([[Paragraph(para(note), st["body"])]], colWidths=[width])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, "black"),
                             ("TOPPADDING", (0, 0), (-1, -1), 3),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                             ("LEFTPADDING", (0, 0), (-1, -1), 5),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 5)]))  # fmt: skip
    return [*story, box, Spacer(1, 4 * mm)]


def _collect_note(data: CardListData) -> str:
    """Where and when the cards are collected: the station's office (and address)."""
    st = data.station
    place = _("the office of {agency}").format(agency=st.agency_name)
    if st.address:
        place += f" ({st.address})"
    hours = data.collect_hours or _("during working hours, Monday to Friday")
    text = _("The citizens named below are asked to collect their citizen ID card at {place}, "
             "{hours}, bringing the appointment slip and their old card or ID card if they "
             "have one. A person who is bedridden or too ill to come: tell the commune police, "
             "and the card is brought to the home.").format(place=place, hours=hours)
    if st.phone:
        text += " " + _("Phone: {phone}.").format(phone=st.phone)
    if data.public:
        text += " " + _("ID and phone numbers are shown by their last digits only.")
    return text


def _handover_note() -> str:
    return _("Each person receiving a card signs in the last box of their line; a person who "
             "cannot sign presses the right index finger in it (another finger if need be, "
             "named beside it). The officer writes the day, the place (at the office, at the "
             "home, by post) and their name. A card sent by post: write the parcel number in "
             "the box.")


# --- the notice list -----------------------------------------------------------------------


def _by_village(data: CardListData, width: float) -> list[Flowable]:
    """A table per village: its name and count on top (repeated on a following page with the
    column heads), numbered from 1, so each village's part can be cut out and posted."""
    groups: dict[str, list[CardLine]] = {}
    for line in data.lines:
        groups.setdefault(line.village, []).append(line)
    out: list[Flowable] = []
    for village, lines in groups.items():
        out += [_village_table(village, lines, width, data.public), Spacer(1, 4 * mm)]
    return out


def _village_table(village: str, lines: Sequence[CardLine], width: float,
                   public: bool) -> Table:  # fmt: skip
    st, big = styles(LIST_BASE), styles(BASE)
    n = len(lines)
    name = village or _("(unknown)")
    title = ngettext("{village}: {count} card", "{village}: {count} cards", n).format(
        village=name, count=fmt_int(n))  # fmt: skip
    heads = (_("No."), _("Full name"), _("Year of birth"), _("Personal ID number"),
             _("Appointment slip no."), _("Phone"), _("Card arrived"))  # fmt: skip
    cells: list[list[Paragraph | str]] = [
        [Paragraph(para(title), big["value"]), *[""] * (len(heads) - 1)],
        [Paragraph(para(h), st["value"]) for h in heads]]  # fmt: skip
    for i, c in enumerate(lines, 1):
        pid = _tail(c.personal_id, 4) if public else c.personal_id
        phone = _tail(c.phone, 3) if public else c.phone
        cells.append([Paragraph(str(i), st["right"]),
                      *(Paragraph(para(v), st["body"]) for v in (
                          c.name, c.birth, pid, c.slip_no, phone, _day(c.arrived)))])
    fixed = [w * mm for w in _WAITING]
    fixed[1] = width - sum(fixed)
    table = Table(cells, colWidths=fixed, repeatRows=2)
    style = header_grid(len(cells))
    style.add("SPAN", (0, 0), (-1, 0))
    style.add("BACKGROUND", (0, 0), (-1, 0), "white")
    style.add("BACKGROUND", (0, 1), (-1, 1), "#e6e6e6")
    table.setStyle(style)
    return table


def _tail(text: str, keep: int) -> str:
    """A number on a posted notice: its last digits only ("…2345"); empty stays empty."""
    digits = "".join(ch for ch in text if ch.isdigit())
    return "…" + digits[-keep:] if len(digits) > keep else text


def _day(d: date | None) -> str:
    return fmt_date(d) if d is not None else ""


# --- the handover register -------------------------------------------------------------------


def _register(lines: Sequence[CardLine], width: float) -> Table:
    """One line per card; the last cell is an empty box at least :data:`SIGN_HEIGHT` tall."""
    st = styles(LIST_BASE)
    heads = (_("No."), _("Full name"), _("Year of birth"), _("Personal ID number"),
             _("Appointment slip no."), _("Card arrived"), _("Handed over"),
             _("Handed over where"), _("Handed over by"),
             _("Received: signature or thumbprint"))  # fmt: skip
    fixed = [w * mm for w in _HANDOVER]
    fixed[-1] = width - sum(fixed)
    cells: list[list[Paragraph | list[Paragraph] | str]] = [
        [Paragraph(para(h), st["value"]) for h in heads]]
    heights: list[float | None] = [None]
    for i, c in enumerate(lines, 1):
        name = [Paragraph(para(c.name), st["value"])]
        if c.village:
            name.append(Paragraph(para(c.village), st["small"]))
        row: list[Paragraph | list[Paragraph] | str] = [
            Paragraph(str(i), st["right"]), name,
            *(Paragraph(para(v), st["body"]) for v in (
                c.birth, c.personal_id, c.slip_no, _day(c.arrived), _day(c.delivered), c.place,
                c.officer)),
            ""]  # fmt: skip
        cells.append(row)
        heights.append(max(SIGN_HEIGHT, _natural(row, fixed)))
    table = Table(cells, colWidths=fixed, rowHeights=heights, repeatRows=1)
    style = header_grid(len(cells))
    style.add("VALIGN", (0, 1), (-1, -1), "TOP")
    table.setStyle(style)
    return table


def _natural(row: Sequence[Paragraph | list[Paragraph] | str], widths: Sequence[float]) -> float:
    """The height a row's tallest cell needs (a long place wraps): the box grows with it."""
    tallest = 0.0
    for cell, w in zip(row, widths, strict=True):
        parts = cell if isinstance(cell, list) else [cell] if isinstance(cell, Paragraph) else []
        tallest = max(tallest, sum(p.wrap(w - 2 * PAD, 10_000)[1] for p in parts))
    return tallest + 2 + 3 + 1  # the grid's top and bottom padding, and a little air
