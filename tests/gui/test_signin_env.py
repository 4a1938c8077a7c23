"""Automatic sign-in from the environment (benches, kiosk scripts): same checks and audit."""

from __future__ import annotations

import pytest

from db import audit
from db.actor import SYSTEM
from gui.signin import sign_in_from_environment


def test_environment_sign_in(station, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from db.accounts import create_first_admin

    create_first_admin(station, "admin", "Quản trị", "correct horse battery")
    monkeypatch.setenv("ENROLLMENT_STATION_USER", "admin")
    monkeypatch.setenv("ENROLLMENT_STATION_PASSWORD", "wrong password!")
    assert sign_in_from_environment(station) is None  # falls back to the dialog
    monkeypatch.setenv("ENROLLMENT_STATION_PASSWORD", "correct horse battery")
    result = sign_in_from_environment(station)
    assert result is not None and result.actor.username == "admin"
    actions = [e.action for e in audit.show(station, SYSTEM, limit=10)]
    assert "signin" in actions and "signin.failed" in actions
