"""Home visits on the road (db/visits.py): the plans of a laptop's team go out in the work
packet, the outcomes and reschedules made on the laptop come back in its return bundle.

Both are immutable records added by UUID where they are missing, so sending them again is
harmless; each carries its content hash, checked on arrival. What a station may send is
narrow: a laptop only the records it made, headquarters only the visits of that laptop's team.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import visits
from db.models import HomeVisit, Resident, VisitOutcome
from db.sync.records import parse_day, parse_time
from db.sync.refusal import Refused

Count = Callable[[str, str], None]  # (what, outcome)


def bundle_records(s: Session, me: str) -> Iterator[dict[str, Any]]:
    """A laptop's own visits (reschedules) and outcomes."""
    for v in s.scalars(select(HomeVisit).where(HomeVisit.station_id == me).order_by(HomeVisit.id)):
        yield visits.visit_record(v)
    for o in s.scalars(select(VisitOutcome).where(VisitOutcome.station_id == me)
                       .order_by(VisitOutcome.id)):  # fmt: skip
        yield visits.outcome_record(o)


def packet_records(s: Session, laptop: str) -> Iterator[dict[str, Any]]:
    """The visits of the laptop's team, then what is known of them."""
    uuids: list[str] = []
    for v in s.scalars(select(HomeVisit).where(HomeVisit.team == laptop).order_by(HomeVisit.id)):
        uuids.append(v.uuid)
        yield visits.visit_record(v)
    for at in range(0, len(uuids), 500):
        for o in s.scalars(select(VisitOutcome).where(
                VisitOutcome.visit_uuid.in_(uuids[at : at + 500])).order_by(VisitOutcome.id)):
            yield visits.outcome_record(o)


def residents_of_team(s: Session, laptop: str, sent_villages: list[str]) -> list[Resident]:
    """Residents on the team's visits who live outside the villages the packet carries."""
    wanted = select(HomeVisit.resident_uuid).where(HomeVisit.team == laptop)
    return list(s.scalars(select(Resident).where(Resident.uuid.in_(wanted),
                                                 Resident.village_key.not_in(sent_villages))))


def _checked(record: dict[str, Any], allowed: tuple[str, ...], field: str) -> None:
    if visits.record_hash(record) != record.get("content_hash") or record.get(field) not in allowed:
        raise Refused.because("damaged")


def take_visit(s: Session, record: dict[str, Any], count: Count, *, sender: str | None = None,
               team: str | None = None) -> None:  # fmt: skip
    """Add a received visit. ``sender``: it must have been made there (HQ receiving a
    bundle); ``team``: it must be for this team (a laptop receiving its packet)."""
    _checked(record, visits.MODES, "mode")
    if record.get("reason") not in visits.REASONS:
        raise Refused.because("damaged")
    if (sender is not None and record["station_id"] != sender) or (
            team is not None and record["team"] != team):
        raise Refused.because("foreign_record")
    if s.scalar(select(HomeVisit.id).where(HomeVisit.uuid == record["uuid"])) is not None:
        count("visit", "unchanged")
        return
    s.add(HomeVisit(uuid=record["uuid"], station_id=record["station_id"],
                    resident_uuid=record["resident_uuid"], day=_day(record["day"]),
                    team=record["team"], mode=record["mode"], reason=record["reason"],
                    note=record.get("note"), planned_by=record.get("planned_by"),
                    at=parse_time(record["at"]), follows=record.get("follows"),
                    content_hash=record["content_hash"]))  # fmt: skip
    s.flush()
    count("visit", "added")


def take_outcome(s: Session, record: dict[str, Any], count: Count, *, sender: str | None = None,
                 team: str | None = None) -> None:  # fmt: skip
    """Add a received outcome (of a visit this station holds)."""
    _checked(record, visits.OUTCOMES, "outcome")
    if sender is not None and record["station_id"] != sender:
        raise Refused.because("foreign_record")
    v = s.scalar(select(HomeVisit).where(HomeVisit.uuid == record["visit_uuid"]))
    if v is None or (team is not None and v.team != team):
        raise Refused.because("foreign_record")
    if s.scalar(select(VisitOutcome.id).where(VisitOutcome.uuid == record["uuid"])) is not None:
        count("visit_outcome", "unchanged")
        return
    s.add(VisitOutcome(uuid=record["uuid"], station_id=record["station_id"],
                       visit_uuid=record["visit_uuid"], outcome=record["outcome"],
                       actor_uuid=record.get("actor_uuid"), at=parse_time(record["at"]),
                       note=record.get("note"), enrollment_uuid=record.get("enrollment_uuid"),
                       next_day=parse_day(record.get("next_day")),
                       content_hash=record["content_hash"]))  # fmt: skip
    visits.apply_life(s, v.resident_uuid, record["outcome"])
    s.flush()
    count("visit_outcome", "added")


def _day(text: str) -> date:
    day = parse_day(text)
    if day is None:
        raise Refused.because("damaged")
    return day
