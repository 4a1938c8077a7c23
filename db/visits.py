"""Home visits (issue 14): who cannot come to the office, the day's plan, and what came of it.

A commune's campaign goes to the people who cannot come: elderly, bedridden, disabled,
post-partum, without transport. The supervisor plans who is visited on which day, by which team
(a station: headquarters itself or a mobile laptop) and how — fetched to the office (đón ra trụ
sở) or enrolled at home (mang máy đến nhà); the team records what came of each visit.

Plans and outcomes are travelling records (DESIGN §11), never edited: a rescheduled visit is a
new visit that ``follows`` the old one, made where the outcome was recorded. A laptop receives
its team's visits in the work packet and returns the outcomes (and reschedules) in its bundle;
both sides add what they do not hold, by UUID (db/sync/visit_records.py).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit, card_events
from db.actor import Actor
from db.audit import at_text
from db.errors import InvalidInput, StationError
from db.labels import VISIT_MODE_OUTCOMES
from db.models import (
    Enrollment,
    HomeVisit,
    PairedStation,
    Resident,
    Station,
    VisitOutcome,
    new_uuid,
)
from db.permissions import require
from db.station import StationDB
from db.types import VisitInfo, VisitPlanResult
from db.vntime import local_date, now_utc
from resources.i18n import N_

#: Why a resident needs a visit (the register's ``home_visit_reason`` codes, and one more).
REASONS = ("elderly", "bedridden", "disabled", "postpartum", "no_transport", "other")
#: How the team goes: fetch the person to the office, enroll at home, or take a card that came
#: back to someone enrolled at home (issue 17: db/cards.py).
MODES = ("fetch", "home", "deliver")
OUTCOMES = ("enrolled_home", "brought", "refused", "deceased", "moved_away", "not_found",
            "rescheduled", "cancelled", "card_delivered")  # fmt: skip
#: What may come of a visit of each mode (a card is handed over only on a delivery visit).
MODE_OUTCOMES = VISIT_MODE_OUTCOMES
#: Outcomes that say the resident no longer counts towards coverage.
LIFE = {"deceased": "deceased", "moved_away": "moved_away"}
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


class VisitNotFound(StationError):
    """The visit or its resident is not on this station."""

    message = N_("This visit is not on this station's plans.")


def _hash(record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k not in ("t", "content_hash")}
    return hashlib.sha256(_encode(body).encode()).hexdigest()


def visit_record(v: HomeVisit) -> dict[str, Any]:
    """A visit as it travels and as its hash is computed."""
    return {"t": "visit", "uuid": v.uuid, "station_id": v.station_id,
            "resident_uuid": v.resident_uuid, "day": v.day.isoformat(), "team": v.team,
            "mode": v.mode, "reason": v.reason, "note": v.note, "planned_by": v.planned_by,
            "at": at_text(v.at), "follows": v.follows, "content_hash": v.content_hash}  # fmt: skip


def outcome_record(o: VisitOutcome) -> dict[str, Any]:
    return {"t": "visit_outcome", "uuid": o.uuid, "station_id": o.station_id,
            "visit_uuid": o.visit_uuid, "outcome": o.outcome, "actor_uuid": o.actor_uuid,
            "at": at_text(o.at), "note": o.note, "enrollment_uuid": o.enrollment_uuid,
            "next_day": o.next_day.isoformat() if o.next_day else None,
            "content_hash": o.content_hash}  # fmt: skip


def record_hash(record: dict[str, Any]) -> str:
    """The content hash a received visit or outcome record must carry."""
    return _hash(record)


def _officer_uuid(s: Session, actor: Actor) -> str | None:
    from db.events import officer_uuid

    return officer_uuid(s, actor.officer_id)


def _clean_note(note: str | None) -> str | None:
    note = " ".join((note or "").split())
    if len(note) > 500:
        raise InvalidInput(N_("The note is too long (at most {n} characters)."), n=500)
    return note or None


# --- flagging -----------------------------------------------------------------------------


def flag(db: StationDB, actor: Actor, resident_uuid: str, reason: str,
         note: str | None = None) -> None:  # fmt: skip
    """Mark a resident as needing a home visit (``reason`` "none" clears the mark)."""
    require(actor, "visit.record")
    if reason != "none" and reason not in REASONS:
        raise InvalidInput(N_("Choose why the person needs a home visit."))
    note = _clean_note(note) if reason != "none" else None
    with db.Session.begin() as s:
        r = _resident(s, resident_uuid)
        r.home_visit_reason, r.home_visit_note = reason, note
        audit.append(s, db.station_id, actor, "visit.flag", "resident", r.uuid,
                     f"visit reason {reason}")  # fmt: skip


def _resident(s: Session, uuid: str) -> Resident:
    r = s.scalar(select(Resident).where(Resident.uuid == uuid))
    if r is None:
        raise VisitNotFound(N_("This person is no longer in the register."))
    return r


# --- teams and plans ------------------------------------------------------------------------


def teams(db: StationDB) -> list[tuple[str, str]]:
    """Who can go: this station and the mobile laptops paired with it, as (station id, name)."""
    with db.Session() as s:
        me = s.get(Station, db.station_id)
        out = [(db.station_id, me.name if me else db.station_id)]
        out += [(p.station_id, p.name) for p in s.scalars(
            select(PairedStation).where(PairedStation.unpaired_at.is_(None),
                                        PairedStation.kind == "mobile")
            .order_by(PairedStation.name))]  # fmt: skip
        return out


def _open_visit(s: Session, resident_uuid: str) -> HomeVisit | None:
    """The resident's latest visit when no outcome closes it yet."""
    for v in s.scalars(select(HomeVisit).where(HomeVisit.resident_uuid == resident_uuid)
                       .order_by(HomeVisit.day.desc(), HomeVisit.id.desc())):  # fmt: skip
        if _outcome_of(s, v.uuid) is None:
            return v
    return None


