"""Travelling records as packets: what a bundle's frames hold, and their content hashes.

A packet is ``u32 length | JSON | blobs``: the JSON says what the record is (``"t"``) and the
lengths of the binary parts that follow it (a portrait's JPEG, the prints' WSQ), so images
travel as they are stored — no base64, the bundle stays close to the images' own size.

The content hash of a submitted enrollment is SHA-256 of the canonical JSON of its captured
content (details, portrait, fingerprints, exceptions), with each image replaced by its own
SHA-256. It is what both sides compare: the same UUID with the same hash is a no-op, with
another hash a conflict. Status and decisions are not in it: they are events (db/events.py).
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from db.audit import at_text
from db.models import (
    AuditEvent,
    Enrollment,
    Fingerprint,
    Officer,
    OriginAuditEvent,
    Portrait,
    Resident,
)
from db.register.chunks import VALUE_COLS

_U32 = struct.Struct(">I")
#: What a station has received: the enrollments that travel (drafts stay where they are).
RECEIVED = ("submitted", "approved", "returned", "card_ready", "delivered")
_canon = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode

#: What the register's content hash does not cover: changed by the supervisor after import.
RESIDENT_MARKS = ("life_status", "home_visit_note")
RESIDENT_COLS = ("uuid", "station_id", *VALUE_COLS, "extra", *RESIDENT_MARKS)
#: Compared besides the content hash to tell a changed resident: the marks, and the visit
#: reason an officer may set after import (db/visits.flag) without a new content hash.
RESIDENT_CHANGED = ("home_visit_reason", *RESIDENT_MARKS)
PORTRAIT_COLS = ("uuid", "width", "height", "quality", "attempts", "bedridden",
                 "exception_reason", "exception_note")  # fmt: skip
PRINT_COLS = ("uuid", "finger", "impression", "image_format", "quality", "device_score",
              "attempts", "attempt_scores", "condition", "note", "device")  # fmt: skip


def pack(record: dict[str, Any], blobs: list[bytes] = ()) -> bytes:  # type: ignore[assignment]
    head = json.dumps({**record, "blobs": [len(b) for b in blobs]}, ensure_ascii=False,
                      separators=(",", ":")).encode()  # fmt: skip
    return b"".join((_U32.pack(len(head)), head, *blobs))


def unpack(packet: bytes) -> tuple[dict[str, Any], list[bytes]]:
    (size,) = _U32.unpack_from(packet)
    record = json.loads(packet[4 : 4 + size].decode("utf-8"))
    blobs, at = [], 4 + size
    for n in record.pop("blobs", []):
        blobs.append(packet[at : at + int(n)])
        at += int(n)
    if at != len(packet) or not isinstance(record, dict) or "t" not in record:
        raise ValueError("packet does not add up")
    return record, blobs


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _time(t: datetime | None) -> str | None:
    return None if t is None else at_text(t)


def _day(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def parse_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def parse_day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def content_hash(record: dict[str, Any]) -> str:
    """SHA-256 of an enrollment record's captured content (blobs by their hashes)."""
    body = {k: v for k, v in record.items() if k not in ("t", "content_hash", "blobs")}
    return hashlib.sha256(_canon(body).encode()).hexdigest()


def enrollment_record(s: Session, e: Enrollment) -> tuple[dict[str, Any], list[bytes]]:
    """A submitted enrollment as it travels: its content and its images, in blob order."""
    s.flush()
    for _id, record, blobs in enrollment_records(s, [e.id]):
        return record, blobs
    raise LookupError("enrollment not found")


_ENROLLMENT_COLS = (
    Enrollment.id, Enrollment.uuid, Enrollment.station_id, Enrollment.place,
    Enrollment.receipt_no, Enrollment.appointment_date, Enrollment.created_at,
    Enrollment.submitted_at, Enrollment.notes, Enrollment.draft, Enrollment.exceptions,
    Enrollment.has_exception, Enrollment.redo_reason, Enrollment.redo_note, Enrollment.redo_of,
    Enrollment.visit_uuid,
)  # fmt: skip


