"""A station with the sample register, a signed-in officer, a fake camera, a main window."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox

from db.actor import Actor
from db.models import Officer
from db.register.importer import import_register
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.main_window import MainWindow
from gui.print_preview import PrintPreviewDialog
from gui.wizard.wizard import EnrollmentWizard
from resources import path as resource_path
from tests.gui.fakes import FakeCamera


def officer(db: StationDB) -> Actor:
    with db.Session.begin() as s:
        o = Officer(station_id=db.station_id, username="duc", full_name="Lò Văn Đức",
                    role="officer", password_hash="!")  # fmt: skip
        s.add(o)
        s.flush()
        return Actor(o.id, "duc", "Lò Văn Đức", "officer")


@pytest.fixture
def register(station: StationDB) -> StationDB:
    import_register(station, resource_path("sample_register.csv"))
    return station


@pytest.fixture
def actor(register: StationDB) -> Actor:
    return officer(register)


@pytest.fixture
def camera() -> FakeCamera:
    return FakeCamera()


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> list[str]:
    """Every modal dialog answered without blocking; printing goes to a PDF file."""
    said: list[str] = []

    def box(*args: Any, **kw: Any) -> QMessageBox.StandardButton:
        said.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Yes

    for name in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(box))
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    monkeypatch.setattr("gui.print_preview.printers_available", lambda: True)
    monkeypatch.setattr(PrintPreviewDialog, "choose_printer", lambda self: printer)
    return said


def make_window(qtbot: Any, db: StationDB, actor: Actor, camera: FakeCamera) -> MainWindow:
    make_app()
    w = MainWindow(StationService(db, actor), camera_factory=camera.factory)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    w.activateWindow()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.lookup.box.hasFocus(), timeout=3000)
    return w


def wizard_ready(qtbot: Any, w: MainWindow, index: int, timeout: int = 8000) -> EnrollmentWizard:
    qtbot.waitUntil(
        lambda: w.wizard is not None and w.wizard.index == index and w.wizard.ready,
        timeout=timeout,
    )
    assert w.wizard is not None
    return w.wizard


def press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
          autorepeat: bool = False) -> None:  # fmt: skip
    """A key press where the officer's keyboard focus is (as a real key would go)."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    if autorepeat:
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QKeyEvent

        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, modifier, "", True))
        return
    qtbot.keyClick(target, key, modifier)
