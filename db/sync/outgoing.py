"""What a station sends: the laptop's return bundle, headquarters' work packet and receipts.

- **Return bundle** (laptop → HQ): everything HQ has not acknowledged in a signed receipt —
  submitted enrollments with their portrait and prints, the residents they are of (the field's
  DC01 persons among them), the officers who took them, decisions taken on the laptop, its audit
  events since the head HQ acknowledged, its slip counters. Drafts stay on the laptop.
  Exporting again is always safe: the same records again, plus new ones.
- **Work packet** (HQ → a laptop): the register (all or some villages), the officer accounts
  that may sign in there, the shared settings, every decision on that laptop's enrollments and
  the current receipt.
- **Receipt** (HQ → a laptop): what HQ holds of that laptop, by UUID and content hash, the
  head of the laptop's chain HQ holds, and the last slip numbers it knows.

Everything is read in one read transaction (a consistent snapshot while officers keep working)
and streamed record by record into the file (db/sync/container.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from db import settings
from db.audit import at_text
from db.events import event_record
from db.models import (
    AuditEvent,
    Enrollment,
    EnrollmentEvent,
    Officer,
    OriginAuditEvent,
    PairedStation,
    Resident,
    Setting,
    SlipCounter,
    Station,
    SyncAck,
    new_uuid,
)
from db.station import StationDB
from db.sync import card_travel, container, for_hub, records, visit_travel
from db.sync.records import RECEIVED, audit_row
from db.sync.refusal import Refused
from db.types import ExportReport
from db.vntime import now_utc

PROGRAM = "enrollment-station 0.1"
_BATCH = 500  # residents or audit events per packet
_CHUNK = 100  # enrollments read at once (their images: some 20 MB)

Progress = Callable[[int, int], None]  # (done, total)


def _me(s: Session, station_id: str) -> Station:
    st = s.get(Station, station_id)
    assert st is not None
    return st


def peer_for(s: Session, station_id: str, for_station: str | None) -> PairedStation:
    """The station a file is for: the one paired HQ of a laptop, or the named laptop."""
    me = _me(s, station_id)
    active = PairedStation.unpaired_at.is_(None)
    if me.kind == "hub":  # the hub writes only receipts, each for a paired HQ
        peer = s.scalar(select(PairedStation).where(active, PairedStation.station_id ==
                                                    for_station))  # fmt: skip
        if peer is None or peer.kind != "hq":
            raise Refused.because("no_such_station")
        return peer
    if me.kind == "mobile":
        peers = s.scalars(select(PairedStation).where(active, PairedStation.kind == "hq")).all()
        if for_station:
            peers = [p for p in peers if p.station_id == for_station]
        if not peers:
            raise Refused.because("not_paired")
        return peers[0]
    if not for_station:
        raise Refused.because("no_such_station")
    peer = s.scalar(select(PairedStation).where(active, PairedStation.station_id == for_station))
    if peer is None or peer.kind not in ("mobile", "hub") or me.kind != "hq":
        raise Refused.because("no_such_station")
    return peer


def slip_last(s: Session, station_id: str) -> dict[str, int]:
    return {str(y): int(n) for y, n in s.execute(
        select(SlipCounter.year, SlipCounter.last).where(SlipCounter.station_id == station_id))}


def _audit_head(s: Session) -> tuple[int, str] | None:
    row = s.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc())
                    .limit(1)).first()  # fmt: skip
    return None if row is None else (int(row[0]), str(row[1]))


def acknowledged(peer_id: str | None) -> Any:
    """SQL: the enrollment (of the outer query) is acknowledged by ``peer_id`` with the content
    it has now."""
    return select(SyncAck.uuid).where(
        SyncAck.peer_id == peer_id, SyncAck.kind == "enrollment",
        SyncAck.uuid == Enrollment.uuid, SyncAck.content_hash == Enrollment.content_hash,
    ).exists()  # fmt: skip


def pending(s: Session, station_id: str, peer_id: str | None) -> int:
    """Submitted enrollments made here that ``peer_id``'s receipts do not acknowledge."""
    return int(s.scalar(select(func.count()).select_from(Enrollment).where(
        Enrollment.station_id == station_id, Enrollment.status.in_(RECEIVED),
        ~acknowledged(peer_id))) or 0)  # fmt: skip


