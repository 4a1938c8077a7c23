"""No silent duplicate enrollment (issue 11): the desk refuses a second open enrollment of a
person unless the application is redone with a reason; sync may still store two (from two
stations), and the supervisor sees them flagged; the lookup says where each person stands."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert, select

from db import audit, review
from db import enrollment as en
from db.actor import SYSTEM, Actor
from db.dc01 import add_resident
from db.errors import IllegalTransition, InvalidInput, OpenEnrollmentExists
from db.labels import audit_details
from db.models import AuditEvent, Enrollment, Resident, Station, new_uuid
from db.residents import resident_detail
from db.search import Searcher
from db.service import StationService
from db.station import StationDB
from db.vntime import today_local
from resources import i18n
from resources.problems import describe
from tests.db.enrollment_fixtures import captured, people, received, staff_actors
from tests.fingers import take_ten

__all__ = ["people", "staff_actors"]

AT = datetime(2026, 3, 12, 2, tzinfo=UTC)  # 09:00 in Vietnam, 12/03/2026


def _in_status(db: StationDB, rid: int, status: str, staff: dict[str, Actor]) -> str:
    """An enrollment of ``rid`` brought to ``status`` through the lifecycle."""
    duc, boss = staff["duc"].officer_id, staff["boss"]
    if status == "draft":
        return en.create_draft(db, rid, officer_id=duc, actor=SYSTEM).uuid
    if status == "captured":
        return captured(db, rid, officer=duc).uuid
    if status == "discarded":
        uuid = en.create_draft(db, rid, officer_id=duc, actor=SYSTEM).uuid
        en.discard(db, uuid, actor=SYSTEM)
        return uuid
    uuid = received(db, rid, AT, officer=duc).uuid
    if status == "returned":
        review.send_back(db, uuid, note="ảnh mờ", actor=boss)
    elif status != "submitted":
        review.approve(db, uuid, actor=boss)
        if status in ("card_ready", "delivered"):
            en.mark_card_ready(db, uuid)
        if status == "delivered":
            en.mark_delivered(db, uuid)
    assert en.get(db, uuid).status == status
    return uuid


OPEN = ("draft", "captured", "submitted", "approved", "card_ready")


def test_a_second_enrollment_is_refused_while_one_is_open(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    senh = StationService(station, staff_actors["senh"])
    for rid, status in zip(people, OPEN, strict=False):
        uuid = _in_status(station, rid, status, staff_actors)
        with pytest.raises(OpenEnrollmentExists) as refused:
            senh.start_enrollment(rid)
        exc = refused.value
        assert (exc.uuid, exc.status, exc.resident_id) == (uuid, status, rid)
        assert exc.own_draft is False  # Đức's, not Sếnh's
        assert exc.officer_name == "Lò Văn Đức" and exc.station_id == station.station_id
        e = en.get(station, uuid)
        assert exc.receipt_no == e.receipt_no and (e.receipt_no is None) == (status in (
            "draft", "captured"))  # fmt: skip
        # in words, with the state, the day and the slip number; never the person
        sentence = describe(exc)
        person = resident_detail(station, rid)
        assert person is not None and person.personal_id
        for secret in (person.full_name, person.personal_id):
            assert secret not in sentence and secret not in str(exc)
        assert exc.day in sentence and (e.receipt_no or "") in sentence
        i18n.set_language("en")
        assert describe(exc) == str(exc)
        i18n.set_language("vi")
        with station.Session() as s:  # nothing was written, not even half a draft
            assert s.scalar(select(Enrollment.id).where(Enrollment.resident_id == rid,
                                                        Enrollment.uuid != uuid)) is None


def test_the_officers_own_draft_is_offered_to_resume_also_for_a_new_dc01_person(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    duc = StationService(station, staff_actors["duc"])
    first = duc.start_enrollment(people[1])
    with pytest.raises(OpenEnrollmentExists) as refused:
        duc.start_enrollment(people[1])
    assert refused.value.own_draft and refused.value.uuid == first.uuid
    assert refused.value.receipt_no is None and "bản nháp" in describe(refused.value)
    info, _detail = duc.resume(refused.value.uuid)
    assert info.uuid == first.uuid
    # "a new DC01 person could be enrolled again right after": not any more
    rid = duc.add_person({"full_name": "Sùng Thị Mỷ", "birth_date": "02/02/1990", "sex": "F",
                          "village": "Huổi Cơ Mông"})  # fmt: skip
    duc.start_enrollment(rid)
    with pytest.raises(OpenEnrollmentExists) as again:
        duc.start_enrollment(rid)
    assert again.value.own_draft


def test_delivered_returned_and_discarded_enrollments_do_not_block(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    duc = StationService(station, staff_actors["duc"])
    for rid, status in zip(people[20:], ("delivered", "returned", "discarded"), strict=False):
        _in_status(station, rid, status, staff_actors)
        again = duc.start_enrollment(rid)
        assert again.status == "draft" and again.redo_reason is None and again.redo_of is None


def test_a_returned_one_is_corrected_but_not_beside_another_open_one(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    rid = people[3]
    returned = _in_status(station, rid, "returned", staff_actors)
    duc = StationService(station, staff_actors["duc"])
    fresh = duc.start_enrollment(rid)  # a returned one does not block a new one...
    with pytest.raises(OpenEnrollmentExists):  # ...but then its correction would be a second
        duc.correct(returned)
    duc.discard(fresh.uuid)
    assert duc.correct(returned).corrects_uuid == returned


def test_redo_with_a_reason_is_stored_audited_and_shown_to_the_supervisor(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    rid = people[4]
    first = _in_status(station, rid, "approved", staff_actors)
    duc = StationService(station, staff_actors["duc"])
    with pytest.raises(InvalidInput):  # "other" needs a note
        duc.start_enrollment(rid, redo_reason="other")
    with pytest.raises(ValueError):
        duc.start_enrollment(rid, redo_reason="bored")
    redo = duc.start_enrollment(rid, redo_reason="lost_card", redo_note="Mất thẻ khi đi rừng")
    assert (redo.redo_reason, redo.redo_note, redo.redo_of) == (
        "lost_card", "Mất thẻ khi đi rừng", first)
    with station.Session() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "enrollment.redo")).one()
    assert (ev.entity_id, ev.details) == (redo.uuid, f"redo lost_card beside {first}")
    assert "Mất thẻ" not in (ev.details or "")  # the note may name the person: not audited
    shown = audit_details(ev.details)
    assert "Mất thẻ" in shown and first in shown  # the reason in words
    rows = audit.show(station, SYSTEM, action="enrollment.redo")
    assert rows[0].action_text() == "Làm lại hồ sơ (hồ sơ thứ hai)"
    # the supervisor sees the redo, and both open enrollments as possible duplicates
    en.save_step(station, redo.uuid, "details", {"values": {}}, actor=SYSTEM)
    received_redo = en.submit(station, captured_again(station, redo.uuid), now=AT, actor=SYSTEM)
    [item] = review.waiting(station, staff_actors["boss"])
    assert item.uuid == received_redo.uuid
    assert (item.redo_reason, item.redo_note, item.possible_duplicate) == (
        "lost_card", "Mất thẻ khi đi rừng", True)


def captured_again(db: StationDB, uuid: str) -> str:
    from tests.db.enrollment_fixtures import jpeg_bytes

    en.attach_portrait(db, uuid, jpeg_bytes(), 480, 640, {"passed": True}, actor=SYSTEM)
    take_ten(db, uuid)
    return uuid


def test_two_stations_enrollments_of_one_person_are_both_stored_and_flagged(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    """Field sync merges by uuid: no constraint refuses the mobile team's enrollment of a
    person the headquarters enrolled too; the review list flags both."""
    rid = people[5]
    here = received(station, rid, AT, officer=staff_actors["duc"].officer_id)
    mobile = new_uuid()
    with station.Session.begin() as s:  # what sync would write: another station's row
        s.add(Station(id="mobile-team-1", name="Tổ lưu động", commune="Nà Hỳ", kind="mobile"))
        s.flush()
        s.execute(insert(Enrollment).values(
            uuid=mobile, station_id="mobile-team-1", resident_id=rid, place="mobile",
            status="submitted", step="review", draft={}, receipt_no="LD-2026-000001",
            created_at=AT, updated_at=AT, submitted_at=AT))  # fmt: skip
    flagged = {i.uuid: i.possible_duplicate for i in review.waiting(station, staff_actors["boss"])}
    assert flagged == {here.uuid: True, mobile: True}
    assert all(i.redo_reason is None for i in review.waiting(station, staff_actors["boss"]))
    # the desk still refuses a third, and says which one is open
    with pytest.raises(OpenEnrollmentExists) as refused:
        StationService(station, staff_actors["senh"]).start_enrollment(rid)
    assert refused.value.uuid in (here.uuid, mobile)
    state = resident_detail(station, rid).enrollment_state
    assert state is not None and state.open_count == 2
    # a lone enrollment is not flagged
    other = received(station, people[6], AT, officer=staff_actors["duc"].officer_id)
    assert {i.uuid: i.possible_duplicate
            for i in review.waiting(station, staff_actors["boss"])}[other.uuid] is False


def test_two_officers_choosing_the_same_person_at_once_make_one_draft(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    import threading

    rid, barrier = people[7], threading.Barrier(2)
    outcomes: list[str] = []

    def start(who: str) -> None:
        barrier.wait()
        try:
            StationService(station, staff_actors[who]).start_enrollment(rid)
            outcomes.append("started")
        except OpenEnrollmentExists:
            outcomes.append("refused")
        except Exception as exc:  # shown in the assertion below
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=start, args=(w,)) for w in ("duc", "senh")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "started"]


def test_the_lookup_and_the_detail_say_where_each_person_stands(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    with station.Session() as s:
        names = dict(s.execute(select(Resident.id, Resident.full_name)
                               .where(Resident.id.in_(people[:12]))).all())  # fmt: skip
    submitted = _in_status(station, people[8], "submitted", staff_actors)
    _in_status(station, people[9], "returned", staff_actors)
    _in_status(station, people[10], "draft", staff_actors)
    searcher = Searcher(station)
    states = {}
    for rid in (people[8], people[9], people[10], people[11]):
        hits = [h for h in searcher.search(names[rid]).hits if h.id == rid]
        states[rid] = hits[0].enrollment_state
    today = date(2026, 3, 20)
    s8 = states[people[8]]
    assert s8 is not None and (s8.uuid, s8.status, s8.day) == (submitted, "submitted",
                                                               date(2026, 3, 12))  # fmt: skip
    assert s8.text(today) == "đã thu nhận 12/03, chờ duyệt" and s8.receipt_no
    assert states[people[9]] is not None and states[people[9]].text(today) == (
        "đã thu nhận 12/03, bị trả lại")
    s10 = states[people[10]]
    assert s10 is not None and s10.text(today_local()).startswith("đang làm dở (bản nháp)")
    assert states[people[11]] is None  # never enrolled
    assert s8.text(date(2027, 1, 5)) == "đã thu nhận 12/03/2026, chờ duyệt"
    i18n.set_language("en")
    assert s8.text(today) == "received 12/03, waiting for approval"
    detail = resident_detail(station, people[8])
    assert detail is not None and detail.enrollment_state == s8
    import json

    [hit] = [h for h in searcher.search(names[people[8]]).hits if h.id == people[8]]
    assert json.loads(json.dumps(hit.to_json()))["enrollment_state"] == {
        "status": "submitted", "day": "2026-03-12", "slip_no": s8.receipt_no, "open": 1}


def test_a_dc01_person_redone_keeps_the_rule_for_the_register_person_too(
    station: StationDB, staff_actors: dict[str, Actor]
) -> None:
    """add_resident is the register's way in; the rule holds for anyone it adds."""
    rid = add_resident(station, {"full_name": "Lò Văn Pánh", "birth_date": "1960",
                                 "village": "Pú Đao"}, actor=SYSTEM)  # fmt: skip
    en.create_draft(station, rid, actor=SYSTEM)
    with pytest.raises(OpenEnrollmentExists):
        en.create_draft(station, rid, actor=SYSTEM)
    redo = en.create_draft(station, rid, redo_reason="data_correction", actor=SYSTEM)
    assert redo.redo_reason == "data_correction"
    with pytest.raises(IllegalTransition):
        en.correct(station, redo.uuid, actor=SYSTEM)  # a redo is not a correction
