"""Building blocks shared by the documents: the official header, signature boxes, a labelled
field list, and the function that turns flowables into PDF bytes in memory.

Kept here so that the slip, the tally and the recovery sheet look like papers from the same
office (the two-column header every Vietnamese administrative form starts with).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from printing.fonts import ensure_fonts
from printing.model import Station
from printing.styles import styles
from printing.text import para, upper
from resources.i18n import _

#: Called by ReportLab on every page (footers, page numbers).
PageCallback = Callable[[Canvas, BaseDocTemplate], None]


def official_header(station: Station, width: float, base: float,
                    number: str | None = None) -> Table:
    """Agency on the left, the national motto on the right (optional document number under
    the agency, as on the printed forms)."""
    st = styles(base)
    left: list[Flowable] = []
    if station.parent_agency:
        left.append(Paragraph(para(upper(station.parent_agency)), st["head_regular"]))
    left.append(Paragraph(para(upper(station.agency_name)), st["head"]))
    left.append(HRFlowable(width="35%", thickness=0.6, color="black", spaceBefore=2,
                           spaceAfter=2, hAlign="CENTER"))
    if number:
        left.append(Paragraph(para(_("No.: {number}").format(number=number)),
                              st["small_center"]))
    right: list[Flowable] = [
        Paragraph(para(_("SOCIALIST REPUBLIC OF VIET NAM")), st["head"]),
        Paragraph(para(_("Independence – Freedom – Happiness")), st["head"]),
        HRFlowable(width="55%", thickness=0.6, color="black", spaceBefore=2, spaceAfter=2,
                   hAlign="CENTER"),
    ]
    t = Table([[left, right]], colWidths=[width * 0.42, width * 0.58])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return t


def signature_boxes(titles: Sequence[tuple[str, str]], width: float, base: float,
                    space: float = 20 * mm) -> Table:
    """Side-by-side signature boxes: (title, printed name under the space) per box."""
    st = styles(base)
    cells = []
    for title, name in titles:
        cells.append([
            Paragraph(para(upper(title)), st["head"]),
            Paragraph(para(_("(Sign and write full name)")), st["small_center"]),
            Spacer(1, space),
            Paragraph(para(name), st["center_bold"]) if name else Spacer(1, base),
        ])
    n = len(cells)
    t = Table([cells], colWidths=[width / n] * n)
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return t


def field_table(rows: Sequence[tuple[str, Flowable | str]], width: float, base: float,
                label_frac: float = 0.38, bold: bool = True) -> Table:
    """Label/value rows; a str value is printed bold (it is what the reader looks for)."""
    st = styles(base)
    data = []
    for label, value in rows:
        val = (Paragraph(para(value), st["value" if bold else "body"])
               if isinstance(value, str) else value)
        data.append([Paragraph(para(label), st["label"]), val])
    t = Table(data, colWidths=[width * label_frac, width * (1 - label_frac)])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return t


def content_height(flowables: Sequence[Flowable], width: float) -> float:
    """Height the flowables take stacked in a frame ``width`` wide (for one-page rolls)."""
    total = 0.0
    for i, f in enumerate(flowables):
        _w, h = f.wrap(width, 1_000_000)
        total += h + f.getSpaceAfter() + (f.getSpaceBefore() if i else 0)
    return total


def render(flowables: list[Flowable], pagesize: tuple[float, float], margins: float,
           title: str, on_page: PageCallback | None = None,
           canvasmaker: Callable[..., Canvas] | None = None) -> bytes:  # fmt: skip
    """Lay the flowables out on pages of ``pagesize`` and return the PDF bytes
    (``canvasmaker``: a canvas of its own, printing/pages.py's numbered one)."""
    ensure_fonts()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf, pagesize=pagesize, leftMargin=margins, rightMargin=margins, topMargin=margins,
        bottomMargin=margins, title=title, author=_("Enrollment Station"),
        creator=_("Enrollment Station"), pageCompression=1,
    )
    # No frame padding: the widths the builders compute are the widths the flowables get.
    frame = Frame(margins, margins, doc.width, doc.height, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page or _nothing)])
    doc.build(flowables, canvasmaker=canvasmaker or Canvas)
    return buf.getvalue()


def _nothing(canvas: Canvas, doc: BaseDocTemplate) -> None:
    pass

