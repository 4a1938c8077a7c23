"""One resident's full register record, as plain data for the detail panel and the wizard."""

from __future__ import annotations

from db.enrollment_state import states
from db.models import Resident
from db.station import StationDB
from db.types import ResidentDetail


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
            home_visit_note=r.home_visit_note,
            extra={k: str(v) for k, v in (r.extra or {}).items() if v},
            enrollment_state=states(s, [r.id]).get(r.id),
        )  # fmt: skip
