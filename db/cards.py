"""Cards that come back from the province and go out to the people (issue 17).

Arrival and handover are the ``card_ready`` and ``delivered`` events of an approved enrollment
(db/events.py, DESIGN §11): records of their own with the actor and the time, so they travel
and merge by UUID and the enrollment itself is never edited (its status is their projection).
A handover says how it went: at the office, at home (where, by whom: the actor) or by post.

A card is found by what the officer has in hand: the card itself (its QR text, or the 12-digit
number typed or scanned), the appointment slip (its QR, or the slip number). A number finds
the person's latest approved enrollment. Only the number of a card is trusted, never its
letters (capture/card/qr_text.py).

A mobile laptop hands over cards whose enrollments headquarters holds: the work packet brings
a :class:`db.models.CardCopy` of each card a "deliver" visit takes (slip number, arrival,
portrait), and the laptop's delivered event goes back in its bundle (db/sync/card_travel.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, select, true
from sqlalchemy.orm import Session, aliased

from db import audit, events, visits
from db.actor import Actor
from db.card_events import first_events, hand_over
from db.errors import (
    CardAlreadyDelivered,
    CardNotApproved,
    CardNotArrived,
    CardNotFound,
    InvalidInput,
)
from db.grouping import AnySelect, Grouping
from db.models import CardCopy, Enrollment, EnrollmentEvent, Officer, Resident
from db.permissions import require
from db.station import StationDB
from db.types import CardInfo, CardOutcome
from db.vntime import local_day_bounds, now_utc
from resources.i18n import N_

#: How a card was handed over.
PLACES = ("hq", "home", "post")

#: Enrollments whose card may exist (approved or later).
CARD_STATES = ("approved", "card_ready", "delivered")
_DIGITS = re.compile(r"^\d{12}$")


# --- finding the card -----------------------------------------------------------------------


def key_of(ref: str) -> tuple[str, str]:
    """What a reference is: ``("uuid", …)`` (a slip's QR), ``("personal_id", …)`` (a card's QR
    or its number) or ``("slip", …)`` (a slip number). Pure: the CLI and the lookup share it."""
    from capture.card.qr_text import NotACardQR, looks_like_card, parse
    from printing.qr import SLIP_PREFIX, parse_slip_payload

    text = (ref or "").strip()
    if text.startswith(SLIP_PREFIX + "|"):
        try:
            return "uuid", parse_slip_payload(text)[0]
        except ValueError:
            pass  # a damaged slip code: looked up as typed (and not found)
    if looks_like_card(text):
        try:
            return "personal_id", parse(text).personal_id
        except NotACardQR:
            return "personal_id", text[:12]
    if _DIGITS.match(text):
        return "personal_id", text
    if not text:
        raise InvalidInput(N_("Scan the card or the slip, or type the slip number."))
    return "slip", text.upper()


def _find(s: Session, ref: str) -> Enrollment | None:
    kind, value = key_of(ref)
    stmt = select(Enrollment)
    if kind == "uuid":
        return s.scalar(stmt.where(Enrollment.uuid == value))
    if kind == "slip":
        return s.scalar(stmt.where(Enrollment.receipt_no == value))
    return s.scalar(
        stmt.join(Resident, Resident.id == Enrollment.resident_id)
        .where(Resident.personal_id == value, Enrollment.status.in_(CARD_STATES))
        .order_by(Enrollment.submitted_at.desc(), Enrollment.id.desc())
        .limit(1)
    )


def _copy(s: Session, ref: str) -> CardCopy | None:
    """A laptop's copy of a card it takes to someone's home."""
    kind, value = key_of(ref)
    if kind == "uuid":
        return s.scalar(select(CardCopy).where(CardCopy.enrollment_uuid == value))
    if kind == "slip":
        return s.scalar(select(CardCopy).where(CardCopy.slip_no == value))
    return s.scalar(
        select(CardCopy).join(Resident, Resident.uuid == CardCopy.resident_uuid)
        .where(Resident.personal_id == value).order_by(CardCopy.arrived_at.desc()).limit(1)
    )  # fmt: skip


def _officer_name(s: Session, uuid: str | None) -> str:
    if uuid is None:
        return ""
    return s.scalar(select(Officer.full_name).where(Officer.uuid == uuid)) or ""


def _info(s: Session, e: Enrollment | None, copy: CardCopy | None = None) -> CardInfo:
    """The card as the lists and the handover show it, from the enrollment (or, on a laptop,
    from its copy of a card headquarters holds)."""
    if e is not None:
        uuid, slip, place = e.uuid, e.receipt_no, e.place
        r = s.get(Resident, e.resident_id)
    else:
        assert copy is not None
        uuid, slip, place = copy.enrollment_uuid, copy.slip_no, "home"
        r = s.scalar(select(Resident).where(Resident.uuid == copy.resident_uuid))
    ready, out = first_events(s, uuid)
    arrived = ready.at if ready is not None else (copy.arrived_at if copy else None)
    status = e.status if e is not None else ("delivered" if out is not None else "card_ready")
    return CardInfo(
        enrollment_uuid=uuid, slip_no=slip or "", resident_id=r.id if r else None,
        full_name=r.full_name if r else "", birth_date=r.birth_date if r else None,
        birth_year=r.birth_year if r else None, personal_id=r.personal_id if r else None,
        village=r.village if r else None, phone=r.phone if r else None, status=status,
        enrolled_place=place, arrived_at=arrived,
        delivered_at=out.at if out is not None else None,
        delivered_place=(out.place or "hq") if out is not None else None,
        delivered_note=out.place_note if out is not None else None,
        delivered_by=_officer_name(s, out.actor_uuid) if out is not None else "",
        copy=e is None, resident_uuid=r.uuid if r else None,
    )  # fmt: skip


def _portrait(s: Session, e: Enrollment | None, copy: CardCopy | None) -> bytes | None:
    from db.enrollment import _portrait_of

    if e is None:
        return copy.portrait if copy is not None else None
    p = _portrait_of(s, e.id)
    return p.jpeg if p is not None and p.jpeg else None


def card(db: StationDB, actor: Actor, ref: str) -> tuple[CardInfo, bytes | None]:
    """The card a reference names, with the portrait on file (the handover compares it with
    the person in front of the officer). Audited as a view of the enrollment."""
    require(actor, "card.handle")
    with db.Session() as s:
        e = _find(s, ref)
        copy = _copy(s, ref) if e is None else None
        if e is None and copy is None:
            raise CardNotFound()
        info = _info(s, e, copy)
        portrait = _portrait(s, e, copy)
    audit.record(db, actor, "card.view", "enrollment", info.enrollment_uuid)
    return info, portrait


# --- arrival ---------------------------------------------------------------------------------


def arrived(db: StationDB, actor: Actor, refs: Sequence[str],
            now: datetime | None = None) -> list[CardOutcome]:  # fmt: skip
    """Record the cards received from the province, one outcome per reference given (a
    scanned batch goes on past a card that is not ours). Each arrival is an event and an
    audit line of the same transaction."""
    from db.lifecycle import _move

    require(actor, "card.handle")
    now = now or now_utc()
    out: list[CardOutcome] = []
    with db.Session.begin() as s:
        me = events.officer_uuid(s, actor.officer_id)
        for ref in refs:
            try:
                e = _find(s, ref)
            except InvalidInput:
                e = None
            if e is None:
                out.append(CardOutcome(ref, "not_found", None))
                continue
            if e.status == "approved":
                _move(e, "card_ready")
                e.updated_at = now
                events.add(s, db.station_id, e, "card_ready", actor_uuid=me, at=now)
                audit.append(s, db.station_id, actor, "card.arrived", "enrollment", e.uuid, None)
                out.append(CardOutcome(ref, "arrived", _info(s, e)))
            elif e.status in ("card_ready", "delivered"):
                out.append(CardOutcome(ref, "already", _info(s, e)))
            else:
                out.append(CardOutcome(ref, "not_approved", _info(s, e)))
    return out


# --- handover --------------------------------------------------------------------------------


def deliver(db: StationDB, actor: Actor, ref: str, place: str, note: str | None = None,
            now: datetime | None = None) -> CardInfo:  # fmt: skip
    """Hand a card over: at the office (``hq``), at home (``home``, where in ``note``) or by
    post (``post``, the postal receipt in ``note``). Refused before the card arrived and
    after it was handed over; the refusal records nothing."""
    require(actor, "card.handle")
    if place not in PLACES:
        raise InvalidInput(N_("Choose how the card is handed over: at the office, at home or "
                              "by post."))  # fmt: skip
    now = now or now_utc()
    with db.Session.begin() as s:
        e = _find(s, ref)
        copy = _copy(s, ref) if e is None else None
        if e is None and copy is None:
            raise CardNotFound()
        uuid = hand_over(s, db.station_id, actor, e, copy, place, note, now)
        audit.append(s, db.station_id, actor, "card.delivered", "enrollment", uuid,
                     f"handed over {place}")  # fmt: skip
        resident = copy.resident_uuid if copy is not None else s.scalar(
            select(Resident.uuid).where(Resident.id == e.resident_id)) if e else None
        if resident is not None:  # a delivery visit planned for them is done
            visits.on_delivered(s, db.station_id, resident, uuid,
                                events.officer_uuid(s, actor.officer_id), now)  # fmt: skip
        s.flush()
        return _info(s, e, copy)


# --- lists and counts ------------------------------------------------------------------------


def _in_state(status: str, village: str | None) -> Select[Enrollment]:
    """Enrollments in ``status``, by village then name (Vietnamese order), one village or all."""
    stmt = (
        select(Enrollment)
        .join(Resident, Resident.id == Enrollment.resident_id)
        .where(Enrollment.status == status)
        .order_by(Resident.village_key, Resident.sort_key, Enrollment.id)
    )
    if village:
        from db.text import fold

        stmt = stmt.where(Resident.village_key == fold(village))
    return stmt


def waiting(db: StationDB, actor: Actor, village: str | None = None,
            *, home_only: bool = False) -> list[CardInfo]:  # fmt: skip
    """Cards arrived and not handed over, by village then name (Vietnamese order), with
    phone numbers: the notice list. ``home_only``: those enrolled at home (their card goes
    back to them: the visit plans offer them)."""
    require(actor, "card.handle")
    stmt = _in_state("card_ready", village)
    if home_only:
        stmt = stmt.where(Enrollment.place == "home")
    with db.Session() as s:
        rows = [_info(s, e) for e in s.scalars(stmt)]
        copies = [] if village or home_only else [
            _info(s, None, c) for c in s.scalars(select(CardCopy).order_by(CardCopy.id))]
    return rows + [c for c in copies if c.delivered_at is None]


def expected(db: StationDB, actor: Actor, village: str | None = None) -> list[CardInfo]:
    """Approved enrollments whose card has not arrived: the list an officer ticks when a
    parcel of cards comes without a scanner at hand."""
    require(actor, "card.handle")
    stmt = _in_state("approved", village)
    with db.Session() as s:
        return [_info(s, e) for e in s.scalars(stmt)]


def handed_over(db: StationDB, actor: Actor, day_from: date, day_to: date) -> list[CardInfo]:
    """Cards handed over in a period (the handover register's filled lines)."""
    require(actor, "card.handle")
    start, end = local_day_bounds(day_from, day_to)
    ev = aliased(EnrollmentEvent)
    stmt = (
        select(Enrollment)
        .join(ev, and_(ev.enrollment_uuid == Enrollment.uuid, ev.kind == "delivered"))
        .join(Resident, Resident.id == Enrollment.resident_id)
        .where(ev.at >= start, ev.at < end)
        .order_by(ev.at, Enrollment.id)
        .distinct()
    )
    with db.Session() as s:
        return [_info(s, e) for e in s.scalars(stmt)]


@dataclass(frozen=True, slots=True)
class CardCounts:
    """Cards that arrived and went out in a period (the tally's lines)."""

    arrived: int
    delivered: dict[str, int]  # place → cards

    def plus(self, other: CardCounts) -> CardCounts:
        """Both together (two stations of one commune: an enrollment is on one station)."""
        places = dict(self.delivered)
        for k, n in other.delivered.items():
            places[k] = places.get(k, 0) + n
        return CardCounts(self.arrived + other.arrived, places)

    @property
    def delivered_total(self) -> int:
        return sum(self.delivered.values())


def counts(s: Session, start: datetime, end: datetime,
           stations: Sequence[str] | None = None) -> CardCounts:  # fmt: skip
    """Distinct cards (a card that travelled back twice counts once) by the event's time; on
    the hub, of the enrollments of one commune's ``stations``."""
    scope: ColumnElement[bool] = true()
    if stations is not None:
        scope = EnrollmentEvent.enrollment_uuid.in_(
            select(Enrollment.uuid).where(Enrollment.station_id.in_(stations)))
    arrived = s.scalar(select(func.count(func.distinct(EnrollmentEvent.enrollment_uuid))).where(
        EnrollmentEvent.kind == "card_ready", EnrollmentEvent.at >= start,
        EnrollmentEvent.at < end, scope)) or 0  # fmt: skip
    place = func.coalesce(EnrollmentEvent.place, "hq")
    rows = s.execute(select(place, func.count(func.distinct(EnrollmentEvent.enrollment_uuid)))
                     .where(EnrollmentEvent.kind == "delivered", EnrollmentEvent.at >= start,
                            EnrollmentEvent.at < end, scope).group_by(place)).all()  # fmt: skip
    delivered = dict.fromkeys(PLACES, 0)
    for p, n in rows:
        delivered[p if p in delivered else "hq"] += int(n)
    return CardCounts(int(arrived), delivered)


def counts_by(s: Session, start: datetime, end: datetime,
              group: Grouping) -> dict[str, CardCounts]:  # fmt: skip
    """:func:`counts` for every group at once (the hub's communes: db/grouping.py), the
    events joined to their enrollments for the group's key and scope."""
    key = group.key

    def grouped(kind: str, *more: Any) -> AnySelect:
        return group.scope(
            select(key, *more, func.count(func.distinct(EnrollmentEvent.enrollment_uuid)))
            .select_from(EnrollmentEvent)
            .join(Enrollment, Enrollment.uuid == EnrollmentEvent.enrollment_uuid)
            .where(EnrollmentEvent.kind == kind, EnrollmentEvent.at >= start,
                   EnrollmentEvent.at < end)).group_by(key, *more)  # fmt: skip

    out: dict[str, CardCounts] = {}

    def of(k: str) -> CardCounts:
        return out.setdefault(k, CardCounts(0, dict.fromkeys(PLACES, 0)))

    for k, n in s.execute(grouped("card_ready")):
        out[k] = CardCounts(int(n), of(k).delivered)
    place = func.coalesce(EnrollmentEvent.place, "hq")
    for k, p, n in s.execute(grouped("delivered", place)):
        delivered = of(k).delivered
        delivered[p if p in delivered else "hq"] += int(n)
    return out


__all__ = [
    "PLACES", "CardAlreadyDelivered", "CardCounts", "CardNotApproved", "CardNotArrived",
    "CardNotFound", "arrived", "card", "counts", "counts_by", "deliver", "expected",
    "handed_over", "key_of", "waiting",
]  # fmt: skip
