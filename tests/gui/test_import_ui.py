"""The GUI's register import goes through the core service: role checked, audited, off-thread."""

from __future__ import annotations

from unittest import mock

from PySide6.QtWidgets import QMessageBox

from db import audit
from db.actor import SYSTEM, Actor
from db.service import StationService
from gui.app import make_app
from gui.main_window import MainWindow
from resources import path as resource_path


def test_officer_is_refused_admin_imports_and_it_is_audited(qtbot, station) -> None:  # type: ignore[no-untyped-def]
    make_app()
    officer = Actor(None, "lo.van.duc", "Lò Văn Đức", "officer")
    window = MainWindow(StationService(station, officer))
    qtbot.addWidget(window)
    with mock.patch.object(QMessageBox, "warning") as warned:
        window.import_file(resource_path("sample_register.csv"))
        qtbot.waitUntil(lambda: warned.called, timeout=10000)
    with station.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM resident").scalar() == 0

    window.set_service(StationService(station, SYSTEM))  # the administrator's work, as the program
    with mock.patch.object(QMessageBox, "information"):
        window.import_file(resource_path("sample_register.csv"))
        qtbot.waitUntil(lambda: "30" in window.statusBar().currentMessage(), timeout=20000)
    with station.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM resident").scalar() == 30
    assert "register.import" in [e.action for e in audit.show(station, SYSTEM, limit=20)]
