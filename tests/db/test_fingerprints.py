"""Fingerprints in the core (issue 13): kept as taken, the best kept, conditions waiting for the
supervisor, nothing submitted with a finger missing, and what the slip and the tally say."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from capture.fingerprint.fingers import FINGERS
from db import enrollment as en
from db import fingerprints, review
from db.actor import SYSTEM, Actor
from db.documents import slip_for
from db.errors import InvalidInput, PermissionDenied
from db.labels import audit_details
from db.models import AuditEvent, Resident
from db.service import StationService
from db.station import StationDB
from db.tally import compute_tally, tally_to_json
from db.types import NewPrint
from printing import build_slip, build_tally
from tests.db.enrollment_fixtures import jpeg_bytes, people
from tests.fingers import print_png, take_ten
from tests.printing.pdfcheck import pdf_text

__all__ = ["people"]

AT = datetime(2026, 3, 12, 1, 5, tzinfo=UTC)


def photographed(db: StationDB, resident_id: int, actor: Actor = SYSTEM) -> str:
    e = en.create_draft(db, resident_id, officer_id=actor.officer_id, now=AT, actor=actor)
    en.attach_portrait(db, e.uuid, jpeg_bytes(), 480, 640, {"passed": True}, actor=actor)
    return e.uuid


def flat(finger: int, quality: int, attempts: int = 1) -> NewPrint:
    return NewPrint(finger, "slap", print_png(), "png", quality, 55, attempts, (quality,))


def test_each_finger_keeps_its_best_attempt_and_every_score(
    station: StationDB, people: list[int]
) -> None:
    uuid = photographed(station, people[0])
    fingerprints.record_prints(station, uuid, [flat(2, 31, 1)], actor=SYSTEM)
    fingerprints.record_prints(station, uuid, [NewPrint(2, "slap", print_png(), "png", 58, None,
                                                        2, (31, 58))], actor=SYSTEM)  # fmt: skip
    kept = fingerprints.record_prints(station, uuid, [NewPrint(2, "slap", print_png(), "png", 44,
                                                               None, 3, (31, 58, 44))],
                                      actor=SYSTEM)[0]  # fmt: skip
    assert (kept.quality, kept.attempts, kept.attempt_scores) == (58, 3, (31, 58, 44))
    # a single flat print of the same finger replaces the slap's: one flat print per finger
    fingerprints.record_print(station, uuid, 2, "flat", print_png(), "png", 70, actor=SYSTEM)
    prints = en.get(station, uuid).fingerprints
    assert [(p.finger, p.impression, p.quality) for p in prints] == [(2, "flat", 70)]
    # a rolled print is its own row
    fingerprints.record_print(station, uuid, 2, "rolled", print_png(), "png", 64, actor=SYSTEM)
    assert {p.impression for p in en.get(station, uuid).fingerprints} == {"flat", "rolled"}
    assert fingerprints.images(station, uuid)[(2, "flat")] == (print_png(), "png")


def test_a_condition_puts_the_enrollment_under_an_exception_until_it_is_cleared(
    station: StationDB, people: list[int]
) -> None:
    uuid = photographed(station, people[1])
    take_ten(station, uuid)
    with pytest.raises(InvalidInput, match="faded"):  # only a finger that was tried
        fingerprints.record_condition(station, uuid, [3], "slap", "faded", actor=SYSTEM)
    fingerprints.record_condition(station, uuid, [3], "slap", "faded", "mòn do làm nương",
                                  attempts=3, attempt_scores=(12, 19, 15),
                                  actor=SYSTEM)  # fmt: skip
    fingerprints.record_condition(station, uuid, [7, 8, 9, 10], "slap", "cannot_place",
                                  "bàn tay trái co quắp sau tai biến", actor=SYSTEM)  # fmt: skip
    info = en.get(station, uuid)
    (exc,) = [x for x in info.exceptions if x["subject"] == "fingerprints"]
    assert exc["reason"] == "cannot_place_fingers"  # the more serious of the two names it
    assert exc["fingers"] == {"3": "faded", "7": "cannot_place", "8": "cannot_place",
                              "9": "cannot_place", "10": "cannot_place"}  # fmt: skip
    assert fingerprints.untaken(info.fingerprints) == []  # conditions count as done
    assert sum(p.taken for p in info.fingerprints) == 5
    for finger in (3, 7, 8, 9, 10):
        fingerprints.clear(station, uuid, finger, "slap", actor=SYSTEM)
    info = en.get(station, uuid)
    assert not [x for x in info.exceptions if x["subject"] == "fingerprints"]
    assert fingerprints.untaken(info.fingerprints) == [3, 7, 8, 9, 10]
    with station.Session() as s:  # the trail names fingers and codes, never the note
        details = list(s.scalars(select(AuditEvent.details)
                                 .where(AuditEvent.action.like("enrollment.finger%"))))  # fmt: skip
    assert "fingers 7,8,9,10 slap: cannot_place" in details
    assert not any("tai biến" in (d or "") for d in details)
    assert audit_details("fingers 7,8,9,10 slap: cannot_place") == (
        "ngón trỏ tay trái, ngón giữa tay trái, ngón áp út tay trái, ngón út tay trái "
        "(ấn phẳng (lấy cả bàn)): Không đặt được (bàn tay không mở được)")


def test_nothing_is_submitted_with_a_finger_untaken_except_under_six(
    station: StationDB, people: list[int]
) -> None:
    uuid = photographed(station, people[2])
    fingerprints.record_prints(station, uuid, [flat(f, 70) for f in FINGERS[:8]], actor=SYSTEM)
    with pytest.raises(InvalidInput, match=r"2 of 10"):
        en.submit(station, uuid, now=AT, actor=SYSTEM)
    assert en.get(station, uuid).status == "captured" and en.get(station, uuid).receipt_no is None
    fingerprints.record_condition(station, uuid, [9, 10], "flat", "missing", actor=SYSTEM)
    assert en.submit(station, uuid, now=AT, actor=SYSTEM).status == "submitted"
    # a child under 6 gives no fingerprints (DESIGN §6); a year alone decides only when sure
    child = people[3]
    with station.Session.begin() as s:
        s.execute(update(Resident).where(Resident.id == child)
                  .values(birth_date=date(2021, 6, 1), birth_year=2021))  # fmt: skip
    small = photographed(station, child)
    assert en.submit(station, small, now=AT, actor=SYSTEM).status == "submitted"  # 4 years old


def test_only_the_drafts_officer_records_prints_and_a_correction_keeps_them(
    station: StationDB, people: list[int], actors: dict[str, Actor]
) -> None:
    duc = StationService(station, actors["officer"])
    boss = StationService(station, actors["supervisor"])
    uuid = photographed(station, people[4], actors["officer"])
    with pytest.raises(PermissionDenied):
        boss.record_prints(uuid, [flat(2, 70)])
    take_ten(duc, uuid)
    duc.record_finger_condition(uuid, [6], "flat", "bandaged", "băng bó sau khi đứt tay")
    duc.submit(uuid)
    review.send_back(station, uuid, note="ảnh mờ", actor=actors["supervisor"])
    again = duc.correct(uuid)
    kept = {(p.finger, p.condition, p.quality) for p in again.fingerprints}
    assert kept == {(p.finger, p.condition, p.quality) for p in en.get(station, uuid).fingerprints}
    assert any(x["subject"] == "fingerprints" for x in again.exceptions)


def test_the_slip_and_the_tally_say_how_the_fingers_went(
    station: StationDB, people: list[int]
) -> None:
    whole = photographed(station, people[5])
    prints = [flat(f, 70, attempts=1 + (f == 2)) for f in FINGERS]
    fingerprints.record_prints(station, whole, prints, actor=SYSTEM)
    en.submit(station, whole, now=AT, actor=SYSTEM)
    short = photographed(station, people[6])
    fingerprints.record_prints(station, short, [flat(f, 70) for f in FINGERS if f != 7],
                               actor=SYSTEM)  # fmt: skip
    fingerprints.record_condition(station, short, [7], "slap", "missing", actor=SYSTEM)
    en.submit(station, short, now=AT, actor=SYSTEM)
    text = pdf_text(build_slip(slip_for(station, whole)))
    assert "Vân tay" in text and "10/10" in text
    text = " ".join(pdf_text(build_slip(slip_for(station, short))).split())
    assert "9/10" in text and "ngón trỏ tay trái: mất ngón hoặc cụt ngón" in text
    tally = compute_tally(station, date(2026, 3, 12))
    assert (tally.finger_conditions, tally.fingers_taken, tally.finger_attempts) == (1, 19, 20)
    assert tally_to_json(tally)["mean_finger_attempts"] == round(20 / 19, 2)
    text = " ".join(pdf_text(build_tally(tally)).split())
    assert "Hồ sơ có ngón tay ghi tình trạng" in text and "1,1" in text
