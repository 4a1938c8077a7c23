"""The daily tally: the figures read back from the PDF, and data that does not add up refused."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime

import pytest

from printing.model import TallyData, TallyRow
from printing.tally import build_tally, check_tally
from tests.printing.pdfcheck import page_count, pdf_text

VILLAGES = ["Nà Hỳ 1", "Nậm Chim 1", "Nậm Chim 2", "Phi Lĩnh 1", "Pú Đao", "Tân Phong",
            "Huổi Cơ Mông", "Trên Nương", "Đệ Tinh 1"]


@pytest.fixture
def tally(station) -> TallyData:
    village_counts = [31, 12, 9, 17, 4, 22, 6, 11, 8]  # 120
    return TallyData(
        station=station,
        date_from=date(2026, 3, 12),
        date_to=date(2026, 3, 12),
        generated_at=datetime(2026, 3, 12, 10, 30, tzinfo=UTC),  # 17:30 in Vietnam
        total=120,
        by_officer=(TallyRow("Lò Văn Đức", 57), TallyRow("Giàng A Sếnh", 41),
                    TallyRow("Đặng Thị Hoà", 22)),
        by_village=tuple(TallyRow(v, c) for v, c in zip(VILLAGES, village_counts,
                                                        strict=True)),
        by_place={"hq": 83, "home": 14, "mobile": 23},
        home_visits=9,
        exceptions=6,
        portrait_retakes=27,
        pending_approval=5,
        approved=113,
        returned=2,
        prepared_by="Vừ A Dủa",
    )


def _row(text: str, label: str) -> list[str]:
    """The numbers printed right after ``label`` (its row: count, share)."""
    m = re.search(re.escape(label) + r" ([\d.]+) ([\d,]+ %)", text)
    assert m, f"row {label!r} not found"
    return [m.group(1), m.group(2)]


def test_tally_figures_read_back(tally):
    pdf = build_tally(tally)
    text = pdf_text(pdf)
    assert "BẢNG TỔNG HỢP KẾT QUẢ THU NHẬN HỒ SƠ CĂN CƯỚC" in text
    assert "Ngày 12/03/2026" in text
    assert "Lập lúc 17:30 ngày 12/03/2026" in text
    # the header names the station; its code is only in the small line at the end
    assert "Trạm: Trạm thu nhận trụ sở – xã Nà Hỳ" in text
    assert text.count("NH01") == 1 and "(mã trạm NH01)" in text
    for row in tally.by_officer + tally.by_village:
        count, _share = _row(text, row.label)
        assert int(count) == row.count
    assert _row(text, "Tại trụ sở công an") == ["83", "69,2 %"]
    assert _row(text, "Tại nhà người dân")[0] == "14"
    assert _row(text, "Tại điểm thu nhận lưu động")[0] == "23"
    assert _row(text, "Đã phê duyệt") == ["113", "94,2 %"]
    # Five sections with a total row each, all equal to the total.
    totals = re.findall(r"Tổng cộng ([\d.]+) 100,0 %", text)
    assert totals == ["120"] * 4
    for label, value in [("Số hồ sơ đã thu nhận", 120), ("Số hộ đến thu nhận tại nhà", 9),
                         ("Hồ sơ có ghi nhận ngoại lệ", 6), ("Số lần chụp lại ảnh", 27),
                         ("Chờ lãnh đạo phê duyệt", 5)]:
        assert re.search(re.escape(label) + rf" {value}\b", text), label
    assert "Người lập biểu".upper() in text and "TRƯỞNG CÔNG AN XÃ" in text
    assert "Vừ A Dủa" in text
    # The chart's category labels are real text too.
    assert text.count("Huổi Cơ Mông") == 2


def test_tally_total_row_is_the_sum_of_rows_read_back(tally):
    text = pdf_text(build_tally(tally))
    read = sum(int(_row(text, r.label)[0]) for r in tally.by_village)
    assert read == tally.total


def test_tally_in_english(tally, english):
    text = pdf_text(build_tally(tally))
    assert "ENROLLMENT TALLY" in text
    assert "At the police headquarters 83 69.2 %" in text
    assert "Generated at 17:30, 12/03/2026" in text
    assert "HEAD OF THE COMMUNE POLICE" in text


def test_date_range_and_large_numbers(tally):
    big = dataclasses.replace(
        tally, date_from=date(2026, 1, 1), date_to=date(2026, 3, 31), total=100_000,
        by_officer=(TallyRow("Lò Văn Đức", 60_000), TallyRow("Giàng A Sếnh", 40_000)),
        by_village=tuple(TallyRow(f"Bản {i}", 1_000) for i in range(100)),
        by_place={"hq": 70_000, "home": 10_000, "mobile": 20_000},
        pending_approval=1_000, approved=98_500, returned=500, exceptions=2_000)
    pdf = build_tally(big)
    text = pdf_text(pdf)
    assert "Từ ngày 01/01/2026 đến ngày 31/03/2026" in text
    assert "Tổng cộng 100.000 100,0 %" in text  # Vietnamese thousands separator
    assert "Số hồ sơ theo thôn, bản (15 thôn, bản nhiều nhất trong 100)" in text
    assert page_count(pdf) >= 2
    assert "trang 2" in text


def test_empty_day(tally):
    empty = dataclasses.replace(tally, total=0, by_officer=(), by_village=(),
                                by_place={"hq": 0, "home": 0, "mobile": 0}, home_visits=0,
                                exceptions=0, portrait_retakes=0, pending_approval=0,
                                approved=0, returned=0)
    text = pdf_text(build_tally(empty))
    assert "Tổng cộng 0 –" in text


@pytest.mark.parametrize("change", [
    {"total": 121},
    {"by_officer": (TallyRow("Lò Văn Đức", 57), TallyRow("Giàng A Sếnh", 41))},
    {"by_village": (TallyRow("Nà Hỳ 1", 120), TallyRow("Pú Đao", 1))},
    {"by_place": {"hq": 83, "home": 14, "mobile": 22}},
    {"by_place": {"hq": 83, "home": 37}},
    {"approved": 112},
    {"exceptions": 121},
    {"home_visits": -1},
])
def test_tally_that_does_not_add_up_is_refused(tally, change):
    bad = dataclasses.replace(tally, **change)
    with pytest.raises(ValueError):
        check_tally(bad)
    with pytest.raises(ValueError):
        build_tally(bad)


def test_tally_dates_and_zone_are_checked(tally):
    with pytest.raises(ValueError):
        dataclasses.replace(tally, date_to=date(2026, 3, 11))
    with pytest.raises(ValueError):
        dataclasses.replace(tally, generated_at=datetime(2026, 3, 12, 17, 30))
