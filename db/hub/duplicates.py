"""The cross-commune duplicate list: how the hub surfaces one person held by two communes.

On the hub each commune's register is its own (DESIGN §12): the same personal ID in two
communes is two records, never merged. This list puts them side by side — the same ID in two
communes' registers (``same_id``), marked when both were enrolled (``enrolled``: two
applications for one card), and people without an ID enrolled in two communes with the same
folded name and birth date (``likely_same``, DESIGN §6's rule without the village, which
differs by definition). Names are listed in Vietnamese order (``COLLATE "vi-x-icu"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from db.hub.search import commune_name
from db.models import Enrollment, Resident, Station
from db.station import StationDB
from db.sync.records import RECEIVED

ENROLLED = tuple(s for s in RECEIVED if s != "returned")


@dataclass(frozen=True)
class Member:
    commune: str
    station_id: str
    resident_uuid: str
    full_name: str
    birth_date: date | None
    birth_year: int | None
    village: str | None
    status: str | None  # the latest received enrollment's, or None
    receipt_no: str | None

    def to_json(self) -> dict[str, Any]:
        return {"commune": self.commune, "station_id": self.station_id,
                "resident_uuid": self.resident_uuid, "full_name": self.full_name,
                "birth": self.birth_date.isoformat() if self.birth_date
                else (str(self.birth_year) if self.birth_year else None),
                "village": self.village, "status": self.status, "receipt_no": self.receipt_no}


@dataclass(frozen=True)
class Duplicate:
    kind: str  # same_id | likely_same
    personal_id: str | None
    enrolled: bool  # enrolled in two communes or more
    members: tuple[Member, ...]

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "personal_id": self.personal_id, "enrolled": self.enrolled,
                "members": [m.to_json() for m in self.members]}


def _commune() -> Any:
    return func.coalesce(Station.hq_id, Station.id)


def duplicates(db: StationDB) -> list[Duplicate]:
    commune = _commune()
    same_id = (select(Resident.personal_id).join(Station, Station.id == Resident.station_id)
               .where(Resident.personal_id.is_not(None))
               .group_by(Resident.personal_id)
               .having(func.count(func.distinct(commune)) > 1))  # fmt: skip
    enrolled_people = (select(Enrollment.resident_id)
                       .where(Enrollment.status.in_(ENROLLED)).distinct())  # fmt: skip
    unnumbered = (select(Resident.search_name, Resident.birth_date)
                  .join(Station, Station.id == Resident.station_id)
                  .where(Resident.personal_id.is_(None), Resident.birth_date.is_not(None),
                         Resident.id.in_(enrolled_people))
                  .group_by(Resident.search_name, Resident.birth_date)
                  .having(func.count(func.distinct(commune)) > 1))  # fmt: skip
    latest = (select(Enrollment.resident_id, func.max(Enrollment.id).label("eid"))
              .where(Enrollment.status.in_(RECEIVED)).group_by(Enrollment.resident_id)
              .subquery())  # fmt: skip
    cols = (Resident.personal_id, Resident.search_name, commune, Resident.station_id,
            Resident.uuid, Resident.full_name, Resident.birth_date, Resident.birth_year,
            Resident.village, Enrollment.status, Enrollment.receipt_no)  # fmt: skip
    base = (select(*cols).join(Station, Station.id == Resident.station_id)
            .outerjoin(latest, latest.c.resident_id == Resident.id)
            .outerjoin(Enrollment, Enrollment.id == latest.c.eid))  # fmt: skip
    with db.Session() as s:
        names = {sid: commune_name(code, typed) for sid, code, typed in s.execute(
            select(Station.id, Station.commune_code, Station.commune))}  # fmt: skip
        by_id = s.execute(base.where(Resident.personal_id.in_(same_id))
                          .order_by(Resident.full_name.collate("vi-x-icu"),
                                    Resident.personal_id, commune)).all()  # fmt: skip
        pairs = [tuple(r) for r in s.execute(unnumbered).all()]
        by_name = s.execute(base.where(
            Resident.personal_id.is_(None), Resident.id.in_(enrolled_people),
            func.concat(Resident.search_name, "|", Resident.birth_date).in_(
                [f"{n}|{b}" for n, b in pairs] or ["-"]))
            .order_by(Resident.full_name.collate("vi-x-icu"), commune)).all()  # fmt: skip
    out: list[Duplicate] = []
    for kind, rows, key in (("same_id", by_id, 0), ("likely_same", by_name, None)):
        groups: dict[Any, list[Any]] = {}
        for r in rows:
            groups.setdefault(r[0] if key == 0 else (r[1], r[6]), []).append(r)
        for group in groups.values():
            members = tuple(Member(str(names.get(r[2]) or ""), r[3], r[4], r[5], r[6], r[7], r[8],
                                   r[9], r[10]) for r in group)  # fmt: skip
            enrolled = len({r[2] for r in group if r[9] in ENROLLED}) > 1
            out.append(Duplicate(kind, group[0][0], enrolled, members))
    return out
