"""Card renewals (Luật Căn cước 2023 art. 21): the issue's worked cases and the list."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from db.models import Resident
from db.register.importer import import_rows
from db.renewals import add_months, next_due, period, renewals

BORN = date(1990, 5, 10)


def test_card_issued_at_15_is_due_at_25() -> None:
    assert next_due(BORN, 1990, date(2005, 6, 1), date(2006, 1, 1)) == (25, date(2015, 5, 10))


def test_card_issued_at_23_years_7_months_is_valid_until_40() -> None:
    issued = date(2013, 12, 10)  # 23 years 7 months: within the two years before 25
    assert next_due(BORN, 1990, issued, date(2014, 1, 1)) == (40, date(2030, 5, 10))
    assert next_due(BORN, 1990, issued, date(2015, 1, 1)) == (40, date(2030, 5, 10))


def test_card_issued_at_55_is_due_at_60() -> None:
    born = date(1960, 3, 1)
    assert next_due(born, 1960, date(2015, 4, 1), date(2016, 1, 1)) == (60, date(2020, 3, 1))


def test_card_issued_at_58_is_valid_for_life() -> None:
    born = date(1960, 3, 1)
    assert next_due(born, 1960, date(2018, 4, 1), date(2018, 5, 1)) is None


def test_born_2012_year_only_must_hold_a_card_from_2026() -> None:
    assert next_due(None, 2012, None, date(2025, 6, 1)) == (14, date(2026, 1, 1))
    assert next_due(None, 2012, None, date(2026, 1, 1)) == (14, date(2026, 1, 1))


def test_two_year_grace_edges_and_leap_days() -> None:
    assert next_due(BORN, 1990, date(2013, 5, 10), date(2014, 1, 1))[0] == 40  # type: ignore[index]
    assert next_due(BORN, 1990, date(2013, 5, 9), date(2014, 1, 1))[0] == 25  # type: ignore[index]
    assert next_due(date(2008, 2, 29), 2008, None, date(2020, 1, 1)) == (14, date(2022, 3, 1))
    assert next_due(BORN, 1990, None, date(2060, 1, 1)) is None  # past 60
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert period(date(2026, 12, 1), 3) == (date(2026, 1, 1), date(2027, 3, 1))


def _row(line: int, name: str, born: str, village: str, issued: str = "") -> tuple[int, dict]:  # type: ignore[type-arg]
    return line, {"full_name": name, "birth_date": born, "village": village, "card_issued": issued}


def test_the_list_by_village_in_vietnamese_order(station) -> None:  # type: ignore[no-untyped-def]
    rows = [
        _row(2, "Vàng A Dế", "15/02/2002", "Nà Hỳ 1", "01/03/2017"),  # 25 in Feb 2027: listed
        _row(3, "Lò Văn Ánh", "01/01/2002", "Nà Hỳ 1", "05/06/2017"),  # 25 in Jan 2027: listed
        _row(4, "Giàng Thị Ba", "20/02/2002", "Nà Hỳ 1", "01/06/2025"),  # renewed within 2 years
        _row(5, "Lù Văn Cao", "10/05/2002", "Nà Hỳ 1", "01/03/2017"),  # 25 in May 2027: later
        _row(6, "Mùa A Chứ", "12/01/1967", "Huổi Cơ Mông", "01/01/2010"),  # 60 in Jan 2027
        _row(7, "Thào Thị Dua", "2012", "Huổi Cơ Mông"),  # 14 in 2026, card date unknown
        _row(8, "Sùng A Páo", "03/03/1987", "Huổi Cơ Mông", "01/01/2004"),  # 40, but deceased
        _row(9, "Hạng A Tủa", "02/02/1966", "Huổi Cơ Mông", "01/01/2010"),  # 60 in Feb 2026
    ]
    report = import_rows(station, rows, file_name="t")
    assert (report.added, report.flagged) == (8, 0)
    with station.Session.begin() as s:
        s.execute(update(Resident).where(Resident.full_name == "Sùng A Páo")
                  .values(life_status="deceased"))  # fmt: skip
    found = renewals(station, date(2026, 12, 1), 3)
    assert [(r.village, r.full_name, r.milestone) for r in found] == [
        ("Huổi Cơ Mông", "Mùa A Chứ", 60),
        ("Huổi Cơ Mông", "Thào Thị Dua", 14),
        ("Huổi Cơ Mông", "Hạng A Tủa", 60),  # reached this year and not renewed for
        ("Nà Hỳ 1", "Lò Văn Ánh", 25),
        ("Nà Hỳ 1", "Vàng A Dế", 25),
    ]
    dua = found[1]
    assert dua.card_issued is None and dua.due == date(2026, 1, 1)
    assert dua.to_json()["birth_date"] == "2012"
    assert found[0].to_json() == {"uuid": found[0].uuid, "full_name": "Mùa A Chứ",
                                  "birth_date": "1967-01-12", "milestone": 60,
                                  "village": "Huổi Cơ Mông"}  # fmt: skip
