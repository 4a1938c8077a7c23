"""Đăng xuất: the next officer signs in and gets a window of their own."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from db.actor import Actor
from db.models import AuditEvent
from db.service import StationService
from db.station import StationDB
from gui.app import Shell, make_app
from gui.main_window import MainWindow
from gui.signin import SignInDialog
from tests.conftest import TEST_PASSWORD


def _answer_sign_in(user: str | None) -> None:
    """Fill in the real sign-in dialog once it is up (None: cancel it)."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SignInDialog):
            QTimer.singleShot(50, fill)
            return
        if user is None:
            dialog.reject()
            return
        dialog.user.setText(user)
        dialog.password.setText(TEST_PASSWORD)
        dialog.try_sign_in()

    QTimer.singleShot(50, fill)


def test_sign_out_asks_the_next_officer_and_builds_a_new_window(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], monkeypatch: Any
) -> None:
    make_app()
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    shell = Shell(station, MainWindow)
    first = shell.open(StationService(station, actors["officer"]))
    qtbot.addWidget(first)
    qtbot.keyClicks(first.lookup.box, "lo van")
    _answer_sign_in("boss")
    first.sign_out()
    second = shell.window
    assert isinstance(second, MainWindow) and second is not first
    qtbot.addWidget(second)
    assert second.actor.username == "boss" and second.lookup.box.text() == ""
    assert not first.isVisible() and second.isVisible()
    with station.Session() as s:
        assert "signout" in set(s.scalars(select(AuditEvent.action)))


def test_cancelled_sign_in_after_sign_out_quits(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], monkeypatch: Any
) -> None:
    app = make_app()
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    quits: list[bool] = []
    monkeypatch.setattr(type(app), "quit", staticmethod(lambda: quits.append(True)))
    shell = Shell(station, MainWindow)
    first = shell.open(StationService(station, actors["officer"]))
    qtbot.addWidget(first)
    _answer_sign_in(None)
    first.sign_out()
    assert shell.window is None and quits == [True]
