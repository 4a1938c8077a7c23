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
from tests.gui.fakes import FakeCamera, ScannerRig


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
def scanner() -> ScannerRig:
    return ScannerRig()


@pytest.fixture(autouse=True)
def quick_fingers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fingerprint step goes on at once after a result (a person takes ~1 s to move)."""
    from gui.wizard.fingerprints import FingerprintStep

    monkeypatch.setattr(FingerprintStep, "pause_ms", 0)


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


def make_window(qtbot: Any, db: StationDB, actor: Actor, camera: FakeCamera,
                scanner: ScannerRig | None = None) -> MainWindow:  # fmt: skip
    make_app()
    w = MainWindow(StationService(db, actor), camera_factory=camera.factory,
                   scanner_factory=(scanner or ScannerRig()).factory)
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


def fingers_taken(qtbot: Any, w: MainWindow, index: int = 2, timeout: int = 30000
                  ) -> EnrollmentWizard:  # fmt: skip
    """Wait on the fingerprint step until every finger is taken (the simulator scans them by
    itself), then go on with Enter: the wizard at the review."""
    wizard = wizard_ready(qtbot, w, index)
    step = wizard.steps[index]
    qtbot.waitUntil(lambda: not step.untaken() and not step.writes and step.current is None,
                    timeout=timeout)  # fmt: skip
    wizard = wizard_ready(qtbot, w, index)
    press(qtbot, Qt.Key.Key_Return)
    return wizard_ready(qtbot, w, index + 1)
