"""The enrollment lifecycle (ARCHITECTURE.md, "Data model"), headless: wizard and CLI call it.

Statuses and the only moves allowed between them::

    draft ──attach_portrait──▶ captured ──submit──▶ submitted ──approve──▶ approved
      │                          │                      │                    │
      └──────discard─────────────┴──▶ discarded         └──send_back──▶ returned
                                                                           │
    approved ──card_ready──▶ card_ready ──deliver──▶ delivered             │
                                                                           ▼
                                  correct(): a NEW enrollment (draft or captured) that
                                  points at the returned one (``corrects_id``)

The supervisor's moves (approve, send back) are in db/review.py.

Why a correction is a new enrollment rather than moving "returned" back to "captured": a
submitted enrollment is never edited in place (§5: corrections are new events; field laptops
merge by UUID), and a tally once signed must stay true — the day it was received still shows
the returned enrollment as returned. The correction copies the data typed so far, the portrait
and the recorded exceptions, so the officer only fixes what the supervisor asked for; it gets
its own slip number and return date when it is submitted again.

Every action is one short transaction (a session per action) that commits before returning:
with WAL and ``synchronous=FULL`` a crash or a dead battery loses at most the step being typed.
Callers get plain dataclasses, never ORM objects. Errors carry no personal data.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import func, insert, literal, select
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session, aliased

from db import audit, fingerprints, vneid
from db.actor import Actor
from db.enrollment_edit import UNFINISHED, set_exception
from db.enrollment_edit import load as _load
from db.enrollment_edit import require_editable as _require_editable
from db.enrollment_edit import require_owner as _require_owner
from db.enrollment_state import REDO_REASONS, open_enrollment
from db.errors import (
    EnrollmentNotFound,
    IllegalTransition,
    InvalidInput,
    OpenEnrollmentExists,
)
from db.labels import STATUS_NAMES
from db.lifecycle import _move
from db.models import Enrollment, Fingerprint, Officer, Portrait, Resident, new_uuid
from db.permissions import require
from db.slipno import next_slip_no
from db.station import StationDB
from db.types import DayEnrollment, DraftSummary, EnrollmentInfo, PortraitInfo
from db.vntime import NO_BIOMETRICS_BELOW, local_date, now_utc, surely_under
from resources.i18n import N_
from resources.problems import Msg

PLACES = ("hq", "home", "mobile")
STEPS = ("details", "portrait", "fingerprints", "review")
#: Statuses an enrollment has once received (counted by tallies).
RECEIVED = ("submitted", "approved", "returned", "card_ready", "delivered")
APPROVED_OR_LATER = ("approved", "card_ready", "delivered")
#: Why a quality check could not be met (flow 5); "other" needs a note.
EXCEPTION_REASONS = (
    "bedridden",  # lying down: portrait from above, background not plain
    "cannot_sit",  # elderly / disabled, cannot hold the pose
    "missing_fingers",
    "injured_fingers",  # scarred, bandaged
    "faded_fingerprints",  # worn ridges after several attempts
    "cannot_place_fingers",  # the hand cannot be opened or placed on the glass
    "eye_condition",
    "child",
    "injury",  # face or neck injury, dressing
    "head_covering",  # religious or ethnic head covering (allowed when the face is clear)
    "other",
)


# --- helpers ---------------------------------------------------------------------------


def _portrait_of(s: Session, enrollment_id: int) -> Portrait | None:
    return s.scalar(
        select(Portrait).where(Portrait.enrollment_id == enrollment_id).order_by(Portrait.id.desc())
    )


def _info(s: Session, e: Enrollment) -> EnrollmentInfo:
    resident_name = s.scalar(select(Resident.full_name).where(Resident.id == e.resident_id))
    officer_name = (
        s.scalar(select(Officer.full_name).where(Officer.id == e.officer_id))
        if e.officer_id is not None
        else None
    )
    corrects = (
        s.scalar(select(Enrollment.uuid).where(Enrollment.id == e.corrects_id))
        if e.corrects_id is not None
        else None
    )
    p = _portrait_of(s, e.id)
    portrait = (
        PortraitInfo(p.width, p.height, p.attempts, p.bedridden, dict(p.quality or {}),
                     p.exception_reason)
        if p is not None
        else None
    )  # fmt: skip
    return EnrollmentInfo(
        uuid=e.uuid,
        resident_id=e.resident_id,
        resident_name=resident_name or "",
        officer_id=e.officer_id,
        officer_name=officer_name,
        place=e.place,
        status=e.status,
        step=e.step,
        draft=dict(e.draft or {}),
        receipt_no=e.receipt_no,
        appointment_date=e.appointment_date,
        created_at=e.created_at,
        updated_at=e.updated_at,
        submitted_at=e.submitted_at,
        exceptions=tuple(dict(x) for x in (e.exceptions or [])),
        reviewed_at=e.reviewed_at,
        review_note=e.review_note,
        corrects_uuid=corrects,
        portrait=portrait,
        redo_reason=e.redo_reason,
        redo_note=e.redo_note,
        redo_of=e.redo_of,
        fingerprints=fingerprints.of(s, e.id),
    )


def _add_exception(
    e: Enrollment, subject: str, reason: str, note: str | None, now: datetime
) -> None:
    if reason not in EXCEPTION_REASONS:
        raise ValueError(f"unknown exception reason: {reason!r}")
    note = (note or "").strip() or None
    if reason == "other" and not note:
        raise InvalidInput(N_("Say in a note why the check cannot be met."))
    set_exception(e, subject, reason, note=note, now=now)


def _audit(s: Session, e: Enrollment, actor: Actor, action: str, det: str | None = None) -> None:
    """Check the role and audit the change, in the change's own transaction: every edit names
    who made it (the signed-in officer, or SYSTEM for the program's own work)."""
    require(actor, "enrollment.edit")
    audit.append(s, e.station_id, actor, "enrollment." + action, "enrollment", e.uuid, det)


# --- the wizard -------------------------------------------------------------------------


def create_draft(
    db: StationDB,
    resident_id: int,
    *,
    place: str = "hq",
    officer_id: int | None = None,
    now: datetime | None = None,
    redo_reason: str | None = None,
    redo_note: str | None = None,
    visit_uuid: str | None = None,
    actor: Actor,
) -> EnrollmentInfo:
    """Start an enrollment for a resident of the register at a place (hq / home / mobile).

    Refused with :class:`OpenEnrollmentExists` while the person has an open enrollment (any
    station: db/enrollment_state.py), unless the officer redoes the application
    ("làm lại hồ sơ") with a ``redo_reason``; the reason, the note and the open enrollment it
    stands beside are stored on the new one and audited. Checked inside the write transaction
    (``BEGIN IMMEDIATE``): of two officers choosing the same person at once, one is refused.
    """
    if place not in PLACES:
        raise ValueError(f"unknown place: {place!r}")
    redo_note = _redo_checked(redo_reason, redo_note)
    now = now or now_utc()
    with db.Session.begin() as s:
        if s.get(Resident, resident_id) is None:
            raise EnrollmentNotFound(N_("This person is no longer in the register."))
        existing = open_enrollment(s, resident_id)
        if existing is not None and redo_reason is None:
            raise _open_exists(s, existing, actor)
        e = Enrollment(
            station_id=db.station_id,
            resident_id=resident_id,
            officer_id=officer_id,
            place=place,
            status="draft",
            step=STEPS[0],
            draft={},
            created_at=now,
            updated_at=now,
            redo_reason=redo_reason,
            redo_note=redo_note,
            redo_of=existing.uuid if existing is not None else None,
            visit_uuid=visit_uuid,
        )
        s.add(e)
        s.flush()
        _audit(s, e, actor, "create", f"resident #{resident_id}, {place}")
        if redo_reason is not None:  # the note may name the person: only the reason is audited
            _audit(s, e, actor, "redo", f"redo {redo_reason}"
                   + (f" beside {existing.uuid}" if existing is not None else ""))  # fmt: skip
        return _info(s, e)


def _redo_checked(reason: str | None, note: str | None) -> str | None:
    """The redo note to store; "other" needs one, a note alone (without a reason) is refused."""
    note = (note or "").strip() or None
    if reason is None:
        if note is not None:
            raise ValueError("a redo note without a redo reason")
        return None
    if reason not in REDO_REASONS:
        raise ValueError(f"unknown redo reason: {reason!r}")
    if reason == "other" and note is None:
        raise InvalidInput(N_("Say in a note why the application is redone."))
    return note


def _open_exists(s: Session, e: Enrollment, actor: Actor) -> OpenEnrollmentExists:
    """The refusal, in words (status, day, slip number; never the person), carrying what the
    desk needs to offer the open enrollment instead."""
    day = local_date(e.submitted_at or e.created_at).strftime("%d/%m/%Y")
    status = Msg(STATUS_NAMES[e.status])
    if e.receipt_no:
        exc = OpenEnrollmentExists(
            N_("This person already has an enrollment that is {status}: slip {slip_no}, "
               "received {day}. A second one is started only to redo the application, with a "
               "reason."),
            status=status, slip_no=e.receipt_no, day=day,
        )  # fmt: skip
    else:
        exc = OpenEnrollmentExists(status=status, day=day)
    exc.uuid, exc.status, exc.resident_id = e.uuid, e.status, e.resident_id
    exc.receipt_no, exc.day, exc.station_id = e.receipt_no, day, e.station_id
    exc.own_draft = e.status in UNFINISHED and (
        e.officer_id is not None and e.officer_id == actor.officer_id
    )
    if e.officer_id is not None:
        exc.officer_name = s.scalar(select(Officer.full_name).where(Officer.id == e.officer_id))
    return exc


def save_step(db: StationDB, uuid: str, step: str, data: dict[str, Any], *, actor: Actor) -> None:
    """Store what was typed in a wizard step, committed before returning (the savepoint)."""
    if step not in STEPS:
        raise ValueError(f"unknown wizard step: {step!r}")
    if step == "details":
        vneid.check_details(data)  # a level-2 account request is stored only as checked
    with db.Session.begin() as s:
        e = _load(s, uuid)
        _require_owner(s, e, actor)
        _require_editable(e)
        e.draft = {**(e.draft or {}), step: dict(data)}
        e.step = step
        e.updated_at = now_utc()
        _audit(s, e, actor, "save", step)


def attach_portrait(
    db: StationDB,
    uuid: str,
    jpeg: bytes,
    width: int,
    height: int,
    quality_report: dict[str, Any],
    attempts: int = 1,
    bedridden: bool = False,
    exception_reason: str | None = None,
    note: str | None = None,
    *,
    actor: Actor,
) -> EnrollmentInfo:
    """Keep the accepted portrait (replacing an earlier one) and mark the biometrics captured.

    ``attempts`` counts every capture tried for this person, so a retake after a replacement
    must pass the running total. An ``exception_reason`` records that a failing check was
    overridden; the enrollment then waits for a supervisor's approval like any other, with the
    exception shown to them.
    """
    if not jpeg.startswith(b"\xff\xd8"):
        raise ValueError("the portrait must be a JPEG")
    if attempts < 1 or width <= 0 or height <= 0:
        raise ValueError("attempts, width and height must be positive")
    now = now_utc()
    with db.Session.begin() as s:
        e = _load(s, uuid)
        _require_owner(s, e, actor)
        _require_editable(e)
        old = _portrait_of(s, e.id)
        if old is not None:
            s.delete(old)
        if exception_reason is not None:
            _add_exception(e, "portrait", exception_reason, note, now)
        s.add(
            Portrait(
                station_id=e.station_id,
                enrollment_id=e.id,
                jpeg=jpeg,
                width=width,
                height=height,
                quality=dict(quality_report),
                attempts=attempts,
                bedridden=bedridden,
                exception_reason=exception_reason,
                exception_note=(note or None) if exception_reason else None,
            )
        )
        if e.status == "draft":
            _move(e, "captured")
        e.step = "portrait"
        e.updated_at = now
        _audit(s, e, actor, "portrait", f"attempts {attempts}"
               + (f", override {exception_reason}" if exception_reason else ""))  # fmt: skip
        s.flush()
        return _info(s, e)


def record_exception(
    db: StationDB, uuid: str, reason: str, note: str | None = None, *,
    subject: str = "fingerprints", actor: Actor,
) -> None:  # fmt: skip
    """Record that a quality check of ``subject`` cannot be met, why, and a note (flow 5)."""
    now = now_utc()
    with db.Session.begin() as s:
        e = _load(s, uuid)
        _require_owner(s, e, actor)
        _require_editable(e)
        _add_exception(e, subject, reason, note, now)
        e.updated_at = now
        _audit(s, e, actor, "override", f"{subject}: {reason}")


def discard(db: StationDB, uuid: str, *, actor: Actor) -> None:
    """Abandon an unfinished enrollment (kept, marked discarded; it never had a slip number)."""
    with db.Session.begin() as s:
        e = _load(s, uuid)
        _require_owner(s, e, actor)
        _move(e, "discarded")
        e.updated_at = now_utc()
        _audit(s, e, actor, "discard")


def _untouched(s: Session, e: Enrollment) -> bool:
    """Nothing was recorded beyond opening the person: no portrait, no exception, not a
    correction, and the details (if autosaved) are the register's, uncorrected."""
    if e.status != "draft" or e.corrects_id is not None or e.has_exception or e.exceptions:
        return False
    if s.scalar(select(func.count()).where(Portrait.enrollment_id == e.id)):
        return False
    if s.scalar(select(func.count()).where(Fingerprint.enrollment_id == e.id)):
        return False
    draft = dict(e.draft or {})
    details = draft.pop("details", None) or {}
    if not isinstance(details, dict) or details.get("corrections"):
        return False
    if details.get("vneid") or details.get("vneid_typed"):  # a level-2 account was asked for
        return False
    return set(draft) <= {"portrait"}  # the portrait page's switches, without a photo


def discard_untouched(db: StationDB, uuid: str, *, actor: Actor) -> bool:
    """Discard a draft the officer opened and left without recording anything (audited like
    any discard); a draft holding any work is kept. True when it was discarded.

    Why: opening a person is one key press and starts a draft at once (so a crash keeps the
    first step); leaving again at once must not leave an "unfinished enrollment" behind.
    """
    with db.Session.begin() as s:
        e = _load(s, uuid)
        _require_owner(s, e, actor)
        if not _untouched(s, e):
            return False
        _move(e, "discarded")
        e.updated_at = now_utc()
        _audit(s, e, actor, "discard")
        return True


def draft_stage(has_portrait: bool, fingers: int = 0) -> str:
    """How far an unfinished enrollment really got, from what is stored (not from the last
    step saved: a crash right after the photo must still say the photo is taken)."""
    if fingers:
        return "fingerprints"
    return "portrait" if has_portrait else "details"


def list_drafts(db: StationDB, officer_id: int | None = None) -> list[DraftSummary]:
    """Unfinished enrollments (draft or captured), most recently touched first."""
    has_portrait = (
        select(func.count())
        .where(Portrait.enrollment_id == Enrollment.id)
        .correlate(Enrollment)
        .scalar_subquery()
    )
    has_fingers = (
        select(func.count())
        .where(Fingerprint.enrollment_id == Enrollment.id)
        .correlate(Enrollment)
        .scalar_subquery()
    )
    stmt = (
        select(Enrollment.uuid, Enrollment.resident_id, Resident.full_name, Officer.full_name,
               Enrollment.place, Enrollment.status, Enrollment.step, Enrollment.updated_at,
               has_portrait, has_fingers, Resident.birth_date, Resident.birth_year,
               Resident.village)
        .join(Resident, Resident.id == Enrollment.resident_id)
        .outerjoin(Officer, Officer.id == Enrollment.officer_id)
        .where(Enrollment.status.in_(UNFINISHED))
        .order_by(Enrollment.updated_at.desc(), Enrollment.id.desc())
    )  # fmt: skip
    if officer_id is not None:
        stmt = stmt.where(Enrollment.officer_id == officer_id)
    with db.Session() as s:
        return [
            DraftSummary(uuid, rid, name, officer, place, status, step, at,
                         draft_stage(bool(photos), fingers), birth, year, village)
            for (uuid, rid, name, officer, place, status, step, at, photos, fingers, birth, year,
                 village) in s.execute(stmt)
        ]


def resume(db: StationDB, uuid: str, actor: Actor) -> EnrollmentInfo:
    """An unfinished enrollment, to reopen the wizard at its step with its data (its own
    officer's only: another officer's draft is taken over first)."""
    with db.Session() as s:
        e = _load(s, uuid)
        _require_owner(s, e, actor)
        if e.status not in UNFINISHED:
            raise IllegalTransition(
                N_("An enrollment that is {status} cannot be resumed."),
                status=Msg(STATUS_NAMES[e.status]),
            )
        return _info(s, e)


def take_over(db: StationDB, uuid: str, *, actor: Actor) -> EnrollmentInfo:
    """A supervisor takes over another officer's unfinished enrollment (the officer went home
    sick mid-queue): from now on it is theirs, and the audit trail says from whom."""
    require(actor, "enrollment.review")
    with db.Session.begin() as s:
        e = _load(s, uuid)
        if e.status not in UNFINISHED:
            raise IllegalTransition(
                N_("An enrollment that is {status} cannot be taken over."),
                status=Msg(STATUS_NAMES[e.status]),
            )
        previous, e.officer_id = e.officer_id, actor.officer_id
        e.updated_at = now_utc()
        audit.append(s, e.station_id, actor, "enrollment.take_over", "enrollment", e.uuid,
                     f"from officer #{previous}" if previous else "unassigned")  # fmt: skip
        s.flush()
        return _info(s, e)


def get(db: StationDB, uuid: str) -> EnrollmentInfo:
    with db.Session() as s:
        return _info(s, _load(s, uuid))


def find_uuid(db: StationDB, ref: str) -> str:
    """An enrollment's uuid from its uuid or its slip number (what is printed under the QR)."""
    ref = ref.strip()
    with db.Session() as s:
        found = s.scalar(select(Enrollment.uuid).where(
            (Enrollment.uuid == ref.lower()) | (Enrollment.receipt_no == ref.upper())))  # fmt: skip
    if found is None:
        raise EnrollmentNotFound(N_("No enrollment has this number or slip number."))
    return str(found)


def portrait_jpeg(db: StationDB, uuid: str) -> bytes | None:
    """The accepted portrait's JPEG bytes (for the slip thumbnail and the review screen)."""
    with db.Session() as s:
        e = _load(s, uuid)
        p = _portrait_of(s, e.id)
        return None if p is None or not p.jpeg else bytes(p.jpeg)  # b"": pruned (sync)


# --- submission and review --------------------------------------------------------------


def submit(
    db: StationDB, uuid: str, *, now: datetime | None = None, actor: Actor
) -> EnrollmentInfo:
    """Receive the application: slip number, receipt time and return date, in one transaction.

    The slip counter is incremented first (it takes the write lock), then the move is checked;
    an illegal move rolls the increment back, so no number is lost to a refused submit.
    """
    from printing import return_date

    now = now or now_utc()
    with db.Session.begin() as s:
        receipt_no = next_slip_no(s, db.station_id, now)
        e = _load(s, uuid)
        _require_owner(s, e, actor)
        if e.status == "captured":
            _require_fingerprints(s, e, local_date(now))
        _require_vneid_checked(e)
        _move(e, "submitted")
        e.receipt_no = receipt_no
        e.submitted_at = now
        e.appointment_date = return_date(local_date(now))
        e.step = "review"
        e.updated_at = now
        s.flush()
        e.vneid_requested = vneid.requested(e.draft)
        e.content_hash = _content_hash(s, e)
        _audit(s, e, actor, "submit", receipt_no)
        if e.visit_uuid:
            from db.events import officer_uuid
            from db.visits import on_submit

            on_submit(s, db.station_id, e, officer_uuid(s, actor.officer_id), now)
        s.flush()
        return _info(s, e)


def _content_hash(s: Session, e: Enrollment) -> str:
    """Fixed at submission: what field sync compares (db/sync/records.py)."""
    from db.sync.records import content_hash, enrollment_record

    return content_hash(enrollment_record(s, e)[0])


def _require_vneid_checked(e: Enrollment) -> None:
    """A level-2 account request is received only with a valid mobile number (db/vneid.py):
    whatever wrote the draft, a bad or half-typed one is refused, not submitted."""
    draft = e.draft or {}
    vneid.check_draft(draft)
    details = draft.get("details")
    if isinstance(details, dict) and details.get("vneid_typed") and not details.get("vneid"):
        raise InvalidInput(
            N_("The level-2 account request has no valid mobile number yet: correct it in the "
               "details step, or untick the request.")
        )


def _require_fingerprints(s: Session, e: Enrollment, on: date) -> None:
    """Every finger of the plan has a print or a recorded condition (from age 6); rolled prints
    too when the station takes them."""
    from db import settings

    r = s.get(Resident, e.resident_id)
    if r is not None and surely_under(NO_BIOMETRICS_BELOW, r.birth_date, r.birth_year, on):
        return
    prints = fingerprints.of(s, e.id)
    missing = fingerprints.untaken(prints)
    if settings.load_in(s).fingerprint_rolled == "yes":
        missing += [f for f in fingerprints.untaken(prints, ("rolled",)) if f not in missing]
    if missing:
        raise InvalidInput(
            N_("Fingerprints are still missing ({n} of 10 fingers): take them, or record why "
               "a finger cannot be taken."),
            n=len(missing),
        )


def correct(
    db: StationDB, uuid: str, *, officer_id: int | None = None, actor: Actor
) -> EnrollmentInfo:
    """Start the correction of a returned enrollment: a new one carrying its data and portrait.

    Refused unless the enrollment was returned, and if a correction of it is already under way
    or submitted (one returned enrollment, one correction).
    """
    now = now_utc()
    with db.Session.begin() as s:
        old = _load(s, uuid)
        if old.status != "returned":
            raise IllegalTransition(
                N_("Only an enrollment sent back can be corrected; this one is {status}."),
                status=Msg(STATUS_NAMES[old.status]),
            )
        taken = s.scalar(
            select(func.count()).where(
                Enrollment.corrects_id == old.id, Enrollment.status != "discarded"
            )
        )
        if taken:
            raise IllegalTransition(N_("This returned enrollment already has a correction."))
        existing = open_enrollment(s, old.resident_id)
        if existing is not None:  # started anew meanwhile: no silent second one
            raise _open_exists(s, existing, actor)
        new = Enrollment(
            station_id=old.station_id,
            resident_id=old.resident_id,
            officer_id=officer_id if officer_id is not None else old.officer_id,
            place=old.place,
            status="draft",
            step=old.step if old.step != "review" else "fingerprints",
            draft=dict(old.draft or {}),
            exceptions=list(old.exceptions or []),
            has_exception=old.has_exception,
            notes=old.notes,
            corrects_id=old.id,
            created_at=now,
            updated_at=now,
        )
        s.add(new)
        s.flush()
        p = Portrait.__table__.c
        copied = cast(CursorResult[Any], s.execute(
            insert(Portrait.__table__).from_select(
                ["uuid", "station_id", "enrollment_id", "jpeg", "width", "height", "quality",
                 "attempts", "bedridden", "exception_reason", "exception_note", "created_at"],
                select(literal(new_uuid()), p.station_id,
                       literal(new.id), p.jpeg, p.width, p.height, p.quality,
                       p.attempts, p.bedridden, p.exception_reason, p.exception_note,
                       p.created_at)
                .where(p.enrollment_id == old.id).order_by(p.id.desc()).limit(1),
            )
        )).rowcount  # fmt: skip
        if copied:
            _move(new, "captured")
        f = Fingerprint.__table__.c
        kept = ["station_id", "finger", "impression", "image", "image_format", "quality",
                "device_score", "attempts", "attempt_scores", "condition", "note", "device",
                "created_at"]  # fmt: skip
        for row in s.execute(select(*(f[c] for c in kept)).where(f.enrollment_id == old.id)):
            s.execute(insert(Fingerprint.__table__).values(
                uuid=new_uuid(), enrollment_id=new.id, **dict(zip(kept, row, strict=True))))
        s.flush()
        _audit(s, new, actor, "correct", f"corrects {old.uuid}")
        return _info(s, new)


def _corrections_of(s: Session, ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """Returned enrollment id → (uuid, status) of its correction (not discarded), if any."""
    if not ids:
        return {}
    rows = s.execute(
        select(Enrollment.corrects_id, Enrollment.uuid, Enrollment.status)
        .where(Enrollment.corrects_id.in_(list(ids)), Enrollment.status != "discarded")
        .order_by(Enrollment.id)
    )
    return {int(old): (str(uuid), str(status)) for old, uuid, status in rows if old is not None}


def with_review_notes(db: StationDB, rows: list[DayEnrollment]) -> list[DayEnrollment]:
    """``rows`` with each returned enrollment's note and correction filled in (the desk shows
    why it was sent back and whether it is being corrected)."""
    returned = [r.uuid for r in rows if r.status == "returned"]
    if not returned:
        return rows
    with db.Session() as s:
        found = s.execute(select(Enrollment.uuid, Enrollment.id, Enrollment.review_note)
                          .where(Enrollment.uuid.in_(returned))).all()  # fmt: skip
        fixes = _corrections_of(s, [row.id for row in found])
    notes = {u: (note, fixes.get(i, (None, None))) for u, i, note in found}
    out = []
    for r in rows:
        if r.uuid in notes:
            note, (fix, fix_status) = notes[r.uuid]
            r = replace(r, review_note=note, correction_uuid=fix, correction_status=fix_status)
        out.append(r)
    return out


def awaiting_correction(db: StationDB, officer_id: int | None) -> list[DayEnrollment]:
    """An officer's enrollments sent back whose correction is not submitted yet, whatever day
    they were received (a supervisor reviewing in the evening sends back yesterday's work),
    most recently reviewed first."""
    if officer_id is None:
        return []
    fix = aliased(Enrollment)
    done = (  # corrections already submitted (received) again
        select(func.count())
        .select_from(fix)
        .where(fix.corrects_id == Enrollment.id, fix.status.in_(RECEIVED))
        .correlate(Enrollment)
        .scalar_subquery()
    )
    stmt = (
        select(Enrollment.id, Enrollment.uuid, Enrollment.receipt_no, Resident.full_name,
               Resident.personal_id, Resident.village, Officer.full_name, Enrollment.place,
               Enrollment.status, Enrollment.submitted_at, Enrollment.has_exception,
               Enrollment.review_note)
        .join(Resident, Resident.id == Enrollment.resident_id)
        .outerjoin(Officer, Officer.id == Enrollment.officer_id)
        .where(Enrollment.status == "returned", Enrollment.officer_id == officer_id, done == 0)
        .order_by(Enrollment.reviewed_at.desc(), Enrollment.id.desc())
    )  # fmt: skip
    with db.Session() as s:
        rows = s.execute(stmt).all()
        fixes = _corrections_of(s, [row[0] for row in rows])
    return [
        DayEnrollment(uuid, receipt_no, name, pid, village, officer, place, status, at, exc,
                      note, *fixes.get(eid, (None, None)))
        for eid, uuid, receipt_no, name, pid, village, officer, place, status, at, exc, note
        in rows
    ]


def mark_card_ready(db: StationDB, uuid: str) -> None:
    """The card has come back from the production centre (later issue drives this)."""
    _later_event(db, uuid, "card_ready")


def mark_delivered(db: StationDB, uuid: str) -> None:
    _later_event(db, uuid, "delivered")


def _later_event(db: StationDB, uuid: str, kind: str) -> None:
    from db import events

    with db.Session.begin() as s:
        e = _load(s, uuid)
        now = now_utc()
        _move(e, events.KINDS[kind][0])
        e.updated_at = now
        events.add(s, db.station_id, e, kind, actor_uuid=None, at=now)
