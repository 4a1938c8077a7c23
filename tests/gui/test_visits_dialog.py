"""Lãnh đạo → Kế hoạch đến nhà, and the desk's visits of the day: a supervisor plans the marked
people and one found by a search, prints the list (its text read back), records an outcome
that needs a new day; the officer's desk shows the day's visits and starts the enrollment of
one of them at home."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from db.actor import Actor
from db.models import Enrollment, Resident
from db.service import StationService
from db.station import StationDB
from db.vntime import today_local
from gui.app import make_app
from gui.visit_outcome import VisitOutcomeDialog
from gui.visits_dialog import VisitsDialog
from tests.db.enrollment_fixtures import people
from tests.gui.desk_fixtures import camera, make_window
from tests.printing.pdfcheck import pdf_text

__all__ = ["camera", "people"]


def _mark(station: StationDB, ids: list[int], reason: str) -> None:
    with station.Session.begin() as s:
        s.execute(update(Resident).where(Resident.id.in_(ids)).values(home_visit_reason=reason))


def test_the_supervisor_plans_prints_and_records(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], people: list[int],
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    make_app()
    _mark(station, people[:3], "bedridden")
    with station.Session() as s:
        other = s.scalar(select(Resident).where(Resident.id == people[10]))
        assert other is not None
        other_name, other_uuid = other.full_name, other.uuid
    boss = StationService(station, actors["supervisor"])
    d = VisitsDialog(boss)
    qtbot.addWidget(d)
    d.resize(1340, 660)
    qtbot.waitUntil(lambda: d.people.rowCount() == 3, timeout=10_000)
    assert "3 người được đánh dấu" in d.planning_status.text()
    tomorrow = today_local() + timedelta(days=1)
    d.day_edit.setDate(d.day_edit.date().addDays(1))
    d.search.setText(other_name)
    d.find_people()
    qtbot.waitUntil(lambda: any(c.uuid == other_uuid for c in d.candidates), timeout=10_000)
    d.people.clearSelection()
    for r, c in enumerate(d.candidates):
        if c.uuid == other_uuid or c.reason != "search":
            d.people.selectRow(r)
    assert d.plan_button.isEnabled() and "Đưa 4 người vào kế hoạch" in d.plan_button.text()
    d.mode.setCurrentIndex(d.mode.findData("home"))
    with qtbot.waitSignal(d.planned, timeout=10_000) as planned:
        d.plan_button.click()
    assert len(planned.args[0].planned) == 4
    qtbot.waitUntil(lambda: d.plan_table.rowCount() == 4, timeout=10_000)
    assert "4 lần đến nhà, 4 chưa thực hiện" in d.plan_title.text()
    assert d.day() == tomorrow

    target = tmp_path / "den-nha.pdf"
    monkeypatch.setattr("gui.print_preview.save_file_name", lambda *a, **k: str(target))
    with qtbot.waitSignal(d.built, timeout=30_000) as sheet:
        d.print_button.click()
    words = pdf_text(sheet.args[0])
    assert "DANH SÁCH ĐẾN NHÀ" in words and other_name in words and "Nằm liệt giường" in words

    d.plan_table.selectRow(0)
    visit = d.selected_visit()
    assert visit is not None
    o = VisitOutcomeDialog(boss, visit, d)
    qtbot.addWidget(o)
    assert not o.ok.isEnabled()  # nothing is recorded before an outcome is chosen
    o.outcome.setCurrentIndex(o.outcome.findData("rescheduled"))
    assert o.ok.isEnabled() and o.next_day.isVisibleTo(o)
    o.next_day.setDate(o.next_day.date().addDays(3))
    with qtbot.waitSignal(o.recorded, timeout=10_000) as recorded:
        o.record()
    assert recorded.args[0].outcome == "rescheduled"
    later = boss.visits(tomorrow + timedelta(days=3))
    assert [v.resident_uuid for v in later] == [visit.resident_uuid]


def test_the_desk_shows_the_days_visits_and_starts_one_at_home(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], people: list[int], camera: Any,
) -> None:  # fmt: skip
    boss = StationService(station, actors["supervisor"])
    with station.Session() as s:
        who = list(s.scalars(select(Resident.uuid).where(Resident.id.in_(people[:2]))))
    boss.plan_visits(who, today_local(), station.station_id, "home")
    w = make_window(qtbot, station, actors["officer"], camera)
    panel = w.desk.visits
    qtbot.waitUntil(lambda: panel.isVisible() and panel.list.count() == 2, timeout=10_000)
    assert "Đến nhà hôm nay: 2 người" in panel.title.text()
    assert "Mang máy đến nhà" in panel.list.item(0).text()
    first = panel.items[0]
    panel.start_button.click()
    qtbot.waitUntil(lambda: w.wizard is not None, timeout=10_000)
    with station.Session() as s:
        e = s.scalar(select(Enrollment).where(Enrollment.visit_uuid == first.uuid))
        assert e is not None and e.place == "home"
