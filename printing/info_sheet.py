"""The information sheet (phiếu thu nhận thông tin căn cước, form CC01 in spirit), A5 or A4.

The citizen checks it before the application goes in and signs it — or, for a person who cannot
write, presses the right index finger in the box the sheet keeps for it (điểm chỉ), which the
sheet says in words. It carries every detail the application carries (the register's fields,
form DC01's for a person not in the register), the portrait, the fingerprint summary, the
level-2 account request, and marks each detail the officer corrected against the register with
what the register had: those are the ones the citizen must look at twice.

Built in memory like every document (printing/blocks.py): nothing of the person is written to
a file. A training station's sheet carries the banner and the watermark.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from printing import training
from printing.blocks import official_header
from printing.model import INFO_FIELDS, InfoSheetData
from printing.pages import page_of, render_numbered
from printing.slip import _JpegReader, _Picture
from printing.styles import styles
from printing.text import fingers_summary, fmt_datetime, fmt_int, local, para, upper
from resources.i18n import N_, _, ngettext

#: The label of each detail (the same message ids as the details step: db/labels.py).
LABELS = {
    "full_name": N_("Full name"),
    "birth": N_("Date of birth"),
    "sex": N_("Sex"),
    "personal_id": N_("Personal ID number"),
    "old_id": N_("Old ID (CMND)"),
    "ethnicity": N_("Ethnicity"),
    "religion": N_("Religion"),
    "hometown": N_("Hometown"),
    "village": N_("Village"),
    "household_no": N_("Household no."),
    "phone": N_("Phone"),
    "birth_registration_place": N_("Place of birth registration"),
    "permanent_residence": N_("Permanent residence"),
    "current_residence": N_("Current residence"),
    "father_name": N_("Father's full name"),
    "father_id": N_("Father's ID number"),
    "mother_name": N_("Mother's full name"),
    "mother_id": N_("Mother's ID number"),
    "spouse_name": N_("Spouse's full name"),
    "spouse_id": N_("Spouse's ID number"),
}
#: Printed only when the application carries them (form DC01's own fields; few people still
#: have an old 9-digit ID).
OPTIONAL = frozenset(("old_id", *INFO_FIELDS[11:]))
PLACE_LABELS = {
    "hq": N_("At the police headquarters"),
    "home": N_("At the resident's home"),
    "mobile": N_("At a mobile point"),
}
MARK = " *"  # after the label of a corrected detail; the legend says what it means


class _Paper:
    """What differs between the two papers: size, margin, type size, boxes."""

    def __init__(self, layout: str) -> None:
        a5 = layout == "a5"
        self.size = A5 if a5 else A4
        self.margin = (10 if a5 else 16) * mm
        self.base = 8.6 if a5 else 10.5
        self.width = self.size[0] - 2 * self.margin
        self.photo = (28 if a5 else 36) * mm  # portrait width (3 × 4)
        self.sign_space = (16 if a5 else 24) * mm
        self.thumb = ((20 if a5 else 26) * mm, (22 if a5 else 30) * mm)


def build_info_sheet(data: InfoSheetData) -> bytes:
    """The information sheet as PDF bytes, on the paper ``data.layout`` asks for."""
    paper = _Paper(data.layout)
    st = styles(paper.base)
    story: list[Flowable] = [
        official_header(data.station, paper.width, paper.base),
        Paragraph(para(upper(_("Citizen ID information sheet"))), st["title"]),
        Paragraph(para(_("1. The citizen's details")), st["section"]),
        _details_and_portrait(data, paper),
        *_legend(data, paper),
        Paragraph(para(_("2. Biometrics and receipt")), st["section"]),
        _facts(_receipt_rows(data), paper),
        Spacer(1, 3 * mm),
        KeepTogether(_signatures(data, paper)),
    ]
    title = _("Citizen ID information sheet")
    record = _("Record id: {id}").format(id=data.enrollment_id)

    def footer(page: int, pages: int) -> str:
        return f"{record} – {page_of(page, pages)}"

    on_page = training.watermarked() if data.training else None
    return render_numbered(training.top(story, data.training, paper.width, paper.base),
                           paper.size, paper.margin, title, footer, on_page=on_page)


# --- the details --------------------------------------------------------------------------


def _shown(field: str, value: str) -> str:
    """A detail as the citizen reads it: the sex in words, a missing ID number said so."""
    if field == "sex":
        return {"M": _("Male"), "F": _("Female")}.get(value, value)
    if field == "personal_id" and not value:
        return _("Not yet issued")
    return value or "—"


def _label(field: str, value: str) -> str:
    if field == "birth" and len(value.strip()) == 4:  # the register knows only the year
        return _("Year of birth")
    return _(LABELS[field])


def _detail_rows(data: InfoSheetData) -> list[tuple[str, str, str | None]]:
    """(label, value, what the register had when corrected) in the form's order."""
    given = dict(data.details)
    corrected = {} if data.new_person else dict(data.corrected)
    rows = []
    for field in INFO_FIELDS:
        value = given.get(field, "").strip()
        if field in OPTIONAL and not value and field not in corrected:
            continue
        rows.append((_label(field, value), _shown(field, value),
                     _shown(field, corrected[field]) if field in corrected else None))
    return rows


