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
    assert d.table.rowCount() == len(report.villages) > 0
    shown = sum(int(d.table.item(r, 2).text().replace(".", "")) for r in
                range(d.table.rowCount()))  # fmt: skip
    assert shown == report.total.enrolled >= 1
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
