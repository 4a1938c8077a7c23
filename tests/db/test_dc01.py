"""The details step's checks and corrections, and a person added at the desk (DC01)."""

from __future__ import annotations

from datetime import date

import pytest

from db import corrections as corr
from db.actor import SYSTEM
from db.dc01 import CONFIRMED_DIFFERENT, PersonRejected, add_resident, likely_matches
from db.errors import LikelySamePerson
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
    with pytest.raises(LikelySamePerson) as same:  # the same number: the same person
        add_resident(station, {"full_name": "Sùng A Vàng", "personal_id": "011076433758"},
                     actor=SYSTEM)
    assert same.value.candidate_ids == (rid,) and same.value.same_id_number
    with pytest.raises(LikelySamePerson):  # and saying "someone else" cannot change that
        add_resident(station, {"full_name": "Sùng A Vàng", "personal_id": "011076433758"},
                     actor=SYSTEM, not_same_as=[rid])
    with pytest.raises(PersonRejected):
        add_resident(station, {"full_name": ""}, actor=SYSTEM)


SEEN = {"full_name": "Thào A Chứ", "birth_date": "1958", "sex": "M", "village": "Nậm Chim 1"}


def test_the_register_is_checked_with_the_likely_same_person_rule(station: StationDB) -> None:
    """A year-only register record and a full date typed at the desk, spelled without marks."""
    first = add_resident(station, SEEN, actor=SYSTEM)
    other_village = add_resident(station, {**SEEN, "village": "Nậm Chim 2"}, actor=SYSTEM)
    assert other_village != first  # another village: another person, added without a question
    typed = {"full_name": "THAO A CHU", "birth_date": "03/04/1958", "sex": "M",
             "village": "nam chim 1"}  # fmt: skip
    assert likely_matches(station, typed) == [first]
    with pytest.raises(LikelySamePerson) as refused:
        add_resident(station, typed, actor=SYSTEM)
    exc = refused.value
    assert exc.candidate_ids == (first,) and not exc.same_id_number
    assert "Thào" not in str(exc) and "1958" not in str(exc)  # ids only, never the person
    assert likely_matches(station, {**typed, "birth_date": "1959"}) == []
    assert likely_matches(station, {**typed, "village": ""}) == []
    # the officer checked and says it is someone else: added, flagged, audited
    rid = add_resident(station, typed, actor=SYSTEM, not_same_as=[first])
    d = resident_detail(station, rid)
    assert d is not None and d.review_flags and CONFIRMED_DIFFERENT in d.review_flags
    from db import audit
    from db.labels import audit_details

    [row] = [r for r in audit.show(station, SYSTEM, action="resident.add")
             if r.entity_id == str(rid)]  # fmt: skip
    assert row.details == f"DC01, confirmed not #{first}"
    assert f"#{first}" in audit_details(row.details) and "DC01" in audit_details(row.details)
    # a third one is now likely the same as both
    assert sorted(likely_matches(station, typed)) == sorted([first, rid])


def test_dc01_fields_and_lists_are_kept_in_the_record(station: StationDB) -> None:
    rid = add_resident(station, {
        "full_name": "Lầu Thị Mai", "birth_date": "12/12/1999", "sex": "F",
        "ethnicity": "hmong", "religion": "tin lanh", "village": "Pú Đao",
        "birth_registration_place": "UBND xã Nà Hỳ", "permanent_residence": "bản Pú Đao",
        "current_residence": "bản Pú Đao", "father_name": "Lầu A Dế",
        "father_id": "011 060 123456", "mother_name": "", "spouse_id": "",
    }, actor=SYSTEM)  # fmt: skip
    d = resident_detail(station, rid)
    assert d is not None and (d.ethnicity, d.religion) == ("Mông", "Tin Lành")
    assert d.extra == {"birth_registration_place": "UBND xã Nà Hỳ",
                       "permanent_residence": "bản Pú Đao", "current_residence": "bản Pú Đao",
                       "father_name": "Lầu A Dế", "father_id": "011060123456"}  # fmt: skip
    assert corr.validate_dc01({"father_id": "12345", "mother_name": "Lò 2"}) == {
        "father_id": ["an ID number has 12 digits (or 9, CMND)"],
        "mother_name": ["the name contains digits"]}
    assert corr.details_record({}, {"full_name": "A", "spouse_name": " Vàng  Thị Dợ "})[
        "dc01"] == {"spouse_name": "Vàng Thị Dợ"}


def test_the_54_ethnic_groups_and_their_spellings() -> None:
    from db.ethnicities import ETHNICITIES, RELIGIONS, canonical_ethnicity

    assert len(ETHNICITIES) == 54 == len(set(ETHNICITIES))
    assert ETHNICITIES[:4] == ("Kinh", "Tày", "Thái", "Mường")
    for typed, name in (("H'Mông", "Mông"), ("HMông", "Mông"), ("Khơ-me", "Khmer"),
                        ("gia-rai", "Gia Rai"), ("Ê-đê", "Ê Đê"), ("Khơ Mú", "Khơ Mú"),
                        ("Stiêng", "Xtiêng"), ("Bru - Vân Kiều", "Bru Vân Kiều"),
                        ("Giẻ-Triêng", "Giẻ Triêng"), ("Co Lao", "Cờ Lao")):  # fmt: skip
        assert canonical_ethnicity(typed) == name, typed
    assert canonical_ethnicity("Tày Hạt") == "Ơ Đu" and canonical_ethnicity("Martian") is None
    assert RELIGIONS[0] == "Không" and "Phật giáo Hòa Hảo" in RELIGIONS
