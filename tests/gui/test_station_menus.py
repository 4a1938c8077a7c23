"""The menus follow the signed-in role: an officer has no Supervision menu at all (seen again
when a supervisor takes over at the lock screen); everyone has the Account menu with the
password, the lock and signing out."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from db.actor import Actor
from db.models import AuditEvent
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.main_window import MainWindow
from tests.conftest import TEST_PASSWORD


def window_for(qtbot: Any, station: StationDB, actor: Actor) -> MainWindow:
    make_app()
    w = MainWindow(StationService(station, actor), idle_ms=60_000)
    qtbot.addWidget(w)
    w.show()
    return w


def menu_titles(w: MainWindow) -> list[str]:
    """What the menu bar shows (hidden menus are not there for the user)."""
    return [a.text().replace("&", "") for a in w.menuBar().actions() if a.isVisible()]


def shown_items(menu: Any) -> list[str]:
    return [a.text().replace("&", "") for a in menu.actions()
            if a.isVisible() and not a.isSeparator()]  # fmt: skip


@pytest.fixture(autouse=True)
def quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)


def test_an_officer_sees_no_supervision_menu_until_a_supervisor_takes_over(
    qtbot: Any, station: StationDB, actors: dict[str, Actor]
) -> None:
    w = window_for(qtbot, station, actors["officer"])
    assert not w.supervision.visible
    assert "Lãnh đạo" not in menu_titles(w) and "Tài khoản" in menu_titles(w)
    account = shown_items(w.supervision.account.menu)
    assert account[1:] == ["Đổi mật khẩu…", "Khóa màn hình", "Đăng xuất"]
    assert "Lò Văn Đức" in account[0]
    assert w.lock_action.shortcut().toString() == "Ctrl+L"
    lock = w.idle_lock
    lock.lock()
    lock.cover.user.setText("boss")
    lock.cover.password.setText(TEST_PASSWORD)
    lock.try_unlock()
    assert w.actor.username == "boss"
    assert w.supervision.visible and "Lãnh đạo" in menu_titles(w)
    assert shown_items(w.supervision.menu) == [
        "Duyệt hồ sơ trong ngày…", "Thống kê ngày…", "Độ phủ…", "Cấp đổi thẻ…",
        "Kế hoạch đến nhà…", "Chất lượng dữ liệu…", "Nhật ký kiểm toán…", "Cán bộ…",
        "Máy quét vân tay…"]
    assert "Quàng Văn Thanh" in shown_items(w.supervision.account.menu)[0]


def test_an_administrator_sees_only_what_they_may_use(
    qtbot: Any, station: StationDB, actors: dict[str, Actor]
) -> None:
    w = window_for(qtbot, station, actors["admin"])
    assert w.supervision.visible
    assert shown_items(w.supervision.menu) == ["Thống kê ngày…", "Độ phủ…", "Cấp đổi thẻ…",
                                               "Chất lượng dữ liệu…", "Nhật ký kiểm toán…",
                                               "Cán bộ…", "Máy quét vân tay…"]


def test_signing_out_is_asked_then_recorded_and_hands_over_to_the_shell(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gui.station_menus as menus

    w = window_for(qtbot, station, actors["officer"])
    asked: list[str] = []
    monkeypatch.setattr(menus, "ask", lambda _p, _t, text, _y: asked.append(text) or False)
    signals: list[bool] = []
    w.signed_out.connect(lambda: signals.append(True))
    w.supervision.account.sign_out_action.trigger()
    assert w.isVisible() and asked and "Lò Văn Đức" in asked[0]  # answered no: nothing
    assert signals == []
    monkeypatch.setattr(menus, "ask", lambda *_a: True)
    w.supervision.account.sign_out_action.trigger()
    assert signals == [True]  # the shell (gui/app.Shell) asks the next officer to sign in
    with station.Session() as s:
        assert "signout" in s.scalars(select(AuditEvent.action)).all()


def test_the_cards_menu_is_for_those_who_hand_cards_out(
    qtbot: Any, station: StationDB, actors: dict[str, Actor]
) -> None:
    w = window_for(qtbot, station, actors["admin"])
    assert not w.cards.visible and "Thẻ căn cước" not in menu_titles(w)
    assert not any(a.isEnabled() for a in w.cards.menu.actions())  # no shortcut either
    lock = w.idle_lock
    lock.lock()
    lock.cover.user.setText("boss")
    lock.cover.password.setText(TEST_PASSWORD)
    lock.try_unlock()
    assert w.actor.username == "boss"
    assert w.cards.visible and menu_titles(w)[:2] == ["Trạm", "Thẻ căn cước"]
    assert shown_items(w.cards.menu) == ["Ghi nhận thẻ về…", "Trả thẻ…", "Thẻ chờ trả…"]
    assert [a.shortcut().toString() for a in w.cards.menu.actions()] == [
        "Ctrl+Shift+A", "Ctrl+Shift+H", "Ctrl+Shift+W"]  # fmt: skip
    assert all(a.isEnabled() for a in w.cards.menu.actions())
    assert StationService(station, actors["officer"]).allowed("card.handle")  # officers too
