"""A card's arrival and handover events as the other modules need them, inside the caller's
transaction: the handover itself (the desk's, and a home visit's outcome), the first arrival
and handover of a card, the card waiting for a resident. Apart from db/cards.py (the service
side: finding, lists, audit) so the home visits use them and db/cards.py closes a delivery
visit, with no import cycle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import events
from db.actor import Actor
from db.errors import CardAlreadyDelivered, CardNotApproved, CardNotArrived
from db.models import CardCopy, Enrollment, EnrollmentEvent, Resident


def first_events(s: Session, enrollment_uuid: str) -> tuple[EnrollmentEvent | None,
                                                       EnrollmentEvent | None]:  # fmt: skip
    """The card's first arrival and first handover events (the later ones are skipped by the
    projection: a card arrives and goes out once)."""
    rows = s.scalars(select(EnrollmentEvent).where(
        EnrollmentEvent.enrollment_uuid == enrollment_uuid,
        EnrollmentEvent.kind.in_(("card_ready", "delivered"))).order_by(
        EnrollmentEvent.at, EnrollmentEvent.uuid)).all()  # fmt: skip
    ready = next((e for e in rows if e.kind == "card_ready"), None)
    out = next((e for e in rows if e.kind == "delivered"), None)
    return ready, out


def hand_over(s: Session, station_id: str, actor: Actor, e: Enrollment | None,
              copy: CardCopy | None, place: str, note: str | None, now: datetime) -> str:
    """The delivered event of a card (the enrollment, or a laptop's copy of it), inside the
    caller's transaction; its enrollment's UUID. A home visit's outcome uses it too."""
    from db.lifecycle import _move
    from db.vntime import local_date

    uuid = e.uuid if e is not None else copy.enrollment_uuid if copy is not None else ""
    _ready, done = first_events(s, uuid)
    if done is not None or (e is not None and e.status == "delivered"):
        raise CardAlreadyDelivered(day=local_date(done.at).strftime("%d/%m/%Y")
                                   if done is not None else "?")  # fmt: skip
    if e is not None and e.status == "approved":
        raise CardNotArrived()
    if e is not None and e.status != "card_ready":
        raise CardNotApproved()
    if e is not None:
        _move(e, "delivered")
        e.updated_at = now
    events.add(s, station_id, e if e is not None else uuid, "delivered",
               actor_uuid=events.officer_uuid(s, actor.officer_id), at=now, place=place,
               place_note=(note or "").strip() or None)  # fmt: skip
    return uuid


def of_resident(s: Session, resident_uuid: str) -> tuple[Enrollment | None, CardCopy | None]:
    """The card waiting for a resident (a home delivery visit takes it): the enrollment
    held here, else a laptop's copy; (None, None) when there is none."""
    e = s.scalar(select(Enrollment).join(Resident, Resident.id == Enrollment.resident_id)
                 .where(Resident.uuid == resident_uuid, Enrollment.status == "card_ready")
                 .order_by(Enrollment.submitted_at.desc()).limit(1))  # fmt: skip
    if e is not None:
        return e, None
    for copy in s.scalars(select(CardCopy).where(CardCopy.resident_uuid == resident_uuid)
                          .order_by(CardCopy.arrived_at.desc())):  # fmt: skip
        if first_events(s, copy.enrollment_uuid)[1] is None:
            return None, copy
    return None, None
