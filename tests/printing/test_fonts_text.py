"""Vietnamese text survives the trip into a PDF and back, and printing/ stays Qt-free."""

from __future__ import annotations

import ast
import io
import unicodedata
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from printing.fonts import BOLD, REGULAR, ensure_fonts, font_path
from printing.text import fmt_int, fmt_pct, vietnam_tz
from resources import path
from tests.printing.pdfcheck import pdf_text

SAMPLES = ["Nguyễn Thị Ánh Tuyết", "Giàng A Sếnh", "Lò Văn Đức", "Đặng Thị Hoà", "Vừ A Dủa",
           "xã Nà Hỳ, tỉnh Điện Biên", "Thừa Thiên Huế", "Khơ Mú, Hà Nhì, Cống",
           "ĂÂĐÊÔƠƯ ăâđêôơư ỲỴỶỸ ỳỵỷỹ", "Quảng Ngãi, Bà Rịa–Vũng Tàu, Đắk Lắk"]
PRINTING = Path(__file__).resolve().parents[2] / "printing"


def test_font_and_licence_ship_together():
    for name in (REGULAR, BOLD):
        assert font_path(name).is_file()
    licence = path("fonts", "LICENSE-NotoSans.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence or "SIL OPEN FONT LICENSE" in licence


@pytest.mark.parametrize("font", [REGULAR, BOLD])
def test_every_vietnamese_letter_round_trips(font):
    ensure_fonts()
    letters = "".join(sorted({c for c in "".join(SAMPLES) if c.isalpha()}))
    lower = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụ" \
            "ưừửữứựvxyỳỷỹýỵ"
    lines = [*SAMPLES, lower, lower.upper(), letters]
    buf = io.BytesIO()
    c = Canvas(buf)
    c.setFont(font, 11)
    for i, line in enumerate(lines):
        c.drawString(40, 800 - 18 * i, unicodedata.normalize("NFD", line))
    c.showPage()
    c.save()
    text = pdf_text(buf.getvalue())
    for line in lines:
        # NFD input is drawn as base + combining marks; read back it must NFC to the same.
        assert " ".join(line.split()) in text


def test_number_formats(english):
    assert fmt_int(100000) == "100,000"
    assert fmt_pct(1, 3) == "33.3 %"


def test_number_formats_vietnamese():
    assert fmt_int(100000) == "100.000"
    assert fmt_pct(1, 3) == "33,3 %"
    assert fmt_pct(0, 0) == "–"


def test_vietnam_is_utc_plus_7():
    from datetime import UTC, datetime, timedelta

    assert datetime(2026, 7, 1, tzinfo=UTC).astimezone(vietnam_tz()).utcoffset() == \
        timedelta(hours=7)


def test_printing_imports_no_qt_db_gui_or_capture():
    forbidden = {"PySide6", "shiboken6", "db", "gui", "capture"}
    for module in PRINTING.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{module.name} imports {name}"
