"""The daily tally (A4) a supervisor signs: enrollments by officer, village and place,
home visits, exceptions, portrait retakes and the approval status, with a bar chart.

The builder refuses data whose sections do not add up to the total (``ValueError``): a paper
that a supervisor signs must not contradict itself, and a mismatch means a query is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
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
from printing.blocks import official_header, render, signature_boxes
from printing.fonts import BOLD, REGULAR
from printing.model import PLACES, TallyData, TallyRow
from printing.styles import styles
from printing.text import fmt_datetime, fmt_decimal, fmt_int, fmt_pct, fmt_period, para, upper
from resources.i18n import N_, _

MARGIN = 15 * mm
BASE = 10.0
GUTTER = 6 * mm
CHART_MAX_BARS = 15  # more villages than this: the chart shows the largest only

#: A TableStyle command: opcode, first cell, last cell, then the opcode's arguments.
_TableCmd = tuple[str, tuple[int, int], tuple[int, int], *tuple[object, ...]]

PLACE_LABELS = {
    "hq": N_("At the police headquarters"),
    "home": N_("At the resident's home"),
    "mobile": N_("At a mobile point"),
}


#: How a card went out (the tally's words; db/labels.CARD_PLACES says them in the lists).
CARD_PLACE_LABELS = {"hq": N_("at the office"), "home": N_("at home"), "post": N_("by post")}


def check_tally(data: TallyData) -> None:
    """Raise ``ValueError`` unless every breakdown adds up to ``data.total``."""
    if data.total < 0:
        raise ValueError("negative total")
    counts = [r.count for r in (*data.by_officer, *data.by_village)]
    counts += [data.home_visits, data.exceptions, data.portrait_retakes, data.finger_conditions,
               data.fingers_taken, data.finger_attempts,
               data.pending_approval, data.approved, data.returned, *data.by_place.values(),
               data.cards_arrived, *data.cards_delivered.values()]
    if any(c < 0 for c in counts):
        raise ValueError("negative count in the tally")
    if set(data.by_place) != set(PLACES):
        raise ValueError(f"by_place must have exactly the keys {PLACES}")
    sections = {
        "by_officer": sum(r.count for r in data.by_officer),
        "by_village": sum(r.count for r in data.by_village),
        "by_place": sum(data.by_place.values()),
        "approval status": data.pending_approval + data.approved + data.returned,
    }
    for name, value in sections.items():
        if value != data.total:
            raise ValueError(f"tally {name} adds up to {value}, not to the total {data.total}")
    if data.exceptions > data.total:
        raise ValueError("more enrollments with exceptions than enrollments")
    if not 0 <= data.vneid_requests <= data.total:
        raise ValueError("more level-2 account requests than enrollments")
    if not 0 <= data.self_approved <= data.approved:
        raise ValueError("more self-approved enrollments than approved ones")


def _generated_line(data: TallyData, station_line: str) -> str:
    time = fmt_datetime(data.generated_at)
    if not data.station.station_id:
        return _("Generated at {time} by {station}.").format(time=time, station=station_line)
    return _("Generated at {time} by {station} (station code {code}).").format(
        time=time, station=station_line, code=data.station.station_id)  # fmt: skip


def build_tally(data: TallyData) -> bytes:
    """The tally as PDF bytes (A4 portrait, as many pages as the villages need)."""
    check_tally(data)
    st = styles(BASE)
    width = A4[0] - 2 * MARGIN
    station = data.station
    where = ", ".join(p for p in (station.commune, station.province) if p)
    # The header names the station; its short id (to match a sheet to its machine) is only in
    # the small line at the end, where it does not read as part of the name.
    station_line = station.station_name
    story: list[Flowable] = [
        official_header(station, width, BASE),
        Paragraph(para(upper(_("Enrollment tally"))), st["title"]),
        Paragraph(para(fmt_period(data.date_from, data.date_to)), st["center_bold"]),
        Paragraph(para(_("Station: {station} – {place}").format(station=station_line,
                                                                 place=where)), st["center"]),
        Spacer(1, 4 * mm),
        Paragraph(para(_("1. Summary")), st["section"]),
        _summary(data, width),
        Spacer(1, 2 * mm),
        _side_by_side(
            [Paragraph(para(_("2. By place of enrollment")), st["section"]),
             _count_table([(_(PLACE_LABELS[k]), data.by_place[k]) for k in PLACES],
                          data.total, (width - GUTTER) / 2, _("Place"))],
            [Paragraph(para(_("3. Approval status")), st["section"]),
             _count_table([(_("Waiting for approval"), data.pending_approval),
                           (_("Approved"), data.approved),
                           (_("Sent back to the officer"), data.returned)],
                          data.total, (width - GUTTER) / 2, _("Status"))],
            width),
        Paragraph(para(_("4. By receiving officer")), st["section"]),
        _count_table([(r.label, r.count) for r in data.by_officer], data.total, width,
                     _("Officer")),
        Paragraph(para(_("5. By village")), st["section"]),
        _count_table([(r.label, r.count) for r in data.by_village], data.total, width,
                     _("Village")),
    ]
    if data.by_village and data.total:
        story += [Spacer(1, 3 * mm), _village_chart(data.by_village, width)]
    if data.laptops:
        story += [Paragraph(para(_("6. Mobile laptops: audit trail heads held here")),
                            st["section"]), _laptops_table(data, width)]
    story += [
        Spacer(1, 5 * mm),
        KeepTogether([
            Paragraph(para(_generated_line(data, station_line)), st["small"]),
            Spacer(1, 3 * mm),
            signature_boxes([(_("Prepared by"), data.prepared_by),
                             (_("Head of the commune police"), "")], width, BASE,
                            space=22 * mm),
        ]),
    ]
    footer = _("Enrollment tally – {period} – page {page}")
    period = fmt_period(data.date_from, data.date_to)

    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2,
                               footer.format(period=period, page=doc.page))
        canvas.restoreState()

    if data.training:  # TRẠM TẬP HUẤN: never taken for a real tally
        return render(training.top(story, True, width, BASE), A4, MARGIN,
                      _("Enrollment tally"), on_page=training.watermarked(on_page))
    return render(story, A4, MARGIN, _("Enrollment tally"), on_page=on_page)


def _side_by_side(left: list[Flowable], right: list[Flowable], width: float) -> Table:
    t = Table([[left, right]], colWidths=[(width + GUTTER) / 2, (width - GUTTER) / 2])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    # The left cell is GUTTER wider; its table keeps its own width and the gap appears.
    t.hAlign = "LEFT"
    return t


def _summary(data: TallyData, width: float) -> Table:
    """The figures a supervisor reads first, in two columns of label | figure."""
    st = styles(BASE)
    pairs: list[tuple[str, int | str]] = [
        (_("Enrollments received"), data.total),
        (_("Home visits (households)"), data.home_visits),
        (_("Enrollments with a recorded exception"), data.exceptions),
        (_("Portrait retakes"), data.portrait_retakes),
        (_("Waiting for supervisor approval"), data.pending_approval),
        (_("Sent back to the officer"), data.returned),
    ]
    if data.self_approved:
        pairs.append((_("Approved by the supervisor who captured them"), data.self_approved))
    pairs.append((_("Enrollments with a finger condition"), data.finger_conditions))
    pairs.append((_("Level-2 account requests"), data.vneid_requests))
    pairs.append((_("Cards arrived from the province"), data.cards_arrived))
    out = data.cards_delivered
    if sum(out.values()):
        how = ", ".join(f"{_(CARD_PLACE_LABELS[k])} {fmt_int(n)}" for k, n in out.items()
                        if n and k in CARD_PLACE_LABELS)  # fmt: skip
        pairs.append((_("Cards handed over ({how})").format(how=how), sum(out.values())))
    else:
        pairs.append((_("Cards handed over"), 0))
    if data.mean_finger_attempts is not None:
        pairs.append((_("Mean attempts per finger"), fmt_decimal(data.mean_finger_attempts)))
    half = (len(pairs) + 1) // 2
    cells = []
    for i in range(half):
        row: list[Paragraph | str] = []
        for label, value in (pairs[i], pairs[i + half]) if i + half < len(pairs) else (
                pairs[i],):
            figure = fmt_int(value) if isinstance(value, int) else value
            row += [Paragraph(para(label), st["body"]), Paragraph(figure, st["right_bold"])]
        cells.append(row)
    t = Table(cells, colWidths=[width * 0.37, width * 0.13] * 2)
    t.setStyle(_grid(len(cells), header=False))
    return t


def _count_table(rows: Sequence[tuple[str, int]], total: int, width: float,
                 heading: str) -> Table:
    """No. | label | count | share, then a bold total row that equals ``total``."""
    st = styles(BASE)
    head: list[Paragraph | str] = [
            Paragraph(para(_("No.")), st["center_bold"]), Paragraph(para(heading), st["value"]),
            Paragraph(para(_("Count")), st["right_bold"]),
            Paragraph(para(_("Share")), st["right_bold"])]
    cells = [head]
    for i, (label, count) in enumerate(rows, 1):
        cells.append([Paragraph(str(i), st["center"]), Paragraph(para(label), st["body"]),
                      Paragraph(fmt_int(count), st["right"]),
                      Paragraph(fmt_pct(count, total), st["right"])])
    cells.append(["", Paragraph(para(_("Total")), st["value"]),
                  Paragraph(fmt_int(total), st["right_bold"]),
                  Paragraph(fmt_pct(total, total), st["right_bold"])])
    fixed = [12 * mm, 0.0, 20 * mm, 20 * mm]
    fixed[1] = width - sum(fixed)
    t = Table(cells, colWidths=fixed, repeatRows=1)
    t.setStyle(_grid(len(cells), header=True))
    return t


def _laptops_table(data: TallyData, width: float) -> Table:
    """Laptop | last file received | enrollments held | head of its trail (seq · hash): a
    later rewrite of the laptop's trail cannot match what this signed sheet shows."""
    st = styles(BASE)
    cells: list[list[Paragraph | str]] = [[
        Paragraph(para(_("Laptop")), st["value"]),
        Paragraph(para(_("Last file received")), st["value"]),
        Paragraph(para(_("Enrollments held")), st["right_bold"]),
        Paragraph(para(_("Audit trail head")), st["value"])]]
    for lap in data.laptops:
        when = fmt_datetime(lap.received_at) if lap.received_at else "—"
        digest = " ".join(lap.digest[i:i + 4] for i in range(0, 16, 4))
        cells.append([Paragraph(para(lap.name), st["body"]), Paragraph(when, st["body"]),
                      Paragraph(fmt_int(lap.held), st["right"]),
                      Paragraph(f"#{lap.seq} · {digest}", st["body"])])
    fixed = [0.0, 32 * mm, 26 * mm, 52 * mm]
    fixed[0] = width - sum(fixed)
    t = Table(cells, colWidths=fixed, repeatRows=1)
    t.setStyle(_grid(len(cells), header=True))
    return t


