"""An enrollment's fingerprints: each finger stored as it is taken, or its condition instead.

Why one row per finger (and impression) written at once rather than ten at the end: an elder's
faded prints may take many minutes; a crash, a dead battery or a kill -9 must keep every finger
already taken, and the step resumes at the next one (ODK's savepoints, DESIGN §9). A retake
replaces the row (the best attempt is kept, every attempt's score beside it).

A flat print and a print cut from a slap are the same finger taken flat: recording one replaces
the other (a scanner unplugged mid-step and replaced by the image folder takes single fingers).
Rolled prints are their own rows.

A finger that cannot be taken gets a condition (capture/fingerprint/fingers.Condition) and a
note; the enrollment then carries a "fingerprints" exception and waits for the supervisor, like
a portrait exception. The exception is derived from the conditions every time they change, so
clearing the last condition clears it.

Audit details name fingers, impressions, scores and condition codes, never the person.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from capture.fingerprint.fingers import FINGERS, Condition, Impression
from db import audit
from db.actor import Actor
from db.enrollment_edit import editable, set_exception
from db.errors import InvalidInput
from db.models import Enrollment, Fingerprint
from db.permissions import require
from db.station import StationDB
from db.types import FingerprintInfo, NewPrint
from db.vntime import now_utc
from resources.i18n import N_

IMPRESSIONS = tuple(i.value for i in Impression)
CONDITIONS = tuple(c.value for c in Condition)
IMAGE_FORMATS = ("wsq", "png")
FLAT = ("flat", "slap")  # one finger taken flat, alone or from a slap

#: The enrollment exception a condition puts the enrollment under (db/enrollment.py), most
#: serious first: it names the exception when several fingers carry different conditions.
EXCEPTION_OF = {
    "missing": "missing_fingers",
    "cannot_place": "cannot_place_fingers",
    "bandaged": "injured_fingers",
    "scarred": "injured_fingers",
    "faded": "faded_fingerprints",
}


def group(impression: str) -> tuple[str, ...]:
    """The impressions that stand for the same print of a finger (flat = flat or slap)."""
    return FLAT if impression in FLAT else (impression,)


def _check(finger: int, impression: str) -> None:
    if finger not in FINGERS:
        raise ValueError(f"no such finger: {finger!r}")
    if impression not in IMPRESSIONS:
        raise ValueError(f"unknown impression: {impression!r}")


def _info(f: Fingerprint) -> FingerprintInfo:
    return FingerprintInfo(
        finger=f.finger, impression=f.impression, quality=f.quality,
        device_score=f.device_score, attempts=f.attempts,
        attempt_scores=tuple(int(x) for x in (f.attempt_scores or [])),
        condition=f.condition, note=f.note,
        image_format=f.image_format if f.image is not None else None,
    )  # fmt: skip


def of(s: Session, enrollment_id: int) -> tuple[FingerprintInfo, ...]:
    """An enrollment's fingers in the order of the plan's tables (finger, then impression)."""
    rows = s.scalars(
        select(Fingerprint)
        .where(Fingerprint.enrollment_id == enrollment_id)
        .order_by(Fingerprint.finger, Fingerprint.impression)
    )
    return tuple(_info(f) for f in rows)


def _replace(s: Session, e: Enrollment, finger: int, impression: str) -> None:
    s.execute(delete(Fingerprint).where(
        Fingerprint.enrollment_id == e.id, Fingerprint.finger == finger,
        Fingerprint.impression.in_(group(impression))))  # fmt: skip


def _best(s: Session, e: Enrollment, finger: int, impression: str) -> Fingerprint | None:
    """The print the finger has now (not a condition), among the same kind of impression."""
    return s.scalar(select(Fingerprint).where(
        Fingerprint.enrollment_id == e.id, Fingerprint.finger == finger,
        Fingerprint.impression.in_(group(impression)), Fingerprint.image.is_not(None)))  # fmt: skip


def _sync_exception(s: Session, e: Enrollment, now: datetime) -> None:
    """The enrollment's "fingerprints" exception, from the conditions now recorded."""
    rows = s.execute(
        select(Fingerprint.finger, Fingerprint.condition)
        .where(Fingerprint.enrollment_id == e.id, Fingerprint.condition.is_not(None))
        .order_by(Fingerprint.finger)
    ).all()
    if not rows:
        derived = any(x.get("subject") == "fingerprints" and "fingers" in x
                      for x in (e.exceptions or []))  # fmt: skip
        if derived:  # one recorded by hand (record_exception) stays
            set_exception(e, "fingerprints", None, now=now)
        return
    fingers = {str(finger): str(condition) for finger, condition in rows}
    worst = min(fingers.values(), key=lambda c: list(EXCEPTION_OF).index(c))
    set_exception(e, "fingerprints", EXCEPTION_OF[worst], note=None, now=now,
                  extra={"fingers": fingers})  # fmt: skip


def record_print(
    db: StationDB, uuid: str, finger: int, impression: str, image: bytes, image_format: str,
    quality: int, *, device_score: int | None = None, attempts: int = 1,
    attempt_scores: Sequence[int] = (), device: str | None = None, actor: Actor,
) -> FingerprintInfo:  # fmt: skip
    """Keep a finger's print (the best of its attempts so far), replacing what it had."""
    one = NewPrint(finger, impression, image, image_format, quality, device_score, attempts,
                   tuple(attempt_scores), device)  # fmt: skip
    return record_prints(db, uuid, [one], actor=actor)[0]


