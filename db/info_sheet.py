"""What the information sheet prints (printing/info_sheet.py), copied out of an enrollment.

Why from the draft and not the register: the sheet is what the citizen checks before the
application goes in, so it shows the details as the officer checked them with the person (the
details step's values), marks each one corrected against the register with what the register
had, and adds what was captured — the portrait, the fingers, the level-2 account request.

Printed before submit (draft or captured) and again afterwards for a reprint (it then names
the slip). An enrollment sent back or discarded has none: its sheet would describe an
application that no longer stands. Officers print their own enrollments' sheets, supervisors
any, as with slips.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.actor import Actor
from db.corrections import DC01_FIELDS, FIELDS
from db.documents import UNASSIGNED_OFFICER, _fingers, _vneid_phone, print_station
from db.enrollment import _portrait_of
from db.errors import EnrollmentNotFound, IllegalTransition, PermissionDenied
from db.models import Enrollment, Officer, Resident
from db.models import Station as StationRow
from db.permissions import can
from db.review_facts import corrected_fields, is_new_person
from db.station import StationDB
from db.types import birth_text
from db.vneid import of_details
from db.vntime import now_utc
from printing.model import InfoSheetData, SheetLayout
from resources.i18n import N_

LAYOUTS: tuple[SheetLayout, ...] = ("a5", "a4")


def info_sheet_for(db: StationDB, uuid: str, layout: str = "a5", *,
                   actor: Actor) -> InfoSheetData:  # fmt: skip
    """The information sheet of an enrollment, as it stands now."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown information sheet layout: {layout!r}")
    station = print_station(db)
    with db.Session() as s:
        e = s.scalar(select(Enrollment).where(Enrollment.uuid == uuid))
        if e is None:
            raise EnrollmentNotFound()
        _require_printable(e, actor)
        r = s.get(Resident, e.resident_id)
        assert r is not None  # foreign key
        details = (e.draft or {}).get("details")
        details = details if isinstance(details, dict) else {}
        new_person = is_new_person(r.review_flags)
        p = _portrait_of(s, e.id)
        st_row = s.get(StationRow, db.station_id)
        asked = of_details(details)
        submitted = e.receipt_no is not None and e.submitted_at is not None
        return InfoSheetData(
            station=station,
            enrollment_id=e.uuid,
            details=_details(r, details),
            officer_name=_officer(s, e.officer_id) or actor.full_name or UNASSIGNED_OFFICER,
            printed_at=now_utc(),
            corrected=() if new_person else _corrected(e.draft),
            new_person=new_person,
            place=e.place,
            portrait_jpeg=bytes(p.jpeg) if p is not None and p.jpeg else None,
            lying_down=bool(p.bedridden) if p is not None else False,
            vneid_phone=_vneid_phone(e),
            vneid_email=_email(asked),
            slip_no=e.receipt_no if submitted else None,
            received_at=e.submitted_at if submitted else None,
            layout="a4" if layout == "a4" else "a5",
            training=bool(st_row is not None and st_row.training),
            **_fingers(s, e.id),
        )


def _require_printable(e: Enrollment, actor: Actor) -> None:
    if e.status in ("returned", "discarded"):
        raise IllegalTransition(
            N_("This enrollment was sent back or discarded: it has no information sheet any "
               "more. A correction has its own.")
        )
    if can(actor, "slip.print_any") or e.officer_id is None or e.officer_id == actor.officer_id:
        return
    raise PermissionDenied(
        N_("An officer can print only the information sheets of their own enrollments.")
    )


def _corrected(draft: Any) -> tuple[tuple[str, str], ...]:
    """(field, what the register had) of each detail the officer corrected."""
    return tuple((field, before) for field, before, _after in corrected_fields(draft)
                 if field in FIELDS)  # fmt: skip


def _email(asked: dict[str, Any] | None) -> str | None:
    email = asked.get("email") if isinstance(asked, dict) else None
    return str(email) if email else None


def _officer(s: Session, officer_id: int | None) -> str | None:
    if officer_id is None:
        return None
    return s.scalar(select(Officer.full_name).where(Officer.id == officer_id))


def _register(r: Resident) -> dict[str, str]:
    """The register's record as the details step shows it (db/corrections.register_values)."""
    return {
        "full_name": r.full_name, "birth": birth_text(r.birth_date, r.birth_year),
        "sex": r.sex or "", "personal_id": r.personal_id or "", "old_id": r.old_id or "",
        "ethnicity": r.ethnicity or "", "religion": r.religion or "",
        "hometown": r.hometown or "", "village": r.village or "",
        "household_no": r.household_no or "", "phone": r.phone or "",
    }  # fmt: skip


def _details(r: Resident, details: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Every detail the application carries: the step's values where it stored them (else
    the register's: a draft whose details step was never saved), and form DC01's fields."""
    values = details.get("values")
    values = values if isinstance(values, dict) else {}
    shown = _register(r)
    shown.update({f: str(values[f]).strip() for f in FIELDS if isinstance(values.get(f), str)})
    dc01 = details.get("dc01")
    dc01 = dc01 if isinstance(dc01, dict) else (r.extra or {})
    extra = {f: str(dc01[f]).strip() for f in DC01_FIELDS if dc01.get(f)}
    return (*((f, shown[f]) for f in FIELDS), *extra.items())
