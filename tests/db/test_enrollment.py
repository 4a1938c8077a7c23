"""The enrollment lifecycle on a real SQLCipher station: drafts, portraits, exceptions, submit,
review, corrections, and the moves that must be refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from db import enrollment as en
from db import review
from db.actor import SYSTEM, Actor
from db.errors import EnrollmentNotFound, IllegalTransition, PermissionDenied
from db.models import Enrollment, Portrait
from db.station import StationDB, open_station
from tests.db.enrollment_fixtures import captured, jpeg_bytes, people, received, staff, staff_actors

__all__ = ["people", "staff", "staff_actors"]  # fixtures


def test_draft_steps_survive_reopening_the_station(station: StationDB, people: list[int]) -> None:
    e = en.create_draft(station, people[0], place="home", actor=SYSTEM)
    assert (e.status, e.step, e.place, e.draft) == ("draft", "details", "home", {})
    en.save_step(
        station, e.uuid, "details", {"phone": "0912345678", "verified": True}, actor=SYSTEM
    )
    station.close()  # a crash right after the step: what was saved is on disk
    db = open_station(station.data_dir)
    try:
        drafts = en.list_drafts(db)
        assert [d.uuid for d in drafts] == [e.uuid]
        resumed = en.resume(db, e.uuid, SYSTEM)
        assert resumed.step == "details"
        assert resumed.draft == {"details": {"phone": "0912345678", "verified": True}}
        assert resumed.resident_name
    finally:
        db.close()


def test_portrait_moves_to_captured_and_replacing_keeps_one(
    station: StationDB, people: list[int]
) -> None:
    e = captured(station, people[0], attempts=2)
    assert e.status == "captured" and e.portrait is not None and e.portrait.attempts == 2
    again = en.attach_portrait(station, e.uuid, jpeg_bytes(), 480, 640, {"passed": True},
                               attempts=3, actor=SYSTEM)  # fmt: skip
    assert again.portrait is not None and again.portrait.attempts == 3
    with station.Session() as s:
        assert len(s.scalars(select(Portrait)).all()) == 1
    assert en.portrait_jpeg(station, e.uuid) == jpeg_bytes()
    with pytest.raises(ValueError):
        en.attach_portrait(station, e.uuid, b"PNG", 480, 640, {}, actor=SYSTEM)


def test_exceptions_are_recorded_with_reason_and_note(
    station: StationDB, people: list[int]
) -> None:
    e = captured(station, people[0], place="home", exception="bedridden")
    en.record_exception(station, e.uuid, "missing_fingers", "mất hai ngón tay trái", actor=SYSTEM)
    info = en.get(station, e.uuid)
    assert [(x["subject"], x["reason"]) for x in info.exceptions] == [
        ("portrait", "bedridden"), ("fingerprints", "missing_fingers")]  # fmt: skip
    assert info.portrait is not None and info.portrait.bedridden
    assert info.portrait.exception_reason == "bedridden"
    with pytest.raises(ValueError):
        en.record_exception(station, e.uuid, "other", "", actor=SYSTEM)  # "other" needs a note
    with pytest.raises(ValueError):
        en.record_exception(station, e.uuid, "no-such-reason", "x", actor=SYSTEM)


def test_submit_allocates_slip_and_return_date(station: StationDB, people: list[int]) -> None:
    # Thursday 12 March 2026, 08:05 in Vietnam.
    done = received(station, people[0], datetime(2026, 3, 12, 1, 5, tzinfo=UTC))
    assert done.status == "submitted"
    assert done.receipt_no == "NH-2026-000001"
    assert done.appointment_date == date(2026, 3, 23)  # 7 working days, weekends skipped
    second = received(station, people[1], datetime(2026, 3, 12, 1, 6, tzinfo=UTC))
    assert second.receipt_no == "NH-2026-000002"
    assert en.list_drafts(station) == []


def test_illegal_moves_are_refused_and_change_nothing(
    station: StationDB,
    people: list[int],
    staff: dict[str, int],
    staff_actors: dict[str, Actor],
) -> None:
    d = en.create_draft(station, people[0], actor=SYSTEM)
    with pytest.raises(IllegalTransition, match="'draft' to 'submitted'"):
        en.submit(station, d.uuid, actor=SYSTEM)  # no portrait yet
    with pytest.raises(IllegalTransition):
        review.approve(station, d.uuid, actor=SYSTEM)
    e = received(station, people[1], datetime(2026, 3, 12, 1, 5, tzinfo=UTC))
    assert e.receipt_no == "NH-2026-000001"  # the refused submit consumed no number
    for action in (
        lambda: en.save_step(station, e.uuid, "details", {"x": 1}, actor=SYSTEM),
        lambda: en.attach_portrait(station, e.uuid, jpeg_bytes(), 480, 640, {}, actor=SYSTEM),
        lambda: en.record_exception(station, e.uuid, "bedridden", actor=SYSTEM),
        lambda: en.submit(station, e.uuid, actor=SYSTEM),
        lambda: en.resume(station, e.uuid, SYSTEM),
        lambda: en.discard(station, e.uuid, actor=SYSTEM),
        lambda: en.mark_card_ready(station, e.uuid),
    ):
        with pytest.raises(IllegalTransition):
            action()
    with pytest.raises(PermissionDenied):
        review.approve(station, e.uuid, actor=staff_actors["duc"])  # an officer, not a supervisor
    with pytest.raises(ValueError):
        review.send_back(station, e.uuid, note="  ", actor=staff_actors["boss"])
    assert en.get(station, e.uuid).status == "submitted"
    with pytest.raises(EnrollmentNotFound):
        en.get(station, "00000000-0000-0000-0000-000000000000")


def test_review_approve_then_card_and_delivery(
    station: StationDB,
    people: list[int],
    staff: dict[str, int],
    staff_actors: dict[str, Actor],
) -> None:
    e = received(station, people[0], datetime(2026, 3, 12, 1, 5, tzinfo=UTC))
    ok = review.approve(station, e.uuid, actor=staff_actors["boss"])
    assert ok.status == "approved" and ok.reviewed_at is not None
    en.mark_card_ready(station, e.uuid)
    en.mark_delivered(station, e.uuid)
    assert en.get(station, e.uuid).status == "delivered"
    with pytest.raises(IllegalTransition):
        review.send_back(station, e.uuid, note="late", actor=staff_actors["boss"])


def test_returned_enrollment_is_corrected_by_a_new_one(
    station: StationDB,
    people: list[int],
    staff: dict[str, int],
    staff_actors: dict[str, Actor],
) -> None:
    e = received(station, people[0], datetime(2026, 3, 12, 1, 5, tzinfo=UTC),
                 officer=staff["duc"], exception="bedridden", place="home")  # fmt: skip
    back = review.send_back(station, e.uuid, note="Ảnh bị mờ", actor=staff_actors["boss"])
    assert back.status == "returned" and back.review_note == "Ảnh bị mờ"
    fix = en.correct(station, e.uuid, actor=SYSTEM)
    assert fix.uuid != e.uuid and fix.corrects_uuid == e.uuid
    assert fix.status == "captured"  # the portrait came along
    assert fix.portrait is not None and fix.portrait.bedridden
    assert fix.draft == e.draft and fix.exceptions == e.exceptions
    assert (fix.place, fix.officer_id, fix.receipt_no) == ("home", staff["duc"], None)
    with pytest.raises(IllegalTransition):
        en.correct(station, e.uuid, actor=SYSTEM)  # one correction per returned enrollment
    again = en.submit(station, fix.uuid, now=datetime(2026, 3, 13, 2, 0, tzinfo=UTC), actor=SYSTEM)
    assert again.receipt_no == "NH-2026-000002"
    assert en.get(station, e.uuid).status == "returned"  # the original is never edited


def test_discarded_draft_never_reuses_a_number(station: StationDB, people: list[int]) -> None:
    a = received(station, people[0], datetime(2026, 3, 12, 1, 5, tzinfo=UTC))
    d = captured(station, people[1])
    en.discard(station, d.uuid, actor=SYSTEM)
    assert en.list_drafts(station) == []
    with pytest.raises(IllegalTransition):
        en.submit(station, d.uuid, actor=SYSTEM)
    b = received(station, people[2], datetime(2026, 3, 12, 1, 7, tzinfo=UTC))
    assert (a.receipt_no, b.receipt_no) == ("NH-2026-000001", "NH-2026-000002")
    with station.Session() as s:
        assert s.scalar(select(Enrollment.status).where(Enrollment.uuid == d.uuid)) == "discarded"


def test_unknown_place_and_resident(station: StationDB, people: list[int]) -> None:
    with pytest.raises(ValueError):
        en.create_draft(station, people[0], place="market", actor=SYSTEM)
    with pytest.raises(EnrollmentNotFound):
        en.create_draft(station, 10**9, actor=SYSTEM)