def record_prints(
    db: StationDB, uuid: str, prints: Sequence[NewPrint], *, actor: Actor
) -> tuple[FingerprintInfo, ...]:
    """Keep several attempts at once (the fingers of one slap): one transaction, all or none.

    Each finger keeps its best print: an attempt scoring no better than the stored print only
    updates the attempt count and scores (the officer retakes a finger by clearing it first).
    """
    if not prints:
        raise ValueError("no print given")
    for p in prints:
        _check(p.finger, p.impression)
        if p.image_format not in IMAGE_FORMATS or not p.image:
            raise ValueError(f"a print needs image bytes in one of {IMAGE_FORMATS}")
        if not 0 <= p.quality <= 100 or p.attempts < 1:
            raise ValueError("quality is 0-100 and attempts at least 1")
    require(actor, "enrollment.edit")
    now = now_utc()
    with db.Session.begin() as s:
        e = editable(s, uuid, actor)
        rows = [_keep(s, e, p, now) for p in prints]
        for p in prints:
            audit.append(s, e.station_id, actor, "enrollment.finger", "enrollment", e.uuid,
                         f"finger {p.finger} {p.impression}, score {p.quality}, "
                         f"attempts {p.attempts}")  # fmt: skip
        s.flush()
        _sync_exception(s, e, now)
        e.updated_at = now
        return tuple(_info(r) for r in rows)


def _keep(s: Session, e: Enrollment, p: NewPrint, now: datetime) -> Fingerprint:
    """The finger's row after this attempt: the stored print if it is as good (its attempts
    counted), else this print in its place."""
    scores = [int(x) for x in p.attempt_scores]
    best = _best(s, e, p.finger, p.impression)
    if best is not None and (best.quality or 0) >= p.quality:
        best.attempts = max(best.attempts, p.attempts)
        best.attempt_scores = scores or best.attempt_scores
        return best
    _replace(s, e, p.finger, p.impression)
    device_score = p.device_score
    if device_score is not None and not 0 <= device_score <= 100:
        device_score = None  # a device speaking another scale: ours is the one used
    row = Fingerprint(
        station_id=e.station_id, enrollment_id=e.id, finger=p.finger, impression=p.impression,
        image=p.image, image_format=p.image_format, quality=p.quality, device_score=device_score,
        attempts=p.attempts, attempt_scores=scores or [p.quality],
        device=(p.device or None) and p.device[:80], created_at=now,
    )  # fmt: skip
    s.add(row)
    return row


def record_condition(
    db: StationDB, uuid: str, fingers: Collection[int], impression: str, condition: str,
    note: str | None = None, *, attempts: int = 0, attempt_scores: Sequence[int] = (),
    actor: Actor,
) -> tuple[FingerprintInfo, ...]:  # fmt: skip
    """Record that ``fingers`` cannot be taken and why (one finger, or a whole hand at once).

    "faded" is for a finger tried and still too faded: it needs at least one attempt.
    """
    fingers = sorted(set(fingers))
    if not fingers:
        raise ValueError("no finger given")
    for finger in fingers:
        _check(finger, impression)
    if condition not in CONDITIONS:
        raise ValueError(f"unknown condition: {condition!r}")
    if condition == "faded" and attempts < 1:
        raise InvalidInput(N_("A finger is recorded as too faded only after it was tried."))
    require(actor, "enrollment.edit")
    note = (note or "").strip() or None
    now = now_utc()
    with db.Session.begin() as s:
        e = editable(s, uuid, actor)
        rows = []
        for finger in fingers:
            _replace(s, e, finger, impression)
            row = Fingerprint(
                station_id=e.station_id, enrollment_id=e.id, finger=finger,
                impression=impression, condition=condition, note=note,
                attempts=max(attempts, 0), attempt_scores=[int(x) for x in attempt_scores],
                created_at=now,
            )  # fmt: skip
            s.add(row)
            rows.append(row)
        _sync_exception(s, e, now)
        e.updated_at = now
        audit.append(s, e.station_id, actor, "enrollment.finger_condition", "enrollment",
                     e.uuid, f"fingers {','.join(map(str, fingers))} {impression}: {condition}")
        s.flush()
        return tuple(_info(r) for r in rows)


def clear(db: StationDB, uuid: str, finger: int, impression: str, *, actor: Actor) -> None:
    """Forget a finger's print or condition (the officer takes it again)."""
    _check(finger, impression)
    require(actor, "enrollment.edit")
    now = now_utc()
    with db.Session.begin() as s:
        e = editable(s, uuid, actor)
        _replace(s, e, finger, impression)
        _sync_exception(s, e, now)
        e.updated_at = now
        audit.append(s, e.station_id, actor, "enrollment.finger_clear", "enrollment", e.uuid,
                     f"finger {finger} {impression}")  # fmt: skip


def images(db: StationDB, uuid: str) -> dict[tuple[int, str], tuple[bytes, str]]:
    """(finger, impression) → (image bytes, format) of every print taken."""
    with db.Session() as s:
        rows = s.execute(
            select(Fingerprint.finger, Fingerprint.impression, Fingerprint.image,
                   Fingerprint.image_format)
            .join(Enrollment, Enrollment.id == Fingerprint.enrollment_id)
            .where(Enrollment.uuid == uuid, Fingerprint.image.is_not(None))
        ).all()  # fmt: skip
    return {(f, i): (bytes(img or b""), str(fmt or "png")) for f, i, img, fmt in rows}


def untaken(prints: Collection[FingerprintInfo], impressions: tuple[str, ...] = FLAT
            ) -> list[int]:  # fmt: skip
    """The fingers with neither a print nor a condition among ``impressions``."""
    done = {p.finger for p in prints if p.impression in impressions}
    return [f for f in FINGERS if f not in done]
