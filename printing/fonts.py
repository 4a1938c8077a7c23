"""The embedded font (Noto Sans, SIL OFL 1.1) registered with ReportLab once, lazily
(together with the one ReportLab setting the documents rely on).

ReportLab's built-in PDF fonts (Helvetica...) have no Vietnamese letters, so every document
uses Noto Sans from ``resources/fonts`` (licence beside it). Parsing a TTF costs ~10 ms, so it
happens on first use and never again; each PDF still embeds only the subset of glyphs it uses.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from resources import path

REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"
_FILES = {REGULAR: "NotoSans-Regular.ttf", BOLD: "NotoSans-Bold.ttf"}

_lock = threading.Lock()
_registered = False


def font_path(name: str = REGULAR) -> Path:
    """Path of the TTF behind a registered font name."""
    return path("fonts", _FILES[name])


def ensure_fonts() -> None:
    """Register the fonts with ReportLab (idempotent, thread-safe)."""
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        # Image streams in binary, not ASCII85: the portrait JPEG is then embedded as it is,
        # and ReportLab's pure-Python ASCII85 encoder (without the optional rl_accel) would
        # otherwise cost ~20 ms per slip. Process-wide, and harmless for other PDFs.
        rl_config.useA85 = 0
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(path("fonts", filename))))
        # So that <b> inside a Paragraph picks the bold face.
        addMapping(REGULAR, 0, 0, REGULAR)
        addMapping(REGULAR, 1, 0, BOLD)
        addMapping(REGULAR, 0, 1, REGULAR)
        addMapping(REGULAR, 1, 1, BOLD)
        _registered = True
