"""The tally comes from the database: its figures equal the enrollments made in the test, local
days are Vietnam days, and the printed PDF says the same numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from db import enrollment as en
from db import review
from db.actor import SYSTEM, Actor
from db.documents import UNASSIGNED_OFFICER, slip_for
from db.station import StationDB
from db.tally import compute_tally, day_enrollments, tally_to_json
from printing import build_slip, build_tally, parse_slip_payload
from tests.db.enrollment_fixtures import captured, people, received, staff, staff_actors
from tests.printing.pdfcheck import decode_qr, needs_pdftoppm, pdf_text, render_pages

__all__ = ["people", "staff", "staff_actors"]

DAY = date(2026, 3, 12)  # a Thursday


def at(hour: int, minute: int = 0, day: int = 12) -> datetime:
    """A Vietnam-local time on March ``day`` 2026, as UTC."""
    from db.vntime import VN_TZ

    return datetime(2026, 3, day, hour, minute, tzinfo=VN_TZ).astimezone(UTC)


@pytest.fixture
def day_of_work(
    station: StationDB, people: list[int], staff: dict[str, int],
    staff_actors: dict[str, Actor],
) -> dict[str, str]:  # fmt: skip
    """Twelve enrollments around 12 March: what the tally of that day must (not) count."""
    duc, senh = staff["duc"], staff["senh"]
    boss_actor = staff_actors["boss"]
    made: dict[str, str] = {}
    # Counted on the 12th (local): 00:30 local is still 11 March in UTC.
    made["a"] = received(station, people[0], at(0, 30), officer=duc).uuid
    made["b"] = received(station, people[1], at(8, 5), officer=duc, attempts=3).uuid
    made["c"] = received(station, people[2], at(9, 0), officer=senh, place="mobile").uuid
    made["d"] = received(station, people[3], at(10, 0), officer=senh, place="mobile",
                         attempts=2).uuid  # fmt: skip
    made["e"] = received(station, people[4], at(14, 0), officer=duc, place="home",
                         exception="bedridden", attempts=4).uuid  # fmt: skip
    made["f"] = received(station, people[5], at(14, 20), officer=duc, place="home").uuid
    made["g"] = received(station, people[6], at(23, 59), place="hq").uuid  # no officer
    review.approve(station, made["a"], actor=boss_actor)
    review.approve(station, made["e"], actor=boss_actor)
    review.send_back(station, made["c"], note="Ảnh mờ", actor=boss_actor)
    # Not counted: the day before / after (local), a draft, a captured one, a discarded one.
    received(station, people[7], at(23, 59, day=11), officer=duc)
    received(station, people[8], at(0, 0, day=13), officer=duc)
    en.create_draft(station, people[9], officer_id=duc, actor=SYSTEM)
    captured(station, people[10], officer=duc)
    en.discard(station, captured(station, people[11], officer=duc).uuid, actor=SYSTEM)
    return made


def test_tally_counts_what_was_received_that_local_day(
    station: StationDB, day_of_work: dict[str, str], people: list[int]
) -> None:
    t = compute_tally(station, DAY)
    assert t.total == 7
    assert {r.label: r.count for r in t.by_officer} == {
        "Lò Văn Đức": 4, "Giàng A Sếnh": 2, UNASSIGNED_OFFICER: 1}  # fmt: skip
    assert sum(r.count for r in t.by_village) == 7
    assert dict(t.by_place) == {"hq": 3, "home": 2, "mobile": 2}
    assert (t.pending_approval, t.approved, t.returned) == (4, 2, 1)
    assert t.exceptions == 1
    assert t.portrait_retakes == 2 + 1 + 3
    # Two residents of the synthetic register's first households visited at home.
    assert 1 <= t.home_visits <= 2
    listed = day_enrollments(station, DAY)
    assert {r.uuid for r in listed} == set(day_of_work.values())
    assert [r.receipt_no for r in listed] == sorted(r.receipt_no or "" for r in listed)
    assert len(day_enrollments(station, DAY, include_unfinished=True)) == 7  # drafts made today
    # A range adds the neighbouring days; each day alone adds up to the range.
    week = compute_tally(station, date(2026, 3, 11), date(2026, 3, 13))
    assert week.total == 9
    assert compute_tally(station, date(2026, 3, 11)).total == 1


def test_approval_after_the_day_moves_the_status_not_the_total(
    station: StationDB,
    day_of_work: dict[str, str],
    staff: dict[str, int],
    staff_actors: dict[str, Actor],
) -> None:
    before = compute_tally(station, DAY)
    review.approve(station, day_of_work["b"], actor=staff_actors["boss"])
    fix = en.correct(station, day_of_work["c"], actor=SYSTEM)
    en.submit(station, fix.uuid, now=at(9, 0, day=13), actor=SYSTEM)
    after = compute_tally(station, DAY)
    assert after.total == before.total
    assert (after.pending_approval, after.approved) == (before.pending_approval - 1,
                                                        before.approved + 1)  # fmt: skip
    assert after.returned == 1  # the correction counts on the 13th
    assert compute_tally(station, date(2026, 3, 13)).total == 2


def test_empty_day_prints(station: StationDB) -> None:
    t = compute_tally(station, DAY)
    assert t.total == 0 and dict(t.by_place) == {"hq": 0, "home": 0, "mobile": 0}
    assert "0" in pdf_text(build_tally(t))


def test_printed_tally_says_the_same_numbers(
    station: StationDB, day_of_work: dict[str, str]
) -> None:
    t = compute_tally(station, DAY, prepared_by="Quàng Văn Thanh")
    text = pdf_text(build_tally(t))
    assert "12/03/2026" in text
    assert "Lò Văn Đức 4" in text and "Giàng A Sếnh 2" in text
    assert f"{UNASSIGNED_OFFICER} 1" in text
    assert "Quàng Văn Thanh" in text
    j = tally_to_json(t)
    assert j["total"] == 7 and j["date"] == "2026-03-12"
    assert sum(v["count"] for v in j["by_village"]) == 7
    for village in j["by_village"]:
        assert f"{village['village']} {village['count']}" in text


@needs_pdftoppm
def test_reprinted_slip_text_and_qr(
    station: StationDB, day_of_work: dict[str, str], tmp_path: Path
) -> None:
    uuid = day_of_work["b"]
    info = en.get(station, uuid)
    slip = slip_for(station, uuid)
    assert slip.slip_no == info.receipt_no and slip.return_date == date(2026, 3, 23)
    assert slip.portrait_jpeg and slip.officer_name == "Lò Văn Đức"
    pdf = build_slip(slip)
    text = pdf_text(pdf)
    assert info.receipt_no in text and info.resident_name in text
    assert "08:05" in text and "12/03/2026" in text and "23/03/2026" in text
    assert "Công an xã Nà Hỳ" in text
    png = render_pages(pdf, tmp_path, dpi=150)[0]
    assert parse_slip_payload(decode_qr(png)) == (uuid, info.receipt_no)
    with pytest.raises(en.IllegalTransition):
        slip_for(station, en.create_draft(station, info.resident_id, redo_reason="other",
                                          redo_note="test", actor=SYSTEM).uuid)
