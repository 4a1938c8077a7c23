"""What happens to a submitted enrollment, as records of their own (DESIGN §11).

Why events and a projection instead of a status column written in place: an enrollment travels
(a laptop captures it, headquarters decides it, the decision travels back). If the status were
the record, the laptop re-exporting the enrollment after HQ approved it would either undo the
approval or be a conflict. With the decision as its own record (UUID, origin station, actor,
time) the captured content never changes, each side adds only records it did not have, and
:func:`project` gives the same status on every station that holds the same events.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Enrollment, EnrollmentEvent, Officer, new_uuid

#: Event kind → the status it leads to, and the statuses it may follow.
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "approve": ("approved", ("submitted",)),
    "return": ("returned", ("submitted",)),
    "card_ready": ("card_ready", ("approved",)),
    "delivered": ("delivered", ("card_ready",)),
}
DECISIONS = ("approve", "return")
_RANK = {"approve": 0, "return": 0, "card_ready": 1, "delivered": 2}  # order of a tie
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode


def at_text(at: datetime) -> str:
    from db.audit import at_text as _at

    return _at(at)


def event_content_hash(
    uuid: str, station_id: str, enrollment_uuid: str, kind: str, actor_uuid: str | None,
    at: str, note: str | None, place: str | None = None, place_note: str | None = None,
) -> str:  # fmt: skip
    """The event's SHA-256. A handover's place is hashed only when there is one, so the
    events made before it existed (and every decision) keep the hash they travelled with."""
    fields = [uuid, station_id, enrollment_uuid, kind, actor_uuid, at, note]
    if place is not None:
        fields += [place, place_note]
    return hashlib.sha256(_encode(fields).encode()).hexdigest()


def record_hash(record: dict[str, Any]) -> str:
    """The hash of an event as it travels (:func:`event_record`)."""
    return event_content_hash(record["uuid"], record["station_id"], record["enrollment_uuid"],
                              record["kind"], record.get("actor_uuid"), record["at"],
                              record.get("note"), record.get("place"),
                              record.get("place_note"))  # fmt: skip


def from_record(record: dict[str, Any], station_id: str, digest: str) -> EnrollmentEvent:
    """A travelled event as a row of this station (its hash already checked)."""
    return EnrollmentEvent(**row_of(record, station_id, digest))


def row_of(record: dict[str, Any], station_id: str, digest: str) -> dict[str, Any]:
    """:func:`from_record` as the values of a Core insert (a merge inserts them by hundreds)."""
    from db.sync.records import parse_time

    return {"uuid": record["uuid"], "station_id": station_id,
            "enrollment_uuid": record["enrollment_uuid"], "kind": record["kind"],
            "actor_uuid": record.get("actor_uuid"), "at": parse_time(record["at"]),
            "note": record.get("note"), "place": record.get("place"),
            "place_note": record.get("place_note"), "content_hash": digest}  # fmt: skip


def officer_uuid(s: Session, officer_id: int | None) -> str | None:
    if officer_id is None:
        return None
    return s.scalar(select(Officer.uuid).where(Officer.id == officer_id))


def add(
    s: Session, station_id: str, e: Enrollment | str, kind: str, *, actor_uuid: str | None,
    at: datetime, note: str | None = None, place: str | None = None,
    place_note: str | None = None,
) -> EnrollmentEvent:  # fmt: skip
    """Record one event of ``e`` (made on this station). ``e`` may be only the enrollment's
    UUID: a laptop hands over a card whose enrollment headquarters holds (db/cards.py)."""
    uuid = new_uuid()
    of = e if isinstance(e, str) else e.uuid
    ev = EnrollmentEvent(
        uuid=uuid, station_id=station_id, enrollment_uuid=of, kind=kind,
        actor_uuid=actor_uuid, at=at, note=note, place=place, place_note=place_note,
        content_hash=event_content_hash(uuid, station_id, of, kind, actor_uuid,
                                        at_text(at), note, place, place_note),
    )  # fmt: skip
    s.add(ev)
    s.flush()
    return ev


def project(s: Session, e: Enrollment) -> str:
    """Set ``e``'s status and decision fields from its events; returns the status.

    Events apply in time order (a tie: lifecycle order, then UUID, so every station agrees);
    an event whose prerequisite is not met is skipped (a card cannot be ready before
    approval). The latest decision gives the reviewer, the time and the note.
    """
    if e.submitted_at is None:
        return e.status
    held = s.scalars(select(EnrollmentEvent).where(EnrollmentEvent.enrollment_uuid == e.uuid))
    return _apply(s, e, list(held), {})


def project_all(s: Session, uuids: Iterable[str], chunk: int = 500) -> None:
    """:func:`project` for many enrollments (a merged bundle's), a few queries a chunk: one
    at a time cost three round trips each, most of a decided day's merge at the hub."""
    wanted = sorted(set(uuids))
    reviewers: dict[str, int | None] = {}
    for i in range(0, len(wanted), chunk):
        part = wanted[i : i + chunk]
        held: dict[str, list[EnrollmentEvent]] = {}
        for ev in s.scalars(select(EnrollmentEvent).where(
                EnrollmentEvent.enrollment_uuid.in_(part))):  # fmt: skip
            held.setdefault(ev.enrollment_uuid, []).append(ev)
        for e in s.scalars(select(Enrollment).where(Enrollment.uuid.in_(part))):
            if e.submitted_at is not None:
                _apply(s, e, held.get(e.uuid, []), reviewers)


def _apply(s: Session, e: Enrollment, held: list[EnrollmentEvent],
           reviewers: dict[str, int | None]) -> str:  # fmt: skip
    rows = sorted(held, key=lambda ev: (ev.at, _RANK.get(ev.kind, 9), ev.uuid))
    status, decision = "submitted", None
    for ev in rows:
        to, after = KINDS.get(ev.kind, (None, ()))
        if to is None:
            continue
        if ev.kind in DECISIONS and status in ("approved", "returned"):
            status, decision = to, ev  # a later decision replaces an earlier one
        elif status in after:
            status = to
            if ev.kind in DECISIONS:
                decision = ev
    if status != e.status:
        e.status = status
    if decision is not None:
        reviewer = None
        if decision.actor_uuid is not None:
            if decision.actor_uuid not in reviewers:
                reviewers[decision.actor_uuid] = s.scalar(
                    select(Officer.id).where(Officer.uuid == decision.actor_uuid))
            reviewer = reviewers[decision.actor_uuid]
        e.reviewed_by_id, e.reviewed_at, e.review_note = reviewer, decision.at, decision.note
    return status


def event_record(ev: EnrollmentEvent) -> dict[str, Any]:
    """An event as it travels (its hash: :func:`record_hash`)."""
    return {"t": "event", "uuid": ev.uuid, "station_id": ev.station_id,
            "enrollment_uuid": ev.enrollment_uuid, "kind": ev.kind,
            "actor_uuid": ev.actor_uuid, "at": at_text(ev.at), "note": ev.note,
            **({"place": ev.place, "place_note": ev.place_note} if ev.place else {}),
            "content_hash": ev.content_hash}  # fmt: skip