def ensure_hashes(db: StationDB) -> None:
    """Content hashes of submitted enrollments made before they existed (migration 0007)."""
    with db.Session.begin() as s:
        for e in s.scalars(select(Enrollment).where(
                Enrollment.content_hash.is_(None), Enrollment.submitted_at.is_not(None),
                Enrollment.status.in_(RECEIVED))):  # fmt: skip
            e.content_hash = records.content_hash(records.enrollment_record(s, e)[0])


# --- the laptop's return bundle ------------------------------------------------------------


Record = tuple[dict[str, Any], list[bytes]]


def _rec(record: dict[str, Any]) -> Record:
    """A record without images, as the sources below yield them (packed as it is written)."""
    return record, []


def _bundle_records(s: Session, me: str, peer: PairedStation) -> Iterator[Record]:
    ids = s.scalars(select(Enrollment.id).where(
        Enrollment.station_id == me, Enrollment.status.in_(RECEIVED),
        ~acknowledged(peer.station_id)).order_by(Enrollment.id)).all()  # fmt: skip
    head = _audit_head(s)
    drafts = s.scalar(select(func.count()).select_from(Enrollment).where(
        Enrollment.station_id == me, Enrollment.status.in_(("draft", "captured"))))
    yield _rec({"t": "station", "station_id": me, "slip_last": slip_last(s, me),
                        "audit_head": list(head) if head else None,
                        "enrollments": len(ids), "drafts": int(drafts or 0)})  # fmt: skip
    for o in s.scalars(select(Officer).where(Officer.station_id == me)):
        yield _rec(records.officer_record(o, with_password=False))
    sent: set[int] = set()
    for at in range(0, len(ids), _CHUNK):
        part = list(ids[at : at + _CHUNK])
        of = dict(s.execute(select(Enrollment.id, Enrollment.resident_id)
                            .where(Enrollment.id.in_(part))).all())  # fmt: skip
        wanted = {r for r in of.values() if r not in sent}
        people = {r.id: r for r in s.scalars(select(Resident).where(Resident.id.in_(wanted)))}
        for eid, record, blobs in records.enrollment_records(s, part):
            rid = of[eid]
            if rid not in sent:
                sent.add(rid)
                yield _rec(records.resident_record(people[rid]))
            record["content_hash"] = records.content_hash(record)
            yield record, blobs
        s.expunge_all()
    ev_acked = select(SyncAck.uuid).where(SyncAck.peer_id == peer.station_id,
                                          SyncAck.kind == "event",
                                          SyncAck.uuid == EnrollmentEvent.uuid)  # fmt: skip
    for ev in s.scalars(select(EnrollmentEvent).where(EnrollmentEvent.station_id == me,
                                                      ~ev_acked.exists())):  # fmt: skip
        yield _rec(event_record(ev))
    for visit in visit_travel.bundle_records(s, me):
        yield _rec(visit)
    start = (peer.audit_seq or 0) + 1
    while True:
        rows = s.execute(select(AuditEvent).where(AuditEvent.seq >= start)
                         .order_by(AuditEvent.seq).limit(_BATCH)).scalars().all()  # fmt: skip
        if not rows:
            break
        yield _rec({"t": "audit", "events": [audit_row(a) for a in rows]})
        start = rows[-1].seq + 1


# --- headquarters' work packet and receipt ------------------------------------------------------


def receipt_record(s: Session, laptop: str) -> dict[str, Any]:
    """What HQ holds of ``laptop``: the laptop marks exactly these acknowledged."""
    held = [[u, h] for u, h in s.execute(select(Enrollment.uuid, Enrollment.content_hash).where(
        Enrollment.station_id == laptop, Enrollment.content_hash.is_not(None)))]  # fmt: skip
    evs = [[u, h] for u, h in s.execute(select(EnrollmentEvent.uuid, EnrollmentEvent.content_hash)
                                        .where(EnrollmentEvent.station_id == laptop))]  # fmt: skip
    peer = s.get(PairedStation, laptop)
    head = None
    if peer is not None and peer.audit_seq:
        head = [peer.audit_seq, peer.audit_hash]
    return {"t": "receipt", "receipt_uuid": new_uuid(), "for": laptop,
            "at": at_text(now_utc()), "enrollments": held, "events": evs,
            "audit_head": head, "slip_last": (peer.last_slip if peer else None) or {}}  # fmt: skip