def _outcome_of(s: Session, visit_uuid: str) -> VisitOutcome | None:
    """The visit's outcome: the latest recorded (two stations may both record one)."""
    return s.scalar(select(VisitOutcome).where(VisitOutcome.visit_uuid == visit_uuid)
                    .order_by(VisitOutcome.at.desc(), VisitOutcome.uuid.desc()).limit(1))


def _new_visit(s: Session, station_id: str, *, resident_uuid: str, day: date, team: str,
               mode: str, reason: str, note: str | None, planned_by: str | None,
               now: datetime, follows: str | None = None) -> HomeVisit:  # fmt: skip
    v = HomeVisit(uuid=new_uuid(), station_id=station_id, resident_uuid=resident_uuid, day=day,
                  team=team, mode=mode, reason=reason, note=note, planned_by=planned_by,
                  at=now, follows=follows, content_hash="")  # fmt: skip
    v.content_hash = _hash(visit_record(v))
    s.add(v)
    return v


def plan(
    db: StationDB, actor: Actor, resident_uuids: list[str], day: date, team: str, mode: str,
    note: str | None = None, *, now: datetime | None = None,
) -> VisitPlanResult:  # fmt: skip
    """Put residents on ``day``'s plan for ``team``. Residents already on an open visit, or
    no longer counted (deceased, moved away, a duplicate record) are left out and counted."""
    require(actor, "visit.plan")
    now = now or now_utc()
    if mode not in MODES:
        raise InvalidInput(N_("Choose how the team goes: fetch to the office or enroll at home."))
    if day < local_date(now):
        raise InvalidInput(N_("A visit cannot be planned for a day that has passed."))
    if team not in dict(teams(db)):
        raise InvalidInput(N_("This team is not this station or one of its paired laptops."))
    if not resident_uuids:
        raise InvalidInput(N_("Choose the people to visit."))
    note = _clean_note(note)
    planned: list[str] = []
    already = gone = no_card = 0
    with db.Session.begin() as s:
        by = _officer_uuid(s, actor)
        for uuid in dict.fromkeys(resident_uuids):
            r = _resident(s, uuid)
            if r.life_status:
                gone += 1
                continue
            if mode == "deliver" and card_events.of_resident(s, uuid) == (None, None):
                no_card += 1  # nothing to take to them
                continue
            if _open_visit(s, uuid) is not None:
                already += 1
                continue
            reason = r.home_visit_reason if r.home_visit_reason in REASONS else "other"
            v = _new_visit(s, db.station_id, resident_uuid=uuid, day=day, team=team, mode=mode,
                           reason=reason, note=note, planned_by=by, now=now)  # fmt: skip
            planned.append(v.uuid)
        if planned:
            audit.append(s, db.station_id, actor, "visit.plan", "home_visit", None,
                         f"{day.isoformat()}, {len(planned)} residents")  # fmt: skip
    return VisitPlanResult(planned=planned, already_planned=already, not_counted=gone,
                           no_card=no_card)


