"""The audit trail: an append-only, hash-chained log of who did what, when, on which station.

Each event stores the hash of the previous one and its own hash over a canonical serialization
(a compact JSON array of its fields, ``at`` exactly as SQLite stores it). Editing, deleting or
reordering a row with SQL around the program breaks the chain at that row, and
:func:`verify` names the first broken event. A chain without a secret can be rebuilt by someone
who recomputes every hash; the stored checkpoint (last verified seq and hash) catches a rewrite
or a truncation done behind the checkpoint, and sync bundles (a later issue) carry the head
hash to headquarters, where a rewrite cannot follow.

Details never hold names, ID numbers or photos: ids, uuids and counts only ("3 words, 12
results"). An event is appended in the same transaction as the change it records, so a change
without its trace (or a trace without its change) never commits.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from db.actor import Actor
from db.models import AuditEvent, Officer, Setting, new_uuid
from db.station import StationDB
from db.types import AuditRow, VerifyResult
from db.vntime import local_day_bounds, now_utc

GENESIS = "0" * 64
CHECKPOINT_KEY = "audit.checkpoint"
DETAIL_MAX = 200
COLUMNS = (
    "seq, uuid, station_id, at, officer_id, action, entity, entity_id, details, prev_hash, hash, "
    "officer_uuid, hash_v"
)
#: Version of the hashed serialization new events get: 2 names the officer by UUID (the same
#: on every station, DESIGN §11); 1 (events written before) by the station's local id.
HASH_V = 2
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def at_text(at: datetime) -> str:
    """``at`` as the station database stores it (naive UTC, microseconds): what is hashed."""
    u = at.astimezone(UTC)
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d} "
        f"{u.hour:02d}:{u.minute:02d}:{u.second:02d}.{u.microsecond:06d}"
    )


def event_hash(
    seq: int, uuid: str, station_id: str, at: str, officer: Any, action: str,
    entity: str | None, entity_id: str | None, details: str | None, prev_hash: str,
) -> str:  # fmt: skip
    """SHA-256 of the canonical serialization of one event (every field but its own hash);
    ``officer`` is :func:`hashed_officer`'s."""
    fields = [seq, uuid, station_id, at, officer, action, entity, entity_id, details, prev_hash]
    return hashlib.sha256(_encode(fields).encode()).hexdigest()


def hashed_officer(hash_v: int, officer_id: int | None, officer_uuid: str | None) -> Any:
    """What an event of version ``hash_v`` hashes for its officer: version 2 the UUID (what
    another station can resolve) with the local id the trail's listing joins on."""
    return [officer_uuid, officer_id] if hash_v >= 2 else officer_id


#: The hub's (PostgreSQL) lock on its own chain, held from reading the head to the commit.
AUDIT_LOCK = 0x45530001


def append(
    s: Session,
    station_id: str,
    actor: Actor,
    action: str,
    entity: str | None = None,
    entity_id: str | int | None = None,
    details: str | None = None,
    *,
    now: datetime | None = None,
) -> int:
    """Append one event inside the caller's transaction; returns its seq.

    The first statement is a write (a no-op UPDATE) so the transaction holds SQLite's write
    lock before the chain head is read: two appenders can never chain to the same event. On
    the hub's PostgreSQL it is an advisory lock held to the commit, for the same reason.
    """
    if s.connection().dialect.name == "postgresql":  # the hub: importers run side by side
        s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_LOCK})
    else:
        s.execute(text("UPDATE audit_event SET seq = seq WHERE 0"))
    last = s.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = (now or now_utc()).astimezone(UTC)
    uuid = new_uuid()
    eid = None if entity_id is None else str(entity_id)
    details = None if details is None else details[:DETAIL_MAX]
    ouuid = None
    if actor.officer_id is not None:
        ouuid = s.scalar(select(Officer.uuid).where(Officer.id == actor.officer_id))
    digest = event_hash(seq, uuid, station_id, at_text(at),
                        hashed_officer(HASH_V, actor.officer_id, ouuid), action, entity, eid,
                        details, prev)  # fmt: skip
    s.execute(
        insert(AuditEvent).values(
            seq=seq, uuid=uuid, station_id=station_id, at=at, officer_id=actor.officer_id,
            action=action, entity=entity, entity_id=eid, details=details, prev_hash=prev,
            hash=digest, officer_uuid=ouuid, hash_v=HASH_V,
        )
    )  # fmt: skip
    return seq


def record(
    db: StationDB, actor: Actor, action: str, entity: str | None = None,
    entity_id: str | int | None = None, details: str | None = None,
) -> int:  # fmt: skip
    """Append one event in its own transaction (for actions that change nothing else)."""
    with db.Session.begin() as s:
        return append(s, db.station_id, actor, action, entity, entity_id, details)


# --- verification ------------------------------------------------------------------------


def _checkpoint(s: Session) -> tuple[int, str] | None:
    row = s.get(Setting, CHECKPOINT_KEY)
    if row is None:
        return None
    return int(row.value["seq"]), str(row.value["hash"])


