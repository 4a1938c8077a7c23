"""Cards on the road (issue 17): a card that came back for someone enrolled at home goes back
to them with a mobile team. Headquarters holds the enrollment; the work packet carries what the
handover needs for each open delivery visit of the laptop's team — the slip number, when the
card arrived and the portrait on file (to compare with the face at the bedside) — as a
:class:`db.models.CardCopy`, and the card's delivered event if someone already handed it over
(so the laptop refuses it too). The laptop's own delivered event goes back in its bundle like
any event (db/sync/outgoing.py) and headquarters projects the enrollment to "delivered".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import at_text
from db.events import event_record
from db.models import CardCopy, Enrollment, EnrollmentEvent, HomeVisit, Resident
from db.sync.records import parse_time
from db.sync.refusal import Refused
from db.vntime import now_utc

Record = tuple[dict[str, Any], list[bytes]]
Count = Callable[[str, str], None]
_JPEG = b"\xff\xd8"


def packet_records(s: Session, laptop: str) -> Iterator[Record]:
    """For each open delivery visit of the team the card's copy; for every card a delivery
    visit of the team ever took, its handover if one was made (the laptop's copy is done)."""
    from db.enrollment import _portrait_of
    from db.visits import _outcome_of

    planned = list(s.scalars(select(HomeVisit).where(HomeVisit.team == laptop,
                                                     HomeVisit.mode == "deliver")))  # fmt: skip
    residents = {v.resident_uuid for v in planned}
    still_open = {v.resident_uuid for v in planned if _outcome_of(s, v.uuid) is None}
    if not residents:
        return
    rows = s.execute(select(Enrollment, Resident.uuid).join(
        Resident, Resident.id == Enrollment.resident_id).where(
        Resident.uuid.in_(residents), Enrollment.status.in_(("card_ready", "delivered"))))
    for e, resident_uuid in rows:  # fmt: skip
        arrived = s.scalar(select(EnrollmentEvent.at).where(
            EnrollmentEvent.enrollment_uuid == e.uuid, EnrollmentEvent.kind == "card_ready")
            .order_by(EnrollmentEvent.at).limit(1))  # fmt: skip
        for ev in s.scalars(select(EnrollmentEvent).where(  # a copy it holds is then done
                EnrollmentEvent.enrollment_uuid == e.uuid, EnrollmentEvent.kind == "delivered")):
            yield event_record(ev), []
        if arrived is None or resident_uuid not in still_open:
            continue
        p = _portrait_of(s, e.id)
        jpeg = p.jpeg if p is not None and p.jpeg else None
        record = {"t": "card", "enrollment_uuid": e.uuid, "station_id": e.station_id,
                  "resident_uuid": resident_uuid, "slip_no": e.receipt_no,
                  "arrived_at": at_text(arrived), "portrait": bool(jpeg)}  # fmt: skip
        yield record, [jpeg] if jpeg else []


def take_card(s: Session, record: dict[str, Any], blobs: list[bytes], count: Count) -> None:
    """A laptop keeps (or refreshes) its copy of a card its team takes to someone's home."""
    uuid, resident = record.get("enrollment_uuid"), record.get("resident_uuid")
    if not isinstance(uuid, str) or not isinstance(resident, str):
        raise Refused.because("damaged")
    portrait = blobs[0] if record.get("portrait") and blobs else None
    if portrait is not None and not portrait.startswith(_JPEG):
        raise Refused.because("damaged")
    try:
        arrived = parse_time(str(record["arrived_at"]))
    except (KeyError, ValueError) as exc:
        raise Refused.because("damaged") from exc
    if arrived is None:
        raise Refused.because("damaged")
    held = s.scalar(select(CardCopy).where(CardCopy.enrollment_uuid == uuid))
    if held is None:
        s.add(CardCopy(enrollment_uuid=uuid, station_id=str(record.get("station_id") or ""),
                       resident_uuid=resident, slip_no=record.get("slip_no"),
                       arrived_at=arrived, portrait=portrait, received_at=now_utc()))  # fmt: skip
        count("card", "added")
        return
    held.slip_no, held.arrived_at, held.portrait = record.get("slip_no"), arrived, portrait
    count("card", "unchanged")