# --- outcomes -------------------------------------------------------------------------------


def record_outcome(
    db: StationDB, actor: Actor, visit_uuid: str, outcome: str, note: str | None = None, *,
    next_day: date | None = None, now: datetime | None = None,
) -> VisitInfo:  # fmt: skip
    """What came of a visit. "rescheduled" needs the new day and makes the new visit;
    "deceased" and "moved away" take the resident out of coverage."""
    require(actor, "visit.record")
    now = now or now_utc()
    if outcome not in OUTCOMES:
        raise InvalidInput(N_("Choose what came of the visit."))
    if outcome == "rescheduled":
        if next_day is None or next_day <= local_date(now):
            raise InvalidInput(N_("Choose the new day of the visit (after today)."))
    else:
        next_day = None
    note = _clean_note(note)
    with db.Session.begin() as s:
        v = _visit(s, visit_uuid)
        if _outcome_of(s, v.uuid) is not None:
            raise InvalidInput(N_("What came of this visit is already recorded."))
        if outcome not in MODE_OUTCOMES.get(v.mode, OUTCOMES):
            raise InvalidInput(N_("This cannot come of a visit of this kind."))
        card = None
        if outcome == "card_delivered":  # handed over at home: the card's own event too
            e, copy = card_events.of_resident(s, v.resident_uuid)
            if e is None and copy is None:
                raise InvalidInput(N_("This person has no card waiting to be handed over."))
            card = card_events.hand_over(s, db.station_id, actor, e, copy, "home", note, now)
            audit.append(s, db.station_id, actor, "card.delivered", "enrollment", card,
                         "handed over home")  # fmt: skip
        _add_outcome(s, db.station_id, v, outcome, actor_uuid=_officer_uuid(s, actor), now=now,
                     note=note, next_day=next_day, enrollment_uuid=card)  # fmt: skip
        audit.append(s, db.station_id, actor, "visit.outcome", "home_visit", v.uuid,
                     f"outcome {outcome}")  # fmt: skip
        s.flush()
        return _infos(s, db.station_id, [v])[0]


def _visit(s: Session, uuid: str) -> HomeVisit:
    v = s.scalar(select(HomeVisit).where(HomeVisit.uuid == uuid))
    if v is None:
        raise VisitNotFound(N_("This visit is not on this station's plans."))
    return v


def _add_outcome(s: Session, station_id: str, v: HomeVisit, outcome: str, *,
                 actor_uuid: str | None, now: datetime, note: str | None = None,
                 next_day: date | None = None,
                 enrollment_uuid: str | None = None) -> VisitOutcome:  # fmt: skip
    o = VisitOutcome(uuid=new_uuid(), station_id=station_id, visit_uuid=v.uuid, outcome=outcome,
                     actor_uuid=actor_uuid, at=now, note=note, enrollment_uuid=enrollment_uuid,
                     next_day=next_day, content_hash="")  # fmt: skip
    o.content_hash = _hash(outcome_record(o))
    s.add(o)
    if outcome == "rescheduled" and next_day is not None:
        _new_visit(s, station_id, resident_uuid=v.resident_uuid, day=next_day, team=v.team,
                   mode=v.mode, reason=v.reason, note=v.note, planned_by=actor_uuid, now=now,
                   follows=v.uuid)  # fmt: skip
    apply_life(s, v.resident_uuid, outcome)
    return o


def apply_life(s: Session, resident_uuid: str, outcome: str) -> None:
    """A visit that found the person deceased or moved away takes them out of coverage."""
    if outcome not in LIFE:
        return
    r = s.scalar(select(Resident).where(Resident.uuid == resident_uuid))
    if r is not None and r.life_status is None:
        r.life_status = LIFE[outcome]


def on_submit(s: Session, station_id: str, e: Enrollment, actor_uuid: str | None,
              now: datetime) -> None:  # fmt: skip
    """An enrollment started from a visit closes it when submitted: enrolled at home, or
    brought to the office."""
    if not e.visit_uuid:
        return
    v = s.scalar(select(HomeVisit).where(HomeVisit.uuid == e.visit_uuid))
    if v is None or _outcome_of(s, v.uuid) is not None:
        return
    _add_outcome(s, station_id, v, "enrolled_home" if e.place == "home" else "brought",
                 actor_uuid=actor_uuid, now=now, enrollment_uuid=e.uuid)  # fmt: skip


