"""One resident's full register record, as plain data for the detail panel and the wizard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.models import Resident
from db.station import StationDB


@dataclass(frozen=True)
class ResidentSummary:
    """What every list of people shows: enough to tell namesakes apart."""

    id: int
    uuid: str
    full_name: str
    personal_id: str | None
    old_id: str | None
    birth_year: int | None
    birth_date: date | None
    sex: str | None
    ethnicity: str | None
    village: str | None
    household_no: str | None
    relation_to_head: str | None
    home_visit_reason: str
    review_flags: str | None

    @property
    def birth_display(self) -> str:
        """dd/mm/yyyy, or the year alone when only the year is known (common for elderly)."""
        if self.birth_date:
            return self.birth_date.strftime("%d/%m/%Y")
        return str(self.birth_year) if self.birth_year else ""


@dataclass(frozen=True, kw_only=True)
class ResidentDetail(ResidentSummary):
    """The whole register record, for the detail panel and the wizard."""

    religion: str | None
    hometown: str | None
    commune: str | None
    residence_type: str | None
    phone: str | None


def resident_detail(db: StationDB, resident_id: int) -> ResidentDetail | None:
    with db.Session() as s:
        r = s.get(Resident, resident_id)
        if r is None:
            return None
        return ResidentDetail(
            id=r.id, uuid=r.uuid, full_name=r.full_name, personal_id=r.personal_id,
            old_id=r.old_id, birth_year=r.birth_year, birth_date=r.birth_date, sex=r.sex,
            ethnicity=r.ethnicity, religion=r.religion, hometown=r.hometown, commune=r.commune,
            village=r.village, household_no=r.household_no, relation_to_head=r.relation_to_head,
            residence_type=r.residence_type, phone=r.phone,
            home_visit_reason=r.home_visit_reason, review_flags=r.review_flags,
        )  # fmt: skip
