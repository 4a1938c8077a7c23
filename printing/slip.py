"""The appointment slip (giấy hẹn trả kết quả, form CC02 in spirit) in two layouts.

* ``a5``: A5 portrait for office laser printers, with the two-column official header and
  signature boxes for the applicant and the receiving officer.
* ``roll80``: one long page 80 mm wide (72 mm printable on thermal heads) whose height follows
  the content, so the printer cuts right after the last line; one column, larger text.

Both carry the same facts (ARCHITECTURE.md): agency, slip number, applicant, personal ID, birth
date, procedure, time received, return date and place (or delivery by post), officer, a QR code
with the enrollment id and slip number, and the portrait thumbnail when there is one. A training
station's slip also carries the banner and watermark "TRẠM TẬP HUẤN — KHÔNG CÓ GIÁ TRỊ".
"""

from __future__ import annotations

import hashlib
import io
import logging

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from printing import training
from printing.blocks import (
    PageCallback,
    content_height,
    field_table,
    official_header,
    render,
    signature_boxes,
)
from printing.model import SlipData
from printing.qr import QrFlowable, slip_payload
from printing.styles import styles
from printing.text import fingers_summary, fmt_birth, fmt_datetime, fmt_weekday_date, para, upper
from resources.i18n import _

log = logging.getLogger(__name__)

ROLL_WIDTH = 80 * mm
ROLL_MARGIN = 4 * mm  # 72 mm printable, what 80 mm thermal printers reach


def build_slip(data: SlipData) -> bytes:
    """The appointment slip as PDF bytes, in the layout ``data.layout`` asks for."""
    if data.layout == "roll80":
        return _build_roll(data)
    return _build_a5(data)


def _sex(data: SlipData) -> str:
    return {"male": _("Male"), "female": _("Female")}.get(data.sex or "", "")


def _procedure(data: SlipData) -> str:
    return data.procedure or _("Issue of citizen ID card")


class _JpegReader(ImageReader):
    """An ImageReader that lets ReportLab embed the JPEG as it is (DCTDecode).

    ReportLab names each image by hashing its decoded RGB pixels; for a 480×640 portrait that
    decode alone is most of the slip's time budget. A JPEG's own bytes identify it as well, so
    the name is their hash and the pixels are never decoded (the bytes are embedded unchanged).
    """

    def __init__(self, jpeg: bytes) -> None:
        super().__init__(io.BytesIO(jpeg))
        self._digest = hashlib.sha256(jpeg).digest()

    def getRGBData(self) -> bytes:
        self._dataA = None  # no alpha channel in a JPEG
        return self._digest


class _Picture(Flowable):
    """A JPEG drawn in a fixed box (platypus' Image would decode it, see _JpegReader)."""

    def __init__(self, reader: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.reader = reader
        self.width = width
        self.height = height
        self.hAlign = "CENTER"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height)


def _portrait(data: SlipData, width: float, height: float) -> Flowable | None:
    """The thumbnail fitted in ``width`` × ``height``; ``None`` if absent or unreadable.

    A damaged portrait must not stop the slip from printing: the citizen is at the counter.
    """
    if not data.portrait_jpeg:
        return None
    try:
        reader = _JpegReader(data.portrait_jpeg)
        iw, ih = reader.getSize()
        # ImageReader rebinds jpeg_fh per instance for a JPEG; the stubs type only the None.
        if reader.jpeg_fh() is None:  # type: ignore[func-returns-value]
            raise ValueError("not a JPEG")
    except Exception:  # PIL raises several types for a bad image
        log.warning("slip: portrait could not be read; printed without it")
        return None
    scale = min(width / iw, height / ih)
    return _Picture(reader, iw * scale, ih * scale)


def _fields(data: SlipData) -> list[tuple[str, str]]:
    """The labelled facts, in the order of the form."""
    rows = [
        (_("Full name"), data.full_name),
        (_("Personal ID number"), data.personal_id or _("Not yet issued")),
        (_("Year of birth") if data.birth_year_only else _("Date of birth"),
         fmt_birth(data.birth_date, data.birth_year_only)),
    ]
    if data.sex:
        rows.append((_("Sex"), _sex(data)))
    rows += [
        (_("Procedure"), _procedure(data)),
        (_("Received at"), fmt_datetime(data.received_at)),
    ]
    if data.lying_down:
        rows.append((_("Portrait"), _("Taken lying down (bedridden)")))
    if data.fingers_taken is not None:
        rows.append((_("Fingerprints"), fingers_summary(data.fingers_taken,
                                                         data.finger_conditions)))
    return rows



def _return_rows(data: SlipData) -> list[tuple[str, str]]:
    """Where the card is collected, or the postal address it is sent to."""
    if data.home_delivery:
        return [(_("Return of the card"),
                 _("At the home, or by post to: {address}").format(
                     address=data.delivery_address))]  # fmt: skip
    if data.delivery_address is not None:
        return [(_("Delivery by post to"), data.delivery_address)]
    return [(_("Place of return"), data.return_place or "")]


