"""Home visits (issue 14): flagging, the day's plan for a team, outcomes, an enrollment started
from a visit, the printed list; and the trip: HQ's plan goes out to the laptop in the work
packet, the outcomes and reschedules come back in its bundle, once, however often sent."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text

from db import accounts
from db import enrollment as en
from db.actor import Actor
from db.errors import InvalidInput, PermissionDenied
from db.models import Enrollment, HomeVisit, Officer, Resident, VisitOutcome
from db.service import StationService
from db.station import StationDB
from db.sync import visit_travel
from db.sync.refusal import Refused
from db.vntime import today_local
from printing.visits import build_visit_sheet
from resources.i18n import set_language
from tests.conftest import TEST_PASSWORD
from tests.db.enrollment_fixtures import jpeg_bytes, people, staff_actors
from tests.db.sync_fixtures import Trip, trip
from tests.fingers import take_ten

__all__ = ["people", "staff_actors", "trip"]


def uuids_of(db: StationDB, ids: list[int]) -> list[str]:
    with db.Session() as s:
        rows = s.execute(select(Resident.id, Resident.uuid).where(Resident.id.in_(ids)))
        found = {i: u for i, u in rows}
    return [found[i] for i in ids]


@pytest.fixture
def boss(station: StationDB, staff_actors: dict[str, Actor]) -> StationService:
    return StationService(station, staff_actors["boss"])


@pytest.fixture
def duc(station: StationDB, staff_actors: dict[str, Actor]) -> StationService:
    return StationService(station, staff_actors["duc"])


def test_flag_plan_and_list_in_village_and_household_order(
    station: StationDB, people: list[int], boss: StationService, duc: StationService,
) -> None:  # fmt: skip
    who = uuids_of(station, people[:6])
    duc.flag_for_visit(who[0], "bedridden", "Nằm liệt giường, ở cuối bản")
    duc.flag_for_visit(who[1], "postpartum")
    candidates = {v.resident_uuid for v in boss.visit_candidates()}
    assert {who[0], who[1]} <= candidates
    day = today_local() + timedelta(days=1)
    result = boss.plan_visits(who[:4], day, station.station_id, "home", "Mang máy ảnh")
    assert len(result.planned) == 4 and result.already_planned == 0
    again = boss.plan_visits(who[:5], day, station.station_id, "fetch")
    assert (len(again.planned), again.already_planned) == (1, 4)  # open visits are not doubled
    listed = duc.visits(day)
    assert len(listed) == 5
    keys = [((v.village or "").casefold(), v.household_no or "", v.sort_key) for v in listed]
    assert keys == sorted(keys)
    bedridden = next(v for v in listed if v.resident_uuid == who[0])
    assert (bedridden.reason, bedridden.mode, bedridden.note, bedridden.resident_note) == (
        "bedridden", "home", "Mang máy ảnh", "Nằm liệt giường, ở cuối bản")
    assert who[0] not in {v.resident_uuid for v in boss.visit_candidates()}  # planned now


def test_planning_is_refused_what_cannot_be(
    station: StationDB, people: list[int], boss: StationService, duc: StationService,
) -> None:  # fmt: skip
    who = uuids_of(station, people[:3])
    tomorrow = today_local() + timedelta(days=1)
    with pytest.raises(PermissionDenied):
        duc.plan_visits(who, tomorrow, station.station_id, "home")  # officers do not plan
    with pytest.raises(InvalidInput):
        boss.plan_visits(who, today_local() - timedelta(days=1), station.station_id, "home")
    with pytest.raises(InvalidInput):
        boss.plan_visits(who, tomorrow, "not-a-station", "home")
    with pytest.raises(InvalidInput):
        boss.plan_visits(who, tomorrow, station.station_id, "fly")
    with pytest.raises(InvalidInput):
        duc.flag_for_visit(who[0], "bored")
    with station.engine.begin() as conn:
        conn.execute(text("UPDATE resident SET life_status = 'deceased' WHERE id = :i"),
                     {"i": people[0]})  # fmt: skip
    result = boss.plan_visits(who, tomorrow, station.station_id, "home")
    assert (len(result.planned), result.not_counted) == (2, 1)


def test_outcomes_reschedule_and_life_status(
    station: StationDB, people: list[int], boss: StationService, duc: StationService,
) -> None:  # fmt: skip
    who = uuids_of(station, people[:3])
    today = today_local()
    boss.plan_visits(who, today, station.station_id, "fetch")
    visits = {v.resident_uuid: v for v in duc.todays_visits()}
    assert set(visits) == set(who)
    with pytest.raises(InvalidInput):  # a new day is needed, after today
        duc.record_visit_outcome(visits[who[0]].uuid, "rescheduled", next_day=today)
    later = today + timedelta(days=3)
    done = duc.record_visit_outcome(visits[who[0]].uuid, "rescheduled", "Đi nương", later)
    assert (done.outcome, done.next_day) == ("rescheduled", later)
    follow = duc.visits(later)
    assert [(v.resident_uuid, v.mode, v.outcome) for v in follow] == [(who[0], "fetch", None)]
    duc.record_visit_outcome(visits[who[1]].uuid, "deceased")
    with pytest.raises(InvalidInput):  # one outcome per visit
        duc.record_visit_outcome(visits[who[1]].uuid, "refused")
    with station.Session() as s:
        assert s.scalar(select(Resident.life_status).where(Resident.uuid == who[1])) == "deceased"
    assert [v.resident_uuid for v in duc.todays_visits()] == [who[2]]  # the desk's list
    with station.Session() as s:  # audited, without personal data in the details
        details = s.scalars(text("SELECT details FROM audit_event WHERE action = 'visit.outcome'"))
        assert sorted(details) == ["outcome deceased", "outcome rescheduled"]


def test_an_enrollment_from_a_visit_is_at_home_and_closes_it(
    station: StationDB, people: list[int], boss: StationService, duc: StationService,
) -> None:  # fmt: skip
    who = uuids_of(station, people[:1])
    boss.plan_visits(who, today_local(), station.station_id, "home")
    visit = duc.todays_visits()[0]
    started = duc.start_visit_enrollment(visit.uuid)
    duc.save_step(started.uuid, "details", {"verified": True})
    en.attach_portrait(station, started.uuid, jpeg_bytes(), 480, 640, {"passed": True},
                       attempts=1, bedridden=True, exception_reason="bedridden",
                       actor=duc.actor)  # fmt: skip
    take_ten(station, started.uuid)
    assert duc.visits(today_local())[0].outcome is None  # a draft does not close the visit
    submitted = duc.submit(started.uuid)
    with station.Session() as s:
        e = s.scalar(select(Enrollment).where(Enrollment.uuid == submitted.uuid))
        assert e is not None and (e.place, e.visit_uuid) == ("home", visit.uuid)
    closed = duc.visits(today_local())[0]
    assert (closed.outcome, closed.enrollment_uuid) == ("enrolled_home", submitted.uuid)
    assert duc.todays_visits() == []


def test_the_printed_visit_list(
    station: StationDB, people: list[int], boss: StationService, duc: StationService,
) -> None:  # fmt: skip
    who = uuids_of(station, people[:2])
    duc.flag_for_visit(who[0], "elderly", "Gọi trước cho con trai")
    day = today_local() + timedelta(days=2)
    boss.plan_visits(who, day, station.station_id, "home")
    set_language("vi")
    pdf = build_visit_sheet(duc.visit_sheet(day, station.station_id))
    body = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    with station.Session() as s:
        names = [s.scalar(select(Resident.full_name).where(Resident.uuid == u)) for u in who]
    flat = " ".join(body.split())
    for name in names:
        assert name in flat
    for words in ("DANH SÁCH ĐẾN NHÀ", "Người cao tuổi", "Mang máy đến nhà",
                  "Gọi trước cho con trai", "Kết quả"):  # fmt: skip
        assert words in flat, words


# --- the trip ---------------------------------------------------------------------------


def _supervisor(trip: Trip) -> StationService:
    i = accounts.create_officer(trip.hq.db, trip.hq.admin, "boss", "Quàng Văn Thanh",
                                "supervisor", TEST_PASSWORD, temporary=False)  # fmt: skip
    return StationService(trip.hq.db, Actor(i.id, i.username, i.full_name, i.role))


def _laptop_officer(trip: Trip) -> StationService:
    db = trip.team1.db
    with db.Session() as s:
        o = s.scalar(select(Officer).where(Officer.username == "duc"))
        assert o is not None
        return StationService(db, Actor(o.id, o.username, o.full_name, o.role))


def _count(db: StationDB, model: type[HomeVisit] | type[VisitOutcome]) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_plans_travel_out_and_outcomes_come_back_once(trip: Trip) -> None:
    hq, team = trip.hq, trip.team1
    boss = _supervisor(trip)
    with hq.db.Session() as s:
        who = list(s.scalars(select(Resident.uuid).order_by(Resident.id).limit(4)))
    today = today_local()
    boss.plan_visits(who[:3], today, team.db.station_id, "home")
    boss.plan_visits(who[3:], today, hq.db.station_id, "fetch")  # HQ's own: stays at HQ
    packet = team.take(hq.export(team.db.station_id))
    assert "3 lịch đến nhà mới cho tổ này" in packet.summary()
    duc = _laptop_officer(trip)
    mine = duc.todays_visits()
    assert sorted(v.resident_uuid for v in mine) == sorted(who[:3])
    assert _count(trip.team2.db, HomeVisit) == 0  # the other team's laptop gets none
    by = {v.resident_uuid: v for v in mine}
    duc.record_visit_outcome(by[who[0]].uuid, "refused", "Không muốn chụp ảnh")
    later = today + timedelta(days=2)
    duc.record_visit_outcome(by[who[1]].uuid, "rescheduled", next_day=later)
    duc.record_visit_outcome(by[who[2]].uuid, "moved_away")
    bundle = team.export()
    first = hq.take(bundle)
    assert "3 kết quả đến nhà" in first.summary()
    assert (first.counts.get("visit_outcome_added"), first.counts.get("visit_added")) == (3, 1)
    second = hq.take(team.export())  # sent again: nothing new
    assert second.counts.get("visit_outcome_added", 0) == 0
    assert second.counts.get("visit_outcome_unchanged") == 3
    seen = {v.resident_uuid: v for v in boss.visits(today, team=team.db.station_id)}
    assert (seen[who[0]].outcome, seen[who[0]].outcome_note) == ("refused", "Không muốn chụp ảnh")
    assert [v.resident_uuid for v in boss.visits(later)] == [who[1]]  # the reschedule
    with hq.db.Session() as s:  # moved away: out of coverage at HQ too
        assert s.scalar(select(Resident.life_status).where(Resident.uuid == who[2])) == \
            "moved_away"
    # a resident marked at HQ after the import: the mark reaches the laptop with the next
    # packet, as do the outcomes; nothing doubles on the laptop
    with hq.db.Session() as s:
        fifth = s.scalar(select(Resident.uuid).order_by(Resident.id).offset(4).limit(1))
    assert fifth is not None
    boss.flag_for_visit(fifth, "no_transport")  # no note: only the reason changes
    team.take(hq.export(team.db.station_id))
    assert (_count(team.db, HomeVisit), _count(team.db, VisitOutcome)) == (4, 3)
    with team.db.Session() as s:
        marked = s.execute(select(Resident.home_visit_reason, Resident.home_visit_note,
                                  Resident.life_status).where(Resident.uuid.in_((fifth, who[2])))
                           .order_by(Resident.uuid)).all()  # fmt: skip
    assert sorted(map(tuple, marked)) == sorted([("no_transport", None, None),
                                                 ("none", None, "moved_away")])


def test_received_visit_records_are_checked(trip: Trip) -> None:
    hq, team = trip.hq, trip.team1
    boss = _supervisor(trip)
    with hq.db.Session() as s:
        who = list(s.scalars(select(Resident.uuid).limit(1)))
    boss.plan_visits(who, today_local(), team.db.station_id, "home")
    with hq.db.Session() as s:
        record = next(visit_travel.packet_records(s, team.db.station_id))
    counted: list[tuple[str, str]] = []

    def count(what: str, outcome: str) -> None:
        counted.append((what, outcome))

    with team.db.Session() as s:
        with pytest.raises(Refused) as damaged:  # altered after it was hashed
            visit_travel.take_visit(s, {**record, "mode": "fetch"}, count,
                                    team=team.db.station_id)  # fmt: skip
        assert damaged.value.code == "damaged"
        with pytest.raises(Refused) as foreign:  # another team's visit
            visit_travel.take_visit(s, record, count, team=trip.team2.db.station_id)
        assert foreign.value.code == "foreign_record"
        with pytest.raises(Refused) as made_elsewhere:  # HQ's record in a laptop's bundle
            visit_travel.take_visit(s, record, count, sender=team.db.station_id)
        assert made_elsewhere.value.code == "foreign_record"
    assert counted == []


def test_visit_outcome_needs_its_visit(trip: Trip) -> None:
    day = datetime.now(UTC)
    record = {"t": "visit_outcome", "uuid": "x", "station_id": trip.team1.db.station_id,
              "visit_uuid": "nowhere", "outcome": "refused", "actor_uuid": None,
              "at": day.isoformat(), "note": None, "enrollment_uuid": None, "next_day": None}
    from db.visits import record_hash

    record["content_hash"] = record_hash(record)
    with trip.hq.db.Session() as s, pytest.raises(Refused) as refused:
        visit_travel.take_outcome(s, record, lambda w, o: None, sender=trip.team1.db.station_id)
    assert refused.value.code == "foreign_record"
