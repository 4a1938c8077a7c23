"""The day's home-visit list (A4 landscape): village, household, name, age, reason, phone,
notes and mode, with a box per person for what came of the visit — the paper a team takes to
the village and brings back filled in (the outcomes are then recorded on the desk)."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, Spacer, Table

from printing import training
from printing.blocks import official_header, render
from printing.fonts import REGULAR
from printing.model import VisitSheetData
from printing.styles import styles
from printing.tally import BASE, MARGIN, _grid
from printing.text import fmt_datetime, fmt_int, fmt_weekday_date, para, upper
from resources.i18n import _

_PAGE = landscape(A4)
#: Column widths (mm) after the name column, which takes what is left.
_WIDTHS = (8, 30, 26, 0, 11, 26, 25, 0, 24, 44)


def build_visit_sheet(data: VisitSheetData) -> bytes:
    st = styles(BASE)
    width = _PAGE[0] - 2 * MARGIN
    story: list[Flowable] = [
        official_header(data.station, width, BASE),
        Paragraph(para(upper(_("Home visit list"))), st["title"]),
        Paragraph(para(_("{day} – team: {team}").format(day=fmt_weekday_date(data.day),
                                                       team=data.team)), st["center_bold"]),
        Paragraph(para(_("{n} people to visit").format(n=fmt_int(len(data.lines)))),
                  st["center"]),
        Spacer(1, 3 * mm),
    ]  # fmt: skip
    if data.lines:
        story.append(_table(data, width))
    else:
        story.append(Paragraph(para(_("No visits are planned for this day.")), st["body"]))
    story += [Spacer(1, 3 * mm), Paragraph(para(_(
        "Outcome: enrolled at home, brought to the office, refused, deceased, moved away, not "
        "found, or a new day. Record the outcomes on the station when the team is back.")),
        st["small"]),
        Paragraph(para(_("Generated at {time} by {station}.").format(
            time=fmt_datetime(data.generated_at), station=data.station.station_name)),
            st["small"])]  # fmt: skip
    footer = _("Home visit list – {team} – page {page}")

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.drawRightString(_PAGE[0] - MARGIN, MARGIN / 2,
                               footer.format(team=data.team, page=doc.page))
        canvas.restoreState()

    if data.training:
        return render(training.top(story, True, width, BASE), _PAGE, MARGIN,
                      _("Home visit list"), on_page=training.watermarked(on_page))
    return render(story, _PAGE, MARGIN, _("Home visit list"), on_page=on_page)


def _table(data: VisitSheetData, width: float) -> Table:
    st = styles(BASE)
    heads = ("#", _("Village"), _("Household"), _("Full name"), _("Age"), _("Reason"),
             _("Phone"), _("Notes"), _("Mode"), _("Outcome"))  # fmt: skip
    cells: list[list[Paragraph]] = [[Paragraph(para(h), st["value"]) for h in heads]]
    for i, v in enumerate(data.lines, 1):
        cells.append([Paragraph(para(x), st["body"]) for x in (
            str(i), v.village, v.household, v.name, v.age, v.reason, v.phone, v.notes, v.mode,
            v.outcome)])  # fmt: skip
    fixed = [w * mm for w in _WIDTHS]
    rest = width - sum(fixed)
    fixed[3], fixed[7] = rest * 0.55, rest * 0.45
    table = Table(cells, colWidths=fixed, repeatRows=1)
    table.setStyle(_grid(len(cells), header=True))
    # room to write the outcome by hand, however short the line
    table.setStyle([("BOTTOMPADDING", (0, 1), (-1, -1), 8 * mm)])
    return table
