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
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import at_text
from db.models import Enrollment, Fingerprint, Officer, Portrait, Resident
from db.register.chunks import VALUE_COLS

_U32 = struct.Struct(">I")
_canon = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode

RESIDENT_COLS = ("uuid", "station_id", *VALUE_COLS, "extra")
PORTRAIT_COLS = ("uuid", "width", "height", "quality", "attempts", "bedridden",
                 "exception_reason", "exception_note")  # fmt: skip
PRINT_COLS = ("uuid", "finger", "impression", "image_format", "quality", "device_score",
              "attempts", "attempt_scores", "condition", "note", "device")  # fmt: skip


def pack(record: dict[str, Any], blobs: list[bytes] = ()) -> bytes:  # type: ignore[assignment]
    head = json.dumps({**record, "blobs": [len(b) for b in blobs]}, ensure_ascii=False,
                      separators=(",", ":")).encode()  # fmt: skip
    return b"".join((_U32.pack(len(head)), head, *blobs))


def head(packet: bytes) -> dict[str, Any]:
    """The JSON part alone (what the record is), without copying its blobs."""
    (size,) = _U32.unpack_from(packet)
    return json.loads(packet[4 : 4 + size].decode("utf-8"))  # type: ignore[no-any-return]


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


def content_hash(record: dict[str, Any]) -> str:
    """SHA-256 of an enrollment record's captured content (blobs by their hashes)."""
    body = {k: v for k, v in record.items() if k not in ("t", "content_hash", "blobs")}
    return hashlib.sha256(_canon(body).encode()).hexdigest()


def enrollment_record(s: Session, e: Enrollment) -> tuple[dict[str, Any], list[bytes]]:
    """A submitted enrollment as it travels: its content and its images, in blob order."""
    def uuid_of(model: Any, id_: int | None) -> str | None:
        return None if id_ is None else s.scalar(select(model.uuid).where(model.id == id_))

    blobs: list[bytes] = []
    record: dict[str, Any] = {
        "t": "enrollment", "uuid": e.uuid, "station_id": e.station_id,
        "resident_uuid": uuid_of(Resident, e.resident_id),
        "officer_uuid": uuid_of(Officer, e.officer_id), "place": e.place,
        "receipt_no": e.receipt_no, "appointment_date": _day(e.appointment_date),
        "created_at": _time(e.created_at), "submitted_at": _time(e.submitted_at),
        "notes": e.notes, "draft": e.draft or {}, "exceptions": e.exceptions or [],
        "has_exception": bool(e.has_exception), "corrects_uuid": uuid_of(Enrollment, e.corrects_id),
        "redo_reason": e.redo_reason, "redo_note": e.redo_note, "redo_of": e.redo_of,
    }  # fmt: skip
    p = s.scalar(
        select(Portrait).where(Portrait.enrollment_id == e.id).order_by(Portrait.id.desc())
    )
    if p is not None:
        record["portrait"] = {**{c: getattr(p, c) for c in PORTRAIT_COLS},
                              "created_at": _time(p.created_at), "jpeg": sha(p.jpeg)}  # fmt: skip
        blobs.append(p.jpeg)
    prints = []
    for f in s.scalars(select(Fingerprint).where(Fingerprint.enrollment_id == e.id)
                       .order_by(Fingerprint.finger, Fingerprint.impression)):  # fmt: skip
        item = {**{c: getattr(f, c) for c in PRINT_COLS}, "created_at": _time(f.created_at),
                "image": None if f.image is None else sha(f.image)}  # fmt: skip
        if f.image is not None:
            blobs.append(f.image)
        prints.append(item)
    record["fingerprints"] = prints
    return record, blobs


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