def _was(register: str) -> str:
    """What the register had, under a corrected detail."""
    if register == "—":
        return _("Corrected (the register had nothing)")
    return _("Corrected (register: {value})").format(value=register)


def _details_table(data: InfoSheetData, width: float, base: float) -> Table:
    st = styles(base)
    cells: list[list[Flowable | list[Flowable]]] = []
    marked: list[int] = []
    for i, (label, value, was) in enumerate(_detail_rows(data)):
        shown: list[Flowable] = [Paragraph(para(value), st["value"])]
        if was is not None:
            shown.append(Paragraph(para(_was(was)), st["small"]))
            marked.append(i)
        cells.append([Paragraph(para(label + (MARK if was is not None else "")), st["label"]),
                      shown])  # fmt: skip
    t = Table(cells, colWidths=[width * 0.38, width * 0.62])
    style = TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.3),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
    ])
    for i in marked:  # a corrected detail stands out: boxed, as an officer would circle it
        style.add("BOX", (0, i), (-1, i), 1.0, "black")
    t.setStyle(style)
    return t


def _portrait(data: InfoSheetData, paper: _Paper) -> list[Flowable]:
    """The portrait at 3 × 4 (a frame saying so when there is none or it cannot be read:
    the sheet still prints, the citizen is waiting)."""
    st = styles(paper.base)
    w, h = paper.photo, paper.photo * 4 / 3
    picture: Flowable | None = None
    if data.portrait_jpeg:
        try:
            reader = _JpegReader(data.portrait_jpeg)
            iw, ih = reader.getSize()
            if reader.jpeg_fh() is None:  # type: ignore[func-returns-value]
                raise ValueError("not a JPEG")
            scale = min(w / iw, h / ih)
            picture = _Picture(reader, iw * scale, ih * scale)
        except Exception:  # PIL raises several types for a bad image
            picture = None
    if picture is None:
        box = Table([[Paragraph(para(_("No portrait")), st["small_center"])]],
                    colWidths=[w], rowHeights=[h])  # fmt: skip
        box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, "black"),
                                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))  # fmt: skip
        picture = box
    out: list[Flowable] = [picture]
    if data.lying_down:
        out.append(Paragraph(para(_("Taken lying down (bedridden)")), st["small_center"]))
    return out


def _details_and_portrait(data: InfoSheetData, paper: _Paper) -> Table:
    gap = 3 * mm
    left = paper.width - paper.photo - gap
    body = Table([[_details_table(data, left, paper.base), _portrait(data, paper)]],
                 colWidths=[left + gap, paper.photo])  # fmt: skip
    body.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, 0), gap),
        ("RIGHTPADDING", (1, 0), (1, 0), 0),
    ]))
    return body


def _legend(data: InfoSheetData, paper: _Paper) -> list[Flowable]:
    """What the marks mean, or that nothing was corrected, or that it was all declared."""
    st = styles(paper.base)
    if data.new_person:
        text = _("Not in the population register: the details are those the citizen declared "
                 "(form DC01).")
    elif data.corrected:
        n = len(data.corrected)
        text = ngettext(
            "* {count} detail was corrected against the population register (boxed, with what "
            "the register had): check it carefully.",
            "* {count} details were corrected against the population register (boxed, with "
            "what the register had): check them carefully.", n).format(count=fmt_int(n))
    else:
        text = _("The details are those of the population register; none was corrected.")
    return [Spacer(1, 1.2 * mm), Paragraph(para(text), st["small"])]


