"""The idle lock keeps the work exactly where it was; only the right password opens it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from db.actor import Actor
from db.models import AuditEvent
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.main_window import MainWindow
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def window(qtbot: Any, station: StationDB, actors: dict[str, Actor], monkeypatch: Any) -> Any:
    make_app()
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    w = MainWindow(StationService(station, actors["officer"]), idle_ms=60_000)
    qtbot.addWidget(w)
    w.show()
    return w


def actions(db: StationDB) -> list[str]:
    with db.Session() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def unlock(qtbot: Any, lock: Any, user: str, password: str) -> None:
    lock.cover.user.setText(user)
    lock.cover.password.setText(password)
    qtbot.mouseClick(lock.cover.unlock_button, Qt.MouseButton.LeftButton)


def test_lock_keeps_typed_text_and_unlocks_with_the_same_password(
    qtbot: Any, window: Any, station: StationDB
) -> None:
    lock = window.idle_lock
    box = window.lookup.box
    box.setFocus()
    qtbot.keyClicks(box, "giang a se")
    lock.timer.setInterval(50)  # a short idle interval: the real timer fires the lock
    lock.timer.start()
    qtbot.waitUntil(lambda: lock.is_locked, timeout=3000)
    assert lock.cover.geometry() == window.rect()
    qtbot.keyClicks(box, "xyz")  # typing under the cover does nothing
    assert box.text() == "giang a se"
    unlock(qtbot, lock, "duc", "not my password")
    assert lock.is_locked and lock.cover.message.text()
    unlock(qtbot, lock, "duc", TEST_PASSWORD)
    assert not lock.is_locked
    assert box.text() == "giang a se" and window.actor.username == "duc"
    acts = actions(station)
    assert {"screen.lock", "unlock.failed", "unlock"} <= set(acts)


def test_supervisor_takes_over_and_another_officer_cannot(
    qtbot: Any, window: Any, station: StationDB, actors: dict[str, Actor]
) -> None:
    from db import accounts

    admin = actors["admin"]
    accounts.create_officer(station, admin, "senh", "Giàng A Sếnh", "officer", TEST_PASSWORD,
                            temporary=False)  # fmt: skip
    lock = window.idle_lock
    qtbot.keyClicks(window.lookup.box, "lo van")
    lock.lock()
    unlock(qtbot, lock, "senh", TEST_PASSWORD)
    assert lock.is_locked and window.actor.username == "duc"
    unlock(qtbot, lock, "boss", TEST_PASSWORD)
    assert not lock.is_locked and window.actor.username == "boss"
    assert window.lookup.box.text() == "lo van"
    assert "user.switch" in actions(station) and "user.switch.refused" in actions(station)


def test_a_notice_counts_down_before_the_lock_and_input_puts_it_off(
    qtbot: Any, window: Any
) -> None:
    from gui.idle_lock import WARN_MS

    lock = window.idle_lock
    lock.timer.setInterval(WARN_MS + 100)  # the notice comes 100 ms after the last input
    lock.restart()
    qtbot.waitUntil(lambda: lock.warning.isVisible(), timeout=3000)
    assert not lock.is_locked
    assert "30" in lock.warning.text() or "29" in lock.warning.text()
    qtbot.keyClick(window.lookup.box, "a")  # the officer is still there
    assert not lock.warning.isVisible() and lock.timer.isActive()
    lock.lock()
    assert not lock.warning.isVisible() and not lock.tick.isActive()


def test_the_header_names_the_supervisor_who_took_over(
    qtbot: Any, window: Any, station: StationDB
) -> None:
    lock = window.idle_lock
    lock.lock()
    unlock(qtbot, lock, "boss", TEST_PASSWORD)
    assert window.actor.username == "boss"
    assert window.actor.full_name in window.officer.text()
    assert window.desk.service_of() is window.service