def enrollment_records(
    s: Session, ids: list[int]
) -> Iterator[tuple[int, dict[str, Any], list[bytes]]]:
    """Several at once, in the order of ``ids``: four queries for the lot (the export of a
    thousand enrollments would otherwise spend most of its time in one-row queries)."""
    fixed = aliased(Enrollment)
    head = {row[0]: row for row in s.execute(
        select(*_ENROLLMENT_COLS, Resident.uuid, Officer.uuid, fixed.uuid)
        .join(Resident, Resident.id == Enrollment.resident_id)
        .outerjoin(Officer, Officer.id == Enrollment.officer_id)
        .outerjoin(fixed, fixed.id == Enrollment.corrects_id)
        .where(Enrollment.id.in_(ids)))}  # fmt: skip
    portraits: dict[int, Any] = {}
    for row in s.execute(select(Portrait.enrollment_id, Portrait.created_at, Portrait.jpeg,
                                *(getattr(Portrait, c) for c in PORTRAIT_COLS))
                         .where(Portrait.enrollment_id.in_(ids)).order_by(Portrait.id)):
        portraits[row[0]] = row  # the latest one
    prints: dict[int, list[Any]] = {}
    for row in s.execute(select(Fingerprint.enrollment_id, Fingerprint.created_at,
                                Fingerprint.image, *(getattr(Fingerprint, c) for c in PRINT_COLS))
                         .where(Fingerprint.enrollment_id.in_(ids))
                         .order_by(Fingerprint.enrollment_id, Fingerprint.finger,
                                   Fingerprint.impression)):  # fmt: skip
        prints.setdefault(row[0], []).append(row)
    for eid in ids:
        if eid not in head:
            continue
        (_i, uuid, station, place, receipt_no, appointment, created, submitted, notes, draft,
         exceptions, has_exception, redo_reason, redo_note, redo_of, visit, resident, officer,
         corrects) = head[eid]  # fmt: skip
        blobs: list[bytes] = []
        record: dict[str, Any] = {
            "t": "enrollment", "uuid": uuid, "station_id": station, "resident_uuid": resident,
            "officer_uuid": officer, "place": place, "receipt_no": receipt_no,
            "appointment_date": _day(appointment), "created_at": _time(created),
            "submitted_at": _time(submitted), "notes": notes, "draft": draft or {},
            "exceptions": exceptions or [], "has_exception": bool(has_exception),
            "corrects_uuid": corrects, "redo_reason": redo_reason, "redo_note": redo_note,
            "redo_of": redo_of,
        }  # fmt: skip
        if visit:  # only when there is one: the hashes of older enrollments stay as they were
            record["visit_uuid"] = visit
        p = portraits.get(eid)
        if p is not None:
            record["portrait"] = {**dict(zip(PORTRAIT_COLS, p[3:], strict=True)),
                                  "created_at": _time(p[1]), "jpeg": sha(p[2])}  # fmt: skip
            blobs.append(p[2])
        items = []
        for f in prints.get(eid, []):
            items.append({**dict(zip(PRINT_COLS, f[3:], strict=True)), "created_at": _time(f[1]),
                          "image": None if f[2] is None else sha(f[2])})  # fmt: skip
            if f[2] is not None:
                blobs.append(f[2])
        record["fingerprints"] = items
        yield eid, record, blobs


def resident_record(r: Resident) -> dict[str, Any]:
    out: dict[str, Any] = {"t": "resident"}
    for c in RESIDENT_COLS:
        v = getattr(r, c)
        out[c] = v.isoformat() if isinstance(v, date) else v
    return out


def officer_record(o: Officer, *, with_password: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"t": "officer", "uuid": o.uuid, "station_id": o.station_id,
                           "username": o.username, "full_name": o.full_name, "role": o.role,
                           "active": bool(o.active)}  # fmt: skip
    if with_password:
        out["password_hash"] = o.password_hash
        out["must_change_password"] = bool(o.must_change_password)
    return out


def audit_row(a: AuditEvent | OriginAuditEvent) -> list[Any]:
    """An audit event as it travels: every hashed field, the time exactly as hashed."""
    at = a.at if isinstance(a.at, str) else at_text(a.at)
    return [a.seq, a.uuid, a.station_id, at, a.officer_id, a.officer_uuid, a.action, a.entity,
            a.entity_id, a.details, a.prev_hash, a.hash, a.hash_v]  # fmt: skip


def resident_hash(record: dict[str, Any]) -> str:
    """What the hub acknowledges of a register resident: the whole record as it travels (the
    register's content hash does not cover the marks a supervisor sets afterwards)."""
    body = {k: v for k, v in record.items() if k not in ("t", "blobs")}
    return hashlib.sha256(_canon(body).encode()).hexdigest()
