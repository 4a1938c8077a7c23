"""Where a station's trips stand: the freshness line of every desk, ``sync status``, and the
cases a merge left for the supervisor.

On a laptop: how many submitted enrollments headquarters has not acknowledged yet, how many
it has, and how long ago the last receipt came (past ``sync_warn_days`` the sign-in warns).
On headquarters: each paired laptop with its last bundle, what HQ holds of it and its open
cases. No names: counts, times and station names only.
"""

from __future__ import annotations

from sqlalchemy import func, select

from db import settings
from db.models import Enrollment, PairedStation, Station, SyncAck, SyncCase
from db.station import StationDB
from db.sync.outgoing import acknowledged, pending
from db.sync.records import RECEIVED
from db.types import CaseInfo, PeerState, SyncState
from db.vntime import local_date, now_utc


def state(db: StationDB) -> SyncState:
    with db.Session() as s:
        me = s.get(Station, db.station_id)
        assert me is not None
        peers = s.scalars(select(PairedStation).order_by(PairedStation.paired_at)).all()
        cases = dict(s.execute(select(SyncCase.origin_station_id, func.count()).where(
            SyncCase.resolved_at.is_(None)).group_by(SyncCase.origin_station_id)).all())
        hq = next((p for p in peers if p.kind == "hq" and p.unpaired_at is None), None)
        waiting = pending(s, db.station_id, hq.station_id if hq else None)
        acked = 0
        if hq is not None:
            acked = int(s.scalar(select(func.count()).select_from(SyncAck).where(
                SyncAck.peer_id == hq.station_id, SyncAck.kind == "enrollment")) or 0)
        if me.kind == "hq":
            waiting = 0
        last = hq.receipt_at if hq else None
        days = None if last is None else (local_date(now_utc()) - local_date(last)).days
        oldest = None
        if me.kind == "mobile" and waiting:
            unacked = ~acknowledged(hq.station_id if hq else None)
            first = s.scalar(select(func.min(Enrollment.submitted_at)).where(
                Enrollment.station_id == db.station_id, Enrollment.status.in_(RECEIVED), unacked))
            oldest = None if first is None else (local_date(now_utc()) - local_date(first)).days
        infos = [PeerState(p.station_id, p.name, p.kind, p.unpaired_at is None, p.last_bundle_at,
                           p.receipt_at, p.bundles_out or 0, p.held or 0,
                           int(cases.get(p.station_id, 0)), p.drafts or 0)
                 for p in peers]  # fmt: skip
        warn = settings.load_in(s).sync_warn_days
        return SyncState(db.station_id, me.kind, bool(me.training), waiting, acked, last, days,
                         warn, oldest, infos)  # fmt: skip


def cases(db: StationDB, *, open_only: bool = True) -> list[CaseInfo]:
    from db.models import Resident, ResidentAlias

    with db.Session() as s:
        names = dict(s.execute(select(PairedStation.station_id, PairedStation.name)).all())
        stmt = select(SyncCase).order_by(SyncCase.created_at, SyncCase.id)
        if open_only:
            stmt = stmt.where(SyncCase.resolved_at.is_(None))
        out = []
        for c in s.scalars(stmt):
            person = s.scalar(select(Resident.full_name).join(
                Enrollment, Enrollment.resident_id == Resident.id).where(
                Enrollment.uuid == c.subject_uuid))
            if person is None:
                person = s.scalar(select(Resident.full_name).where(Resident.uuid == c.subject_uuid))
            if person is None:
                person = s.scalar(select(Resident.full_name).join(
                    ResidentAlias, ResidentAlias.resident_id == Resident.id).where(
                    ResidentAlias.uuid == c.subject_uuid))
            out.append(CaseInfo(c.uuid, c.kind, names.get(c.origin_station_id, ""),
                                c.subject_uuid, c.other_uuid, dict(c.details or {}),
                                c.created_at, person or ""))  # fmt: skip
        return out


def resolve(db: StationDB, uuid: str, note: str, *, officer_uuid: str | None) -> None:
    """The supervisor has looked at the case and says what was done (kept with the case)."""
    from db.errors import InvalidInput
    from resources.i18n import N_

    note = (note or "").strip()
    if not note:
        raise InvalidInput(N_("Write what was decided about this case."))
    with db.Session.begin() as s:
        c = s.scalar(select(SyncCase).where(SyncCase.uuid == uuid))
        if c is None or c.resolved_at is not None:
            raise InvalidInput(N_("This case is not open any more."))
        c.resolved_at, c.resolved_by, c.resolution = now_utc(), officer_uuid, note
