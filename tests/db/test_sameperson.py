"""DESIGN §6's "likely the same person", the one rule (db/sameperson.py): pure cases."""

from __future__ import annotations

from datetime import date

from db.sameperson import PersonKey, likely_same

SENH = PersonKey.of("011076433758", "Giàng A Sếnh", 1976, date(1976, 6, 5), "Nậm Chim 1")


def key(**changes: object) -> PersonKey:
    fields = {"personal_id": "011076433758", "full_name": "Giàng A Sếnh", "birth_year": 1976,
              "birth_date": date(1976, 6, 5), "village": "Nậm Chim 1", **changes}  # fmt: skip
    return PersonKey.of(**fields)  # type: ignore[arg-type]


def test_the_same_id_number_is_the_same_person_whatever_else_differs() -> None:
    other = key(full_name="Vàng A Pao", birth_year=1990, birth_date=None, village="Pú Đao")
    assert likely_same(SENH, other) and likely_same(other, SENH)


def test_without_or_with_different_numbers_name_birth_and_village_decide() -> None:
    assert likely_same(SENH, key(personal_id=None))
    assert likely_same(key(personal_id=None), key(personal_id=None))
    assert likely_same(SENH, key(personal_id="011076000001"))  # a typing error in one number
    assert not likely_same(SENH, key(personal_id=None, full_name="Giàng A Sềnh Pó"))


def test_names_fold_case_diacritics_tone_placement_and_d_with_stroke() -> None:
    assert likely_same(SENH, key(personal_id=None, full_name="GIANG A SENH"))
    assert likely_same(SENH, key(personal_id=None, full_name="  giàng  a   sếnh "))
    dang = key(personal_id=None, full_name="Đặng Thị Hoà", village="Nà Hỳ 1")
    assert likely_same(dang, key(personal_id=None, full_name="Dang Thi Hoa", village="na hy 1"))
    assert likely_same(dang, key(personal_id=None, full_name="Đặng Thị Hòa", village="Nà Hỳ 1"))
    assert likely_same(dang, key(personal_id=None, full_name="\u00d0ặng Thị Hoà",
                                 village="Nà Hỳ 1"))  # Ð (U+00D0), the look-alike  # fmt: skip
    decomposed = "Đa\u0323ng Thi\u0323 Hoa\u0300"  # NFD, as Windows-1258 decodes
    assert likely_same(dang, key(personal_id=None, full_name=decomposed, village="Nà Hỳ 1"))


def test_birth_dates_and_year_only_births() -> None:
    year_only = key(personal_id=None, birth_date=None)
    assert likely_same(SENH, year_only) and likely_same(year_only, SENH)
    assert likely_same(year_only, key(personal_id=None, birth_date=None))
    assert not likely_same(SENH, key(personal_id=None, birth_date=date(1976, 6, 6)))
    assert not likely_same(year_only, key(personal_id=None, birth_year=1977, birth_date=None))
    # a full date also gives the year: "1976" on one side, 05/06/1976 on the other
    assert PersonKey.of(None, "x", None, date(1976, 6, 5)).birth_year == 1976
    unknown = key(personal_id=None, birth_year=None, birth_date=None)
    assert not likely_same(unknown, unknown)  # nothing tells namesakes apart


def test_a_different_or_unknown_village_is_not_the_same_person() -> None:
    assert not likely_same(SENH, key(personal_id=None, village="Nậm Chim 2"))
    assert likely_same(SENH, key(personal_id=None, village="NAM CHIM 1"))
    nowhere = key(personal_id=None, village=None)
    assert not likely_same(SENH, nowhere) and not likely_same(nowhere, nowhere)
