"""The hub merges a commune HQ's bundle with headquarters' own merge (db/sync/merge.py), and
what a commune brings beyond a laptop's bundle:

- **Scoping by origin** (DESIGN §12). A record may come from the HQ or from one of its laptops,
  named in the bundle's station record; a laptop belongs to the first HQ that brought it, and
  its records coming through another HQ are refused (``foreign_record``). A register's IDs and
  user names are unique per station, so two communes' residents with one ID are two records
  (the cross-commune duplicate list shows them).
- **The register**: the commune's residents come in batches and are added, or updated when
  their content changed — HQ is the register's keeper for its commune.
- **Links of field persons** (``alias``): a laptop's enrollment of a DC01 person whom HQ linked
  to a register resident names the field person; the link resolves it here as at HQ.
- **Every chain HQ holds**: its own and each laptop's, each checked to continue the head the
  hub holds for that station (a gap, a fork or an altered event refuses the whole bundle).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, update

from db.audit import GENESIS
from db.models import Enrollment, OriginAuditEvent, Resident, ResidentAlias, Station
from db.sync import records
from db.sync.merge import Merge
from db.sync.records import parse_day
from db.sync.refusal import Refused

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.sync.results import Checked
    from db.types import ImportResult


class HubMerge(Merge):
    def __init__(self, s: Session, me: str, c: Checked, result: ImportResult) -> None:
        super().__init__(s, me, c, result)
        self.origins = {self.sender, *s.scalars(select(Station.id).where(
            Station.hq_id == self.sender))}  # fmt: skip
        self.heads: dict[str, tuple[int, str]] = {}
        self.claimed: dict[str, tuple[int, str]] = {}

    def own(self, record: dict[str, Any]) -> None:
        if record.get("station_id") not in self.origins:
            raise Refused.because("foreign_record")

    def take(self, record: dict[str, Any], blobs: list[bytes]) -> None:
        t = record.get("t")
        if t == "residents":
            self.register(record.get("items") or [])
        elif t == "alias":
            self.alias(record)
        elif t == "audit":
            self.chain(str(record.get("station_id")), record.get("events") or [])
        elif t in ("visit", "visit_outcome", "resident"):
            raise Refused.because("damaged")  # not in a commune's bundle
        else:
            super().take(record, blobs)

    # --- the commune and its laptops ----------------------------------------------------------

    def station(self, record: dict[str, Any]) -> None:
        if record.get("station_id") != self.sender:
            raise Refused.because("foreign_record")
        s = self.s
        hq = s.get(Station, self.sender)
        assert hq is not None
        hq.name = str(record.get("name") or hq.name)[:200]
        hq.commune = str(record.get("commune") or hq.commune)[:200]
        hq.province = record.get("province") or hq.province
        hq.commune_code = _code(record.get("commune_code"), 5) or hq.commune_code
        hq.province_code = _code(record.get("province_code"), 2) or hq.province_code
        for lap in record.get("stations") or []:
            sid = str(lap.get("station_id"))
            known = s.get(Station, sid)
            if known is not None and (known.hq_id != self.sender or known.kind != "mobile"):
                raise Refused.because("foreign_record")  # another commune's, or a hub's own
            if known is None:
                known = Station(id=sid, kind="mobile", hq_id=self.sender)
                s.add(known)
            known.name = str(lap.get("name") or "")[:200]
            known.commune = str(lap.get("commune") or hq.commune)[:200]
            known.slip_code = str(lap.get("slip_code") or "")[:12] or None
            known.commune_code, known.province_code = hq.commune_code, hq.province_code
            self.origins.add(sid)
        s.flush()
        super().station({**record, "audit_head": None})
        self.claimed = {str(k): (int(v[0]), str(v[1]))
                        for k, v in (record.get("audit_heads") or {}).items()}  # fmt: skip

    # --- the register ---------------------------------------------------------------------

    def register(self, items: list[dict[str, Any]]) -> None:
        """Added, updated when changed, unchanged: one query for the batch's held ones."""
        for r in items:
            self.own(r)
        s = self.s
        held = {u: (i, h) for u, i, h in s.execute(
            select(Resident.uuid, Resident.id, Resident.content_hash).where(
                Resident.uuid.in_([r["uuid"] for r in items])))}  # fmt: skip
        new = []
        for r in items:
            values = {c: r.get(c) for c in records.RESIDENT_COLS}
            values["birth_date"] = parse_day(values["birth_date"])
            values["card_issued"] = parse_day(values["card_issued"])
            was = held.get(r["uuid"])
            if was is None:
                new.append(values)
                self.count("resident", "added")
                continue
            row = s.get(Resident, was[0])
            assert row is not None
            if row.station_id != values["station_id"]:
                raise Refused.because("foreign_record")
            if records.resident_hash(records.resident_record(row)) == records.resident_hash(r):
                self.count("resident", "unchanged")
                continue
            s.execute(update(Resident).where(Resident.id == was[0]).values(
                {k: v for k, v in values.items() if k != "uuid"}))  # fmt: skip
            self.count("resident", "updated")
        if new:
            s.execute(insert(Resident.__table__), new)

    def resolve_residents(self, uuids: set[str]) -> None:
        """The residents a batch names, which must be of this commune's registers: a
        commune's reports count a resident's enrollments in the resident's commune
        (db/hub/reports.py), so an enrollment of another commune's resident is refused."""
        missing = [u for u in uuids if u not in self.residents]
        super().resolve_residents(uuids)
        ids = {self.residents[u] for u in missing if u in self.residents}
        if ids and self.s.scalar(select(func.count()).select_from(Resident).where(
                Resident.id.in_(ids), Resident.station_id.not_in(self.origins))):  # fmt: skip
            raise Refused.because("foreign_record")

    def alias(self, record: dict[str, Any]) -> None:
        self.own(record)
        if self.s.get(ResidentAlias, record["uuid"]) is not None:
            return
        rid = self.resident_id(record["resident_uuid"])
        if rid is None:
            raise Refused.because("damaged")
        self.s.add(ResidentAlias(uuid=record["uuid"], resident_id=rid,
                                 station_id=record["station_id"]))  # fmt: skip
        self.s.flush()

    # --- the chains ----------------------------------------------------------------------

    def head_of(self, station: str) -> tuple[int, str]:
        if station not in self.heads:
            row = self.s.execute(select(OriginAuditEvent.seq, OriginAuditEvent.hash).where(
                OriginAuditEvent.station_id == station).order_by(OriginAuditEvent.seq.desc())
                .limit(1)).first()  # fmt: skip
            self.heads[station] = (int(row[0]), str(row[1])) if row else (0, GENESIS)
        return self.heads[station]

    def chain(self, station: str, rows: list[list[Any]]) -> None:
        if station not in self.origins or any(r[2] != station for r in rows):
            raise Refused.because("foreign_record")
        self.head = self.head_of(station)
        self.audit_of(station, rows)
        self.heads[station] = self.head

    def finish(self) -> None:
        for station, (seq, digest) in self.claimed.items():
            if station not in self.origins:
                raise Refused.because("foreign_record")
            head = self.head_of(station)
            if seq > head[0]:
                raise Refused.because("chain_gap")
            if seq == head[0] and digest != head[1]:
                raise Refused.because("chain_fork")
        own = self.head_of(self.sender)
        self.claimed_head = None
        self.head = own
        super().finish()
        self.peer.held = int(self.s.scalar(select(func.count()).select_from(Enrollment).where(
            Enrollment.station_id.in_(self.origins))) or 0)  # fmt: skip


def _code(value: Any, size: int) -> str | None:
    text = str(value or "")
    return text if len(text) == size and text.isdigit() else None