def _return_box(data: SlipData, width: float, base: float) -> Table:
    """The return date, boxed and large: it is what the citizen must remember. While an
    exception waits for the supervisor there is no firm date yet, and the box says so."""
    st = styles(base)
    rows = [[Paragraph(para(upper(_("Return date"))), st["head"])]]
    if data.pending_approval:
        rows += [[Paragraph(para(_("Waiting for the supervisor's approval")), st["big_center"])],
                 [Paragraph(para(_("An exception was recorded (portrait or fingerprints) that a "
                                   "supervisor must approve; the return date is given once it "
                                   "is approved.")), st["small_center"])]]  # fmt: skip
    else:
        rows.append([Paragraph(para(fmt_weekday_date(data.return_date)), st["big_center"])])
    t = Table(rows, colWidths=[width])
    t.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.2, "black"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def _vneid(data: SlipData, base: float) -> list[Flowable]:
    """The level-2 electronic ID account request, with the number the activation code goes
    to (the person checks it on the slip); nothing when none was asked for."""
    if not data.vneid_phone:
        return []
    text = _("Level-2 electronic identification account requested: {phone}").format(
        phone=data.vneid_phone)  # fmt: skip
    return [Spacer(1, 1.5 * mm), Paragraph(para(text), styles(base)["body"])]


def _agency_line(data: SlipData) -> str:
    st = data.station
    return _("{agency} – {station}").format(agency=st.agency_name, station=st.station_name)


def _note(data: SlipData) -> str:
    if data.home_delivery:
        return _("The card will be brought to the home or sent by post to the address above: "
                 "there is no need to come to the office. The QR code holds the slip number "
                 "for a quick look-up.")
    if data.delivery_address is not None:
        return _("The result will be sent by post to the address above. "
                 "The QR code holds the slip number for a quick look-up.")
    return _("Please bring this slip when you come for the result. "
             "The QR code holds the slip number for a quick look-up.")


def _build_a5(data: SlipData) -> bytes:
    base = 10.5
    st = styles(base)
    margin = 11 * mm
    width = A5[0] - 2 * margin
    side = 32 * mm  # right column: portrait above QR
    left_w = width - side - 4 * mm

    story: list[Flowable] = [
        official_header(data.station, width, base),
        Paragraph(para(upper(_("Appointment slip"))), st["title"]),
        Paragraph(para(_("No.: {number}").format(number=data.slip_no)), st["center_bold"]),
        Spacer(1, 4 * mm),
    ]
    rows = [(_("Receiving agency"), _agency_line(data)), *_fields(data), *_return_rows(data),
            (_("Receiving officer"), data.officer_name)]
    facts = field_table(rows, left_w, base, label_frac=0.4)
    right: list[Flowable] = []
    portrait = _portrait(data, side, side * 4 / 3)
    if portrait is not None:
        right += [portrait, Spacer(1, 3 * mm)]
    right.append(QrFlowable(slip_payload(data.enrollment_id, data.slip_no), side))
    body = Table([[facts, right]], colWidths=[left_w + 4 * mm, side])
    body.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    story += [
        body,
        *_vneid(data, base),
        Spacer(1, 3 * mm),
        _return_box(data, width, base),
        Spacer(1, 3 * mm),
        Paragraph(para(_note(data)), st["small"]),
        Spacer(1, 4 * mm),
        signature_boxes([(_("Applicant"), ""), (_("Receiving officer"), data.officer_name)],
                        width, base, space=18 * mm),
        Spacer(1, 3 * mm),
        Paragraph(para(_("Record id: {id}").format(id=data.enrollment_id)), st["small"]),
    ]
    return render(training.top(story, data.training, width, base), A5, margin,
                  _("Appointment slip"), on_page=_on_page(data))


def _build_roll(data: SlipData) -> bytes:
    base = 9.5
    st = styles(base)
    width = ROLL_WIDTH - 2 * ROLL_MARGIN
    story: list[Flowable] = []
    if data.station.parent_agency:
        story.append(Paragraph(para(upper(data.station.parent_agency)), st["head_regular"]))
    story += [
        Paragraph(para(upper(data.station.agency_name)), st["center_bold"]),
        Paragraph(para(data.station.station_name), st["small_center"]),
        Paragraph(para(upper(_("Appointment slip"))), st["title"]),
        Paragraph(para(_("No.: {number}").format(number=data.slip_no)), st["center_bold"]),
        Spacer(1, 2 * mm),
    ]
    story.append(field_table(_fields(data), width, base, label_frac=0.41))
    story += _vneid(data, base)
    story.append(Spacer(1, 2 * mm))
    story.append(_return_box(data, width, base))
    story.append(Spacer(1, 1.5 * mm))
    story.append(field_table(_return_rows(data), width, base, label_frac=0.41))
    story.append(Spacer(1, 2 * mm))

    qr = QrFlowable(slip_payload(data.enrollment_id, data.slip_no), 32 * mm)
    portrait = _portrait(data, 26 * mm, 34 * mm)
    if portrait is not None:
        pics = Table([[portrait, qr]], colWidths=[width - 34 * mm, 34 * mm])
        pics.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]))
        story.append(pics)
    else:
        qr.hAlign = "CENTER"
        story.append(qr)
    story += [
        Spacer(1, 2 * mm),
        field_table([(_("Receiving officer"), data.officer_name)], width, base,
                    label_frac=0.41),
        Spacer(1, 2 * mm),
        signature_boxes([(_("Applicant"), ""), (_("Receiving officer"), "")], width, base,
                        space=14 * mm),
        Spacer(1, 1 * mm),
        Paragraph(para(_note(data)), st["small"]),
        Paragraph(para(_("Record id: {id}").format(id=data.enrollment_id)), st["small"]),
    ]
    story = training.top(story, data.training, width, base)
    # One page exactly as tall as the content (+ a little slack against rounding).
    height = content_height(story, width) + 2 * ROLL_MARGIN + 6 * mm
    return render(story, (ROLL_WIDTH, height), ROLL_MARGIN, _("Appointment slip"),
                  on_page=_on_page(data))


def _on_page(data: SlipData) -> PageCallback | None:
    """A training station's slip is watermarked on every page (printing/training.py)."""
    return training.watermarked() if data.training else None
