"""The campaign's coverage sheet (A4): per village, who must hold a card, who is enrolled, in
progress or not yet, and the share — what a commune police chief reads every evening.

The villages must add up to the commune's line (``ValueError`` otherwise), like the tally: a
sheet that contradicts itself never reaches paper.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from printing import training
from printing.blocks import official_header, render
from printing.fonts import REGULAR
from printing.model import CoverageData, CoverageLine, CoverageListData, CoverageListLine
from printing.styles import styles
from printing.tally import BASE, MARGIN, _grid
from printing.text import fmt_date, fmt_datetime, fmt_int, fmt_pct, para, upper
from resources.i18n import _

_FIELDS = ("must_hold", "enrolled", "in_progress", "not_yet", "not_applicable")
_SUMMED = (*_FIELDS, "vneid_requests", "cards_arrived", "cards_delivered")
LIST_BASE = 8.5  # lists of people: a date of birth or a phone number fits its column
PAD = 3  # points left and right of a cell's text: narrow columns of figures keep them whole


def check_coverage(data: CoverageData) -> None:
    for name in _SUMMED:
        if sum(getattr(v, name) for v in data.villages) != getattr(data.total, name):
            raise ValueError(f"villages do not add up to the total for {name}")


def build_coverage(data: CoverageData) -> bytes:
    check_coverage(data)
    st = styles(BASE)
    width = A4[0] - 2 * MARGIN
    t = data.total
    story: list[Flowable] = [
        official_header(data.station, width, BASE),
        Paragraph(para(upper(_("Enrollment coverage"))), st["title"]),
        Paragraph(para(_("Ages on {day}").format(day=fmt_date(data.on))), st["center_bold"]),
        Paragraph(para(_("Commune: enrolled {done}/{of} ({pct})").format(
            done=fmt_int(t.enrolled), of=fmt_int(t.must_hold),
            pct=fmt_pct(t.enrolled, t.must_hold))), st["center"]),
        Spacer(1, 4 * mm),
        Paragraph(para(_("1. By village (aged 14 and over)")), st["section"]),
        _table(data.villages, t, width, _("Village")),
    ]
    if data.by_ethnicity:  # a heading never alone at the foot of a page
        story.append(KeepTogether([Paragraph(para(_("2. By ethnicity")), st["section"]),
                                   _table(data.by_ethnicity, t, width, _("Ethnicity"))]))
    if data.by_sex:
        story.append(KeepTogether([Paragraph(para(_("3. By sex")), st["section"]),
                                   _table(data.by_sex, t, width, _("Sex"))]))
    story += [Spacer(1, 3 * mm), Paragraph(para(_(
        "Aged 6–13 (biometrics on request): {c}; under 6: {u}. Not applicable: deceased, moved "
        "away or a duplicate record.").format(c=fmt_int(t.aged_6_13), u=fmt_int(t.under_6))),
        st["small"]),
        Paragraph(para(_("Generated at {time} by {station}.").format(
            time=fmt_datetime(data.generated_at), station=data.station.station_name)),
            st["small"])]  # fmt: skip
    footer = _("Enrollment coverage – {day} – page {page}")

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2,
                               footer.format(day=fmt_date(data.on), page=doc.page))
        canvas.restoreState()

    if data.training:
        return render(training.top(story, True, width, BASE), A4, MARGIN,
                      _("Enrollment coverage"), on_page=training.watermarked(on_page))
    return render(story, A4, MARGIN, _("Enrollment coverage"), on_page=on_page)


def _table(rows: Sequence[CoverageLine], total: CoverageLine, width: float,
           heading: str) -> Table:  # fmt: skip
    st, small = styles(BASE), styles(LIST_BASE)  # headings smaller: "Chưa thu nhận" in 2 lines
    heads = (heading, _("Must hold a card"), _("Enrolled"), _("In progress"), _("Not yet"),
             _("Not applicable"), _("Share"), _("VNeID requests"), _("Cards arrived"),
             _("Cards handed over"))  # fmt: skip
    cells: list[list[Paragraph | str]] = [
        [Paragraph(para(h), small["value"] if i == 0 else small["right_bold"])
         for i, h in enumerate(heads)]]  # fmt: skip
    for r in (*rows, total):
        bold = r is total
        cells.append([Paragraph(para(_("Total") if bold else r.label), st["value" if bold
                                                                          else "body"]),
                      *(Paragraph(fmt_int(getattr(r, f)), st["right_bold" if bold else "right"])
                        for f in _FIELDS),
                      Paragraph(fmt_pct(r.enrolled, r.must_hold),
                                st["right_bold" if bold else "right"]),
                      *(Paragraph(fmt_int(getattr(r, f)), st["right_bold" if bold else "right"])
                        for f in ("vneid_requests", "cards_arrived", "cards_delivered"))])
    fixed = [0.0, 18 * mm, 16 * mm, 16 * mm, 16 * mm, 17 * mm, 14 * mm, 16 * mm, 15 * mm, 15 * mm]
    fixed[0] = width - sum(fixed)
    table = Table(cells, colWidths=fixed, repeatRows=1)
    style = _grid(len(cells), header=True)
    style.add("LEFTPADDING", (0, 0), (-1, -1), PAD)
    style.add("RIGHTPADDING", (0, 0), (-1, -1), PAD)
    table.setStyle(style)
    return table


def build_coverage_list(data: CoverageListData) -> bytes:
    """The residents behind one number (A4): the title says which cell — village, age group,
    state — and a wide last column holds the home-visit note and room to write."""
    st = styles(BASE)
    width = A4[0] - 2 * MARGIN
    story: list[Flowable] = [
        official_header(data.station, width, BASE),
        Paragraph(para(upper(_("Coverage list"))), st["title"]),
        Paragraph(para(f"{data.where} – {data.what}"), st["center_bold"]),
        Paragraph(para(_("Ages on {day}; {n} people").format(
            day=fmt_date(data.on), n=fmt_int(len(data.lines)))), st["center"]),
        Spacer(1, 4 * mm),
        _list_table(data.lines, width),
        Spacer(1, 3 * mm),
        Paragraph(para(_("Generated at {time} by {station}.").format(
            time=fmt_datetime(data.generated_at), station=data.station.station_name)),
            st["small"]),
    ]  # fmt: skip
    footer = f"{data.where} – {data.what} – " + _("page {page}")

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, footer.format(page=doc.page))
        canvas.restoreState()

    title = _("Coverage list")
    if data.training:
        return render(training.top(story, True, width, BASE), A4, MARGIN, title,
                      on_page=training.watermarked(on_page))  # fmt: skip
    return render(story, A4, MARGIN, title, on_page=on_page)


def _list_table(lines: Sequence[CoverageListLine], width: float) -> Table | Paragraph:
    st = styles(LIST_BASE)
    if not lines:
        return Paragraph(para(_("Nobody.")), st["center"])
    heads = ("#", _("Full name"), _("Date of birth"), _("Sex"), _("Village"), _("Household"),
             _("Phone"), _("Home visit"), _("Notes"))  # fmt: skip
    cells: list[list[Paragraph | str]] = [[Paragraph(para(h), st["value"]) for h in heads]]
    for i, r in enumerate(lines, 1):
        cells.append([Paragraph(str(i), st["right"]),
                      *(Paragraph(para(v), st["body"]) for v in (
                          r.full_name, r.birth, r.sex, r.village, r.household_no, r.phone,
                          r.home_visit, r.note))])  # fmt: skip
    # a 10-digit household or phone number, a date, "Nam" or "Female", "1234" each on one line
    sex = max(10 * mm, _widest((r.sex for r in lines), st["body"].fontName, LIST_BASE))
    fixed = [9 * mm, 34 * mm, 19 * mm, sex, 22 * mm, 20 * mm, 20 * mm, 19 * mm, 0.0]
    fixed[-1] = width - sum(fixed)
    table = Table(cells, colWidths=fixed, repeatRows=1)
    table.setStyle(header_grid(len(cells)))
    return table


def _widest(texts: Iterable[str], font: str, size: float) -> float:
    """The column width that keeps the widest of ``texts`` on one line (with the padding)."""
    return max((stringWidth(t, font, size) for t in texts), default=0.0) + 2 * PAD + 1


def header_grid(n_rows: int) -> TableStyle:
    """A grid with a shaded heading row and no total line (a list of people)."""
    style = _grid(n_rows, header=False)
    style.add("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9))
    style.add("LEFTPADDING", (0, 0), (-1, -1), PAD)
    style.add("RIGHTPADDING", (0, 0), (-1, -1), PAD)
    return style