def _packet_records(s: Session, me: str, peer: PairedStation,
                    villages: list[str] | None) -> Iterator[Record]:  # fmt: skip
    yield _rec({"t": "station", "station_id": me})
    rows = {r.key: r.value for r in s.scalars(select(Setting).where(
        Setting.key.in_([settings.PREFIX + k for k in settings.SHARED])))}  # fmt: skip
    for key, value in rows.items():
        yield _rec({"t": "setting", "key": key, "value": value})
    for o in s.scalars(select(Officer).where(Officer.station_id == me, Officer.role != "admin")):
        yield _rec(records.officer_record(o, with_password=True))
    stmt = select(Resident).where(Resident.station_id != peer.station_id).order_by(Resident.id)
    if villages:
        from db.text import fold

        keys = [fold(v) for v in villages]
        stmt = stmt.where(Resident.village_key.in_(keys))
    batch: list[dict[str, Any]] = []
    for r in s.scalars(stmt.execution_options(yield_per=_BATCH)):
        batch.append(records.resident_record(r))
        if len(batch) == _BATCH:
            yield _rec({"t": "residents", "items": batch})
            batch = []
    if batch:
        yield _rec({"t": "residents", "items": batch})
    if villages:  # the people the team visits, wherever they live
        extra = visit_travel.residents_of_team(s, peer.station_id, keys)
        if extra:
            yield _rec({"t": "residents", "items": [records.resident_record(r) for r in extra]})
    for visit in visit_travel.packet_records(s, peer.station_id):
        yield _rec(visit)
    yield from card_travel.packet_records(s, peer.station_id)
    for ev in s.scalars(select(EnrollmentEvent).join(
            Enrollment, and_(Enrollment.uuid == EnrollmentEvent.enrollment_uuid,
                             Enrollment.station_id == peer.station_id))):  # fmt: skip
        yield _rec(event_record(ev))
    # the laptop's own trail as HQ holds it: a laptop restored from an older backup takes
    # back the events it lost and its chain goes on from HQ's head, with no fork
    after = 0
    while True:
        theirs = s.scalars(select(OriginAuditEvent).where(
            OriginAuditEvent.station_id == peer.station_id, OriginAuditEvent.seq > after)
            .order_by(OriginAuditEvent.seq).limit(_BATCH)).all()  # fmt: skip
        if not theirs:
            break
        yield _rec({"t": "own_audit", "events": [audit_row(a) for a in theirs]})
        after = theirs[-1].seq
    yield _rec(receipt_record(s, peer.station_id))


# --- writing ---------------------------------------------------------------------------------


class _Counting:
    def __init__(self, writer: container.Writer, progress: Progress | None, total: int) -> None:
        self.writer, self.progress, self.total = writer, progress, total
        self.counts = {"enrollment": 0, "resident": 0, "event": 0, "audit": 0}

    def add(self, record: dict[str, Any], blobs: list[bytes]) -> None:
        t = record["t"]
        if t == "resident":
            self.counts["resident"] += 1
        elif t == "residents":
            self.counts["resident"] += len(record["items"])
        elif t == "enrollment":
            self.counts["enrollment"] += 1
            if self.progress is not None:
                self.progress(self.counts["enrollment"], self.total)
        elif t == "event":
            self.counts["event"] += 1
        elif t == "audit":
            self.counts["audit"] += len(record["events"])
        self.writer.add(records.pack(record, blobs))


#: The page cache a bundle's reading or writing connection may fill (KiB). The station's own
#: (db/engine.py, 256 MB) is sized for the register's search pages; a bundle streams hundreds
#: of MB of images through once, which would all stay cached: 335 MB peak RSS for 1,000
#: enrollments (bench/sync.py) instead of ~95 MB with this bound, and no slower.
BUNDLE_CACHE_KIB = 16 * 1024


