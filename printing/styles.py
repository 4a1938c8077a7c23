"""Paragraph styles for one base font size.

Every document is built from the same few styles scaled to its paper: A4/A5 pages read well at
10 pt, an 80 mm thermal receipt is read at arm's length and gets 9–10 pt with tighter spacing.
Only black on white: thermal heads print grey fills as noise.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from printing.fonts import BOLD, REGULAR, ensure_fonts


@lru_cache(maxsize=8)
def styles(base: float = 10.0) -> dict[str, ParagraphStyle]:
    """Named styles scaled to ``base`` points: body, small, label, value, title, ..."""
    ensure_fonts()
    lead = 1.25
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=base, leading=base * lead,
                          alignment=TA_LEFT)

    def derive(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **kw)  # type: ignore[arg-type]

    small = base * 0.82
    return {
        "body": body,
        "small": derive("small", fontSize=small, leading=small * lead),
        "small_center": derive("small_center", fontSize=small, leading=small * lead,
                               alignment=TA_CENTER),
        "label": derive("label", fontSize=small, leading=small * lead),
        "value": derive("value", fontName=BOLD),
        "center": derive("center", alignment=TA_CENTER),
        "center_bold": derive("center_bold", fontName=BOLD, alignment=TA_CENTER),
        "right": derive("right", alignment=TA_RIGHT),
        "right_bold": derive("right_bold", fontName=BOLD, alignment=TA_RIGHT),
        "head": derive("head", fontName=BOLD, fontSize=small, leading=small * lead,
                       alignment=TA_CENTER),
        "head_regular": derive("head_regular", fontSize=small, leading=small * lead,
                               alignment=TA_CENTER),
        "title": derive("title", fontName=BOLD, fontSize=base * 1.4, leading=base * 1.75,
                        alignment=TA_CENTER, spaceBefore=base * 0.6, spaceAfter=base * 0.2),
        "section": derive("section", fontName=BOLD, fontSize=base * 1.1,
                          leading=base * 1.4, spaceBefore=base * 0.8, spaceAfter=base * 0.3),
        "big": derive("big", fontName=BOLD, fontSize=base * 1.25, leading=base * 1.55),
        "big_center": derive("big_center", fontName=BOLD, fontSize=base * 1.35,
                             leading=base * 1.65, alignment=TA_CENTER),
        "key": derive("key", fontName=BOLD, fontSize=base * 1.6, leading=base * 2.0,
                      alignment=TA_CENTER),
    }
