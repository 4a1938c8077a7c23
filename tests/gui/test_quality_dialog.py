"""Lãnh đạo → Chất lượng dữ liệu: the report made off the UI thread, a duplicate group's records
side by side, the actions from the buttons (same person, not the same, deceased, a fix), the
report made again after each."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from db.actor import Actor
from db.demo.synth import rows_for_import
from db.models import Resident
from db.register.importer import import_rows
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.quality_dialog import QualityDialog
from tests.quality_defects import inject


def _status(station: StationDB, uuid: str) -> tuple[str | None, str | None]:
    with station.Session() as s:
        r = s.scalar(select(Resident).where(Resident.uuid == uuid))
        assert r is not None
        return r.life_status, r.village


def test_the_report_and_its_actions(qtbot: Any, station: StationDB,
                                    actors: dict[str, Actor]) -> None:  # fmt: skip
    make_app()
    import_rows(station, rows_for_import(120), file_name="test-register")
    injected = inject(station, 1, date.today())
    d = QualityDialog(StationService(station, actors["supervisor"]))
    qtbot.addWidget(d)
    qtbot.waitUntil(lambda: d.report is not None, timeout=30_000)
    assert d.group_list.count() == len(d.groups) == 4
    assert d.tabs.tabText(0) == "Có thể trùng (4)"
    assert d.same_button.text() == "Cùng một người (giữ bản này)"
    assert d.dismiss_button.text() == "Không phải một người"
    # the first group side by side; keep the first record
    assert d.group_table.rowCount() == 2 and d.group_table.columnCount() == 6
    keep, other = (r.uuid for r in d.groups[0].residents)
    with qtbot.waitSignal(d.shown, timeout=30_000):
        d.same_button.click()
    assert _status(station, other)[0] == "duplicate" and _status(station, keep)[0] is None
    assert d.group_list.count() == 3
    with qtbot.waitSignal(d.shown, timeout=30_000):
        d.dismiss_button.click()
    assert d.group_list.count() == 2

    old = injected.singles["implausible_age"][0]
    kind = "implausible_age"
    table = d.finding_tables[kind]
    assert table.rowCount() == 1
    with qtbot.waitSignal(d.shown, timeout=30_000):
        d.findChild(type(d.again), f"quality_{kind}_deceased").click()
    assert _status(station, old)[0] == "deceased" and table.rowCount() == 0

    lost = injected.singles["no_village"][0]
    with qtbot.waitSignal(d.shown, timeout=30_000):
        d.fix_field(lost, "village", "Nà Hỳ 2")
    assert _status(station, lost)[1] == "Nà Hỳ 2"
    assert d.finding_tables["no_village"].rowCount() == 0
