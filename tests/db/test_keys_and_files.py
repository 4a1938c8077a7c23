"""The key never in plaintext, private files, key files that are data not trust, and a station
creation that is all or nothing (db/keys.py, db/station.py, resources/private_files.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import keys
from db.errors import KeyMissing
from db.station import (
    CONFIG_FILE,
    DB_FILE,
    KEY_FILE,
    UNFINISHED,
    create_station,
    open_station,
    station_exists,
)
from resources.private_files import mode_of
from tests.cli_runner import run, run_process
from tests.conftest import ROOT, TEST_PASSWORD, MemoryKeyring

#: key files with the program's own scrypt costs: what this module checks
pytestmark = pytest.mark.real_scrypt

PASSPHRASE = "cụm mật khẩu thử"
#: keyrings.alt lives outside the app's environment (Makefile: test-keyrings); only test
#: subprocesses see it, on their PYTHONPATH.
ALT_KEYRINGS = ROOT / ".venv" / "test-keyrings"


def _keyfile_station(where: Path) -> tuple[Path, bytes]:
    db, key = create_station(where, name="Công an xã Nà Hỳ", commune="Nà Hỳ",
                             key_store="keyfile", passphrase=lambda c: PASSPHRASE)  # fmt: skip
    db.close()
    return where, key


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The umask of a careless desktop session (files 0644 unless we say otherwise)."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


# --- no plaintext keyring ------------------------------------------------------------------


def _alt_env(cli_env: dict[str, str], backend: str) -> dict[str, str]:
    if not (ALT_KEYRINGS / "keyrings" / "alt").is_dir():
        pytest.skip("keyrings.alt is not installed in .venv/test-keyrings (make test does it)")
    return {**cli_env, "PYTHONPATH": f"{ROOT}{os.pathsep}{ALT_KEYRINGS}",
            "PYTHON_KEYRING_BACKEND": backend}  # fmt: skip


@pytest.mark.parametrize("backend", ["keyrings.alt.file.PlaintextKeyring",
                                     "keyrings.alt.file.EncryptedKeyring"])  # fmt: skip
def test_a_keyrings_alt_backend_never_gets_the_key(
    tmp_path: Path, cli_env: dict[str, str], backend: str
) -> None:
    env = _alt_env(cli_env, backend)
    code = "import keyring; print(type(keyring.get_keyring()).__module__)"
    probe = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                           timeout=60)  # fmt: skip
    assert probe.stdout.strip() == "keyrings.alt.file", probe.stderr  # the backend is really on
    data = tmp_path / "st"
    out = run_process(env, "--data-dir", str(data), "init", "--station", "Công an xã Nà Hỳ",
                      "--commune", "Nà Hỳ", "--admin", "admin")
    assert out.returncode == 0, out.stderr
    config = json.loads((data / CONFIG_FILE).read_text("utf-8"))
    assert config["key_store"] == "keyfile" and (data / KEY_FILE).exists()
    stored = list(Path(env["HOME"]).rglob("*.cfg")) + list(Path(env["XDG_DATA_HOME"]).rglob("*"))
    assert not [p for p in stored if p.is_file() and "enrollment-station" in p.read_text("latin-1")]
    # A station that says "keyring" on such a machine is refused in words, not a traceback.
    config["key_store"] = "keyring"
    (data / CONFIG_FILE).write_text(json.dumps(config), "utf-8")
    out = run_process({**env, "ENROLLMENT_STATION_USER": "admin"}, "--lang", "vi",
                      "--data-dir", str(data), "search", "Lò")
    assert out.returncode != 0
    assert "không có kho khóa được bảo vệ" in out.stderr and "Traceback" not in out.stderr


def test_only_protected_keyrings_are_used(memory_keyring: MemoryKeyring) -> None:
    import keyring
    from keyring.backends import chainer, fail

    assert keys.protected_keyring() is memory_keyring

    class Plain(fail.Keyring):  # a keyring with a priority that protects nothing
        priority = 5  # type: ignore[assignment]

    keyring.set_keyring(Plain())
    assert not keys.keyring_usable()
    chain = chainer.ChainerBackend()
    keyring.set_keyring(chain)
    assert keys.protected_keyring() is None or keys.protected_keyring() in chain.backends


# --- key files -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def made_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One key-file station, copied for each damaged variant (creating one costs a second)."""
    return _keyfile_station(tmp_path_factory.mktemp("made") / "st")[0]



