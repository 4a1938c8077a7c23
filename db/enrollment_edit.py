"""The checks every change of an unfinished enrollment makes, shared by the lifecycle
(db/enrollment.py) and the fingerprints (db/fingerprints.py) without an import cycle."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.actor import Actor
from db.errors import EnrollmentNotFound, IllegalTransition, PermissionDenied
from db.labels import STATUS_NAMES
from db.models import Enrollment, Officer
from resources.i18n import N_
from resources.problems import Msg

UNFINISHED = ("draft", "captured")
EXCEPTION_SUBJECTS = ("portrait", "fingerprints", "iris", "data")


def load(s: Session, uuid: str) -> Enrollment:
    e = s.scalar(select(Enrollment).where(Enrollment.uuid == uuid))
    if e is None:
        raise EnrollmentNotFound()
    return e


def require_owner(s: Session, e: Enrollment, actor: Actor) -> None:
    """Only its officer works on a draft; a supervisor takes it over first (audited)."""
    if actor.officer_id is None or e.officer_id is None or e.officer_id == actor.officer_id:
        return
    owner = s.scalar(select(Officer.full_name).where(Officer.id == e.officer_id))
    raise PermissionDenied(
        N_("This enrollment is {owner}'s work: only they can continue it, or a supervisor can "
           "take it over."),
        owner=owner or "?",
    )


def require_editable(e: Enrollment) -> None:
    if e.status not in UNFINISHED:
        raise IllegalTransition(
            N_("An enrollment that is {status} is not edited in place; a supervisor sends it "
               "back and it is corrected."),
            status=Msg(STATUS_NAMES[e.status]),
        )  # fmt: skip


def set_exception(
    e: Enrollment, subject: str, reason: str | None, *, note: str | None = None,
    now: datetime, extra: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    """Put the enrollment under one exception of ``subject`` (replacing an earlier one), or
    lift it (``reason`` None). ``has_exception`` follows what is left."""
    if subject not in EXCEPTION_SUBJECTS:
        raise ValueError(f"unknown exception subject: {subject!r}")
    kept = [x for x in (e.exceptions or []) if x.get("subject") != subject]
    if reason is not None:
        kept.append({"subject": subject, "reason": reason, "note": note, "at": now.isoformat(),
                     **(extra or {})})  # fmt: skip
    # A new list (not in-place append): the JSON column notices only reassignment.
    e.exceptions = kept
    e.has_exception = bool(kept)


def editable(s: Session, uuid: str, actor: Actor) -> Enrollment:
    """The enrollment, if ``actor`` may change it now (its officer's, still unfinished)."""
    e = load(s, uuid)
    require_owner(s, e, actor)
    require_editable(e)
    return e
