"""Sign-in under attack: parallel guesses from threads and processes lock the account after at
most ``lockout_attempts`` verifications, and the right password is refused for the lock time; an
unknown name costs the same steps as a known one (db/accounts.py)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import accounts
from db.accounts import AccountLocked, SignInFailed
from db.actor import Actor
from db.models import AuditEvent, Officer
from db.station import StationDB, create_station
from tests.conftest import ROOT, TEST_PASSWORD

PASSPHRASE = "cụm mật khẩu thử"


def _actions(db: StationDB, action: str) -> int:
    with db.Session() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)
                            .where(AuditEvent.action == action)) or 0)  # fmt: skip


def _locked(db: StationDB, username: str) -> bool:
    with db.Session() as s:
        o = s.scalar(select(Officer).where(Officer.username == username))
        return o is not None and o.locked_until is not None


def _burst(db: StationDB, passwords: list[str], username: str = "duc") -> list[str]:
    """Every password tried at once from its own thread; what each got."""
    start = threading.Barrier(len(passwords))
    got: list[str] = []

    def attempt(password: str) -> None:
        start.wait()
        try:
            accounts.sign_in(db, username, password)
            got.append("ok")
        except AccountLocked:
            got.append("locked")
        except SignInFailed:
            got.append("wrong")

    threads = [threading.Thread(target=attempt, args=(p,)) for p in passwords]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return got


def test_fifty_parallel_wrong_passwords_lock_after_five_checks(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    got = _burst(station, [f"sai {i}" for i in range(50)])
    assert len(got) == 50 and "ok" not in got
    assert _locked(station, "duc")
    assert _actions(station, "signin.failed") <= 5  # at most five passwords were ever checked
    assert _actions(station, "account.locked") == 1
    with pytest.raises(AccountLocked):
        accounts.sign_in(station, "duc", TEST_PASSWORD)


def test_the_right_password_in_a_burst_of_wrong_ones_does_not_beat_the_lock(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    got = _burst(station, [f"sai {i}" for i in range(15)] + [TEST_PASSWORD])
    assert got.count("wrong") <= 5
    assert _locked(station, "duc")
    with pytest.raises(AccountLocked):
        accounts.sign_in(station, "duc", TEST_PASSWORD)


def test_unknown_names_lock_the_same_under_a_burst(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    got = _burst(station, [f"sai {i}" for i in range(30)], username="khong.co.ai")
    assert "ok" not in got and "locked" in got
    assert _actions(station, "signin.failed") <= 5
    with pytest.raises(AccountLocked):
        accounts.sign_in(station, "khong.co.ai", "sai nữa")


_GUESS = """
import sys
from pathlib import Path
from db import accounts
from db.station import open_station
db = open_station(Path(sys.argv[1]), passphrase=lambda confirm: sys.argv[2])
sys.stdin.readline()  # every process is open before the burst starts
try:
    accounts.sign_in(db, "duc", sys.argv[3])
    print("ok")
except accounts.AccountLocked:
    print("locked")
except accounts.SignInFailed:
    print("wrong")
"""


def _process_burst(tmp_path: Path, processes: int) -> None:
    db, _key = create_station(tmp_path / "st", name="Công an xã Nà Hỳ", commune="Nà Hỳ",
                              key_store="keyfile", passphrase=lambda confirm: PASSPHRASE)
    with db:
        admin = accounts.create_first_admin(db, "admin", "Vì Văn Quản", TEST_PASSWORD)
        accounts.create_officer(db, admin, "duc", "Lò Văn Đức", "officer", TEST_PASSWORD,
                                temporary=False)  # fmt: skip
        children = [
            subprocess.Popen([sys.executable, "-c", _GUESS, str(db.data_dir), PASSPHRASE,
                              f"sai {i}"], cwd=ROOT, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
            for i in range(processes)
        ]
        for child in children:  # release them together
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        got = [child.communicate(timeout=300)[0].strip() for child in children]
        assert all(g in ("wrong", "locked") for g in got), got
        assert _locked(db, "duc")
        assert _actions(db, "signin.failed") <= 5
        with pytest.raises(AccountLocked):
            accounts.sign_in(db, "duc", TEST_PASSWORD)


@pytest.mark.real_scrypt  # its subprocesses read the key file with the real costs
def test_ten_processes_guessing_at_once_lock_the_account(tmp_path: Path) -> None:
    _process_burst(tmp_path, 10)


@pytest.mark.slow
@pytest.mark.real_scrypt  # its subprocesses read the key file with the real costs
def test_fifty_processes_guessing_at_once_lock_the_account(tmp_path: Path) -> None:
    _process_burst(tmp_path, 50)


def test_an_unknown_name_builds_no_hash_and_checks_one_of_the_real_parameters(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    """The timing rule's mechanism (the timing itself is bench/signin_timing.py): with the real
    hasher, an unknown name verifies the constant dummy hash — whose parameters are the real
    ones — and never hashes (building the dummy on first use cost ~170 ms in a fresh process)."""
    from argon2 import PasswordHasher, extract_parameters

    real = accounts.REAL_HASHER
    params = extract_parameters(accounts.REAL_DUMMY_HASH)
    assert (params.time_cost, params.memory_cost, params.parallelism) == (
        real.time_cost, real.memory_cost, real.parallelism)  # fmt: skip

    class NoHashing(PasswordHasher):  # the real parameters; building a hash is a failure
        def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
            raise AssertionError("a hash was built during a sign-in")

    previous = accounts.use_hasher(NoHashing(real.time_cost, real.memory_cost, real.parallelism))
    try:
        with pytest.raises(SignInFailed):
            accounts.sign_in(station, "khong.co.ai", "mật khẩu đoán")
    finally:
        accounts.use_hasher(previous)
