"""The card renewal list (A4): by village, who reaches a card age (14, 25, 40, 60) in the
period and must get a card — a notice list or the start of a visit plan.

Those whose card issue date the register does not give come apart, in a second section: the
list cannot say whether they must renew (at 14 a first card is due; at the other ages their
card needs checking).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, Spacer, Table

from printing import training
from printing.blocks import official_header, render
from printing.coverage import LIST_BASE, header_grid
from printing.fonts import REGULAR
from printing.model import RenewalLine, RenewalsData
from printing.styles import styles
from printing.tally import BASE, MARGIN
from printing.text import fmt_date, fmt_datetime, fmt_int, para, upper
from resources.i18n import _


def build_renewals(data: RenewalsData) -> bytes:
    st = styles(BASE)
    width = A4[0] - 2 * MARGIN
    period = f"{fmt_date(data.first)} – {fmt_date(data.last)}"
    story: list[Flowable] = [
        official_header(data.station, width, BASE),
        Paragraph(para(upper(_("Card renewals"))), st["title"]),
        Paragraph(para(_("Reaching a card age from {period}: {n} people").format(
            period=period, n=fmt_int(len(data.known) + len(data.unknown)))), st["center_bold"]),
        Spacer(1, 4 * mm),
        Paragraph(para(_("1. Card issue date known: {n} people").format(
            n=fmt_int(len(data.known)))), st["section"]),
        _table(data.known, width),
        Paragraph(para(_("2. Card issue date unknown: {n} people").format(
            n=fmt_int(len(data.unknown)))), st["section"]),
        Paragraph(para(_("At 14 a first card is due; at the other ages the card in hand needs "
                         "checking.")), st["small"]),
        _table(data.unknown, width),
        Spacer(1, 3 * mm),
        Paragraph(para(_("A card issued in the two years before a card age stays valid until "
                         "the next one (Law on Identity 2023, art. 21).")), st["small"]),
        Paragraph(para(_("Generated at {time} by {station}.").format(
            time=fmt_datetime(data.generated_at), station=data.station.station_name)),
            st["small"]),
    ]  # fmt: skip
    footer = _("Card renewals – {period} – page {page}")

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2,
                               footer.format(period=period, page=doc.page))
        canvas.restoreState()

    title = _("Card renewals")
    if data.training:
        return render(training.top(story, True, width, BASE), A4, MARGIN, title,
                      on_page=training.watermarked(on_page))  # fmt: skip
    return render(story, A4, MARGIN, title, on_page=on_page)


def _table(lines: Sequence[RenewalLine], width: float) -> Table | Paragraph:
    st = styles(LIST_BASE)
    if not lines:
        return Paragraph(para(_("Nobody.")), st["body"])
    heads = ("#", _("Village"), _("Full name"), _("Date of birth"), _("Card issued"),
             _("Card age"), _("Due"))  # fmt: skip
    cells: list[list[Paragraph]] = [[Paragraph(para(h), st["value"]) for h in heads]]
    for i, r in enumerate(lines, 1):
        age = str(r.milestone) + (" – " + _("first card") if r.first_card else "")
        cells.append([Paragraph(str(i), st["right"]),
                      *(Paragraph(para(v), st["body"]) for v in (
                          r.village, r.full_name, r.birth, r.card_issued, age, r.due))])
    fixed = [9 * mm, 0.0, 44 * mm, 19 * mm, 19 * mm, 31 * mm, 19 * mm]  # "14 – first card" whole
    fixed[1] = width - sum(fixed)
    table = Table(cells, colWidths=fixed, repeatRows=1)
    table.setStyle(header_grid(len(cells)))
    return table