def _save_checkpoint(db: StationDB, seq: int, digest: str) -> None:
    with db.Session.begin() as s:
        row = s.get(Setting, CHECKPOINT_KEY)
        value = {"seq": seq, "hash": digest}
        if row is None:
            s.add(Setting(key=CHECKPOINT_KEY, value=value))
        elif int(row.value.get("seq", 0)) < seq:
            row.value = value


def _walk(
    cur: Any, expected: int, prev: str, progress: Callable[[int], None] | None
) -> tuple[int, int | None, str | None, str]:
    """Check rows from ``cur`` (ordered by seq, in :data:`COLUMNS` order); returns (checked,
    broken seq, reason, head). Also checks other stations' chains (db/sync/chain.py)."""
    checked = 0
    sha, encode = hashlib.sha256, _encode
    while rows := cur.fetchmany(20_000):
        for seq, uuid, st, at, oid, action, ent, eid, det, prev_hash, digest, ouuid, v in rows:
            if seq != expected:
                return checked, expected, ("missing" if seq > expected else "out of chain"), prev
            if prev_hash != prev:
                return checked, seq, "out of chain", prev
            who = [ouuid, oid] if v >= 2 else oid
            if not isinstance(at, str):  # PostgreSQL gives the (naive UTC) time itself
                at = at_text(at.replace(tzinfo=UTC))
            body = encode([seq, uuid, st, at, who, action, ent, eid, det, prev_hash])
            if sha(body.encode()).hexdigest() != digest:
                return checked, seq, "altered", prev
            prev = digest
            expected += 1
            checked += 1
        if progress is not None:
            progress(checked)
    return checked, None, None, prev


def _mark(db: StationDB) -> str:
    """The driver's parameter mark (the hub's audit trail is verified on PostgreSQL)."""
    return "?" if db.engine.dialect.name == "sqlite" else "%s"


def _check_tail(db: StationDB, start: int, progress: Callable[[int], None] | None) -> VerifyResult:
    """Verify events from ``start`` to the end, then against the checkpoint."""
    with db.Session() as s:
        total = int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)
        last = s.scalar(select(func.max(AuditEvent.seq))) or 0
        ckpt = _checkpoint(s)
        prev = GENESIS
        if start > 1:
            prev = s.scalar(select(AuditEvent.hash).where(AuditEvent.seq == start - 1)) or ""
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(f"SELECT {COLUMNS} FROM audit_event WHERE seq >= {_mark(db)} ORDER BY seq",
                    (start,))  # fmt: skip
        checked, broken, reason, head = _walk(cur, start, prev, progress)
        cur.close()
    finally:
        raw.close()
    if broken is None and ckpt is not None:
        if last < ckpt[0]:
            broken, reason = last + 1, "truncated"
        else:
            with db.Session() as s:
                there = s.scalar(select(AuditEvent.hash).where(AuditEvent.seq == ckpt[0]))
            if there != ckpt[1]:
                broken, reason = ckpt[0], "checkpoint"
    if broken is None and checked:
        # the last event walked, not ``last``: events appended since ``last`` was read are
        # walked too, and ``head`` is the hash of the newest of them
        _save_checkpoint(db, start + checked - 1, head)
    return VerifyResult(broken is None, checked, total, broken, reason)