def on_delivered(s: Session, station_id: str, resident_uuid: str, enrollment_uuid: str,
                 actor_uuid: str | None, now: datetime) -> None:  # fmt: skip
    """A card handed over (at the office, at home, by post) closes the delivery visit planned
    for its holder, as a submitted enrollment closes its visit."""
    v = _open_visit(s, resident_uuid)
    if v is None or v.mode != "deliver":
        return
    _add_outcome(s, station_id, v, "card_delivered", actor_uuid=actor_uuid, now=now,
                 enrollment_uuid=enrollment_uuid)  # fmt: skip


def start_point(db: StationDB, visit_uuid: str) -> tuple[int, str]:
    """The resident id and the place of an enrollment started from a visit."""
    with db.Session() as s:
        v = _visit(s, visit_uuid)
        r = _resident(s, v.resident_uuid)
        return r.id, "home" if v.mode == "home" else "hq"


# --- lists ----------------------------------------------------------------------------------


def visits(
    db: StationDB, first: date, last: date | None = None, *, team: str | None = None,
    open_only: bool = False,
) -> list[VisitInfo]:  # fmt: skip
    """The visits planned from ``first`` to ``last`` (one day by default), by village,
    household and name in Vietnamese order."""
    with db.Session() as s:
        stmt = select(HomeVisit).where(HomeVisit.day >= first, HomeVisit.day <= (last or first))
        if team:
            stmt = stmt.where(HomeVisit.team == team)
        found = _infos(s, db.station_id, list(s.scalars(stmt)))
    if open_only:
        found = [v for v in found if v.outcome is None]
    return found


def _card_slip(s: Session, v: HomeVisit) -> str | None:
    """The slip number of the card a delivery visit takes (the handover finds it by it)."""
    e, copy = card_events.of_resident(s, v.resident_uuid)
    return (e.receipt_no if e is not None else copy.slip_no if copy is not None else None)


def _infos(s: Session, station_id: str, rows: list[HomeVisit]) -> list[VisitInfo]:
    if not rows:
        return []
    people = {r.uuid: r for r in s.scalars(select(Resident).where(
        Resident.uuid.in_({v.resident_uuid for v in rows})))}  # fmt: skip
    outcomes: dict[str, VisitOutcome] = {}
    for done in s.scalars(select(VisitOutcome).where(
            VisitOutcome.visit_uuid.in_([v.uuid for v in rows]))
            .order_by(VisitOutcome.at, VisitOutcome.uuid)):  # fmt: skip
        outcomes[done.visit_uuid] = done  # the latest
    names = dict(teams_in(s, station_id))
    out = []
    for v in rows:
        r, o = people.get(v.resident_uuid), outcomes.get(v.uuid)
        out.append(VisitInfo(
            uuid=v.uuid, resident_uuid=v.resident_uuid, day=v.day, team=v.team,
            team_name=names.get(v.team, v.team), mode=v.mode, reason=v.reason,
            note=v.note, full_name=r.full_name if r else "", birth_date=r.birth_date if r else None,
            birth_year=r.birth_year if r else None, sex=r.sex if r else None,
            village=r.village if r else None, household_no=r.household_no if r else None,
            phone=r.phone if r else None, resident_note=r.home_visit_note if r else None,
            sort_key=r.sort_key if r else "", outcome=o.outcome if o else None,
            outcome_note=o.note if o else None, next_day=o.next_day if o else None,
            enrollment_uuid=o.enrollment_uuid if o else None,
            card_slip=_card_slip(s, v) if v.mode == "deliver" else None,
        ))  # fmt: skip
    out.sort(key=lambda i: (i.day, (i.village or "").casefold(), i.household_no or "",
                            i.sort_key))  # fmt: skip
    return out


def teams_in(s: Session, station_id: str) -> list[tuple[str, str]]:
    me = s.get(Station, station_id)
    out = [(station_id, me.name if me else station_id)]
    out += [(p.station_id, p.name) for p in s.scalars(select(PairedStation))]
    return out


__all__ = ["LIFE", "MODES", "OUTCOMES", "REASONS", "flag", "on_submit", "outcome_record", "plan",
           "record_hash", "record_outcome", "start_point", "teams", "visit_record",
           "visits"]  # fmt: skip