def _grid(n_rows: int, header: bool) -> TableStyle:
    cmds: list[_TableCmd] = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        cmds += [("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.9, 0.9)),
                 ("LINEABOVE", (0, n_rows - 1), (-1, n_rows - 1), 1.2, colors.black)]
    return TableStyle(cmds)


def _chart_rows(rows: Sequence[TallyRow]) -> list[tuple[str, int]]:
    """Villages for the chart, largest first, at most CHART_MAX_BARS of them.

    The rest is left out rather than summed into one bar: an "other villages" bar would
    dwarf the others and say nothing; the table above lists every village anyway.
    """
    ordered = sorted(((r.label, r.count) for r in rows), key=lambda lc: -lc[1])
    return ordered[:CHART_MAX_BARS]


def _nice_step(top: int, ticks: int = 5) -> int:
    """A whole 1/2/5×10^k step giving about ``ticks`` gridlines up to ``top``."""
    raw = max(top, 1) / ticks
    mag = 1
    while mag * 10 <= raw:
        mag *= 10
    for m in (1, 2, 5, 10):
        if m * mag >= raw:
            return m * mag
    return 10 * mag


def _village_chart(rows: Sequence[TallyRow], width: float) -> Drawing:
    """Horizontal bars (long Vietnamese village names read better beside a bar than under)."""
    data = _chart_rows(rows)
    bar = 5.5 * mm
    label_w = 48 * mm
    plot_h = bar * len(data)
    height = plot_h + 16 * mm
    d = Drawing(width, height)
    title = _("Enrollments by village")
    if len(rows) > len(data):
        title = _("Enrollments by village ({shown} largest of {count})").format(
            shown=len(data), count=len(rows))
    d.add(String(0, height - 4 * mm, title, fontName=BOLD, fontSize=BASE))
    chart = HorizontalBarChart()
    chart.x = label_w  # type: ignore[assignment]  # stubs say int; any number works
    chart.y = 7 * mm  # type: ignore[assignment]  # stubs say int; any number works
    chart.width = width - label_w - 12 * mm  # type: ignore[assignment]  # stubs say int; any number works
    chart.height = plot_h  # type: ignore[assignment]  # stubs say int; any number works
    # Top to bottom in the order given: the category axis runs upwards, so reverse.
    chart.data = [[c for _l, c in reversed(data)]]
    chart.categoryAxis.categoryNames = [label for label, _c in reversed(data)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = BASE * 0.8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.valueMin = 0
    step = _nice_step(max(c for _l, c in data))
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = step * -(-max(c for _l, c in data) // step)
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = BASE * 0.75
    chart.valueAxis.labelTextFormat = lambda v: fmt_int(round(v))
    chart.bars[0].fillColor = colors.Color(0.35, 0.35, 0.35)
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: fmt_int(round(v))
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = BASE * 0.75
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    chart.barWidth = bar * 0.7  # type: ignore[assignment]  # stubs say int; any number works
    chart.groupSpacing = bar * 0.3  # type: ignore[assignment]  # stubs say int; any number works
    d.add(chart)
    return d
