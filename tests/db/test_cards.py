"""Cards that come back and go out (issue 17): arrival by whatever the officer holds (the card's
QR, its number, the slip's QR, the slip number), handover at the office, at home or by post,
never twice and never before arrival; the tally and the coverage count them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from db import review
from db.actor import Actor
from db.cards import CardAlreadyDelivered, CardNotApproved, CardNotArrived, CardNotFound
from db.errors import InvalidInput, PermissionDenied
from db.models import AuditEvent, EnrollmentEvent, Resident
from db.service import StationService
from db.station import StationDB
from db.tally import compute_tally, tally_to_json
from db.vntime import local_date, today_local
from tests.db.enrollment_fixtures import people, received, staff_actors
from tests.db.sync_fixtures import Trip, trip

__all__ = ["people", "staff_actors", "trip"]


@pytest.fixture
def approved(station: StationDB, people: list[int], staff_actors: dict[str, Actor]
             ) -> list[tuple[str, str, str]]:  # fmt: skip
    """Four enrollments received yesterday and approved, one left waiting: (uuid, slip no,
    personal ID) of each, the waiting one last."""
    at = datetime.now(UTC) - timedelta(days=1)
    made = []
    with station.Session() as s:
        pids = dict(list(s.execute(select(Resident.id, Resident.personal_id).where(
            Resident.id.in_(people), Resident.personal_id.is_not(None))))[:5])  # fmt: skip
        ids = list(pids)
    duc = staff_actors["duc"].officer_id
    for i, rid in enumerate(ids):
        e = received(station, rid, at + timedelta(minutes=i), officer=duc,
                     place="home" if i == 3 else "hq")  # fmt: skip
        if i < 4:
            review.approve(station, e.uuid, actor=staff_actors["boss"])
        made.append((e.uuid, str(e.receipt_no), str(pids[rid])))
    return made


def card_qr(pid: str) -> str:
    return f"{pid}|123456789|Nguyen Van An|15031989|Nam|Thon Dong, Na Hy|10082021"


def test_arrival_then_handover_counted_by_the_tally_and_the_coverage(
    station: StationDB, staff_actors: dict[str, Actor], approved: list[tuple[str, str, str]]
) -> None:
    duc = StationService(station, staff_actors["duc"])
    assert {c.enrollment_uuid for c in duc.cards_expected()} == {u for u, _s, _p in approved[:4]}
    (u1, slip1, pid1), (u2, slip2, _p2), (u3, _s3, pid3), (u4, slip4, _p4), (_u5, slip5, _p5) \
        = approved  # fmt: skip
    found = duc.cards_arrived([card_qr(pid1), f"ES1|{u2}|{slip2}", pid3, slip4.lower(), slip5,
                               "NH-2026-999999", slip1])  # fmt: skip
    assert [o.outcome for o in found] == ["arrived"] * 4 + ["not_approved", "not_found",
                                                            "already"]  # fmt: skip
    assert {o.card.enrollment_uuid for o in found[:4] if o.card} == {u1, u2, u3, u4}

    waiting = duc.cards_waiting()
    assert {c.enrollment_uuid for c in waiting} == {u1, u2, u3, u4}
    assert all(c.arrived_at is not None and c.status == "card_ready" for c in waiting)
    assert [c.enrollment_uuid for c in duc.cards_waiting(home_only=True)] == [u4]

    info, portrait = duc.card(pid1)
    assert info.enrollment_uuid == u1 and portrait and portrait[:2] == b"\xff\xd8"
    done = duc.deliver_card(pid1, "hq")
    assert (done.status, done.delivered_place, done.delivered_by) == ("delivered", "hq",
                                                                       "Lò Văn Đức")  # fmt: skip
    duc.deliver_card(slip4, "home", "Nhà ông Vàng A Dế, bản Nà Hỳ 2")
    duc.deliver_card(slip2, "post", "Bưu điện: RR123456789VN")

    with pytest.raises(CardAlreadyDelivered) as twice:
        duc.deliver_card(card_qr(pid1), "hq")
    assert local_date(datetime.now(UTC)).strftime("%d/%m/%Y") in str(twice.value.fields)
    with pytest.raises(CardNotApproved):
        duc.deliver_card(slip5, "hq")
    with pytest.raises(CardNotFound):
        duc.deliver_card("NH-2026-999999", "hq")
    with pytest.raises(InvalidInput):
        duc.deliver_card(pid3, "by pigeon")
    with pytest.raises(InvalidInput):
        duc.deliver_card("   ", "hq")
    with station.Session() as s:
        delivered = s.scalars(select(EnrollmentEvent).where(
            EnrollmentEvent.kind == "delivered")).all()  # fmt: skip
    assert len(delivered) == 3  # the refusals recorded nothing
    assert {(e.place, e.place_note) for e in delivered} >= {("post", "Bưu điện: RR123456789VN")}

    tally = tally_to_json(compute_tally(station, today_local()))
    assert tally["cards"] == {"arrived": 4, "delivered": {"hq": 1, "home": 1, "post": 1}}
    assert tally["total"] == 0  # received yesterday: the cards count on the day they moved
    yesterday = tally_to_json(compute_tally(station, today_local() - timedelta(days=1)))
    assert yesterday["cards"]["arrived"] == 0 and yesterday["approved"] == 4

    from db.coverage import coverage

    total = coverage(station, today_local()).total
    assert (total.cards_arrived, total.cards_delivered) == (4, 3)
    assert [c.enrollment_uuid for c in duc.cards_waiting()] == [u3]
    assert [c.enrollment_uuid for c in duc.cards_handed_over(today_local())] == [u1, u4, u2]

    with station.Session() as s:
        actions = [a for a, in s.execute(select(AuditEvent.action).where(
            AuditEvent.action.like("card.%")))]  # fmt: skip
    assert actions.count("card.arrived") == 4 and actions.count("card.delivered") == 3


def test_a_card_cannot_go_out_before_it_arrived_and_an_administrator_hands_out_none(
    station: StationDB, staff_actors: dict[str, Actor], approved: list[tuple[str, str, str]]
) -> None:
    duc = StationService(station, staff_actors["duc"])
    with pytest.raises(CardNotArrived):
        duc.deliver_card(approved[0][1], "hq")
    admin = StationService(station, staff_actors["admin"])
    with pytest.raises(PermissionDenied):
        admin.cards_arrived([approved[0][1]])
    with pytest.raises(PermissionDenied):
        admin.deliver_card(approved[0][1], "hq")
    assert duc.cards_waiting() == []


def test_a_card_taken_home_by_a_mobile_team_comes_back_handed_over(trip: Trip) -> None:
    """HQ holds the enrollment; the delivery visit takes the card's copy (with the portrait)
    to the laptop; the handover at the bedside comes back and HQ's enrollment is delivered."""
    from tests.db.test_visits import _laptop_officer, _supervisor

    hq, team = trip.hq, trip.team1
    boss = _supervisor(trip)
    with hq.db.Session() as s:
        first, second, third = s.execute(select(Resident.id, Resident.uuid)
                                          .order_by(Resident.id).limit(3)).all()  # fmt: skip
    at = datetime.now(UTC) - timedelta(days=3)
    slips = []
    for rid, _uuid in (first, second, third):
        e = received(hq.db, rid, at, place="home")
        boss.approve(e.uuid)
        slips.append(str(e.receipt_no))
    boss.cards_arrived(slips[:2])
    today = today_local()
    plan = boss.plan_visits([first[1], second[1], third[1]], today, team.db.station_id,
                            "deliver")  # fmt: skip
    assert (len(plan.planned), plan.no_card) == (2, 1)  # the third card has not arrived
    boss.deliver_card(slips[1], "hq")  # the second came to the office after all: visit done
    assert [v.outcome for v in boss.visits(today) if v.resident_uuid == second[1]] == [
        "card_delivered"]

    took = team.take(hq.export(team.db.station_id))
    assert took.counts.get("card_added") == 1 and took.counts.get("visit_outcome_added") == 1
    duc = _laptop_officer(trip)
    waiting = duc.cards_waiting()
    assert [c.slip_no for c in waiting] == [slips[0]] and waiting[0].copy
    info, portrait = duc.card(slips[0])
    assert info.arrived_at is not None and portrait and portrait[:2] == b"\xff\xd8"
    with pytest.raises(CardNotFound):  # handed over at HQ: its card never left
        duc.deliver_card(slips[1], "home")

    visit = {v.resident_uuid: v for v in duc.todays_visits()}[first[1]]
    with pytest.raises(InvalidInput):
        duc.record_visit_outcome(visit.uuid, "enrolled_home")  # nobody is enrolled here
    done = duc.record_visit_outcome(visit.uuid, "card_delivered", "Tại giường, bản Nà Hỳ 2")
    assert done.outcome == "card_delivered" and duc.cards_waiting() == []
    with pytest.raises(CardAlreadyDelivered):
        duc.deliver_card(slips[0], "home")

    back = hq.take(team.export())
    assert back.counts.get("event_added") == 1
    info, _p = boss.card(slips[0])
    assert (info.status, info.delivered_place, info.delivered_note) == (
        "delivered", "home", "Tại giường, bản Nà Hỳ 2")
    assert info.delivered_by == "Lò Văn Đức"
    assert tally_to_json(compute_tally(hq.db, today))["cards"]["delivered"] == {
        "hq": 1, "home": 1, "post": 0}
    again = hq.take(team.export())  # sent twice: nothing doubles
    assert again.counts.get("event_added", 0) == 0

    # a card the laptop holds is handed over at the office meanwhile: the next packet says so
    boss.cards_arrived([slips[2]])
    boss.plan_visits([third[1]], today, team.db.station_id, "deliver")
    team.take(hq.export(team.db.station_id))
    assert [c.slip_no for c in duc.cards_waiting()] == [slips[2]]
    boss.deliver_card(slips[2], "hq")
    team.take(hq.export(team.db.station_id))
    assert duc.cards_waiting() == []
    with pytest.raises(CardAlreadyDelivered):
        duc.deliver_card(slips[2], "home")


