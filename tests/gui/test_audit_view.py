"""The audit view lists filtered events and verifies the chain in the background."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from db import audit
from db.actor import Actor
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.audit_view import AuditDialog


def test_filters_and_verify(qtbot: Any, station: StationDB, actors: dict[str, Actor]) -> None:
    make_app()
    for i in range(3):
        audit.record(station, actors["officer"], "resident.view", "resident", i)
    d = AuditDialog(StationService(station, actors["supervisor"]))
    qtbot.addWidget(d)
    assert d.table.rowCount() >= 6
    d.officer.setText("duc")
    d.action.setText("resident.")
    d.reload()
    assert d.table.rowCount() == 3 and d.table.item(0, 3).text() == "resident.view"
    d.verify()
    qtbot.waitUntil(lambda: d.verify_button.isEnabled(), timeout=5000)
    assert "#" not in d.status.text()
    with station.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET details = 'x' WHERE seq = 2"))
    d.verify()
    qtbot.waitUntil(lambda: d.verify_button.isEnabled(), timeout=5000)
    assert "#2" in d.status.text()
