"""officers and audit on the command line, run as a user would (``main(argv)`` in this
process, no keyring)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from db.station import open_station
from tests.cli_runner import run


def test_officers_and_audit_from_the_command_line(
    tmp_path: Path, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "station"
    d = ["--data-dir", str(data)]
    sheet = tmp_path / "sheet.pdf"
    out = run(cli_env, *d, "init", "--station", "Công an xã Nà Hỳ", "--commune", "Nà Hỳ",
              "--admin", "admin", "--admin-name", "Vì Văn Quản",
              "--recovery-sheet", str(sheet))  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert sheet.read_bytes().startswith(b"%PDF")
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    new = dict(admin, ENROLLMENT_STATION_NEW_PASSWORD="tạm thời 123")
    assert run(new, *d, "officers", "add", "lo.van.duc", "Lò Văn Đức").returncode == 0
    out = run(new, *d, "officers", "add", "boss", "Quàng Văn Thanh", "--role", "supervisor")
    assert out.returncode == 0, out.stderr
    out = run(admin, *d, "officers", "list", "--json")
    listed = {o["username"]: o for o in json.loads(out.stdout)}
    assert listed["lo.van.duc"]["must_change_password"] and listed["boss"]["role"] == "supervisor"

    # The officer must change the temporary password before doing anything else.
    duc = dict(
        cli_env, ENROLLMENT_STATION_USER="lo.van.duc", ENROLLMENT_STATION_PASSWORD="tạm thời 123"
    )
    out = run(duc, *d, "search", "a")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    changed = dict(duc, ENROLLMENT_STATION_NEW_PASSWORD="mật khẩu của Đức")
    assert run(changed, *d, "officers", "password").returncode == 0
    duc["ENROLLMENT_STATION_PASSWORD"] = "mật khẩu của Đức"
    out = run(duc, *d, "officers", "list")  # an officer is not an administrator
    assert out.returncode == 2 and "Traceback" not in out.stderr
    out = run(duc, *d, "audit", "verify")
    assert out.returncode == 2
    wrong = dict(admin, ENROLLMENT_STATION_PASSWORD="not it at all")
    assert run(wrong, *d, "officers", "list").returncode == 2

    assert run(admin, *d, "officers", "disable", "lo.van.duc").returncode == 0
    assert run(duc, *d, "search", "a").returncode == 2

    out = run(admin, *d, "audit", "verify")
    assert out.returncode == 0, out.stderr
    out = run(admin, *d, "audit", "show", "--json")
    events = json.loads(out.stdout)
    actions = [e["action"] for e in events]
    assert actions[:3] == ["officer.create", "station.init", "recovery_sheet.save"]
    assert {"signin.failed", "officer.disable", "password.change", "officer.create"} <= set(actions)
    assert "Lò Văn Đức" not in out.stdout  # ids only, never names
    out = run(admin, *d, "audit", "show", "--officer", "lo.van.duc")
    assert out.returncode == 0 and "password.change" in out.stdout

    # Tamper with one event around the program: verify names it, exit code 1.
    monkeypatch.setenv("ENROLLMENT_STATION_PASSPHRASE", cli_env["ENROLLMENT_STATION_PASSPHRASE"])
    with open_station(data) as db, db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET details = 'edited' WHERE seq = 4"))
    out = run(admin, *d, "audit", "verify")
    assert out.returncode == 1 and "#4" in out.stdout
