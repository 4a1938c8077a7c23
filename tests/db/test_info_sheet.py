"""The information sheet from a real station (issue 17): the details as checked at the desk,
the corrections against the register, what was captured, who may print it, and the audit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from db import enrollment as en
from db.actor import SYSTEM, Actor
from db.corrections import details_record, register_values
from db.errors import IllegalTransition, PermissionDenied
from db.info_sheet import info_sheet_for
from db.labels import audit_details
from db.models import AuditEvent
from db.residents import resident_detail
from db.service import StationService
from db.station import StationDB
from tests.db.enrollment_fixtures import jpeg_bytes, people
from tests.fingers import take_ten
from tests.printing.pdfcheck import page_size_mm, pdf_text

__all__ = ["people"]

AT = datetime(2026, 3, 12, 1, 5, tzinfo=UTC)


def checked(db: StationDB, resident_id: int, officer: Actor, changes: dict[str, str],
            asked: tuple[str, str] | None = None) -> str:  # fmt: skip
    """A draft as the wizard leaves it at the review: details checked (with corrections and a
    level-2 account request), the portrait taken lying down, ten fingers."""
    e = en.create_draft(db, resident_id, officer_id=officer.officer_id, actor=SYSTEM)
    original = register_values(resident_detail(db, resident_id))
    en.save_step(db, e.uuid, "details",
                 details_record(original, {**original, **changes}, asked), actor=SYSTEM)
    en.attach_portrait(db, e.uuid, jpeg_bytes(), 480, 640, {"passed": True}, bedridden=True,
                       exception_reason="bedridden", actor=SYSTEM)  # fmt: skip
    take_ten(db, e.uuid)
    return e.uuid


def test_the_sheet_shows_the_details_as_checked_and_marks_the_corrections(
    station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    officer = actors["officer"]
    register = resident_detail(station, people[0])
    assert register is not None
    new_name = register.full_name + " Hoà"
    uuid = checked(station, people[0], officer, {"full_name": new_name, "phone": "0912345678"},
                   asked=("0912345678", ""))  # fmt: skip
    data = info_sheet_for(station, uuid, actor=officer)
    assert data.value("full_name") == new_name and data.value("phone") == "0912345678"
    assert dict(data.corrected) == {"full_name": register.full_name,
                                    "phone": register.phone or ""}  # fmt: skip
    assert data.value("personal_id") == (register.personal_id or "")
    assert data.value("village") == (register.village or "")
    assert data.lying_down and data.portrait_jpeg and data.fingers_taken == 10
    assert data.vneid_phone == "0912 345 678" and data.vneid_email is None
    assert data.slip_no is None and data.received_at is None and data.place == "hq"
    assert data.officer_name == officer.full_name and not data.new_person

    service = StationService(station, officer)
    pdf = service.information_sheet(uuid, "a4")
    assert page_size_mm(pdf) == pytest.approx((210, 297), abs=0.5)
    text = pdf_text(pdf)
    for expected in [new_name, f"Đã sửa (dữ liệu cũ: {register.full_name})", "10/10",
                     "Đã đề nghị, số di động 0912 345 678", officer.full_name,
                     "Người không ký được thì điểm chỉ ngón trỏ phải vào ô này."]:  # fmt: skip
        assert expected in text, expected
    # printing it is audited, and the trail says it in words
    with station.Session() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "info_sheet.print")).one()
    assert (ev.entity, ev.entity_id, ev.details) == ("enrollment", uuid, "paper A4")
    assert audit_details(ev.details, ev.action) == "khổ giấy A4"

    # after submit, a reprint names the slip
    submitted = en.submit(station, uuid, now=AT, actor=SYSTEM)
    again = info_sheet_for(station, uuid, actor=officer)
    assert again.slip_no == submitted.receipt_no and again.received_at == AT
    assert f"Số giấy hẹn {submitted.receipt_no}" in pdf_text(service.information_sheet(uuid))


def test_a_draft_whose_details_were_never_saved_prints_the_register(
    station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    officer = actors["officer"]
    uuid = StationService(station, officer).start_enrollment(people[1]).uuid
    register = register_values(resident_detail(station, people[1]))
    data = info_sheet_for(station, uuid, "a5", actor=officer)
    assert {f: data.value(f) for f in register} == register
    assert data.corrected == () and data.portrait_jpeg is None and data.fingers_taken is None
    assert data.layout == "a5"


def test_officers_print_their_own_supervisors_any_and_no_dead_enrollment(
    station: StationDB, actors: dict[str, Actor], people: list[int]
) -> None:
    from db import accounts

    other = accounts.create_officer(station, actors["admin"], "senh", "Giàng A Sếnh",
                                    "officer", "mật khẩu tạm 123", temporary=False)  # fmt: skip
    senh = Actor(other.id, other.username, other.full_name, other.role)
    uuid = checked(station, people[2], actors["officer"], {})
    with pytest.raises(PermissionDenied):
        StationService(station, senh).information_sheet(uuid)
    assert StationService(station, actors["supervisor"]).information_sheet(uuid)
    with pytest.raises(PermissionDenied):  # the administrator does not enroll
        StationService(station, actors["admin"]).information_sheet(uuid)
    with pytest.raises(ValueError):
        info_sheet_for(station, uuid, "roll80", actor=actors["officer"])
    en.submit(station, uuid, now=AT, actor=SYSTEM)
    StationService(station, actors["supervisor"]).send_back(uuid, "ảnh mờ")
    with pytest.raises(IllegalTransition):
        info_sheet_for(station, uuid, actor=actors["officer"])
    dropped = StationService(station, actors["officer"]).start_enrollment(people[3]).uuid
    en.discard(station, dropped, actor=SYSTEM)
    with pytest.raises(IllegalTransition):
        info_sheet_for(station, dropped, actor=actors["officer"])


def test_a_person_added_with_form_dc01_prints_what_they_declared(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    officer = StationService(station, actors["officer"])
    rid = officer.add_person({
        "full_name": "Vừ A Dủa", "birth_date": "1990", "sex": "M", "ethnicity": "Mông",
        "hometown": "xã Nà Hỳ", "village": "Huổi Đáp", "father_name": "Vừ A Chớ",
        "permanent_residence": "bản Huổi Đáp, xã Nà Hỳ"})  # fmt: skip
    uuid = officer.start_enrollment(rid).uuid
    data = info_sheet_for(station, uuid, actor=actors["officer"])
    assert data.new_person and data.corrected == ()
    assert data.value("father_name") == "Vừ A Chớ"
    assert data.value("permanent_residence") == "bản Huổi Đáp, xã Nà Hỳ"
    text = pdf_text(officer.information_sheet(uuid))
    assert "Vừ A Chớ" in text and "mẫu DC01" in text
