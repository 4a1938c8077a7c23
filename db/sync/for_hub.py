"""A commune headquarters and the district hub (issue 15): the bundle HQ sends up, the receipt
that comes back.

The bundle is the same kind of file a laptop sends its HQ, for everything the commune holds:
its own enrollments and those its laptops brought, their decisions and card events, the
officers named in them (never a password), the register — the residents the hub does not hold
with this content yet, DC01 persons included —, the links of field persons to register
residents, and every audit chain HQ holds (its own, and each laptop's as the laptop sent it),
each continuing from the head the hub acknowledged.

An enrollment keeps the content hash it was submitted with, wherever it travels: one a laptop
made for a field person whom HQ linked to a register resident is sent naming that person's
field UUID, with the link (``aliases``), so the hub computes the very hash HQ and the laptop
hold.

The hub's receipt says what it holds of that commune — enrollments, events, residents by UUID
and hash, each chain's head —, and HQ marks exactly that acknowledged (``sync_ack``,
``peer_audit_head``): the next bundle carries only what is new or changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.audit import at_text
from db.events import event_record
from db.models import (
    AuditEvent,
    Enrollment,
    EnrollmentEvent,
    Officer,
    OriginAuditEvent,
    PairedStation,
    PeerAuditHead,
    Resident,
    ResidentAlias,
    SlipCounter,
    Station,
    SyncAck,
    new_uuid,
)
from db.sync import records
from db.sync.records import RECEIVED, audit_row
from db.sync.refusal import Refused
from db.vntime import now_utc

if TYPE_CHECKING:
    from db.sync.results import Checked
    from db.types import ImportResult

Record = tuple[dict[str, Any], list[bytes]]
_BATCH = 500
_CHUNK = 100


def commune_stations(s: Session, me: str) -> list[str]:
    """HQ and the laptops whose records it holds (each came in one of their bundles)."""
    return [me, *s.scalars(select(Station.id).where(Station.kind == "mobile", Station.id != me)
                           .order_by(Station.id))]  # fmt: skip


def _acked(s: Session, hub: str, kind: str) -> dict[str, str]:
    return dict(s.execute(select(SyncAck.uuid, SyncAck.content_hash).where(
        SyncAck.peer_id == hub, SyncAck.kind == kind)).all())  # fmt: skip


def _enrollments_pending(s: Session, origins: list[str], hub: str) -> list[int]:
    acked = select(SyncAck.uuid).where(
        SyncAck.peer_id == hub, SyncAck.kind == "enrollment", SyncAck.uuid == Enrollment.uuid,
        SyncAck.content_hash == Enrollment.content_hash).exists()  # fmt: skip
    return list(s.scalars(select(Enrollment.id).where(
        Enrollment.station_id.in_(origins), Enrollment.status.in_(RECEIVED),
        Enrollment.content_hash.is_not(None), ~acked).order_by(Enrollment.id)))  # fmt: skip


def pending(s: Session, me: str, hub: str) -> int:
    """Received enrollments of the commune the hub has not acknowledged with this content."""
    return len(_enrollments_pending(s, commune_stations(s, me), hub))


def _heads(s: Session, me: str, origins: list[str]) -> dict[str, list[Any]]:
    """The head of every chain HQ holds: its own, and each laptop's as it sent it."""
    heads: dict[str, list[Any]] = {}
    own = s.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc())
                    .limit(1)).first()  # fmt: skip
    if own is not None:
        heads[me] = [int(own[0]), str(own[1])]
    for sid in origins[1:]:
        row = s.execute(select(OriginAuditEvent.seq, OriginAuditEvent.hash).where(
            OriginAuditEvent.station_id == sid).order_by(OriginAuditEvent.seq.desc())
            .limit(1)).first()  # fmt: skip
        if row is not None:
            heads[sid] = [int(row[0]), str(row[1])]
    return heads


def _station_record(s: Session, me: str, origins: list[str], total: int) -> dict[str, Any]:
    st = s.get(Station, me)
    assert st is not None
    laptops = [{"station_id": x.id, "name": x.name, "kind": x.kind, "commune": x.commune,
                "slip_code": x.slip_code}
               for x in s.scalars(select(Station).where(Station.id.in_(origins[1:])))]  # fmt: skip
    slips = {sid: {str(y): int(n) for y, n in s.execute(
        select(SlipCounter.year, SlipCounter.last).where(SlipCounter.station_id == sid))}
        for sid in origins}  # fmt: skip
    drafts = s.scalar(select(func.count()).select_from(Enrollment).where(
        Enrollment.station_id == me, Enrollment.status.in_(("draft", "captured"))))  # fmt: skip
    return {"t": "station", "station_id": me, "name": st.name, "commune": st.commune,
            "province": st.province, "commune_code": st.commune_code,
            "province_code": st.province_code, "slip_last": slips.get(me, {}),
            "stations": laptops, "station_slips": slips, "audit_heads": _heads(s, me, origins),
            "enrollments": total, "drafts": int(drafts or 0)}  # fmt: skip