def test_two_desks_scanning_one_parcel_record_each_card_once(
    station: StationDB, staff_actors: dict[str, Actor], approved: list[tuple[str, str, str]]
) -> None:
    import threading

    slips = [slip for _u, slip, _p in approved[:4]]
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def desk(who: str) -> None:
        service = StationService(station, staff_actors[who])
        start.wait()
        outcomes.extend(o.outcome for o in service.cards_arrived(slips))

    threads = [threading.Thread(target=desk, args=(w,)) for w in ("duc", "senh")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already"] * 4 + ["arrived"] * 4
    with station.Session() as s:
        ready = s.scalars(select(EnrollmentEvent.enrollment_uuid).where(
            EnrollmentEvent.kind == "card_ready")).all()  # fmt: skip
    assert sorted(ready) == sorted(u for u, _s, _p in approved[:4])


def test_a_damaged_card_copy_in_a_packet_is_refused(station: StationDB) -> None:
    from db.sync import card_travel
    from db.sync.refusal import Refused

    counted: list[tuple[str, str]] = []
    good = {"t": "card", "enrollment_uuid": "e-1", "station_id": "hq", "resident_uuid": "r-1",
            "slip_no": "NH-2026-000001", "arrived_at": "2026-12-01T02:00:00.000000",
            "portrait": True}  # fmt: skip
    with station.Session.begin() as s:
        for bad, blobs in (({**good, "enrollment_uuid": None}, [b"\xff\xd8x"]),
                           (good, [b"<html>not a photo"]),
                           ({**good, "arrived_at": "yesterday"}, [b"\xff\xd8x"])):  # fmt: skip
            with pytest.raises(Refused):
                card_travel.take_card(s, bad, blobs, lambda *a: counted.append(a))
        card_travel.take_card(s, good, [b"\xff\xd8ok"], lambda *a: counted.append(a))
    assert counted == [("card", "added")]