@pytest.mark.parametrize("edit", [
    {"n": 2**30}, {"n": 2**31 - 1}, {"n": 3}, {"n": "65536"}, {"n": True}, {"r": 1000},
    {"p": 64}, {"n": 2**10}, {"salt": "AAAA"}, {"nonce": "!!"}, {"kdf": "pbkdf2"},
    {"ciphertext": base64.b64encode(b"x" * 10).decode()},
])  # fmt: skip
def test_key_file_costs_and_fields_are_checked_before_use(
    tmp_path: Path, edit: dict[str, object], made_once: Path
) -> None:
    data = tmp_path / "st"
    shutil.copytree(made_once, data)
    doc = json.loads((data / KEY_FILE).read_text("utf-8"))
    doc.update(edit)
    (data / KEY_FILE).write_text(json.dumps(doc), "utf-8")
    before = hashlib.sha256((data / DB_FILE).read_bytes()).hexdigest()
    with pytest.raises(KeyMissing, match="key file is damaged"):
        open_station(data, passphrase=lambda c: PASSPHRASE)
    assert hashlib.sha256((data / DB_FILE).read_bytes()).hexdigest() == before


def test_a_huge_key_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    data, _key = _keyfile_station(tmp_path / "st")
    with (data / KEY_FILE).open("ab") as fh:
        fh.write(b" " * (keys.KEY_FILE_MAX_BYTES + 10))
    with pytest.raises(KeyMissing, match="damaged"):
        open_station(data, passphrase=lambda c: PASSPHRASE)


# --- private files -------------------------------------------------------------------------


def test_a_new_station_is_private_whatever_the_umask(tmp_path: Path, loose_umask: None) -> None:
    data, _key = _keyfile_station(tmp_path / "st")
    db = open_station(data, passphrase=lambda c: PASSPHRASE)
    with db.Session.begin() as s:  # a write, so that the WAL and SHM exist
        from db.models import Setting

        s.add(Setting(key="probe", value={}))
    try:
        assert mode_of(data) == 0o700
        for name in (DB_FILE, DB_FILE + "-wal", DB_FILE + "-shm", CONFIG_FILE, KEY_FILE):
            assert mode_of(data / name) == 0o600, name
    finally:
        db.close()


def test_an_older_loose_station_is_tightened_when_opened(tmp_path: Path) -> None:
    data, _key = _keyfile_station(tmp_path / "st")
    os.chmod(data, 0o755)
    for p in data.iterdir():
        os.chmod(p, 0o644)
    open_station(data, passphrase=lambda c: PASSPHRASE).close()
    assert mode_of(data) == 0o700
    assert {mode_of(p) for p in data.iterdir()} == {0o600}


def test_pdfs_logs_and_the_recovery_sheet_are_private(
    tmp_path: Path, cli_env: dict[str, str], loose_umask: None
) -> None:
    data, sheet = tmp_path / "st", tmp_path / "sheet.pdf"
    out = run(cli_env, "--data-dir", str(data), "init", "--station", "Công an xã Nà Hỳ",
              "--commune", "Nà Hỳ", "--admin", "admin", "--recovery-sheet", str(sheet))
    assert out.returncode == 0, out.stderr
    assert mode_of(sheet) == 0o600
    tally = tmp_path / "tally.pdf"
    env = {**cli_env, "ENROLLMENT_STATION_USER": "admin"}
    out = run(env, "--data-dir", str(data), "tally", "--out", str(tally))
    assert out.returncode == 0, out.stderr
    assert mode_of(tally) == 0o600
    logs = [p for p in Path(cli_env["XDG_STATE_HOME"]).rglob("*.log")]
    assert logs and all(mode_of(p) == 0o600 and mode_of(p.parent) == 0o700 for p in logs)


