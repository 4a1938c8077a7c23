"""Lãnh đạo → Cấp đổi thẻ: the renewal list off the UI thread, the months spin box, the A4 list
previewed (its text read back, unknown card dates apart), saving it audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from db.actor import Actor
from db.models import AuditEvent
from db.service import StationService
from db.station import StationDB
from db.vntime import today_local
from gui.app import make_app
from gui.renewals_dialog import RenewalsDialog
from tests.db.enrollment_fixtures import people
from tests.printing.pdfcheck import pdf_text

__all__ = ["people"]


def test_the_renewals_on_screen_and_on_paper(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], people: list[int],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    make_app()
    today = today_local()
    with station.engine.begin() as conn:  # nobody due but these two
        conn.execute(text("UPDATE resident SET birth_year = 1990, birth_date = '1990-07-01', "
                          "card_issued = '2010-01-01'"))
        conn.execute(text("UPDATE resident SET birth_year = :y, birth_date = NULL, "
                          "card_issued = NULL WHERE id = :a"),
                     {"y": today.year - 14, "a": people[0]})
        conn.execute(text("UPDATE resident SET birth_year = :y, birth_date = :d, card_issued "
                          "= '2001-05-05' WHERE id = :a"),
                     {"y": today.year - 60, "d": date(today.year - 60, 1, 1).isoformat(),
                      "a": people[1]})  # fmt: skip
    service = StationService(station, actors["supervisor"])
    d = RenewalsDialog(service)
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.found is not None, timeout=30_000)
    assert d.found is not None and len(d.found) == d.table.rowCount() >= 2
    shown = {d.table.item(r, 1).text(): d.table.item(r, 4).text()
             for r in range(d.table.rowCount())}  # fmt: skip
    with station.Session() as s:
        from db.models import Resident

        child, elder = (s.get(Resident, i) for i in people[:2])
        assert child is not None and elder is not None
        assert shown[child.full_name] == "14 – cấp thẻ lần đầu" and shown[elder.full_name] == "60"
    with qtbot.waitSignal(d.shown, timeout=30_000):
        d.months.setValue(0)
        d.list_button.click()
    target = tmp_path / "doi-the.pdf"
    monkeypatch.setattr("gui.print_preview.save_file_name", lambda *a, **k: str(target))
    with qtbot.waitSignal(d.built, timeout=30_000) as sheet:
        d.print_button.click()
    words = pdf_text(sheet.args[0])
    known, unknown = words.split("2. Chưa rõ ngày cấp thẻ: 1 người")
    assert "CẤP ĐỔI THẺ" in known and elder.full_name in known
    assert child.full_name in unknown

    from gui.print_preview import PrintPreviewDialog

    previews = d.findChildren(PrintPreviewDialog)
    previews[-1].save_pdf()
    assert target.read_bytes() == sheet.args[0]

    def saved() -> bool:
        with station.Session() as s:
            return "pdf.save" in s.scalars(select(AuditEvent.action)).all()

    qtbot.waitUntil(saved, timeout=5000)

    # who must renew and cannot come: to a home-visit plan, already selected
    from gui.visits_dialog import VisitsDialog

    opened: list[VisitsDialog] = []
    monkeypatch.setattr(VisitsDialog, "exec", lambda self: opened.append(self) or 0)
    d.table.selectRow(0)
    d.plan_button.click()
    plan = opened[0]  # a child of the renewals dialog: closed with it
    qtbot.waitUntil(lambda: len(plan.selected_candidates()) == 1, timeout=10_000)
    assert d.found is not None and plan.selected_candidates() == [d.found[0].uuid]
