"""What every document of a training station (TRẠM TẬP HUẤN) carries: a boxed banner at the
top and a large diagonal watermark on every page, so a slip or tally printed while training is
never taken for a real one (issue 12)."""

from __future__ import annotations

import math

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, Table, TableStyle

from printing.blocks import PageCallback
from printing.fonts import BOLD
from printing.styles import styles
from printing.text import para
from resources.i18n import _

RED = Color(0.75, 0.1, 0.1)
FAINT = Color(0.75, 0.1, 0.1, alpha=0.16)


def training_text() -> str:
    return _("TRAINING STATION — NOT VALID")


def banner(width: float, base: float) -> Table:
    """The boxed line at the top of the document."""
    style = ParagraphStyle("training", parent=styles(base)["center_bold"], textColor=RED)
    t = Table([[Paragraph(para(training_text()), style)]], colWidths=[width])
    t.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 1.5, RED),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def watermarked(then: PageCallback | None = None) -> PageCallback:
    """A page callback drawing the watermark across the page, then ``then``'s own."""
    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        text = training_text()
        angle = math.atan2(height, width)  # along the diagonal, 80 % of its length
        size = 10 * 0.8 * math.hypot(width, height) / canvas.stringWidth(text, BOLD, 10)
        size = min(size, 0.8 * min(width, height) / 2)
        canvas.saveState()
        canvas.setFillColor(FAINT)
        canvas.setFont(BOLD, size)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(math.degrees(angle))
        canvas.drawCentredString(0, -size / 3, text)
        canvas.restoreState()
        if then is not None:
            then(canvas, doc)

    return on_page


def top(story: list[Flowable], training: bool, width: float, base: float) -> list[Flowable]:
    """``story`` with the banner first when the document is a training station's."""
    return [banner(width, base), *story] if training else story
