"""Lãnh đạo → Độ phủ: the coverage counted off the UI thread, per village on screen with the
commune's line, the A4 sheet previewed (its text read back), saving it audited."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from db.actor import Actor
from db.models import AuditEvent
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.coverage_dialog import CoverageDialog
from tests.db.enrollment_fixtures import people, received
from tests.printing.pdfcheck import pdf_text

__all__ = ["people"]


def test_the_coverage_on_screen_and_on_paper(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], people: list[int],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    make_app()
    for rid in people[:3]:
        received(station, rid, datetime.now(UTC))
    service = StationService(station, actors["supervisor"])
    d = CoverageDialog(service)  # counts as it opens, off the UI thread
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.report is not None, timeout=30_000)
    report = d.report
    assert report is not None
    assert d.table.rowCount() == len(report.villages) + 1 > 1  # the commune's line last
    shown = sum(int(d.table.item(r, 2).text().replace(".", "")) for r in
                range(d.table.rowCount() - 1))  # fmt: skip
    assert shown == report.total.enrolled >= 1
    assert d.table.item(d.table.rowCount() - 1, 2).text() == str(report.total.enrolled)
    assert "đã thu nhận" in d.total.text()
    target = tmp_path / "do-phu.pdf"
    monkeypatch.setattr("gui.print_preview.save_file_name", lambda *a, **k: str(target))
    with qtbot.waitSignal(d.built, timeout=30_000) as sheet:
        d.print_button.click()
    words = pdf_text(sheet.args[0])
    assert "ĐỘ PHỦ" in words and (report.villages[0].label or "") in words

    def saved() -> bool:
        with station.Session() as s:
            return "pdf.save" in s.scalars(select(AuditEvent.action)).all()

    from gui.print_preview import PrintPreviewDialog

    previews = d.findChildren(PrintPreviewDialog)
    assert previews
    previews[-1].save_pdf()
    assert target.read_bytes() == sheet.args[0]
    qtbot.waitUntil(saved, timeout=5000)


def test_a_number_opens_its_list(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], people: list[int],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from sqlalchemy import text

    from gui.coverage_dialog import CoverageListDialog

    make_app()
    for rid in people[:3]:
        received(station, rid, datetime.now(UTC))
    with station.engine.begin() as conn:
        conn.execute(text("UPDATE resident SET home_visit_reason = 'elderly', home_visit_note ="
                          " 'Cụ ốm, đến sau 15 giờ' WHERE id IN (:a, :b)"),
                     {"a": people[10], "b": people[11]})  # fmt: skip
    service = StationService(station, actors["supervisor"])
    d = CoverageDialog(service)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.report is not None, timeout=30_000)
    report = d.report
    assert report is not None
    first = report.villages[0]
    d.open_cell(0, 4)  # the first village's "not yet"
    lst = d.lists[-1]
    assert isinstance(lst, CoverageListDialog)
    qtbot.addWidget(lst)
    qtbot.waitUntil(lambda: lst.found is not None, timeout=30_000)
    assert lst.table.rowCount() == first.not_yet
    assert {lst.table.item(r, 3).text() for r in range(lst.table.rowCount())} == {first.label}
    # the commune's line, "enrolled": the three received
    d.open_cell(d.table.rowCount() - 1, 2)
    whole = d.lists[-1]
    qtbot.addWidget(whole)
    qtbot.waitUntil(lambda: whole.found is not None, timeout=30_000)
    assert whole.table.rowCount() == report.total.enrolled == 3
    # the commune's not yet, then its home-visit cases only
    with qtbot.waitSignal(whole.shown, timeout=30_000):
        whole.state.setCurrentIndex(whole.state.findData("not_yet"))
    assert whole.table.rowCount() == report.total.not_yet
    with qtbot.waitSignal(whole.shown, timeout=5000):
        whole.visits_only.setChecked(True)
    assert whole.table.rowCount() == 2
    assert whole.table.item(0, 7).text() == "Cụ ốm, đến sau 15 giờ"
    assert whole.visits_only.text() == "Chỉ người cần đến nhà"
    with qtbot.waitSignal(whole.built, timeout=30_000) as sheet:
        whole.print_button.click()
    words = pdf_text(sheet.args[0])
    assert "Toàn xã" in words and "Cụ ốm, đến sau 15 giờ" in words
    # the two become candidates of a home-visit plan, already selected
    from gui.visits_dialog import VisitsDialog

    opened: list[VisitsDialog] = []
    monkeypatch.setattr(VisitsDialog, "exec", lambda self: opened.append(self) or 0)
    assert whole.plan_button.isVisibleTo(whole) and whole.plan_button.isEnabled()
    whole.plan_button.click()
    plan = opened[0]  # a child of the list: closed with it
    qtbot.waitUntil(lambda: len(plan.selected_candidates()) == 2, timeout=10_000)
    with station.Session() as s:
        marked = set(s.scalars(text("SELECT uuid FROM resident WHERE id IN (:a, :b)"),
                               {"a": people[10], "b": people[11]}))  # fmt: skip
    assert set(plan.selected_candidates()) == marked
    # those no longer counted are in no age group
    with qtbot.waitSignal(whole.shown, timeout=30_000):
        whole.state.setCurrentIndex(whole.state.findData("not_applicable"))
    assert not whole.group.isEnabled()
