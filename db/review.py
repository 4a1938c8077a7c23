"""The supervisor's day review (ARCHITECTURE.md): approve, or send back with a note.

Split from db/enrollment.py (the wizard's lifecycle) because the review has its own rules: only
a supervisor may decide (db/permissions.py), every decision is audited in the same transaction,
and the review list shows what the supervisor needs to decide — the portrait, its quality
report, the officer's reason for an exception — without handing the GUI a Session.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import audit, events
from db.accounts import UNUSABLE_PASSWORD
from db.actor import Actor
from db.enrollment import _info
from db.enrollment_edit import load as _load
from db.enrollment_state import another_open
from db.errors import AlreadyDecided, InvalidInput, PermissionDenied
from db.labels import STATUSES
from db.lifecycle import _move
from db.models import Enrollment, Officer, Resident
from db.permissions import require
from db.station import StationDB
from db.types import EnrollmentInfo, ReviewItem
from db.vntime import local_day_bounds, now_utc
from resources.i18n import N_
from resources.problems import Msg


def approve(
    db: StationDB, uuid: str, *, actor: Actor, note: str | None = None,
    now: datetime | None = None,
) -> EnrollmentInfo:  # fmt: skip
    """The supervisor accepts a submitted enrollment (exceptions included)."""
    require(actor, "enrollment.review")
    now = now or now_utc()
    with db.Session.begin() as s:
        e = _load(s, uuid)
        _not_decided(s, e)
        own = _four_eyes(s, e, actor)
        _move(e, "approved")
        e.reviewed_by_id, e.reviewed_at = actor.officer_id, now
        e.review_note = (note or "").strip() or None
        e.updated_at = now
        events.add(s, db.station_id, e, "approve", at=now, note=e.review_note,
                   actor_uuid=events.officer_uuid(s, actor.officer_id))  # fmt: skip
        marks = ["with exception"] * e.has_exception + ["self-approved (only supervisor)"] * own
        audit.append(s, db.station_id, actor, "enrollment.approve", "enrollment", e.uuid,
                     ", ".join(marks) or None)  # fmt: skip
        s.flush()
        return _info(s, e)


def send_back(
    db: StationDB, uuid: str, *, note: str, actor: Actor, now: datetime | None = None
) -> EnrollmentInfo:
    """The supervisor returns a submitted enrollment to its officer, saying what to fix.

    The note is shown to the officer; it is not copied into the audit trail (it may name the
    person), only its length.
    """
    require(actor, "enrollment.review")
    note = (note or "").strip()
    if not note:
        raise InvalidInput(N_("Write what the officer must correct."))
    now = now or now_utc()
    with db.Session.begin() as s:
        e = _load(s, uuid)
        _not_decided(s, e)
        _move(e, "returned")
        e.reviewed_by_id, e.reviewed_at, e.review_note = actor.officer_id, now, note
        e.updated_at = now
        events.add(s, db.station_id, e, "return", at=now, note=note,
                   actor_uuid=events.officer_uuid(s, actor.officer_id))  # fmt: skip
        audit.append(s, db.station_id, actor, "enrollment.send_back", "enrollment", e.uuid,
                     f"note of {len(note)} characters")  # fmt: skip
        s.flush()
        return _info(s, e)


DECIDED = ("approved", "returned", "card_ready", "delivered")


def _not_decided(s: Session, e: Enrollment) -> None:
    """The second of two supervisors deciding one enrollment is told who decided, and what."""
    if e.status not in DECIDED or e.reviewed_by_id is None:
        return
    who = s.scalar(select(Officer.full_name).where(Officer.id == e.reviewed_by_id))
    raise AlreadyDecided(
        N_("This enrollment has already been decided by {name}: {decision}. Nothing was "
           "recorded."),
        name=who or "?", decision=Msg(STATUSES["returned" if e.status == "returned" else
                                             "approved"]),
    )  # fmt: skip


def _four_eyes(s: Session, e: Enrollment, actor: Actor) -> bool:
    """Whether the approval is of the supervisor's own capture (allowed only where nobody else
    could approve it: then it is marked in the audit trail and counted on the tally)."""
    if actor.officer_id is None or e.officer_id != actor.officer_id:
        return False
    others = s.scalar(
        select(func.count()).select_from(Officer).where(
            Officer.role == "supervisor", Officer.active.is_(True), Officer.id != actor.officer_id,
            Officer.password_hash != UNUSABLE_PASSWORD)
    )  # fmt: skip
    if others:
        raise PermissionDenied(
            N_("You captured this enrollment yourself: another supervisor must approve it.")
        )
    return True


def waiting(db: StationDB, actor: Actor, day: date | None = None) -> list[ReviewItem]:
    """Enrollments waiting for approval (all days, or the local ``day``), exceptions first;
    each says whether it is a redo ("làm lại hồ sơ") and whether the person has another open
    enrollment (any station: a possible duplicate, db/enrollment_state.py)."""
    require(actor, "enrollment.review")
    stmt = (
        select(Enrollment.uuid, Enrollment.receipt_no, Resident.full_name, Officer.full_name,
               Enrollment.place, Enrollment.submitted_at, Enrollment.exceptions,
               Enrollment.corrects_id, Enrollment.redo_reason, Enrollment.redo_note,
               another_open().label("duplicate"))
        .join(Resident, Resident.id == Enrollment.resident_id)
        .outerjoin(Officer, Officer.id == Enrollment.officer_id)
        .where(Enrollment.status == "submitted")
        .order_by(Enrollment.has_exception.desc(), Enrollment.submitted_at, Enrollment.id)
    )  # fmt: skip
    if day is not None:
        start, end = local_day_bounds(day)
        stmt = stmt.where(Enrollment.submitted_at >= start, Enrollment.submitted_at < end)
    with db.Session() as s:
        return [
            ReviewItem(u, r, name or "", off, place, at, tuple(exc or ()), corr is not None,
                       redo_reason=redo, redo_note=note, possible_duplicate=bool(dup))
            for u, r, name, off, place, at, exc, corr, redo, note, dup in s.execute(stmt)
        ]  # fmt: skip


def for_review(db: StationDB, actor: Actor, uuid: str) -> tuple[EnrollmentInfo, bytes | None]:
    """One enrollment with its portrait bytes, for the review screen; the view is audited."""
    from db.enrollment import portrait_jpeg

    require(actor, "enrollment.review")
    with db.Session() as s:
        info = _info(s, _load(s, uuid))
    audit.record(db, actor, "enrollment.view", "enrollment", uuid, "review")
    return info, portrait_jpeg(db, uuid)
