"""The hub's own state: its id and fingerprint, and every commune paired with it — the last
bundle taken, the enrollments held, and the head of each audit chain it holds (the HQ's and
its laptops'), which is what a district inspector compares with the commune's own screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from db.models import Enrollment, OriginAuditEvent, PairedStation, Resident, Station
from db.station import StationDB


@dataclass(frozen=True)
class ChainHead:
    station_id: str
    name: str
    kind: str
    seq: int
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {"station_id": self.station_id, "name": self.name, "kind": self.kind,
                "seq": self.seq, "hash": self.hash}  # fmt: skip


@dataclass(frozen=True)
class CommuneState:
    station_id: str
    name: str
    commune: str
    commune_code: str | None
    province_code: str | None
    active: bool
    last_bundle_at: datetime | None
    enrollments: int
    residents: int
    heads: tuple[ChainHead, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {"station_id": self.station_id, "name": self.name, "commune": self.commune,
                "commune_code": self.commune_code, "province_code": self.province_code,
                "active": self.active,
                "last_bundle_at": self.last_bundle_at.isoformat() if self.last_bundle_at
                else None, "enrollments": self.enrollments, "residents": self.residents,
                "audit_heads": [h.to_json() for h in self.heads]}  # fmt: skip


@dataclass(frozen=True)
class HubState:
    station_id: str
    name: str
    fingerprint: str
    communes: tuple[CommuneState, ...]

    def to_json(self) -> dict[str, Any]:
        return {"station_id": self.station_id, "name": self.name, "kind": "hub",
                "fingerprint": self.fingerprint,
                "communes": [c.to_json() for c in self.communes]}  # fmt: skip


def state(db: StationDB) -> HubState:
    from db.sync.identity import own_identity

    me = own_identity(db)
    with db.Session() as s:
        stations = {st.id: st for st in s.scalars(select(Station))}
        by_origin = dict(s.execute(select(Enrollment.station_id, func.count())
                                   .group_by(Enrollment.station_id)).all())  # fmt: skip
        people = dict(s.execute(select(Resident.station_id, func.count())
                                .group_by(Resident.station_id)).all())  # fmt: skip
        last = (select(OriginAuditEvent.station_id, func.max(OriginAuditEvent.seq).label("seq"))
                .group_by(OriginAuditEvent.station_id).subquery())  # fmt: skip
        heads = {sid: (int(seq), h) for sid, seq, h in s.execute(
            select(OriginAuditEvent.station_id, OriginAuditEvent.seq, OriginAuditEvent.hash)
            .join(last, (last.c.station_id == OriginAuditEvent.station_id)
                  & (last.c.seq == OriginAuditEvent.seq)))}  # fmt: skip
        communes = []
        for p in s.scalars(select(PairedStation).where(PairedStation.kind == "hq")):
            st = stations.get(p.station_id)
            origins = [p.station_id, *(x.id for x in stations.values()
                                       if x.hq_id == p.station_id)]  # fmt: skip
            chain = tuple(ChainHead(o, stations[o].name if o in stations else p.name,
                                    stations[o].kind if o in stations else "hq", *heads[o])
                          for o in origins if o in heads)  # fmt: skip
            communes.append(CommuneState(
                p.station_id, p.name, st.commune if st else (p.commune or ""),
                st.commune_code if st else None, st.province_code if st else None,
                p.unpaired_at is None, p.last_bundle_at,
                sum(int(by_origin.get(o, 0)) for o in origins),
                sum(int(people.get(o, 0)) for o in origins), chain))  # fmt: skip
    communes.sort(key=lambda c: (c.commune_code or "~", c.name))
    return HubState(me.station_id, me.name, me.fingerprint, tuple(communes))
