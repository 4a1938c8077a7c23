"""Officer accounts in the app, through the real service on a real station: add (a generated
temporary password, shown once), disable and enable, reset a password, unlock; what a
supervisor may do; refusals told in words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

import gui.officers_dialog as od
from db import accounts
from db.actor import Actor
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.officers_dialog import AddOfficerDialog, OfficersDialog, ResetPasswordDialog
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error boxes answered at once; their sentences kept."""
    shown: list[str] = []

    def box(*args: Any, **kw: Any) -> QMessageBox.StandardButton:
        shown.append(str(args[2]))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(box))
    return shown


def answering(monkeypatch: pytest.MonkeyPatch, fill: Callable[[Any], None]) -> None:
    """The next form is filled by ``fill`` and submitted, instead of waiting for a person."""

    def run(dialog: Any) -> bool:
        fill(dialog)
        dialog.submit()
        return bool(dialog.result())

    monkeypatch.setattr(od, "exec_dialog", run)


def open_as(qtbot: Any, station: StationDB, actor: Actor) -> OfficersDialog:
    make_app()
    d = OfficersDialog(StationService(station, actor))
    qtbot.addWidget(d)
    return d


def select(d: OfficersDialog, username: str) -> None:
    d.table.selectRow([o.username for o in d.officers].index(username))


def test_add_disable_enable_reset_and_unlock(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], said: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    d = open_as(qtbot, station, actors["admin"])
    assert {o.username for o in d.officers} == {"admin", "boss", "duc"}
    texts = [d.table.item(r, 2).text() for r in range(d.table.rowCount())]
    assert set(texts) == {"Quản trị viên", "Lãnh đạo", "Cán bộ"}  # roles in words

    shown: dict[str, str] = {}

    def fill_new(f: AddOfficerDialog) -> None:
        f.full_name.setText("Lường Thị Mai")
        f.username.setText("Luong.Thi.Mai")
        f.role.setCurrentIndex(f.role.findData("officer"))
        f.temporary.generate()
        shown["password"] = f.temporary.password()
        shown["text"] = f.temporary.shown.text()

    answering(monkeypatch, fill_new)
    d.add_button.click()
    assert shown["password"] in shown["text"]  # shown once, in the form
    assert "luong.thi.mai" in d.status.text()
    assert d.selected().username == "luong.thi.mai"  # type: ignore[union-attr]
    mai = accounts.sign_in(station, "luong.thi.mai", shown["password"])
    assert mai.must_change_password

    monkeypatch.setattr(od, "confirm", lambda *_a: True)
    select(d, "luong.thi.mai")
    assert d.toggle_button.text() == "Ngừng sử dụng tài khoản"
    d.toggle_button.click()
    assert not d.selected().active  # type: ignore[union-attr]
    assert d.table.item(d.table.currentRow(), 3).text() == "ngừng sử dụng"
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(station, "luong.thi.mai", shown["password"])
    assert d.toggle_button.text() == "Cho dùng lại tài khoản"
    d.toggle_button.click()
    assert d.selected().active  # type: ignore[union-attr]

    def fill_reset(f: ResetPasswordDialog) -> None:
        f.temporary.first.setText("tạm thời 789")
        f.temporary.again.setText("tạm thời 780")
        f.submit()  # typed twice, differently: refused in the form
        assert f.message.text() == "Hai mật khẩu không khớp." and not f.result()
        f.temporary.again.setText("tạm thời 789")

    select(d, "duc")
    answering(monkeypatch, fill_reset)
    d.reset_button.click()
    assert "Lò Văn Đức" in d.status.text()
    assert accounts.sign_in(station, "duc", "tạm thời 789").must_change_password

    for _i in range(5):  # locked out
        with pytest.raises((accounts.SignInFailed, accounts.AccountLocked)):
            accounts.sign_in(station, "duc", "sai")
    d.reload("duc")
    assert "bị khóa đến" in d.table.item(d.table.currentRow(), 4).text()
    assert d.unlock_button.isEnabled()
    d.unlock_button.click()
    assert not d.unlock_button.isEnabled() and "đăng nhập lại" in d.status.text()
    assert accounts.sign_in(station, "duc", "tạm thời 789").actor.username == "duc"
    assert said == []


def test_refusals_are_told_in_words(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], said: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    d = open_as(qtbot, station, actors["admin"])

    def taken(f: AddOfficerDialog) -> None:
        f.full_name.setText("Lò Văn Đức")
        f.username.setText("duc")
        f.temporary.first.setText(TEST_PASSWORD)
        f.temporary.again.setText(TEST_PASSWORD)

    answering(monkeypatch, taken)
    d.add_button.click()
    assert said == ["Tên đăng nhập này đã có người dùng."]
    assert len(d.officers) == 3
    select(d, "admin")
    assert not d.toggle_button.isEnabled()  # one's own account
    monkeypatch.setattr(od, "confirm", lambda *_a: True)
    d.toggle()  # the core refuses anyway, in words
    assert said[1:] == ["Bạn không thể khóa tài khoản của chính mình."]


def test_a_supervisor_resets_and_unlocks_officers_only(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], said: list[str]
) -> None:
    d = open_as(qtbot, station, actors["supervisor"])
    assert d.add_button.isHidden() and d.toggle_button.isHidden()
    assert d.note.text()  # says who can add and disable
    select(d, "admin")
    assert not d.reset_button.isEnabled() and not d.unlock_button.isEnabled()
    select(d, "duc")
    assert d.reset_button.isEnabled()


def test_the_dialogs_fit_a_small_screen(
    qtbot: Any, station: StationDB, actors: dict[str, Actor]
) -> None:
    d = open_as(qtbot, station, actors["admin"])
    service = StationService(station, actors["admin"])
    for dialog in (d, AddOfficerDialog(service, d), ResetPasswordDialog(service, d.officers[0], d)):
        hint = dialog.sizeHint()
        assert hint.width() <= 1366 and hint.height() <= 740, type(dialog).__name__
