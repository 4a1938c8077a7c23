"""The register's card issue date (``Ngày cấp``): imported when given, a bad one only flagged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select

from db.models import Resident
from db.register.importer import import_register
from db.register.validate import CARD_IMPOSSIBLE, CARD_NOT_UNDERSTOOD, clean_row, content_hash
from db.sync import records
from db.sync.apply import _residents
from db.types import ImportResult

HEADER = "Họ và tên,Ngày sinh,Giới tính,Thôn/Bản,Ngày cấp CCCD"
ROWS = [
    "Giàng A Sếnh,12/03/1948,Nam,Nậm Chim 1,05/06/2021",
    "Lò Thị Ún,1939,Nữ,Nà Hỳ 1,2022-01-15",
    "Nguyễn Thị Ánh Tuyết,30/07/2001,Nữ,Tân Phong,không rõ",  # line 4: not a date
    "Đặng Thị Hoà,05/11/1975,Nữ,Pú Đao,01/01/1970",  # line 5: before the birth
    "Vàng A Dế,05/11/1990,Nam,Pú Đao,",  # no date: nothing to say
]


def _people(db) -> dict[str, Resident]:  # type: ignore[no-untyped-def]
    with db.Session() as s:
        return {r.full_name: r for r in s.scalars(select(Resident))}


def _write(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_csv_card_issue_dates_imported_bad_ones_flagged(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = import_register(station, _write(tmp_path / "reg.csv", ROWS))
    assert (report.added, report.rejected, report.flagged) == (5, 0, 2)
    flagged = {i.line: i.code for i in report.issues if i.kind == "flagged"}
    assert flagged == {4: CARD_NOT_UNDERSTOOD, 5: CARD_IMPOSSIBLE}
    people = _people(station)
    assert people["Giàng A Sếnh"].card_issued == date(2021, 6, 5)
    assert people["Lò Thị Ún"].card_issued == date(2022, 1, 15)
    assert people["Nguyễn Thị Ánh Tuyết"].card_issued is None
    assert people["Đặng Thị Hoà"].card_issued is None
    assert people["Đặng Thị Hoà"].review_flags == CARD_IMPOSSIBLE


def test_xlsx_dates_and_future_dates(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Họ và tên", "Ngày sinh", "Ngày cấp"])
    sheet.append(["Giàng A Sếnh", "12/03/1948", date(2021, 6, 5)])
    sheet.append(["Lò Thị Ún", "1939", date(2999, 1, 1)])
    path = tmp_path / "reg.xlsx"
    book.save(path)
    report = import_register(station, path)
    assert [(i.line, i.code) for i in report.issues] == [(3, CARD_IMPOSSIBLE)]
    people = _people(station)
    assert people["Giàng A Sếnh"].card_issued == date(2021, 6, 5)
    assert people["Lò Thị Ún"].card_issued is None


def test_hash_unchanged_without_a_card_date() -> None:
    """Rows re-imported without the column keep the hash they had before it existed."""
    raw = {"full_name": "Lò Thị Ún", "birth_date": "1939", "village": "Nà Hỳ 1"}
    today = date(2026, 12, 1)
    without = clean_row(raw, today).values
    assert "card_issued" in without and without["card_issued"] is None
    before = {k: v for k, v in without.items() if k != "card_issued"}
    assert content_hash(before) == without["content_hash"]
    dated = clean_row({**raw, "card_issued": "01/02/2020"}, today).values
    assert dated["content_hash"] != without["content_hash"]


def test_a_later_register_without_the_date_keeps_it(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_register(station, _write(tmp_path / "a.csv", ROWS[:1]))
    plain = "Họ và tên,Ngày sinh,Giới tính,Thôn/Bản"
    import_register(station, _write(tmp_path / "b.csv", ["Giàng A Sếnh,12/03/1948,Nam,Nậm Chim 1"],
                                    plain))  # fmt: skip
    assert _people(station)["Giàng A Sếnh"].card_issued == date(2021, 6, 5)


def test_the_date_travels_in_a_work_packet(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_register(station, _write(tmp_path / "reg.csv", ROWS[:1]))
    with station.Session() as s:
        r = s.scalars(select(Resident)).one()
        record = records.resident_record(r)
    assert record["card_issued"] == "2021-06-05"
    record["uuid"] = "0" * 32
    with station.Session.begin() as s:
        _residents(s, [record], ImportResult("packet", "x", "x"))
    with station.Session() as s:
        copy = s.scalars(select(Resident).where(Resident.uuid == "0" * 32)).one()
        assert copy.card_issued == date(2021, 6, 5)
