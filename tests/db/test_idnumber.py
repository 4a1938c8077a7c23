from __future__ import annotations

import pytest

from db.idnumber import PROVINCES, century_digit, check_personal_id, make_personal_id


def test_province_table_has_the_63_provinces() -> None:
    assert len(PROVINCES) == 63
    assert PROVINCES["011"] == "Điện Biên"
    assert PROVINCES["079"] == "TP. Hồ Chí Minh"


@pytest.mark.parametrize(
    ("year", "sex", "digit"),
    [(1950, "M", "0"), (1950, "F", "1"), (2005, "M", "2"), (2005, "F", "3"), (1899, "F", "9")],
)
def test_century_digit(year: int, sex: str, digit: str) -> None:
    assert century_digit(year, sex) == digit


def test_consistent_number_has_no_problems() -> None:
    number = make_personal_id("011", 1962, "F", 4321)
    assert number == "011162004321"
    check = check_personal_id(number, 1962, "F")
    assert check.valid and check.problems == ()


def test_mismatches_are_flagged_not_rejected() -> None:
    number = make_personal_id("011", 1962, "F", 4321)
    assert check_personal_id(number, 1963, "F").problems == ("year digits do not match birth year",)
    assert check_personal_id(number, 1962, "M").problems == (
        "century/sex digit does not match sex",
    )
    assert (
        "century digit does not match birth year" in check_personal_id(number, 2062, "F").problems
    )
    assert check_personal_id("099162004321", 1962, "F").problems == ("unknown province code",)


def test_foreign_prefix_is_not_a_province() -> None:
    # a first digit other than 0 is a foreign country code
    assert check_personal_id("184162004321", 1962, "F").problems == ()


@pytest.mark.parametrize("bad", ["01116200432", "0111620043210", "01116200432x", ""])
def test_wrong_shape_is_invalid(bad: str) -> None:
    assert not check_personal_id(bad, 1962, "F").valid
