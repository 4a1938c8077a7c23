"""Sign-in dialog: wrong password and lock read the same for any name; the demo hint."""

from __future__ import annotations

from typing import Any

from db.actor import Actor
from db.service import StationService
from db.station import StationDB
from gui.app import make_app
from gui.signin import ChangePasswordDialog, SignInDialog
from tests.conftest import TEST_PASSWORD


def test_sign_in_messages_never_tell_whether_a_name_exists(
    qtbot: Any, station: StationDB, actors: dict[str, Actor]
) -> None:
    make_app()
    d = SignInDialog(station, "Công an xã Nà Hỳ")
    qtbot.addWidget(d)
    assert d.findChild(object, "demoHint") is None
    texts = {}
    for name in ("duc", "khong.co.ai"):
        for _ in range(5):
            d.user.setText(name)
            d.password.setText("wrong password")
            d.try_sign_in()
        texts[name] = d.message.text()
    assert texts["duc"] == texts["khong.co.ai"] and "15" in texts["duc"]
    d.user.setText("boss")
    d.password.setText(TEST_PASSWORD)
    d.try_sign_in()
    assert d.result_signin is not None and d.result_signin.actor.role == "supervisor"


def test_demo_prefills_officer_and_temporary_password_is_changed(
    qtbot: Any, station: StationDB, actors: dict[str, Actor]
) -> None:
    from db import accounts

    make_app()
    d = SignInDialog(station, "demo", demo=True)
    qtbot.addWidget(d)
    assert d.user.text() == "lo.van.duc" and "demo1234" in d.findChild(object, "demoHint").text()
    accounts.reset_password(station, actors["admin"], "duc", "tạm thời 99")
    signed = accounts.sign_in(station, "duc", "tạm thời 99")
    assert signed.must_change_password
    c = ChangePasswordDialog(StationService(station, signed.actor), forced=True)
    qtbot.addWidget(c)
    c.old.setText("tạm thời 99")
    c.new.setText("mới mới mới 1")
    c.again.setText("khác")
    c.change()
    assert c.message.text() and c.result() == 0
    c.again.setText("mới mới mới 1")
    c.change()
    assert not accounts.sign_in(station, "duc", "mới mới mới 1").must_change_password