# --- all-or-nothing creation ---------------------------------------------------------------


def test_a_failed_creation_leaves_nothing_and_can_be_run_again(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    data = tmp_path / "st"

    def fail(db: object) -> None:
        raise RuntimeError("power cut")

    with pytest.raises(RuntimeError):
        create_station(data, name="Công an xã Nà Hỳ", commune="Nà Hỳ", prepare=fail)
    assert not data.exists() and not list(tmp_path.glob(f".st{UNFINISHED}*"))
    assert memory_keyring.store == {}
    db, _key = create_station(data, name="Công an xã Nà Hỳ", commune="Nà Hỳ")
    db.close()
    assert station_exists(data)


_KILLED_INIT = """
import sys, time
from pathlib import Path
from db.station import create_station
def wait(db):
    print("inside", flush=True)
    time.sleep(120)
create_station(Path(sys.argv[1]), name="Công an xã Nà Hỳ", commune="Nà Hỳ", key_store="keyfile",
               passphrase=lambda c: "cụm mật khẩu thử", prepare=wait)
"""


def test_init_killed_midway_leaves_no_station_and_runs_again(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    data = tmp_path / "st"
    child = subprocess.Popen([sys.executable, "-c", _KILLED_INIT, str(data)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert child.stdout is not None and child.stdout.readline().strip() == "inside"
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert not station_exists(data) and not data.exists()
    assert list(tmp_path.glob(f".st{UNFINISHED}*"))  # the kill left its work behind
    out = run(cli_env, "--data-dir", str(data), "init", "--station", "Công an xã Nà Hỳ",
              "--commune", "Nà Hỳ", "--admin", "admin")
    assert out.returncode == 0, out.stderr
    assert station_exists(data) and not list(tmp_path.glob(f".st{UNFINISHED}*"))
    out = run({**cli_env, "ENROLLMENT_STATION_USER": "admin"}, "--data-dir", str(data),
              "search", "Lò")
    assert out.returncode == 0, out.stderr


def test_init_with_a_refused_administrator_makes_no_station(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    data = tmp_path / "st"
    out = run(cli_env, "--data-dir", str(data), "init", "--station", "Công an xã Nà Hỳ",
              "--commune", "Nà Hỳ", "--admin", "X")  # not a valid user name
    assert out.returncode != 0 and not data.exists()


# --- the key stays in memory ---------------------------------------------------------------


_WATCHED = """
import json, os, sys
import main

code = main.main(sys.argv[1:])
print(json.dumps({"code": code, "argv": sys.argv, "env": dict(os.environ)}))
"""


def test_the_key_never_reaches_the_command_line_the_environment_or_the_logs(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    data, key = _keyfile_station(tmp_path / "st")
    env = {**cli_env, "ENROLLMENT_STATION_PASSPHRASE": PASSPHRASE}
    from db import accounts

    db = open_station(data, passphrase=lambda c: PASSPHRASE)
    accounts.create_first_admin(db, "admin", "Vì Văn Quản", TEST_PASSWORD)
    db.close()
    done = subprocess.run([sys.executable, "-c", _WATCHED, "-v", "--data-dir", str(data),
                           "search", "Lò"], cwd=ROOT, capture_output=True, text=True,
                          env={**env, "ENROLLMENT_STATION_USER": "admin"}, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    forms = {key.hex(), key.hex().upper(), base64.b64encode(key).decode()}
    seen = [done.stdout, done.stderr, json.dumps(report["argv"]), json.dumps(report["env"])]
    seen += [p.read_text("utf-8", "replace") for p in Path(env["XDG_STATE_HOME"]).rglob("*.log*")]
    assert len(seen) > 4, "the verbose run wrote no log"
    assert not [form for form in forms for text in seen if form in text]