@contextlib.contextmanager
def bounded_cache(s: Session) -> Iterator[None]:
    """The session's connection with a small page cache while a bundle streams through it
    (SQLite only: other databases manage their own buffers); the station's size after."""
    conn = s.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    from db.engine import CACHE_KIB

    conn.exec_driver_sql(f"PRAGMA cache_size=-{BUNDLE_CACHE_KIB}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")


def export(
    db: StationDB, target: Path, *, for_station: str | None = None,
    villages: list[str] | None = None, progress: Progress | None = None,
) -> ExportReport:  # fmt: skip
    """Write this station's file for its peer to ``target`` (see the module's note). The
    acknowledgement state is not touched: only a receipt changes it."""
    ensure_hashes(db)
    with db.Session() as s, bounded_cache(s):
        me = _me(s, db.station_id)
        peer = peer_for(s, db.station_id, for_station)
        keys = db.private_keys(s)
        to_hub = peer.kind == "hub"
        kind = "bundle" if me.kind == "mobile" or to_hub else "packet"
        if kind == "bundle" and not to_hub:
            from db.restored import restored_mark

            if restored_mark(s) is not None:  # its chain would fork from HQ's (db/restore.py)
                from db.errors import AwaitingHeadquarters

                raise AwaitingHeadquarters()
        header = container.Header(
            kind=kind, bundle_uuid=new_uuid(), seq=(peer.bundles_out or 0) + 1,
            sender=db.station_id, recipient=peer.station_id, training=bool(me.training),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"), program=PROGRAM,
        )  # fmt: skip
        if to_hub:
            total = for_hub.pending(s, db.station_id, peer.station_id)
            source = for_hub.hub_records(s, db.station_id, peer)
        else:
            total = pending(s, db.station_id, peer.station_id) if kind == "bundle" else 0
            source = (_bundle_records(s, db.station_id, peer) if kind == "bundle"
                      else _packet_records(s, db.station_id, peer, villages))  # fmt: skip
        counting: list[_Counting] = []

        def fill(writer: container.Writer) -> None:
            c = _Counting(writer, progress, total)
            counting.append(c)
            for record, blobs in source:
                c.add(record, blobs)

        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        sign_public = Ed25519PrivateKey.from_private_bytes(keys.sign_private).public_key()
        digest = container.write_safely(target, fill, header, peer.box_public, keys.sign_private,
                                        sign_public.public_bytes_raw())  # fmt: skip
        peer_id, peer_name = peer.station_id, peer.name
    _count_out(db, peer_id)
    c = counting[0]
    return ExportReport(kind, str(target), peer_id, peer_name, c.counts["enrollment"],
                        c.counts["resident"], c.counts["event"], c.counts["audit"],
                        target.stat().st_size, digest)  # fmt: skip


def write_receipt(db: StationDB, laptop: str, target: Path) -> str:
    """The current receipt for ``laptop`` as its own file (``sync import --receipt-out``)."""
    with db.Session() as s:
        peer = peer_for(s, db.station_id, laptop)
        keys = db.private_keys(s)
        me = _me(s, db.station_id)
        header = container.Header(
            kind="receipt", bundle_uuid=new_uuid(), seq=(peer.bundles_out or 0) + 1,
            sender=db.station_id, recipient=laptop, training=bool(me.training),
            created_at=datetime.now(UTC).isoformat(timespec="seconds"), program=PROGRAM,
        )  # fmt: skip
        record = (for_hub.hub_receipt_record(s, laptop) if me.kind == "hub"
                  else receipt_record(s, laptop))  # fmt: skip
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        public = Ed25519PrivateKey.from_private_bytes(keys.sign_private).public_key()
        digest = container.write_safely(
            target, lambda w: w.add(records.pack(record)), header, peer.box_public,
            keys.sign_private, public.public_bytes_raw(),
        )  # fmt: skip
    _count_out(db, laptop)
    return digest


def _count_out(db: StationDB, peer_id: str) -> None:
    """One more file made for ``peer_id``: the next one's sequence number (the recipient
    takes an older one than it has as already imported)."""
    with db.Session.begin() as s:
        s.execute(update(PairedStation).where(PairedStation.station_id == peer_id)
                  .values(bundles_out=func.coalesce(PairedStation.bundles_out, 0) + 1))