def _aliased(s: Session, record: dict[str, Any], stored: str | None) -> dict[str, Any] | None:
    """The field person's link when the enrollment was hashed naming them (see the note)."""
    if stored is None or records.content_hash(record) == stored:
        return None
    rid = s.scalar(select(Resident.id).where(Resident.uuid == record["resident_uuid"]))
    for alias in s.scalars(select(ResidentAlias).where(ResidentAlias.resident_id == rid)):
        if records.content_hash({**record, "resident_uuid": alias.uuid}) == stored:
            return {"t": "alias", "uuid": alias.uuid, "resident_uuid": record["resident_uuid"],
                    "station_id": alias.station_id}  # fmt: skip
    return None


def hub_records(s: Session, me: str, peer: PairedStation) -> Iterator[Record]:
    """The commune's bundle for the hub, record by record (see the module's note)."""
    hub = peer.station_id
    origins = commune_stations(s, me)
    ids = _enrollments_pending(s, origins, hub)
    yield _station_record(s, me, origins, len(ids)), []
    for o in s.scalars(select(Officer).where(Officer.station_id.in_(origins))):
        yield records.officer_record(o, with_password=False), []
    acked = _acked(s, hub, "resident")
    batch: list[dict[str, Any]] = []
    stmt = select(Resident).where(Resident.station_id.in_(origins)).order_by(Resident.id)
    for r in s.scalars(stmt.execution_options(yield_per=_BATCH)):
        rec = records.resident_record(r)
        if acked.get(r.uuid) != records.resident_hash(rec):
            batch.append(rec)
        if len(batch) == _BATCH:
            yield {"t": "residents", "items": batch}, []
            batch = []
    if batch:
        yield {"t": "residents", "items": batch}, []
    s.expunge_all()
    for at in range(0, len(ids), _CHUNK):
        part = ids[at : at + _CHUNK]
        stored = dict(s.execute(select(Enrollment.id, Enrollment.content_hash)
                                .where(Enrollment.id.in_(part))).all())  # fmt: skip
        for eid, record, blobs in records.enrollment_records(s, part):
            alias = _aliased(s, record, stored.get(eid))
            if alias is not None:
                yield alias, []
                record["resident_uuid"] = alias["uuid"]
            record["content_hash"] = records.content_hash(record)
            yield record, blobs
        s.expunge_all()
    done = _acked(s, hub, "event")
    for ev in s.scalars(select(EnrollmentEvent).where(EnrollmentEvent.station_id.in_(origins))):
        if done.get(ev.uuid) != ev.content_hash:
            yield event_record(ev), []
    heads = {h.station_id: h.seq for h in s.scalars(select(PeerAuditHead).where(
        PeerAuditHead.peer_id == hub))}  # fmt: skip
    for sid in origins:
        model: Any = AuditEvent if sid == me else OriginAuditEvent
        after = heads.get(sid, 0)
        while True:
            stmt2 = select(model).where(model.seq > after).order_by(model.seq).limit(_BATCH)
            if sid != me:
                stmt2 = stmt2.where(OriginAuditEvent.station_id == sid)
            rows = s.scalars(stmt2).all()
            if not rows:
                break
            yield {"t": "audit", "station_id": sid, "events": [audit_row(a) for a in rows]}, []
            after = rows[-1].seq


# --- on the hub -----------------------------------------------------------------------------


def hub_origins(s: Session, hq: str) -> list[str]:
    """On the hub: a commune HQ and the laptops whose records came through it."""
    return [hq, *s.scalars(select(Station.id).where(Station.hq_id == hq).order_by(Station.id))]


