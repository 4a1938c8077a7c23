"""Coverage (issue 14): every resident in one age group and one state; the villages add up to
the commune; the enrolled agree with the tally; a year-only birth counts the age reached that
year; the JSON and the sheet from the command line."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select, text

from db import enrollment as en
from db.actor import SYSTEM
from db.coverage import age_on, coverage, coverage_sheet, group_of
from db.models import Enrollment, Resident
from db.review import send_back
from db.station import StationDB
from db.tally import _received_between
from db.vntime import local_day_bounds
from printing.coverage import build_coverage
from resources.i18n import set_language
from tests.db.enrollment_fixtures import captured, people, received

__all__ = ["people"]
ON = date(2026, 12, 1)


def test_ages_and_groups() -> None:
    assert age_on(date(2012, 12, 2), None, ON) == 13  # a day short of 14
    assert age_on(date(2012, 12, 1), None, ON) == 14
    assert age_on(None, 2012, ON) == 14 and age_on(None, 2012, date(2026, 1, 1)) == 14
    assert [group_of(a) for a in (None, 14, 13, 6, 5, 0)] == [
        "must_hold", "must_hold", "aged_6_13", "aged_6_13", "under_6", "under_6"]


def test_coverage_adds_up_and_agrees_with_the_tally(station: StationDB, people: list[int]
                                                   ) -> None:  # fmt: skip
    with station.engine.begin() as conn:  # a mix of ages and two residents no longer counted
        conn.execute(text("UPDATE resident SET birth_year = 1980, birth_date = NULL"))
        conn.execute(text("UPDATE resident SET birth_year = 2015, birth_date = NULL "
                          "WHERE id IN (:a, :b)"), {"a": people[0], "b": people[1]})
        conn.execute(text("UPDATE resident SET birth_year = 2023, birth_date = NULL "
                          "WHERE id = :a"), {"a": people[2]})
        conn.execute(text("UPDATE resident SET life_status = 'deceased' WHERE id IN (:a, :b)"),
                     {"a": people[3], "b": people[4]})  # fmt: skip
    now = datetime.now(UTC)
    for rid in people[5:15]:
        received(station, rid, now)
    received(station, people[0], now)  # a child of 11: enrolled on request
    captured(station, people[15])  # in progress
    back = received(station, people[16], now)
    send_back(station, back.uuid, note="Ảnh mờ", actor=SYSTEM)  # sent back: in progress
    report = coverage(station, ON)
    t = report.total
    with station.Session() as s:
        residents = s.scalar(select(func.count()).select_from(Resident))
        over = s.scalar(select(func.count()).select_from(Resident).where(
            Resident.life_status.is_(None)))  # fmt: skip
        assert en is not None
    assert t.must_hold + t.aged_6_13 + t.under_6 + t.not_applicable == residents
    assert (t.not_applicable, t.aged_6_13, t.under_6) == (2, 2, 1)
    assert t.must_hold == (over or 0) - 3
    assert (t.enrolled, t.in_progress) == (10, 2)
    assert t.enrolled + t.in_progress + t.not_yet == t.must_hold
    assert (t.aged_6_13_enrolled, t.under_6_enrolled) == (1, 0)
    for name in ("must_hold", "enrolled", "in_progress", "not_yet", "not_applicable"):
        assert sum(getattr(v, name) for v in report.villages) == getattr(t, name)
    # the tally over all days: its distinct residents with an enrollment received and not
    # sent back are exactly those coverage counts enrolled, of every age
    start, end = local_day_bounds(date(2000, 1, 1), date(2100, 1, 1))
    with station.Session() as s:
        tallied = s.scalar(select(func.count(func.distinct(Enrollment.resident_id))).where(
            _received_between(start, end), Enrollment.status != "returned"))  # fmt: skip
    assert tallied == t.enrolled + t.aged_6_13_enrolled + t.under_6_enrolled
    assert t.progress_text() == f"đã thu nhận 10/{t.must_hold} ({10 / t.must_hold * 100:.1f}%)" \
        .replace(".", ",")
    set_language("vi")
    sheet = build_coverage(coverage_sheet(station, report))
    words = "".join(p.extract_text() for p in PdfReader(io.BytesIO(sheet)).pages)
    assert "ĐỘ PHỦ" in words.upper() or "Độ phủ" in words
    assert report.villages[0].label in words


def test_coverage_from_the_command_line(tmp_path: Path, cli_env: dict[str, str]) -> None:
    from db.demo.synth import write_csv
    from tests.cli_runner import run

    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    where = ["--data-dir", str(tmp_path / "st")]
    assert run(cli_env, *where, "init", "--station", "Trạm", "--commune", "Nà Hỳ", "--admin",
               "admin").returncode == 0  # fmt: skip
    write_csv(tmp_path / "r.csv", 30)
    assert run(admin, *where, "import", str(tmp_path / "r.csv")).returncode == 0
    out = run(admin, *where, "coverage", "--on", "2026-12-01", "--json",
              "--out", str(tmp_path / "c.pdf"))  # fmt: skip
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["total"]["village"] is None and doc["total"]["enrolled"] == 0
    assert sum(v["must_hold"] for v in doc["villages"]) == doc["total"]["must_hold"] > 0
    assert {"village", "must_hold", "enrolled", "in_progress", "not_yet",
            "not_applicable"} <= set(doc["villages"][0])  # fmt: skip
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF")
    one = doc["villages"][0]["village"]
    out = run(admin, *where, "coverage", "--village", one, "--json")
    assert [v["village"] for v in json.loads(out.stdout)["villages"]] == [one]
    text_out = run(admin, *where, "coverage").stdout
    assert "đã thu nhận 0/" in text_out
    out = run(dict(cli_env, ENROLLMENT_STATION_USER="nobody"), *where, "coverage")
    assert out.returncode == 2


def test_the_database_counts_ages_as_age_on_does(station: StationDB, people: list[int]) -> None:
    """Birthdays on the day, the day after, 29 February, year-only births: the grouped SQL
    puts each person where :func:`age_on` says."""
    births = [(date(2012, 12, 1), None), (date(2012, 12, 2), None), (date(2012, 2, 29), None),
              (date(2020, 12, 1), None), (date(2020, 12, 2), None), (None, 2012), (None, 2013),
              (None, 2020), (None, 2021), (None, None), (date(1950, 6, 1), None)]  # fmt: skip
    with station.engine.begin() as conn:
        for rid, (born, year) in zip(people, births, strict=False):
            conn.execute(text("UPDATE resident SET birth_date = :d, birth_year = :y WHERE id = :i"),
                         {"d": born, "y": year if born is None else born.year, "i": rid})
        conn.execute(text("DELETE FROM resident WHERE id > :i"), {"i": people[len(births) - 1]})
    for on in (date(2026, 12, 1), date(2026, 2, 28), date(2026, 3, 1), date(2028, 2, 29)):
        want = {"must_hold": 0, "aged_6_13": 0, "under_6": 0}
        for born, year in births:
            want[group_of(age_on(born, year if born is None else born.year, on))] += 1
        t = coverage(station, on).total
        assert (t.must_hold, t.aged_6_13, t.under_6) == (
            want["must_hold"], want["aged_6_13"], want["under_6"]), on


def _commune(station: StationDB, people: list[int]) -> None:
    """Every cell filled: ages of all groups, people no longer counted, home-visit cases, no
    village, enrollments of every state (one sent back, one with a VNeID request)."""
    with station.engine.begin() as conn:
        conn.execute(text("UPDATE resident SET birth_year = 2015, birth_date = NULL "
                          "WHERE id IN (:a, :b, :c)"), dict(zip("abc", people[0:3], strict=True)))
        conn.execute(text("UPDATE resident SET birth_year = 2023, birth_date = NULL "
                          "WHERE id IN (:a, :b)"), dict(zip("ab", people[3:5], strict=True)))
        conn.execute(text("UPDATE resident SET life_status = 'moved_away' WHERE id IN (:a, :b)"),
                     dict(zip("ab", people[5:7], strict=True)))
        conn.execute(text("UPDATE resident SET village = NULL, village_key = NULL "
                          "WHERE id IN (:a, :b)"), dict(zip("ab", people[7:9], strict=True)))
        conn.execute(text("UPDATE resident SET home_visit_reason = 'bedridden', "
                          "home_visit_note = 'Nằm liệt giường, cần mang máy' "
                          "WHERE id IN (:a, :b, :c)"), dict(zip("abc", people[9:12], strict=True)))
    now = datetime.now(UTC)
    for rid in (people[0], people[3], people[7], people[9], *people[12:20]):
        received(station, rid, now)
    captured(station, people[1])
    captured(station, people[10])
    back = received(station, people[20], now)
    send_back(station, back.uuid, note="Ảnh mờ", actor=SYSTEM)


def test_the_lists_behind_every_number_have_as_many_people_as_it_says(
    station: StationDB, people: list[int]
) -> None:
    from db.coverage_lists import coverage_list
    from db.text import sort_key
    from db.types import NO_VILLAGE

    _commune(station, people)
    report = coverage(station, ON)
    rows = [(None, report.total), *((r.key or NO_VILLAGE, r) for r in report.villages)]
    assert any(k == NO_VILLAGE for k, _r in rows)
    seen = 0
    for village, row in rows:
        def n(state: str, group: str | None = None, v: str | None = village) -> int:
            return len(coverage_list(station, ON, state, group, v).rows)

        assert n("enrolled") == row.enrolled
        assert n("in_progress") == row.in_progress
        assert n("not_yet") == row.not_yet
        assert n("not_applicable") == row.not_applicable
        for group, total, enrolled in (("aged_6_13", row.aged_6_13, row.aged_6_13_enrolled),
                                       ("under_6", row.under_6, row.under_6_enrolled)):
            assert n("enrolled", group) == enrolled
            assert sum(n(s, group) for s in ("enrolled", "in_progress", "not_yet")) == total
        seen += row.must_hold
    assert seen == 2 * report.total.must_hold
    # the register's name (any case) picks the same village as its key
    name = report.villages[0].label or ""
    assert len(coverage_list(station, ON, "not_yet", None, name.upper()).rows) == \
        report.villages[0].not_yet
    # Vietnamese order within each village, villages in the report's order
    everyone = coverage_list(station, ON, "not_yet").rows
    order = [r.label for r in report.villages]
    keyed = [(order.index(r.village), sort_key(r.full_name)) for r in everyone]
    assert keyed == sorted(keyed)
    # home-visit cases only: the register's flag, with the officer's note
    visits = coverage_list(station, ON, "not_yet", home_visits_only=True).rows
    assert visits and all(r.home_visit_reason != "none" for r in visits)
    assert {r.home_visit_note for r in visits} == {"Nằm liệt giường, cần mang máy"}
    assert len(visits) == sum(1 for r in everyone if r.home_visit_reason != "none")
    started = coverage_list(station, ON, "in_progress", home_visits_only=True).rows
    assert [r.uuid for r in started] and all(r.state == "in_progress" for r in started)


def test_vneid_requests_are_counted_among_the_enrolled(station: StationDB, people: list[int]
                                                       ) -> None:  # fmt: skip
    from sqlalchemy import update

    from db import vneid

    _commune(station, people)
    asked = {"phone": "0912345678", "email": None}
    with station.Session.begin() as s:
        mine = s.scalars(select(Enrollment).order_by(Enrollment.id)).all()
        for e in mine:
            if e.resident_id in (people[12], people[13], people[1], people[20]):
                # two enrolled, one draft-only (captured) and one sent back: only two count
                e.draft = {**e.draft, "details": {**e.draft.get("details", {}),
                                                  "vneid": asked}}  # fmt: skip
        e14 = next(e for e in mine if e.resident_id == people[14])
        s.execute(update(Enrollment).where(Enrollment.id == e14.id).values(
            draft={"details": {"vneid": {"phone": None, "email": "a@b.vn"}}}))
        s.expire_all()
        for e in s.scalars(select(Enrollment)):  # marked as submission marks them
            e.vneid_requested = vneid.requested(e.draft)
    report = coverage(station, ON)
    assert report.total.vneid_requests == 2
    assert sum(v.vneid_requests for v in report.villages) == 2
    assert report.to_json()["total"]["vneid_requests"] == 2
    set_language("vi")
    words = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        build_coverage(coverage_sheet(station, report)))).pages)
    assert "VNeID" in words


def test_a_list_on_paper_says_which_cell(station: StationDB, people: list[int]) -> None:
    from db.coverage_lists import coverage_list, coverage_list_sheet
    from printing.coverage import build_coverage_list
    from tests.printing.pdfcheck import pdf_text

    _commune(station, people)
    set_language("vi")
    report = coverage(station, ON)
    village = report.villages[0].label or ""
    found = coverage_list(station, ON, "not_yet", None, village)
    words = pdf_text(build_coverage_list(coverage_list_sheet(station, found)))
    assert "DANH SÁCH" in words and village in words and "Chưa" in words
    assert all(r.full_name in words and r.birth_display in words for r in found.rows)
    assert all(r.phone in words for r in found.rows if r.phone)  # whole, not wrapped
    visits = coverage_list(station, ON, "not_yet", home_visits_only=True)
    words = pdf_text(build_coverage_list(coverage_list_sheet(station, visits)))
    assert "Nằm liệt giường, cần mang máy" in words and "Toàn xã" in words
    nobody = coverage_list(station, ON, "enrolled", "under_6", village, home_visits_only=True)
    assert pdf_text(build_coverage_list(coverage_list_sheet(station, nobody))).startswith("")


def test_coverage_lists_from_the_command_line(tmp_path: Path, cli_env: dict[str, str]) -> None:
    from db.demo.synth import write_csv
    from tests.cli_runner import run
    from tests.printing.pdfcheck import pdf_text

    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    where = ["--data-dir", str(tmp_path / "st")]
    assert run(cli_env, *where, "init", "--station", "Trạm", "--commune", "Nà Hỳ", "--admin",
               "admin").returncode == 0  # fmt: skip
    write_csv(tmp_path / "r.csv", 30)
    assert run(admin, *where, "import", str(tmp_path / "r.csv")).returncode == 0
    counts = json.loads(run(admin, *where, "coverage", "--on", "2026-12-01", "--json").stdout)
    out = run(admin, *where, "coverage", "--on", "2026-12-01", "--list", "not_yet", "--json",
              "--out", str(tmp_path / "l.pdf"))  # fmt: skip
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert len(doc["residents"]) == counts["total"]["not_yet"] > 0
    assert {"full_name", "birth_date", "sex", "village", "household_no", "phone",
            "home_visit_reason", "home_visit_note", "state"} <= set(doc["residents"][0])
    one = counts["villages"][0]
    out = run(admin, *where, "coverage", "--on", "2026-12-01", "--list", "not_yet",
              "--village", one["village"], "--json")  # fmt: skip
    assert len(json.loads(out.stdout)["residents"]) == one["not_yet"]
    out = run(admin, *where, "coverage", "--on", "2026-12-01", "--list", "enrolled",
              "--group", "6-13", "--home-visits", "--json")  # fmt: skip
    assert json.loads(out.stdout)["group"] == "aged_6_13"
    assert "Toàn xã" in pdf_text((tmp_path / "l.pdf").read_bytes())
    text_out = run(admin, *where, "coverage", "--on", "2026-12-01", "--list", "not_yet")
    assert text_out.returncode == 0 and doc["residents"][0]["full_name"] in text_out.stdout
    assert run(admin, *where, "coverage", "--home-visits").returncode == 2
    assert run(admin, *where, "coverage", "--list", "not_applicable", "--group",
               "6-13").returncode == 2  # fmt: skip
