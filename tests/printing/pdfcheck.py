"""Reading PDFs back the way a person would: their text (pypdf) and their QR code, decoded
with OpenCV from the page rendered by poppler's ``pdftoppm``."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

PDFTOPPM = shutil.which("pdftoppm")
needs_pdftoppm = pytest.mark.skipif(
    PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed; `make sysdeps` adds it"
)


def pdf_text(pdf: bytes) -> str:
    """All pages' text, NFC, with every run of whitespace (line wraps too) made one space.

    A long value wraps differently in each layout; what must survive is the sequence of words.
    """
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    raw = "\n".join(p.extract_text() for p in reader.pages)
    return " ".join(unicodedata.normalize("NFC", raw).split())


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_size_mm(pdf: bytes, page: int = 0) -> tuple[float, float]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[page].mediabox
    return float(box.width) * 25.4 / 72, float(box.height) * 25.4 / 72


def render_pages(pdf: bytes, tmp_path: Path, dpi: int = 150, stem: str = "page") -> list[Path]:
    """PNG files of every page (pytest's tmp_path only)."""
    assert PDFTOPPM is not None
    src = tmp_path / f"{stem}.pdf"
    src.write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-r", str(dpi), "-png", str(src), str(tmp_path / stem)],
                   check=True, capture_output=True, timeout=60)
    return sorted(tmp_path.glob(f"{stem}*.png"))


def decode_qr(png: Path) -> str:
    """The text of the QR code on a rendered page ('' if none is found)."""
    import cv2

    img = cv2.imread(str(png), cv2.IMREAD_GRAYSCALE)
    assert img is not None
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(img)
    return text