def hub_receipt_record(s: Session, hq: str) -> dict[str, Any]:
    """What the hub holds of one commune: HQ marks exactly this acknowledged."""
    origins = hub_origins(s, hq)
    enrollments = [[u, h] for u, h in s.execute(select(Enrollment.uuid, Enrollment.content_hash)
                   .where(Enrollment.station_id.in_(origins),
                          Enrollment.content_hash.is_not(None)))]  # fmt: skip
    evs = [[u, h] for u, h in s.execute(select(EnrollmentEvent.uuid, EnrollmentEvent.content_hash)
                                        .where(EnrollmentEvent.station_id.in_(origins)))]
    residents = []
    stmt = select(Resident).where(Resident.station_id.in_(origins))
    for r in s.scalars(stmt.execution_options(yield_per=_BATCH)):
        residents.append([r.uuid, records.resident_hash(records.resident_record(r))])
    heads: dict[str, list[Any]] = {}
    for sid in origins:
        row = s.execute(select(OriginAuditEvent.seq, OriginAuditEvent.hash).where(
            OriginAuditEvent.station_id == sid).order_by(OriginAuditEvent.seq.desc())
            .limit(1)).first()  # fmt: skip
        if row is not None:
            heads[sid] = [int(row[0]), str(row[1])]
    return {"t": "receipt", "receipt_uuid": new_uuid(), "for": hq, "at": at_text(now_utc()),
            "enrollments": enrollments, "events": evs, "residents": residents,
            "audit_heads": heads}  # fmt: skip


# --- back at headquarters ---------------------------------------------------------------------


def take_receipt(
    s: Session, me: str, c: Checked, recs: Iterator[Record], result: ImportResult
) -> None:  # fmt: skip
    """The hub's receipt on the HQ: acknowledge what it lists with the content held here."""
    peer = s.get(PairedStation, c.peer.station_id)
    assert peer is not None
    for record, _blobs in recs:
        if record.get("t") != "receipt":
            raise Refused.because("damaged")
        if record.get("for") != me:
            raise Refused.because("wrong_recipient")
        _acknowledge(s, me, peer, record, result)
    peer.receipt_at = now_utc()
    s.flush()


def _acknowledge(s: Session, me: str, peer: PairedStation, record: dict[str, Any],
                 result: ImportResult) -> None:  # fmt: skip
    now, receipt, hub = now_utc(), str(record["receipt_uuid"]), peer.station_id
    origins = commune_stations(s, me)
    ours: dict[str, dict[str, Any]] = {
        "enrollment": dict(s.execute(select(Enrollment.uuid, Enrollment.content_hash).where(
            Enrollment.station_id.in_(origins))).all()),
        "event": dict(s.execute(select(EnrollmentEvent.uuid, EnrollmentEvent.content_hash)
                                .where(EnrollmentEvent.station_id.in_(origins))).all()),
        "resident": {r.uuid: records.resident_hash(records.resident_record(r))
                     for r in s.scalars(select(Resident).where(Resident.station_id.in_(origins)))},
    }  # fmt: skip
    for kind, key in (("enrollment", "enrollments"), ("event", "events"),
                      ("resident", "residents")):  # fmt: skip
        acked = _acked(s, hub, kind)
        n = 0
        for uuid, digest in record.get(key) or []:
            if ours[kind].get(uuid) != digest or acked.get(uuid) == digest:
                continue
            row = s.get(SyncAck, (hub, kind, uuid))
            if row is None:
                s.add(SyncAck(peer_id=hub, kind=kind, uuid=uuid, content_hash=digest,
                              receipt_uuid=receipt, acked_at=now))  # fmt: skip
            else:
                row.content_hash, row.receipt_uuid, row.acked_at = digest, receipt, now
            n += 1
        key_ = f"{kind}_acknowledged"
        result.counts[key_] = result.counts.get(key_, 0) + n
    held = _heads(s, me, origins)
    for sid, head in (record.get("audit_heads") or {}).items():
        seq, digest = int(head[0]), str(head[1])
        model: Any = AuditEvent if sid == me else OriginAuditEvent
        stmt = select(model.hash).where(model.seq == seq)
        if sid != me:
            stmt = stmt.where(OriginAuditEvent.station_id == sid)
        if sid not in held or s.scalar(stmt) != digest:
            continue  # not a chain we hold, or not as we hold it: nothing acknowledged
        known = s.get(PeerAuditHead, (hub, sid))
        if known is None:
            s.add(PeerAuditHead(peer_id=hub, station_id=sid, seq=seq, hash=digest, at=now))
        elif seq > known.seq:
            known.seq, known.hash, known.at = seq, digest, now
    if sid_head := held.get(me):
        ack = (record.get("audit_heads") or {}).get(me)
        if ack and int(ack[0]) == sid_head[0]:
            peer.audit_seq, peer.audit_hash = int(ack[0]), str(ack[1])
