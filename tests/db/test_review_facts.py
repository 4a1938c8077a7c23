"""What the day review reads about each enrollment, through the service as the supervisor opens
it: the portrait's checks (a real quality report), a portrait taken lying down, each correction
of the register's data, a new person (DC01) and the note a correction was sent back with."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from capture.quality import assess
from capture.report import Mode
from db import enrollment as en
from db.actor import SYSTEM, Actor
from db.corrections import details_record, register_values
from db.residents import resident_detail
from db.review_facts import corrected_fields, quality_checks
from db.service import StationService
from db.station import StationDB
from db.types import ReviewItem
from tests.db.enrollment_fixtures import jpeg_bytes, people
from tests.fingers import take_ten
from tests.gui.fakes import good_face, lying_side_lit

__all__ = ["people"]

AT = datetime(2026, 3, 12, 2, tzinfo=UTC)


@pytest.fixture(scope="module")
def lying_report() -> dict[str, Any]:
    return assess(lying_side_lit(), Mode.BEDRIDDEN).to_dict()


@pytest.fixture(scope="module")
def good_report() -> dict[str, Any]:
    return assess(good_face(), Mode.NORMAL).to_dict()


def enroll(db: StationDB, resident_id: int, *, officer: int | None, quality: dict[str, Any],
           changes: dict[str, str] | None = None, bedridden: bool = False,
           exception: str | None = None) -> str:  # fmt: skip
    """Through the lifecycle as the wizard goes: details (with corrections), portrait, submit."""
    e = en.create_draft(db, resident_id, officer_id=officer, actor=SYSTEM)
    original = register_values(resident_detail(db, resident_id))
    record = details_record(original, {**original, **(changes or {})})
    en.save_step(db, e.uuid, "details", record, actor=SYSTEM)
    en.attach_portrait(db, e.uuid, jpeg_bytes(), 480, 640, quality, attempts=3,
                       bedridden=bedridden, exception_reason=exception, actor=SYSTEM)  # fmt: skip
    take_ten(db, e.uuid)
    return en.submit(db, e.uuid, now=AT, actor=SYSTEM).uuid


def waiting(db: StationDB, actors: dict[str, Actor]) -> dict[str, ReviewItem]:
    return {i.uuid: i for i in StationService(db, actors["supervisor"]).waiting()}


def test_checks_bedridden_and_corrections_read_from_what_was_stored(
    station: StationDB, actors: dict[str, Actor], people: list[int],
    lying_report: dict[str, Any], good_report: dict[str, Any],
) -> None:  # fmt: skip
    duc = actors["officer"].officer_id
    lying = enroll(station, people[0], officer=duc, quality=lying_report, bedridden=True,
                   exception="bedridden", changes={"phone": "0912345678"})  # fmt: skip
    plain = enroll(station, people[1], officer=duc, quality=good_report)
    items = waiting(station, actors)
    item = items[lying]
    assert item.bedridden and item.rotation in (90, 270)
    ids = [c.id for c in item.checks]
    assert ids[:2] == ["face_count", "orientation"] and len(ids) == 10
    orientation = item.checks[1]
    assert orientation.result == "pass" and orientation.value == item.rotation
    failed = [c for c in item.checks if c.result == "fail"]
    assert failed and all(c.advice("vi") and c.advice("en") for c in failed)
    phone = resident_detail(station, people[0]).phone  # type: ignore[union-attr]
    assert item.corrections == (("phone", phone or "", "0912345678"),)
    assert not item.new_person and not item.is_correction
    good = items[plain]
    assert not good.bedridden and good.rotation == 0 and good.corrections == ()
    assert {c.result for c in good.checks} <= {"pass", "warn"}


def test_new_person_is_marked_and_only_real_changes_count(
    station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    officer = StationService(station, actors["officer"])
    rid = officer.add_person({"full_name": "Giàng A Pháo", "birth_date": "03/04/1990",
                              "sex": "M", "ethnicity": "Mông", "hometown": "Nà Hỳ"})  # fmt: skip
    e = officer.start_enrollment(rid)
    typed = register_values(resident_detail(station, rid))
    # as the form stores a new person: every typed field "from" nothing, one changed later
    record = details_record(dict.fromkeys(typed, ""), typed)
    record["corrections"]["phone"] = {"from": "0912", "to": "0913"}
    officer.save_step(e.uuid, "details", record)
    officer.attach_portrait(e.uuid, jpeg_bytes(), 480, 640, {"demo": True})
    take_ten(officer, e.uuid)
    officer.submit(e.uuid)
    item = waiting(station, actors)[e.uuid]
    assert item.new_person
    assert item.corrections == (("phone", "0912", "0913"),)
    assert item.checks == ()  # a report without checks: none shown, nothing invented


def test_a_correction_carries_the_note_it_was_sent_back_with(
    station: StationDB, actors: dict[str, Actor], people: list[int],
    good_report: dict[str, Any],
) -> None:  # fmt: skip
    boss = StationService(station, actors["supervisor"])
    first = enroll(station, people[2], officer=actors["officer"].officer_id, quality=good_report)
    boss.send_back(first, "Sai ngày sinh so với sổ hộ khẩu")
    duc = StationService(station, actors["officer"])
    again = duc.correct(first)
    duc.submit(again.uuid)
    item = waiting(station, actors)[again.uuid]
    assert item.is_correction and item.kind == "correction"
    assert item.returned_note == "Sai ngày sinh so với sổ hộ khẩu"


def test_damaged_stored_data_gives_nothing_rather_than_failing() -> None:
    assert quality_checks({"checks": "x"}) == ()
    assert quality_checks({"checks": [None, {"id": 3}, {"id": "eyes", "passed": True,
                                                       "value": True}]})[0].value is None
    assert corrected_fields(None) == ()
    assert corrected_fields({"details": {"corrections": {"phone": "x", "sex": {}}}}) == ()
    odd = corrected_fields({"details": {"corrections": {"zz": {"from": "a", "to": "b"}}}})
    assert odd == (("zz", "a", "b"),)
