"""A slip that tells the truth (issue 11): rendered to real PDFs and read back as text.

No firm return date while an exception waits for the supervisor; no valid slip for an
enrollment sent back; the home (or the post) for a home enrollment; the portrait taken lying
down; the name as the officer corrected it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from db import enrollment as en
from db import review
from db.actor import SYSTEM, Actor
from db.documents import slip_for
from db.errors import IllegalTransition
from db.models import Resident
from db.station import StationDB
from printing import build_slip
from resources.problems import describe
from tests.db.enrollment_fixtures import captured, people, received, staff, staff_actors
from tests.printing.pdfcheck import pdf_text

__all__ = ["people", "staff", "staff_actors"]

AT = datetime(2026, 3, 12, 1, 5, tzinfo=UTC)  # Thursday 12 March 2026, 08:05 in Vietnam
PENDING = "Chờ lãnh đạo phê duyệt"


def text_of(db: StationDB, uuid: str, layout: str = "a5") -> str:
    return pdf_text(build_slip(slip_for(db, uuid, layout=layout)))


@pytest.mark.parametrize("layout", ["a5", "roll80"])
def test_a_plain_enrollment_keeps_its_return_date_and_the_office(
    station: StationDB, people: list[int], layout: str
) -> None:
    uuid = received(station, people[0], AT).uuid
    text = text_of(station, uuid, layout)
    assert "Thứ Hai, ngày 23/03/2026" in text  # 7 working days from the receipt
    assert PENDING not in text and "nằm" not in text
    assert "Trụ sở Công an xã Nà Hỳ" in text


@pytest.mark.parametrize("layout", ["a5", "roll80"])
def test_an_exception_waiting_for_the_supervisor_has_no_firm_date(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor], layout: str
) -> None:
    uuid = received(station, people[1], AT, exception="bedridden").uuid
    text = text_of(station, uuid, layout)
    assert PENDING in text
    assert "23/03/2026" not in text
    assert "Chụp ở tư thế nằm" in text  # the portrait was taken lying down
    review.approve(station, uuid, actor=staff_actors["boss"], now=AT)
    approved = text_of(station, uuid, layout)
    assert PENDING not in approved and "Thứ Hai, ngày 23/03/2026" in approved


def test_an_exception_approved_later_counts_from_its_approval(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    uuid = received(station, people[1], AT, exception="injury").uuid
    later = datetime(2026, 3, 16, 2, tzinfo=UTC)  # Monday: 7 working days → 25 March
    review.approve(station, uuid, actor=staff_actors["boss"], now=later)
    assert "Thứ Tư, ngày 25/03/2026" in text_of(station, uuid)


def test_a_sent_back_enrollment_cannot_be_reprinted_as_valid(
    station: StationDB, people: list[int], staff_actors: dict[str, Actor]
) -> None:
    uuid = received(station, people[2], AT).uuid
    review.send_back(station, uuid, note="Ảnh mờ", actor=staff_actors["boss"], now=AT)
    with pytest.raises(IllegalTransition) as refused:
        slip_for(station, uuid)
    said = describe(refused.value)
    assert "trả lại" in said and "không còn giá trị" in said
    # its correction, once saved again, has a slip of its own
    fixed = en.correct(station, uuid, actor=SYSTEM)
    done = en.submit(station, fixed.uuid, now=AT, actor=SYSTEM)
    assert done.receipt_no in text_of(station, fixed.uuid)


@pytest.mark.parametrize("layout", ["a5", "roll80"])
def test_a_home_enrollment_is_brought_home_or_posted(
    station: StationDB, people: list[int], layout: str
) -> None:
    uuid = received(station, people[3], AT, place="home", exception="bedridden").uuid
    with station.Session() as s:
        resident = s.get(Resident, people[3])
        assert resident is not None and resident.village
        village = resident.village
    text = text_of(station, uuid, layout)
    assert "Tại nhà hoặc qua bưu chính" in text
    assert village in text and "xã Nà Hỳ" in text
    assert "Nơi trả kết quả" not in text and "mang theo giấy hẹn" not in text
    assert "không cần đến trụ sở" in text


def test_the_slip_names_the_person_as_corrected(station: StationDB, people: list[int]) -> None:
    e = captured(station, people[4])
    with station.Session() as s:
        resident = s.get(Resident, people[4])
        assert resident is not None
        old_name = resident.full_name
    fixed = "Nguyễn Thị Ánh Tuyết"
    record = {"values": {"full_name": fixed, "birth": "12/03/1950"},
              "corrections": {"full_name": {"from": old_name, "to": fixed},
                              "birth": {"from": "", "to": "12/03/1950"}}}  # fmt: skip
    en.save_step(station, e.uuid, "details", record, actor=SYSTEM)
    en.submit(station, e.uuid, now=AT, actor=SYSTEM)
    text = text_of(station, e.uuid)
    assert fixed in text and old_name not in text
    assert "12/03/1950" in text


def test_english_slip_says_the_same(station: StationDB, people: list[int]) -> None:
    from resources import i18n

    uuid = received(station, people[5], AT, place="home", exception="bedridden").uuid
    i18n.set_language("en")
    text = text_of(station, uuid)
    assert "Waiting for the supervisor's approval" in text
    assert "Taken lying down" in text and "At the home, or by post" in text
