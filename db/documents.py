"""What the printed documents need, copied out of the database into printing's dataclasses.

``printing/`` never sees the database (ARCHITECTURE.md); this module is the one place that decides
how a station and an enrollment read on paper (agency names with their unit words, the return
place, a year-only birth date), so the GUI and the CLI print the same thing.
"""

from __future__ import annotations

from datetime import date
from typing import cast

from sqlalchemy import select

from db.errors import EnrollmentNotFound, IllegalTransition, NotAStationDatabase
from db.models import Enrollment, Officer, Portrait, Resident
from db.models import Station as StationRow
from db.station import StationDB
from db.text import fold
from printing import SlipData, Station
from printing.model import Layout, Sex
from resources.i18n import N_

UNASSIGNED_OFFICER = "(chưa gán)"
UNKNOWN_VILLAGE = "(không rõ)"


def _with_unit(name: str | None, unit: str) -> str:
    """ "Nà Hỳ" → "xã Nà Hỳ"; a name that already starts with a unit word is left alone."""
    if not name:
        return ""
    first = fold(name).split()[:1]
    units = {"xa", "phuong", "thi", "dac", "tinh", "thanh"}
    return name if first and first[0] in units else f"{unit} {name}"


def print_station(db: StationDB) -> Station:
    """The header of every document printed by this station."""
    with db.Session() as s:
        st = s.get(StationRow, db.station_id)
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


def slip_for(db: StationDB, uuid: str, layout: str | None = None) -> SlipData:
    """The appointment slip of a received enrollment, as printed at submit (or reprinted)."""
    station = print_station(db)
    with db.Session() as s:
        e = s.scalar(select(Enrollment).where(Enrollment.uuid == uuid))
        if e is None:
            raise EnrollmentNotFound()
        if e.receipt_no is None or e.submitted_at is None or e.appointment_date is None:
            raise IllegalTransition(N_("An enrollment has a slip only once it is submitted."))
        r = s.get(Resident, e.resident_id)
        assert r is not None  # foreign key
        officer = s.get(Officer, e.officer_id) if e.officer_id is not None else None
        jpeg = s.scalar(
            select(Portrait.jpeg)
            .where(Portrait.enrollment_id == e.id)
            .order_by(Portrait.id.desc())
            .limit(1)
        )
        st_layout = s.scalar(select(StationRow.slip_layout).where(StationRow.id == db.station_id))
        birth = r.birth_date
        year_only = birth is None and r.birth_year is not None
        if birth is None and r.birth_year is not None:
            birth = date(int(r.birth_year), 1, 1)
        return SlipData(
            station=station,
            enrollment_id=e.uuid,
            slip_no=e.receipt_no,
            full_name=r.full_name,
            personal_id=r.personal_id,
            birth_date=birth,
            birth_year_only=year_only,
            sex=_SEXES.get(r.sex or ""),
            received_at=e.submitted_at,
            return_date=e.appointment_date,
            officer_name=officer.full_name if officer else UNASSIGNED_OFFICER,
            return_place=return_place(station),
            portrait_jpeg=bytes(jpeg) if jpeg else None,
            # A station's stored layout is any text: SlipData rejects an unknown one.
            layout=cast(Layout, layout or st_layout or "a5"),
        )
