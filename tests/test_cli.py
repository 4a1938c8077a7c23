"""The administrator's command line, run as a user would (no keyring); the first test starts
real processes, the others run ``main(argv)`` in this one."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import run, run_process
from tests.conftest import ROOT


def test_init_import_search(tmp_path: Path, cli_env: dict[str, str]) -> None:
    data = str(tmp_path / "station")
    out = run_process(cli_env, "--data-dir", data, "init", "--station", "Công an xã Nà Hỳ",
              "--commune", "Nà Hỳ", "--admin", "admin")  # fmt: skip
    cli_env = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "station" / "station.key").exists()  # no keyring: wrapped key file

    register = str(ROOT / "resources/sample_register.csv")
    out = run_process(cli_env, "--data-dir", data, "import", register)
    assert out.returncode == 0, out.stderr
    assert "30 added" in out.stdout or "30 thêm mới" in out.stdout

    out = run_process(cli_env, "--data-dir", data, "search", "quang van xieng", "--json")
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert hits and hits[0]["full_name"] == "Quàng Văn Xiêng"
    assert set(hits[0]) >= {"full_name", "personal_id", "birth_date", "sex", "village"}
    assert hits[0]["birth_date"] == "1976-11-30" and hits[0]["personal_id"] == "011076433758"

    out = run_process(cli_env, "--data-dir", data, "search", hits[0]["personal_id"])
    assert "Quàng Văn Xiêng" in out.stdout

    bad = tmp_path / "bad.csv"
    bad.write_text("Họ và tên,Ngày sinh,Giới tính\n,1990,Nam\nLò Văn Đức,1990,Nam\n", "utf-8")
    out = run_process(cli_env, "--data-dir", data, "import", str(bad), "--json", "--quiet")
    report = json.loads(out.stdout)
    assert report["added"] == 1 and report["rejected"] == 1
    assert report["issues"][0] == {"line": 2, "kind": "rejected", "code": "no name",
                                   "reason": "thiếu họ tên"}  # stable code, officer's words


def test_wrong_passphrase_and_missing_station(tmp_path: Path, cli_env: dict[str, str]) -> None:
    data = str(tmp_path / "station")
    assert (
        run(cli_env, "--data-dir", data, "init", "--station", "X", "--commune", "Y",
            "--admin", "admin").returncode == 0
    )  # fmt: skip
    cli_env = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    wrong = dict(cli_env, ENROLLMENT_STATION_PASSPHRASE="not the passphrase")
    out = run(wrong, "--data-dir", data, "search", "a")
    assert out.returncode == 2
    assert "passphrase" in out.stderr.lower() or "mật khẩu" in out.stderr.lower()
    assert "Traceback" not in out.stderr
    out = run(cli_env, "--data-dir", str(tmp_path / "none"), "search", "a")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_demo_station_search(tmp_path: Path, cli_env: dict[str, str]) -> None:
    out = run(cli_env, "--demo", "search", "giang a", "--json")
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert len(hits) >= 5
    assert all(h["full_name"].startswith("Giàng A") for h in hits[:5])
    demo = Path(cli_env["XDG_DATA_HOME"]) / "enrollment-station" / "demo"
    assert (demo / "station.db").exists()
