"""The details step's checks and corrections, and a person added at the desk (DC01)."""

from __future__ import annotations

from datetime import date

import pytest

from db import corrections as corr
from db.actor import SYSTEM
from db.dc01 import PersonRejected, add_resident
from db.residents import resident_detail
from db.search import Searcher
from db.station import StationDB

TODAY = date(2026, 3, 12)
OK = {"full_name": "Giàng A Sếnh", "birth": "1976", "sex": "M", "personal_id": "011076433758",
      "ethnicity": "Mông", "hometown": "Điện Biên"}  # fmt: skip


def test_validation_checks_id_against_birth_year_and_sex_dates_and_required() -> None:
    assert corr.validate(OK, TODAY) == {}
    bad = corr.validate({**OK, "sex": "F", "birth": "31/02/1976", "ethnicity": ""}, TODAY)
    assert bad["birth"] == ["this date does not exist"]
    assert "century/sex digit does not match sex" in bad["personal_id"]
    assert bad["ethnicity"] == ["required"]
    assert corr.validate({**OK, "birth": "1/1/2030"}, TODAY)["birth"]
    assert corr.validate({**OK, "birth": "1975"}, TODAY)["personal_id"] == [
        "year digits do not match birth year"
    ]


def test_corrections_record_from_and_to() -> None:
    record = corr.details_record(OK, {**OK, "phone": " 0912345678 "})
    assert record["corrections"] == {"phone": {"from": "", "to": "0912345678"}}
    assert record["values"]["phone"] == "0912345678"
    assert corr.details_record(OK, {**OK, "full_name": "Giàng A Sếnh "})["corrections"] == {}


def test_a_person_added_at_the_desk_is_found_by_the_lookup(station: StationDB) -> None:
    rid = add_resident(station, {"full_name": "Giàng A Sếnh", "birth_date": "05/06/1976",
                                 "sex": "M", "personal_id": "011076433758"},
                       actor=SYSTEM)  # fmt: skip
    d = resident_detail(station, rid)
    assert d is not None and d.birth_date == date(1976, 6, 5)
    assert d.review_flags and "DC01" in d.review_flags
    hits = Searcher(station).search("giang a senh").hits
    assert [h.id for h in hits] == [rid]
    with pytest.raises(PersonRejected):
        add_resident(station, {"full_name": "Sùng A Vàng", "personal_id": "011076433758"},
                     actor=SYSTEM)
    with pytest.raises(PersonRejected):
        add_resident(station, {"full_name": ""}, actor=SYSTEM)
