"""Accounts: argon2id hashes, sign-in with lockout that never reveals a user name, resets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from db import accounts, settings
from db.accounts import AccountError, AccountLocked, PasswordRejected, SignInFailed
from db.actor import Actor
from db.errors import PermissionDenied
from db.models import AuditEvent, Officer
from db.station import StationDB
from db.vntime import now_utc
from tests.conftest import TEST_PASSWORD


def actions(db: StationDB) -> list[str]:
    with db.Session() as s:
        return list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_real_parameters_are_argon2id() -> None:
    """The parameters (their cost on this machine is bench/accounts.py's figure, not a test's)."""
    h = accounts.REAL_HASHER.hash("một mật khẩu dài")
    assert h.startswith("$argon2id$") and "m=65536,t=3,p=2" in h
    assert accounts.REAL_HASHER.verify(h, "một mật khẩu dài")


def test_first_admin_then_temporary_password_must_be_changed(station: StationDB) -> None:
    assert not accounts.has_accounts(station)
    admin = accounts.create_first_admin(station, "Admin", "Vì Văn Quản", TEST_PASSWORD)
    assert admin.username == "admin" and admin.role == "admin"
    assert accounts.has_accounts(station)
    with pytest.raises(AccountError):
        accounts.create_first_admin(station, "other", "Người khác", TEST_PASSWORD)
    accounts.create_officer(station, admin, "lo.van.duc", "Lò Văn Đức", "officer", "tạm thời 1")
    with pytest.raises(AccountError):
        accounts.create_officer(station, admin, "LO.VAN.DUC", "X", "officer", "tạm thời 1")
    with pytest.raises(PasswordRejected):
        accounts.create_officer(station, admin, "ngan", "Ngắn", "officer", "short")
    first = accounts.sign_in(station, "lo.van.duc", "tạm thời 1")
    assert first.must_change_password and first.actor.full_name == "Lò Văn Đức"
    with pytest.raises(SignInFailed):
        accounts.change_password(station, first.actor, "wrong one", "mật khẩu mới 2")
    accounts.change_password(station, first.actor, "tạm thời 1", "mật khẩu mới 2")
    assert not accounts.sign_in(station, "lo.van.duc", "mật khẩu mới 2").must_change_password
    with station.Session() as s:
        stored = s.scalar(select(Officer.password_hash).where(Officer.username == "lo.van.duc"))
    assert stored.startswith("$argon2id$") and "mật" not in stored
    assert "password.change" in actions(station) and "officer.create" in actions(station)


def test_five_wrong_passwords_lock_and_unknown_names_lock_the_same(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    for _ in range(4):
        with pytest.raises(SignInFailed):
            accounts.sign_in(station, "duc", "wrong password")
    with pytest.raises(AccountLocked) as known:
        accounts.sign_in(station, "duc", "wrong password")
    with pytest.raises(AccountLocked):  # even the right password now
        accounts.sign_in(station, "duc", TEST_PASSWORD)
    for _ in range(4):
        with pytest.raises(SignInFailed):
            accounts.sign_in(station, "nobody.here", "wrong password")
    with pytest.raises(AccountLocked) as unknown:
        accounts.sign_in(station, "nobody.here", "wrong password")
    assert str(known.value) == str(unknown.value) and known.value.minutes == 15
    later = now_utc() + timedelta(minutes=16)
    assert accounts.sign_in(station, "duc", TEST_PASSWORD, now=later).actor.role == "officer"
    acts = actions(station)
    assert acts.count("signin.failed") == 10 and acts.count("account.locked") == 1
    assert "signin.refused" in acts


def test_lockout_figures_come_from_settings(station: StationDB, actors: dict[str, Actor]) -> None:
    settings.change(station, actors["admin"], "lockout_attempts", 2)
    settings.change(station, actors["admin"], "lockout_minutes", 30)
    with pytest.raises(SignInFailed):
        accounts.sign_in(station, "duc", "nope nope")
    with pytest.raises(AccountLocked) as locked:
        accounts.sign_in(station, "duc", "nope nope")
    assert locked.value.minutes == 30


def test_disabled_account_cannot_sign_in_and_last_admin_stays(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    admin = actors["admin"]
    accounts.disable_officer(station, admin, "duc")
    with pytest.raises(SignInFailed):
        accounts.sign_in(station, "duc", TEST_PASSWORD)
    with pytest.raises(AccountError):
        accounts.disable_officer(station, admin, "admin")
    accounts.set_active(station, admin, "duc", True)
    assert accounts.sign_in(station, "duc", TEST_PASSWORD).actor.username == "duc"
    names = [o.username for o in accounts.list_officers(station, actors["supervisor"])]
    assert sorted(names) == ["admin", "boss", "duc"]


def test_resets_supervisor_only_officers(station: StationDB, actors: dict[str, Actor]) -> None:
    boss, admin = actors["supervisor"], actors["admin"]
    accounts.reset_password(station, boss, "duc", "tạm thời mới")
    assert accounts.sign_in(station, "duc", "tạm thời mới").must_change_password
    with pytest.raises(PermissionDenied):
        accounts.reset_password(station, boss, "admin", "tạm thời mới")
    with pytest.raises(PermissionDenied):
        accounts.reset_password(station, actors["officer"], "duc", "tạm thời mới")
    accounts.reset_password(station, admin, "boss", "tạm thời mới")
    with pytest.raises(PermissionDenied):
        accounts.create_officer(station, boss, "x.y", "X Y", "officer", "tạm thời mới")