def verify(db: StationDB, progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Recompute the whole chain, streaming (constant memory); names the first broken event."""
    return _check_tail(db, 1, progress)


def startup_check(
    db: StationDB, *, full_below: int = 50_000, tail: int = 1_000, sample: int = 1_000
) -> VerifyResult:
    """The cheap check run when the program starts; a broken chain warns the supervisor.

    Small trails (most stations for months) are verified whole. Larger ones: everything since
    the last checkpoint and the last ``tail`` events, no gaps in the numbering, and ``sample``
    random older events each recomputed and linked to their predecessor — a full
    ``audit verify`` stays the definitive check.
    """
    with db.Session() as s:
        total = int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)
        last = int(s.scalar(select(func.max(AuditEvent.seq))) or 0)
        ckpt = _checkpoint(s)
    if total <= full_below:
        return verify(db)
    start = max(1, min(ckpt[0] if ckpt else 1, last - tail))
    result = _check_tail(db, start, None)
    if not result.ok:
        return VerifyResult(False, result.checked, total, result.first_broken, result.reason, True)
    if total != last:  # seqs are 1..n: a deleted event leaves a gap
        with db.Session() as s:
            gap = s.scalar(text(
                "SELECT a.seq + 1 FROM audit_event a WHERE NOT EXISTS "
                "(SELECT 1 FROM audit_event b WHERE b.seq = a.seq + 1) ORDER BY a.seq LIMIT 1"
            ))  # fmt: skip
        missing = 1 if total and not _exists(db, 1) else int(gap or 1)
        return VerifyResult(False, result.checked, total, missing, "missing", True)
    picks = sorted(random.sample(range(2, start), min(sample, max(0, start - 2))))
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        for seq in picks:
            cur.execute(f"SELECT {COLUMNS} FROM audit_event WHERE seq IN ({_mark(db)}, "
                        f"{_mark(db)}) ORDER BY seq", (seq - 1, seq))  # fmt: skip
            before, row = cur.fetchall()
            _n, broken, reason, _h = _walk(_Rows([row]), seq, before[-1], None)
            if broken is not None:
                return VerifyResult(False, result.checked, total, broken, reason, True)
        cur.close()
    finally:
        raw.close()
    return VerifyResult(True, result.checked + len(picks), total, None, None, True)


def _exists(db: StationDB, seq: int) -> bool:
    with db.Session() as s:
        return s.get(AuditEvent, seq) is not None


class _Rows:
    """A cursor-like wrapper over rows already fetched (for :func:`_walk`)."""

    def __init__(self, rows: list[Any]) -> None:
        self.rows: list[Any] | None = rows

    def fetchmany(self, _n: int) -> list[Any]:
        rows, self.rows = self.rows or [], None
        return rows


# --- listing -------------------------------------------------------------------------------


def show(
    db: StationDB,
    actor: Actor,
    *,
    day: date | None = None,
    officer: str | None = None,
    action: str | None = None,
    limit: int = 1000,
    before_seq: int | None = None,
    exact: bool = False,
) -> list[AuditRow]:
    """Events, newest first, filtered by local day, officer user name and action (a prefix,
    or with ``exact`` that action only). Each row names its officer and its subject (a slip
    number, a resident's or an officer's name): looked up now, for this reader — the event
    itself holds ids only."""
    from db.permissions import require

    require(actor, "audit.view")
    stmt = (
        select(AuditEvent.seq, AuditEvent.at, Officer.username, AuditEvent.station_id,
               AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id, AuditEvent.details,
               Officer.full_name)
        .outerjoin(Officer, Officer.id == AuditEvent.officer_id)
        .order_by(AuditEvent.seq.desc())
        .limit(limit)
    )  # fmt: skip
    if day is not None:
        start, end = local_day_bounds(day)
        stmt = stmt.where(AuditEvent.at >= start, AuditEvent.at < end)
    if officer:
        stmt = stmt.where(Officer.username == officer.strip().lower())
    if action and exact:
        stmt = stmt.where(AuditEvent.action == action)
    elif action:
        stmt = stmt.where(AuditEvent.action.startswith(action))
    if before_seq is not None:
        stmt = stmt.where(AuditEvent.seq < before_seq)
    with db.Session() as s:
        rows = s.execute(stmt).all()
        subjects = _subjects(s, actor, [(r.entity, r.entity_id) for r in rows])
    return [
        AuditRow(seq, at, user or "system", st, act, ent, eid, det, name or "",
                 subjects.get((ent, eid), ""))
        for seq, at, user, st, act, ent, eid, det, name in rows
    ]  # fmt: skip


_CHUNK = 500  # ids per IN (...) list


def _subjects(
    s: Session, actor: Actor, refs: list[tuple[str | None, str | None]]
) -> dict[tuple[str | None, str | None], str]:
    """What each (entity, id) reads as for ``actor``: an enrollment by its slip number and,
    for a reader allowed to see residents, its resident's name; a resident by name; an
    officer by full name. Ids that no longer resolve are left out (shown as stored)."""
    from db.models import Enrollment, Resident
    from db.permissions import can

    names = can(actor, "resident.view")
    wanted: dict[str, set[str]] = {}
    for entity, eid in refs:
        if entity and eid:
            wanted.setdefault(entity, set()).add(eid)
    found: dict[tuple[str | None, str | None], str] = {}

    def chunks(ids: set[str]) -> list[list[str]]:
        ordered = sorted(ids)
        return [ordered[i : i + _CHUNK] for i in range(0, len(ordered), _CHUNK)]

    for part in chunks(wanted.get("enrollment", set())):
        for uuid, slip, person in s.execute(
            select(Enrollment.uuid, Enrollment.receipt_no, Resident.full_name)
            .join(Resident, Resident.id == Enrollment.resident_id)
            .where(Enrollment.uuid.in_(part))
        ):  # fmt: skip
            shown = [t for t in (slip, person if names else None) if t]
            if shown:
                found[("enrollment", uuid)] = " · ".join(shown)
    if names:
        for part in chunks({i for i in wanted.get("resident", set()) if i.isdigit()}):
            ids = [int(i) for i in part]
            for rid, person in s.execute(
                select(Resident.id, Resident.full_name).where(Resident.id.in_(ids))
            ):
                found[("resident", str(rid))] = person
    for part in chunks({i for i in wanted.get("officer", set()) if i.isdigit()}):
        for oid, full_name in s.execute(
            select(Officer.id, Officer.full_name).where(Officer.id.in_([int(i) for i in part]))
        ):
            found[("officer", str(oid))] = full_name
    return found
