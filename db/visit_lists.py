"""What the supervisor plans from and the team takes along (db/visits.py): the residents marked
for a visit who are still to plan, and the day's list as the printed sheet takes it. Apart
from db/visits.py because they read coverage and the print header, which the enrollment's
submit (that closes a visit) must not pull in."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from db.coverage import ENROLLED
from db.models import Enrollment, HomeVisit, Resident, Station, VisitOutcome
from db.station import StationDB
from db.text import fold
from db.types import VisitInfo
from db.visits import REASONS, teams, visits
from db.vntime import now_utc
from printing.model import VisitSheetData


def flagged(db: StationDB, village: str | None = None) -> list[VisitInfo]:
    """Residents marked for a home visit who are not enrolled and not on an open visit: the
    supervisor's candidates for the next plan (as unplanned VisitInfo rows)."""

    with db.Session() as s:
        enrolled = select(Enrollment.resident_id).where(Enrollment.status.in_(ENROLLED))
        stmt = select(Resident).where(Resident.home_visit_reason.in_(REASONS),
                                      Resident.life_status.is_(None),
                                      Resident.id.not_in(enrolled))  # fmt: skip
        if village:
            stmt = stmt.where(Resident.village_key == fold(village))
        planned = {u for (u,) in s.execute(
            select(HomeVisit.resident_uuid).outerjoin(
                VisitOutcome, VisitOutcome.visit_uuid == HomeVisit.uuid)
            .where(VisitOutcome.id.is_(None)))}  # fmt: skip
        out = [VisitInfo.unplanned(r) for r in s.scalars(stmt) if r.uuid not in planned]
    out.sort(key=lambda i: ((i.village or "").casefold(), i.household_no or "", i.sort_key))
    return out


def visit_sheet(db: StationDB, day: date, team: str | None) -> VisitSheetData:
    """The day's list as the printed sheet takes it (``printing.model.VisitSheetData``)."""
    from db.documents import print_station, unknown_village
    from db.labels import VISIT_MODES, VISIT_OUTCOMES, VISIT_REASONS, label
    from printing.model import VisitLine

    rows = visits(db, day, team=team)
    names = dict(teams(db))
    lines = []
    for v in rows:
        age = v.age_on(day)
        notes = "; ".join(x for x in (v.note, v.resident_note) if x)
        done = label(VISIT_OUTCOMES, v.outcome) if v.outcome else ""
        lines.append(VisitLine(
            village=v.village or unknown_village(), household=v.household_no or "",
            name=v.full_name, age="" if age is None else str(age),
            reason=label(VISIT_REASONS, v.reason), phone=v.phone or "", notes=notes,
            mode=label(VISIT_MODES, v.mode), outcome=done))  # fmt: skip
    with db.Session() as s:
        st = s.get(Station, db.station_id)
        training = bool(st is not None and st.training)
    return VisitSheetData(station=print_station(db), day=day,
                          team=names.get(team or "", team or "") if team else "",
                          generated_at=now_utc(), lines=tuple(lines),
                          training=training)  # fmt: skip
