"""Trạm → Sao lưu / Khôi phục, the desk's reminder, and restoring on a new computer (real
stations, real backup files; only the file choosers and the last question are answered)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton

from db import keys
from db.actor import SYSTEM, Actor
from db.backup import LAST_KEY, backup_station
from db.engine import engine_key
from db.models import Setting
from db.service import StationService
from db.station import StationDB, open_station
from gui import restore_flow
from gui.app import make_app
from gui.desk import DeskPanel
from gui.main_window import MainWindow
from gui.removable import Drive
from printing.keytext import format_key_groups


@pytest.fixture
def drive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A USB stick plugged in (the drive list is the hardware's: gui/removable.py)."""
    usb = tmp_path / "KINGSTON"
    usb.mkdir()
    monkeypatch.setattr("gui.backup_dialog.removable_drives", lambda: [Drive("KINGSTON", usb)])
    return usb


@pytest.fixture
def answered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes answered at once; their texts kept."""
    said: list[str] = []

    def box(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
        said.append(text)
        return QMessageBox.StandardButton.Ok

    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(box))
    return said


def _set_last(db: StationDB, days_ago: int) -> None:
    at = datetime.now(UTC) - timedelta(days=days_ago, hours=1)
    with db.Session.begin() as s:
        s.merge(Setting(key=LAST_KEY, value={"at": at.isoformat(), "file": "x.esbak"}))


def test_backup_from_the_menu_writes_a_checked_file_to_the_stick(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], drive: Path
) -> None:
    from gui.backup_dialog import BackupDialog

    make_app()
    window = MainWindow(StationService(station, actors["supervisor"]), idle_ms=60_000)
    qtbot.addWidget(window)
    assert window.backup_action.isVisible() and not window.restore_action.isVisible()
    assert window.backup_action.text().replace("&", "") == "Sao lưu…"
    dialog = BackupDialog(StationService(station, actors["supervisor"]), window)
    qtbot.addWidget(dialog)
    assert "chưa được sao lưu" in dialog.last.text()
    assert dialog.target() == drive  # the stick is offered first
    refresh = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Tìm lại ổ USB")
    qtbot.mouseClick(refresh, Qt.MouseButton.LeftButton)  # the walk: it chose a folder "False"
    assert dialog.target() == drive and dialog.drives.count() == 1
    qtbot.mouseClick(dialog.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)
    assert dialog.summary.text() == "Đã ghi và kiểm tra bản sao lưu. Có thể rút ổ USB ra."
    assert dialog.close_button.isDefault()  # Enter now closes: no second backup
    [written] = list(drive.iterdir())
    assert written.suffix == ".esbak" and str(written) in dialog.detail.toPlainText()
    assert "hôm nay" in dialog.last.text()
    assert dialog.report is not None and dialog.report.path == written


def test_an_officer_sees_no_backup_and_no_restore(
    qtbot: Any, station: StationDB, actors: dict[str, Actor]
) -> None:
    make_app()
    window = MainWindow(StationService(station, actors["officer"]), idle_ms=60_000)
    qtbot.addWidget(window)
    assert not window.backup_action.isVisible() and not window.restore_action.isVisible()
    admin = MainWindow(StationService(station, actors["admin"]), idle_ms=60_000)
    qtbot.addWidget(admin)
    assert admin.backup_action.isVisible() and admin.restore_action.isVisible()


@pytest.mark.parametrize("role,says", [("admin", "Trạm → Sao lưu…"),
                                       ("officer", "Hãy báo cán bộ phụ trách")])  # fmt: skip
def test_the_desk_reminds_when_the_last_backup_is_old(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], role: str, says: str
) -> None:
    make_app()
    service = StationService(station, actors[role])
    _set_last(station, 5)
    desk = DeskPanel(lambda: service)
    qtbot.addWidget(desk)
    desk.refresh()
    qtbot.waitUntil(lambda: bool(desk.backup_note.text()), timeout=10_000)
    assert "5 ngày trước" in desk.backup_note.text() and says in desk.backup_note.text()
    _set_last(station, 1)
    desk.refresh()
    qtbot.waitUntil(lambda: not desk.backup_note.text(), timeout=10_000)
    assert desk.backup_note.isHidden()


def test_enter_on_the_last_question_does_not_restore(qtbot: Any, station: StationDB,
                                                     tmp_path: Path) -> None:  # fmt: skip
    make_app()
    report = backup_station(station, SYSTEM, tmp_path)
    dialog = restore_flow.RestoreDialog(restore_flow.access.backup_info(report.path), True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert "Công an xã Nà Hỳ" in dialog.findChild(QLabel, "restoreHead").text()


def test_the_recovery_key_dialog_catches_a_typing_mistake(qtbot: Any, station: StationDB) -> None:
    make_app()
    key = format_key_groups(engine_key(station.engine))
    dialog = restore_flow.RecoveryKeyDialog()
    qtbot.addWidget(dialog)
    dialog.key.setText(key[:-1] + ("A" if key[-1] != "A" else "B"))
    dialog.check()
    assert "nhóm kiểm tra" in dialog.message.text() and dialog.result() == 0
    dialog.key.setText(key.lower())
    dialog.check()
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_restore_from_the_menu_swaps_after_the_window_closes(
    qtbot: Any, station: StationDB, actors: dict[str, Actor], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, answered: list[str],
) -> None:  # fmt: skip
    from tests.db.enrollment_fixtures import received
    from tests.db.test_backup import dump

    make_app()
    from db.demo.synth import rows_for_import
    from db.register.importer import import_rows

    import_rows(station, rows_for_import(10), file_name="register")
    report = backup_station(station, SYSTEM, tmp_path)
    before = dump(station)
    received(station, 5, datetime.now(UTC))  # after the backup
    window = MainWindow(StationService(station, actors["admin"]), idle_ms=60_000)
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(restore_flow, "choose_backup", lambda _p: report.path)
    asked: list[restore_flow.RestoreDialog] = []

    def accept(self: restore_flow.RestoreDialog) -> int:
        asked.append(self)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(restore_flow.RestoreDialog, "exec", accept)
    window.restore_action.trigger()
    assert asked and not window.isVisible()  # asked, then the window closed for the swap
    plan = restore_flow.take_pending()
    assert plan is not None
    station.close()  # as gui/app.py does once the event loop has ended
    restore_flow.finish_pending(plan)
    assert "Đã khôi phục trạm" in answered[-1]
    with open_station(station.data_dir) as back:
        after = dump(back)
    assert after["enrollment"] == before["enrollment"] and after["resident"] == before["resident"]


def test_a_new_computer_restores_with_the_recovery_sheet_only(
    qtbot: Any, station: StationDB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    memory_keyring: Any, answered: list[str],
) -> None:  # fmt: skip
    """First run on a new computer: the backup, then the key typed from the sheet (the keyring
    here is empty and protects nothing), then a new passphrase for the key file."""
    make_app()
    key = format_key_groups(engine_key(station.engine))
    (tmp_path / "usb").mkdir()
    report = backup_station(station, SYSTEM, tmp_path / "usb")
    station.close()
    memory_keyring.store.clear()
    monkeypatch.setattr(keys, "keyring_usable", lambda: False)
    monkeypatch.setattr(restore_flow, "choose_backup", lambda _p: report.path)
    reasons: list[str] = []

    def typed(_parent: Any, reason: str = "") -> str:
        reasons.append(reason)
        return key

    monkeypatch.setattr(restore_flow, "ask_recovery_key", typed)
    monkeypatch.setattr(restore_flow, "ask_passphrase",
                        lambda *_a, **_k: "mật khẩu mới 2026")  # fmt: skip
    monkeypatch.setattr(restore_flow.RestoreDialog, "exec",
                        lambda self: QDialog.DialogCode.Accepted)  # fmt: skip
    new_home = tmp_path / "new-computer" / "station"
    db = restore_flow.restore_here(None, new_home)
    assert db is not None
    assert "phiếu khôi phục" in reasons[0]  # why the key is asked for
    assert db.station_id == station.station_id
    db.close()
    with open_station(new_home, passphrase=lambda _c: "mật khẩu mới 2026") as again:
        assert again.info().name == "Công an xã Nà Hỳ"
    assert "Đã khôi phục trạm" in answered[-1]


def test_a_lost_key_file_is_mended_from_the_start_up_error_with_the_sheet(
    qtbot: Any, station: StationDB, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    memory_keyring: Any, answered: list[str],
) -> None:  # fmt: skip
    """The keyring was emptied (a new Windows profile): the start-up error offers the recovery
    sheet; its key opens the intact database and goes into a new key file; sign-in follows."""
    import argparse

    from db import accounts
    from gui import app

    make_app()
    accounts.create_first_admin(station, "admin", "Vì Văn Quản", "mật khẩu 12345")
    key = format_key_groups(engine_key(station.engine))
    station.close()
    memory_keyring.store.clear()
    monkeypatch.setattr(keys, "keyring_usable", lambda: False)
    offered: list[str] = []

    def offer(exc: Exception) -> str:
        offered.append(type(exc).__name__)
        return app.SHEET

    monkeypatch.setattr(app, "offer_restore", offer)
    monkeypatch.setattr(restore_flow, "ask_recovery_key", lambda _p, _r="": key)
    monkeypatch.setattr(restore_flow, "ask_passphrase",
                        lambda *_a, **_k: "mật khẩu mới 2026")
    monkeypatch.setenv("ENROLLMENT_STATION_USER", "admin")
    monkeypatch.setenv("ENROLLMENT_STATION_PASSWORD", "mật khẩu 12345")
    args = argparse.Namespace(data_dir=str(station.data_dir), demo=False, lang=None)
    opened = app.open_window(args)
    assert not isinstance(opened, int)
    db, window = opened
    qtbot.addWidget(window)
    assert offered == ["KeyMissing"] and "Đã lưu lại khóa" in answered[-1]
    db.close()
    with open_station(station.data_dir, passphrase=lambda _c: "mật khẩu mới 2026") as again:
        assert again.station_id == station.station_id
