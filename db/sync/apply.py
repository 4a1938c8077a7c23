"""A laptop applies headquarters' work packet or receipt (inside the caller's transaction).

The register is updated by resident UUID; the laptop's own records are never touched: its
field persons (another origin), its drafts and the corrections typed in them (they live in
the enrollments, db/corrections.py). Accounts from HQ are updated by UUID. Decisions on the
laptop's enrollments are added as events and the status projected again. A receipt marks
acknowledged exactly the records HQ says it holds *with the content the laptop has*; it also
moves the laptop's slip counters up to the last numbers HQ knows (a laptop restored from an
old backup never reissues a number).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from db import events, settings
from db.models import (
    AuditEvent,
    Enrollment,
    EnrollmentEvent,
    Officer,
    PairedStation,
    Resident,
    Setting,
    SlipCounter,
    SyncAck,
)
from db.sync import card_travel, records, visit_travel
from db.sync.records import parse_day, parse_time
from db.sync.refusal import Refused
from db.vntime import now_utc

if TYPE_CHECKING:
    from db.sync.results import Checked
    from db.types import ImportResult


def _count(result: ImportResult, what: str, outcome: str, n: int = 1) -> None:
    key = f"{what}_{outcome}"
    result.counts[key] = result.counts.get(key, 0) + n
    if outcome == "added":
        result.added += n
    elif outcome in ("unchanged", "acknowledged"):
        result.unchanged += n


def _officer(s: Session, sender: str, record: dict[str, Any], result: ImportResult) -> None:
    if record.get("station_id") != sender:
        raise Refused.because("foreign_record")
    o = s.scalar(select(Officer).where(Officer.uuid == record["uuid"]))
    fields = {"full_name": record["full_name"], "role": record["role"],
              "active": bool(record["active"]), "password_hash": record["password_hash"],
              "must_change_password": bool(record.get("must_change_password"))}  # fmt: skip
    if o is None:
        s.add(Officer(uuid=record["uuid"], station_id=sender, username=record["username"],
                      **fields))  # fmt: skip
        _count(result, "officer", "added")
        return
    if o.station_id != sender:
        return
    changed = any(getattr(o, k) != v for k, v in fields.items())
    for k, v in fields.items():
        setattr(o, k, v)
    _count(result, "officer", "updated" if changed else "unchanged")


def _residents(s: Session, items: list[dict[str, Any]], result: ImportResult) -> None:
    marks = [getattr(Resident, c) for c in records.RESIDENT_CHANGED]
    held = {u: (i, h, st, tuple(m)) for u, i, h, st, *m in s.execute(
        select(Resident.uuid, Resident.id, Resident.content_hash, Resident.station_id, *marks)
        .where(Resident.uuid.in_([r["uuid"] for r in items])))}  # fmt: skip
    for item in items:
        values = {c: item.get(c) for c in records.RESIDENT_COLS}
        values["birth_date"] = parse_day(values["birth_date"])
        values["card_issued"] = parse_day(values["card_issued"])
        known = held.get(item["uuid"])
        if known is None:
            s.add(Resident(**values))
            _count(result, "resident", "added")
        elif known[2] != item.get("station_id") or (known[1] == item.get("content_hash") and (
                known[3] == tuple(item.get(c) for c in records.RESIDENT_CHANGED))):
            _count(result, "resident", "unchanged")
        else:
            r = s.get(Resident, known[0])
            assert r is not None
            for c, v in values.items():
                if c != "uuid":
                    setattr(r, c, v)
            _count(result, "resident", "updated")
    s.flush()


def _event(s: Session, record: dict[str, Any], result: ImportResult, touched: set[str]) -> None:
    digest = events.record_hash(record)
    if digest != record.get("content_hash") or record["kind"] not in events.KINDS:
        raise Refused.because("damaged")
    if s.scalar(select(EnrollmentEvent.id).where(EnrollmentEvent.uuid == record["uuid"])):
        _count(result, "event", "unchanged")
        return
    s.add(events.from_record(record, record["station_id"], digest))
    touched.add(record["enrollment_uuid"])
    _count(result, "event", "added")


def _own_audit(s: Session, me: str, rows: list[list[Any]], result: ImportResult) -> None:
    """Events of this laptop's own chain that HQ holds and the laptop lacks (restored from an
    older backup): taken back, checked link by link, only where they continue what it has."""
    from db import audit

    last = s.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc())
                     .limit(1)).first()  # fmt: skip
    seq0, head = (int(last[0]), str(last[1])) if last else (0, audit.GENESIS)
    for row in rows:
        seq, uuid, st, at, oid, ouuid, action, ent, eid, det, prev, digest, v = row
        if st != me or int(seq) <= seq0:
            continue
        expect = audit.event_hash(int(seq), uuid, st, at, audit.hashed_officer(int(v), oid, ouuid),
                                  action, ent, eid, det, prev)  # fmt: skip
        if int(seq) != seq0 + 1 or prev != head or expect != digest:
            return  # not a continuation of this chain: leave it as it is
        if oid is not None and s.get(Officer, oid) is None:
            return  # an account the backup does not have: the trail cannot name it
        s.add(AuditEvent(seq=int(seq), uuid=uuid, station_id=st, at=parse_time(at),
                         officer_id=oid, officer_uuid=ouuid, action=action, entity=ent,
                         entity_id=eid, details=det, prev_hash=prev, hash=digest, hash_v=int(v)))
        seq0, head = int(seq), digest
        _count(result, "own_audit", "added")
    s.flush()


def apply_receipt(
    s: Session, me: str, peer: PairedStation, record: dict[str, Any], result: ImportResult
) -> None:
    if record.get("for") != me:
        raise Refused.because("wrong_recipient")
    now = now_utc()
    receipt = str(record["receipt_uuid"])
    lists = (("enrollment", Enrollment, record.get("enrollments") or []),
             ("event", EnrollmentEvent, record.get("events") or []))  # fmt: skip
    for kind, model, listed in lists:
        ours = dict(s.execute(select(model.uuid, model.content_hash).where(
            model.station_id == me)).all())  # fmt: skip
        acked = set(s.scalars(select(SyncAck.uuid).where(SyncAck.peer_id == peer.station_id,
                                                         SyncAck.kind == kind)))  # fmt: skip
        n = 0
        for uuid, digest in listed:
            if ours.get(uuid) == digest and uuid not in acked:
                s.add(SyncAck(peer_id=peer.station_id, kind=kind, uuid=uuid, content_hash=digest,
                              receipt_uuid=receipt, acked_at=now))  # fmt: skip
                n += 1
        _count(result, kind, "acknowledged", n)
    head = record.get("audit_head")
    if head:
        seq, digest = int(head[0]), str(head[1])
        mine = s.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))
        if mine == digest and seq > (peer.audit_seq or 0):
            peer.audit_seq, peer.audit_hash = seq, digest
    for year, last in (record.get("slip_last") or {}).items():
        row = s.get(SlipCounter, (me, int(year)))
        if row is None:
            s.add(SlipCounter(station_id=me, year=int(year), last=int(last)))
        elif row.last < int(last):
            row.last = int(last)
    peer.receipt_at = now
    s.flush()
    days = settings.load_in(s).prune_images_days
    if days:
        _count(result, "images", "pruned", prune(s, me, peer.station_id, days))


def prune(s: Session, me: str, peer_id: str, days: int) -> int:
    """Drop the images of enrollments HQ acknowledged more than ``days`` days ago (the
    ``prune_images_days`` setting, off by default): HQ holds them; the laptop keeps the
    records, their hashes and everything else. Returns the enrollments pruned."""
    from datetime import timedelta

    from sqlalchemy import update

    from db.models import Fingerprint, Portrait

    before = now_utc() - timedelta(days=days)
    ids = list(s.scalars(select(Enrollment.id).join(SyncAck, (SyncAck.uuid == Enrollment.uuid) & (
        SyncAck.content_hash == Enrollment.content_hash)).where(
        SyncAck.peer_id == peer_id, SyncAck.kind == "enrollment", SyncAck.acked_at < before,
        Enrollment.station_id == me)))  # fmt: skip
    if not ids:
        return 0
    done = s.execute(update(Portrait).where(Portrait.enrollment_id.in_(ids), Portrait.jpeg != b"")
                     .values(jpeg=b""))  # fmt: skip
    s.execute(update(Fingerprint).where(Fingerprint.enrollment_id.in_(ids),
                                        Fingerprint.image.is_not(None)).values(image=None))
    return int(getattr(done, "rowcount", 0) or 0)


def apply(
    s: Session, me: str, c: Checked, recs: Iterator[tuple[dict[str, Any], list[bytes]]],
    result: ImportResult,
) -> None:  # fmt: skip
    sender = c.peer.station_id
    peer = s.get(PairedStation, sender)
    assert peer is not None
    touched: set[str] = set()
    shared = {settings.PREFIX + k for k in settings.SHARED}
    since_restore = _detach_since_restore(s, c) if c.header.kind == "packet" else None

    def count(what: str, outcome: str) -> None:
        _count(result, what, outcome)

    for record, blobs in recs:
        t = record.get("t")
        if t == "station" and record.get("station_id") != sender:
            raise Refused.because("foreign_record")
        if t == "setting" and record.get("key") in shared:
            row = s.get(Setting, record["key"])
            if row is None:
                s.add(Setting(key=record["key"], value=record["value"]))
            elif row.value != record["value"]:
                row.value = record["value"]
        elif t == "officer":
            _officer(s, sender, record, result)
        elif t == "residents":
            _residents(s, record.get("items") or [], result)
        elif t == "event":
            _event(s, record, result, touched)
        elif t == "own_audit":
            _own_audit(s, me, record.get("events") or [], result)
        elif t == "receipt":
            apply_receipt(s, me, peer, record, result)
        elif t == "visit":
            visit_travel.take_visit(s, record, count, team=me)
        elif t == "visit_outcome":
            visit_travel.take_outcome(s, record, count, team=me)
        elif t == "card":
            card_travel.take_card(s, record, blobs, count)
    s.flush()
    if since_restore is not None:
        _rechain(s, since_restore)
    for uuid in touched:
        e = s.scalar(select(Enrollment).where(Enrollment.uuid == uuid))
        if e is not None:
            events.project(s, e)


# --- a laptop restored from a backup (db/restore.py) ------------------------------------------


def _detach_since_restore(s: Session, c: Checked) -> list[AuditEvent] | None:
    """On a laptop marked *restored*, HQ's first packet made after the restore: the events the
    laptop logged since the restore (sign-ins, this import's wait…) are taken out of the chain,
    so that HQ's copy of the trail, which may go further than the backup, is taken back first
    (``own_audit``); :func:`_rechain` then puts them after it. HQ never saw them: the laptop
    sends no bundle while it is marked. None: not marked, or the packet is older than the
    restore (it may not know the laptop's last bundles: the mark stays)."""
    from datetime import datetime

    from db.restored import RESTORED_KEY, restored_mark

    mark = restored_mark(s)
    if mark is None:
        return None
    row = s.get(Setting, RESTORED_KEY)
    assert row is not None
    try:
        made = datetime.fromisoformat(c.header.created_at)
        restored = datetime.fromisoformat(str(row.value["restored_at"]))
    except (KeyError, TypeError, ValueError):
        return None
    if made <= restored:  # (``made`` is to the second: one made in that second counts as older)
        return None
    later = list(s.scalars(select(AuditEvent).where(AuditEvent.seq > mark)
                           .order_by(AuditEvent.seq)))  # fmt: skip
    for ev in later:
        s.expunge(ev)
    s.execute(delete(AuditEvent).where(AuditEvent.seq > mark))
    s.flush()
    return later


def _rechain(s: Session, later: list[AuditEvent]) -> None:
    """Append the detached events after the chain's head as it is now, each linked and hashed
    anew (uuid, time, officer, action and details unchanged), and lift the *restored* mark:
    slip numbers and the trail now go on from what HQ holds."""
    from db import audit
    from db.restored import RESTORED_KEY

    last = s.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc())
                     .limit(1)).first()  # fmt: skip
    seq, prev = (int(last[0]), str(last[1])) if last else (0, audit.GENESIS)
    for ev in later:
        seq += 1
        at = audit.at_text(ev.at.replace(tzinfo=UTC) if ev.at.tzinfo is None else ev.at)
        digest = audit.event_hash(seq, ev.uuid, ev.station_id, at,
                                  audit.hashed_officer(ev.hash_v, ev.officer_id, ev.officer_uuid),
                                  ev.action, ev.entity, ev.entity_id, ev.details, prev)  # fmt: skip
        s.add(AuditEvent(seq=seq, uuid=ev.uuid, station_id=ev.station_id, at=ev.at,
                         officer_id=ev.officer_id, officer_uuid=ev.officer_uuid, action=ev.action,
                         entity=ev.entity, entity_id=ev.entity_id, details=ev.details,
                         prev_hash=prev, hash=digest, hash_v=ev.hash_v))  # fmt: skip
        prev = digest
    for key in (RESTORED_KEY, audit.CHECKPOINT_KEY):
        row = s.get(Setting, key)
        if row is not None:
            s.delete(row)
    s.flush()
