"""While an import holds the database, the window says what it waits for, then carries on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db.actor import SYSTEM, Actor
from db.service import StationService
from db.station import StationDB
from resources import i18n
from tests.db.test_writing import _HeldImport, _register_file
from tests.gui.desk_fixtures import actor, camera, make_window, register
from tests.gui.fakes import FakeCamera

__all__ = ["actor", "camera", "register"]


def test_the_status_bar_says_the_desk_waits_for_the_import(
    qtbot: Any, register: StationDB, actor: Actor, camera: FakeCamera, tmp_path: Path
) -> None:
    i18n.set_language("vi")
    w = make_window(qtbot, register, actor, camera)
    held = _HeldImport(StationService(register, SYSTEM),
                       _register_file(tmp_path / "big.csv", 600, seed=9))  # fmt: skip
    try:
        w.desk.refresh()  # its audit trace is a write: it must wait for the import
        qtbot.waitUntil(
            lambda: w.statusBar().currentMessage() == "Đang chờ lần nhập dữ liệu kết thúc…",
            timeout=10000,
        )
    finally:
        held.finish()
    qtbot.waitUntil(lambda: w.statusBar().currentMessage() == "Sẵn sàng", timeout=10000)


def test_the_sign_in_dialog_says_it_waits_for_the_import(
    qtbot: Any, register: StationDB, tmp_path: Path
) -> None:
    import threading

    from db import accounts
    from gui.signin import SignInDialog
    from tests.conftest import TEST_PASSWORD

    accounts.create_first_admin(register, "admin", "Vì Văn Quản", TEST_PASSWORD)
    d = SignInDialog(register, "Công an xã Nà Hỳ", demo=False)
    qtbot.addWidget(d)
    d.user.setText("admin")
    d.password.setText(TEST_PASSWORD)
    held = _HeldImport(StationService(register, SYSTEM),
                       _register_file(tmp_path / "big.csv", 600, seed=9))  # fmt: skip
    threading.Timer(1.0, held.release.set).start()  # the import ends while the dialog waits
    try:
        d.try_sign_in()
    finally:
        held.finish()
    assert d.message.text() == "Đang chờ lần nhập dữ liệu kết thúc…"
    assert d.result_signin is not None and d.result_signin.actor.username == "admin"