# --- receipt, biometrics, the request ------------------------------------------------------


def _receipt_rows(data: InfoSheetData) -> list[tuple[str, str]]:
    st = data.station
    if data.fingers_taken is None:
        fingers = _("No fingerprints taken")
    else:
        fingers = fingers_summary(data.fingers_taken, data.finger_conditions)
    if data.portrait_jpeg:
        pose = (_("Taken lying down (bedridden)") if data.lying_down
                else _("Taken sitting or standing"))  # fmt: skip
    else:
        pose = _("No portrait")
    if data.vneid_phone and data.vneid_email:
        vneid = _("Requested, mobile {phone}, e-mail {email}").format(
            phone=data.vneid_phone, email=data.vneid_email)  # fmt: skip
    elif data.vneid_phone:
        vneid = _("Requested, mobile {phone}").format(phone=data.vneid_phone)
    else:
        vneid = _("Not requested")
    rows = [
        (_("Portrait"), pose),
        (_("Fingerprints"), fingers),
        (_("Level-2 electronic identification account (VNeID)"), vneid),
        (_("Receiving agency"), _("{agency} – {station}").format(agency=st.agency_name,
                                                                 station=st.station_name)),
        (_("Place of receipt"), _(PLACE_LABELS[data.place])),
        (_("Receiving officer"), data.officer_name),
    ]  # fmt: skip
    if data.slip_no:
        rows.append((_("Appointment slip no."), data.slip_no))
    if data.received_at is not None:
        rows.append((_("Received at"), fmt_datetime(data.received_at)))
    return rows


def _facts(rows: list[tuple[str, str]], paper: _Paper) -> Table:
    st = styles(paper.base)
    t = Table([[Paragraph(para(k), st["label"]), Paragraph(para(v), st["body"])]
               for k, v in rows], colWidths=[paper.width * 0.34, paper.width * 0.66])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, "#999999"),
    ]))
    return t


# --- the declaration and the signatures ----------------------------------------------------


def _date_line(data: InfoSheetData) -> str:
    """ "Xã Nà Hỳ, ngày 12 tháng 03 năm 2026", as Vietnamese forms date their signatures."""
    day = local(data.printed_at)
    place = data.station.commune or data.station.agency_name
    place = place[:1].upper() + place[1:]
    return _("{place}, {day}/{month}/{year}").format(
        place=place, day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year)


def _signatures(data: InfoSheetData, paper: _Paper) -> list[Flowable]:
    """The citizen's declaration, the date, and three boxes: the citizen's signature, the
    thumbprint box for one who cannot write (said in words under it), the officer's. Titles
    on one row, the spaces and names on the next, so the two names line up."""
    st = styles(paper.base)
    w = paper.width
    thumb_w, thumb_h = paper.thumb
    middle = thumb_w + 22 * mm
    side = (w - middle) / 2

    def head(title: str, hint: str) -> list[Flowable]:
        return [Paragraph(para(upper(title)), st["head"]),
                Paragraph(para(hint), st["small_center"])]  # fmt: skip

    def signed(name: str) -> list[Flowable]:
        return [Spacer(1, paper.sign_space), Paragraph(para(name), st["center_bold"])]

    box = Table([[""]], colWidths=[thumb_w], rowHeights=[thumb_h])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.0, "black")]))
    box.hAlign = "CENTER"
    thumb = [box, Spacer(1, 1 * mm),
             Paragraph(para(_("A citizen who cannot sign presses the right index finger in "
                              "this box.")), st["small_center"])]  # fmt: skip
    cells = [
        [head(_("Applicant"), _("(Sign and write full name, or thumbprint)")),
         head(_("Thumbprint"), _("(right index finger; another one, named, if need be)")),
         head(_("Receiving officer"), _("(Sign and write full name)"))],
        [signed(data.value("full_name")), thumb, signed(data.officer_name)],
    ]  # fmt: skip
    table = Table(cells, colWidths=[side, middle, side])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
    ]))
    return [
        Paragraph(para(_("I have checked the details above (or had them read out to me) and "
                         "declare that they are true.")), st["body"]),
        Spacer(1, 1 * mm),
        Paragraph(para(_date_line(data)), st["right"]),
        Spacer(1, 1 * mm),
        table,
    ]
