"""What the printed documents need, copied out of the database into printing's dataclasses.

``printing/`` never sees the database (ARCHITECTURE.md); this module is the one place that decides
how a station and an enrollment read on paper (agency names with their unit words, the return
place, a year-only birth date), so the GUI and the CLI print the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from capture.fingerprint.fingers import CONDITION_NAMES, FINGER_NAMES
from db import fingerprints
from db.enrollment import APPROVED_OR_LATER
from db.errors import EnrollmentNotFound, IllegalTransition, NotAStationDatabase
from db.models import Enrollment, Officer, Portrait, Resident
from db.models import Station as StationRow
from db.station import StationDB
from db.text import fold
from db.vntime import local_date, now_utc
from printing import SlipData, Station
from printing.model import Layout, Sex
from resources.i18n import N_

UNASSIGNED_OFFICER = "(chưa gán)"
UNKNOWN_VILLAGE = "(không rõ)"  # as registers write it (Vietnamese, whatever the language)


def unknown_village() -> str:
    """How a list names the line of residents without a village, in the current language."""
    from resources.i18n import _

    return _("(unknown)")


def _with_unit(name: str | None, unit: str) -> str:
    """ "Nà Hỳ" → "xã Nà Hỳ"; a name that already starts with a unit word is left alone."""
    if not name:
        return ""
    first = fold(name).split()[:1]
    units = {"xa", "phuong", "thi", "dac", "tinh", "thanh"}
    return name if first and first[0] in units else f"{unit} {name}"


def print_station(db: StationDB, station_id: str | None = None) -> Station:
    """The header of every document printed by this station (on the hub: of a commune's)."""
    with db.Session() as s:
        st = s.get(StationRow, station_id or db.station_id)
        if st is None:
            raise NotAStationDatabase(N_("The station record is missing from the database."))
        commune = _with_unit(st.commune, "xã")
        province = _with_unit(st.province, "tỉnh")
        agency = f"Công an {commune}"
        name = st.name
        if fold(name).startswith(fold(agency)):  # "Công an xã Nà Hỳ (trạm thử)": say it once
            rest = name[len(agency) :].strip()
            base = "Tổ lưu động" if st.kind == "mobile" else "Trạm thu nhận trụ sở"
            name = f"{base} {rest}".strip()
        return Station(
            agency_name=agency,
            station_name=name,
            commune=commune,
            province=province,
            parent_agency=f"Công an {province}" if province else "",
            station_id=st.id[:8],
        )


def return_place(station: Station) -> str:
    return f"Trụ sở {station.agency_name}"


_SEXES: dict[str, Sex] = {"M": "male", "F": "female"}


def home_address(r: Resident, station: Station) -> str:
    """Where a home enrollment's card is brought: the person's village, commune, province."""
    village = r.village if r.village and fold(r.village) != fold(UNKNOWN_VILLAGE) else ""
    commune = _with_unit(r.commune, "xã") if r.commune else station.commune
    parts = [village, commune, station.province]
    return ", ".join(p for p in parts if p) or station.commune


def _corrected(e: Enrollment) -> dict[str, str]:
    """The register fields corrected at the desk (details step), field → the new value: the
    slip names the person as the officer checked them, not as the register had it."""
    details = (e.draft or {}).get("details") or {}
    fixes = details.get("corrections") if isinstance(details, dict) else None
    if not isinstance(fixes, dict):
        return {}
    return {f: str(c.get("to") or "").strip() for f, c in fixes.items() if isinstance(c, dict)}


def _vneid_phone(e: Enrollment) -> str | None:
    """The mobile number of a level-2 account request (db/vneid.py), as printed; None when
    the person did not ask for one."""
    from db.corrections import fmt_phone
    from db.vneid import of_details

    found = of_details((e.draft or {}).get("details"))
    phone = found.get("phone") if isinstance(found, dict) else None
    return fmt_phone(phone) if isinstance(phone, str) and phone else None


def _return_date(e: Enrollment, received: date) -> date:
    """From receipt; an exception approved later counts from its approval, when the card's
    processing really starts."""
    from printing import return_date

    if e.has_exception and e.reviewed_at is not None and e.status in APPROVED_OR_LATER:
        return max(received, return_date(local_date(e.reviewed_at)))
    return received


def _refuse_invalid(e: Enrollment) -> None:
    if e.status == "returned":
        raise IllegalTransition(
            N_("This enrollment was sent back by the supervisor: its slip is no longer valid. "
               "Correct it; the correction gets a new slip when it is saved.")
        )
    if e.receipt_no is None or e.submitted_at is None or e.appointment_date is None:
        raise IllegalTransition(N_("An enrollment has a slip only once it is submitted."))


def _birth(r: Resident, fixed: dict[str, str]) -> tuple[date | None, bool]:
    """(birth date, year only) as checked at the desk, else as in the register."""
    birth, year = r.birth_date, r.birth_year
    if fixed.get("birth"):
        from db.corrections import parse_birth

        year, birth, problem = parse_birth(fixed["birth"], local_date(now_utc()))
        if problem:  # stored unchecked (a draft may be incomplete): keep the register's
            birth, year = r.birth_date, r.birth_year
    if birth is None and year is not None:
        return date(int(year), 1, 1), True
    return birth, False


def _fingers(s: Session, enrollment_id: int) -> dict[str, Any]:
    """The slip's fingerprint line: prints taken of the ten (flat), and the conditions."""
    prints = [p for p in fingerprints.of(s, enrollment_id) if p.impression in fingerprints.FLAT]
    if not prints:
        return {"fingers_taken": None}
    conditions = tuple((FINGER_NAMES[p.finger], CONDITION_NAMES[p.condition])
                       for p in prints if p.condition in CONDITION_NAMES)  # fmt: skip
    return {"fingers_taken": sum(p.taken for p in prints), "finger_conditions": conditions}


def slip_for(db: StationDB, uuid: str, layout: str | None = None) -> SlipData:
    """The appointment slip of a received enrollment, as printed at submit (or reprinted).

    What it must not say (issue 11): a firm return date while an exception waits for the
    supervisor, a valid slip for an enrollment sent back, "collect at the commune office" to a
    person enrolled at home, or the register's name when the officer corrected it.
    """
    station = print_station(db)
    with db.Session() as s:
        e = s.scalar(select(Enrollment).where(Enrollment.uuid == uuid))
        if e is None:
            raise EnrollmentNotFound()
        _refuse_invalid(e)
        assert e.receipt_no and e.submitted_at and e.appointment_date  # _refuse_invalid
        r = s.get(Resident, e.resident_id)
        assert r is not None  # foreign key
        officer = s.get(Officer, e.officer_id) if e.officer_id is not None else None
        p = s.execute(
            select(Portrait.jpeg, Portrait.bedridden)
            .where(Portrait.enrollment_id == e.id)
            .order_by(Portrait.id.desc())
            .limit(1)
        ).first()
        st_row = s.get(StationRow, db.station_id)
        st_layout = st_row.slip_layout if st_row is not None else None
        fixed = _corrected(e)
        birth, year_only = _birth(r, fixed)
        at_home = e.place == "home"
        return SlipData(
            station=station,
            enrollment_id=e.uuid,
            slip_no=e.receipt_no,
            full_name=fixed.get("full_name") or r.full_name,
            personal_id=fixed.get("personal_id") or r.personal_id,
            birth_date=birth,
            birth_year_only=year_only,
            sex=_SEXES.get(fixed.get("sex") or r.sex or ""),
            received_at=e.submitted_at,
            return_date=_return_date(e, e.appointment_date),
            officer_name=officer.full_name if officer else UNASSIGNED_OFFICER,
            return_place=None if at_home else return_place(station),
            delivery_address=home_address(r, station) if at_home else None,
            portrait_jpeg=bytes(p.jpeg) if p is not None and p.jpeg else None,
            # A station's stored layout is any text: SlipData rejects an unknown one.
            layout=cast(Layout, layout or st_layout or "a5"),
            pending_approval=bool(e.has_exception) and e.status == "submitted",
            lying_down=bool(p.bedridden) if p is not None else False,
            home_delivery=at_home,
            training=bool(st_row is not None and st_row.training),
            vneid_phone=_vneid_phone(e),
            **_fingers(s, e.id),
        )
