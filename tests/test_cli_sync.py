"""Field sync from the command line with the exact names other tools use (issue 12): identity,
pair, export, import (--json, --receipt-out), status --json — a whole trip between two
stations made by ``init``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from db.models import Resident
from db.station import open_station
from tests.cli_runner import run
from tests.db.enrollment_fixtures import received


def test_a_trip_from_the_command_line(tmp_path: Path, cli_env: dict[str, str]) -> None:
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    for name, kind, series in (("hq", "hq", "NH"), ("team", "mobile", "L1")):
        out = run(cli_env, "--data-dir", str(tmp_path / name), "init", "--station",
                  f"Trạm {name}", "--commune", "Nà Hỳ", "--kind", kind, "--admin", "admin",
                  "--slip-series", series)  # fmt: skip
        assert out.returncode == 0, out.stderr
    hq, team = ["--data-dir", str(tmp_path / "hq")], ["--data-dir", str(tmp_path / "team")]
    usb = tmp_path / "USB"
    usb.mkdir()
    register = usb / "dan-cu.csv"
    from db.demo.synth import write_csv

    write_csv(register, 20)
    assert run(admin, *hq, "import", str(register)).returncode == 0
    for me, other in ((hq, team), (team, hq)):
        card = usb / f"{other[1].rsplit('/', 1)[1]}.json"
        assert run(admin, *other, "sync", "identity", "--out", str(card)).returncode == 0
        assert run(admin, *me, "sync", "pair", str(card), "--yes").returncode == 0
    laptop_id = json.loads(run(admin, *team, "sync", "status", "--json").stdout)["station_id"]
    # HQ → field: the work packet, limited to what the laptop needs
    out = run(admin, *hq, "sync", "export", "--to", str(usb / "packet.esb"), "--for", laptop_id)
    assert out.returncode == 0, out.stderr
    got = json.loads(run(admin, *team, "sync", "import", str(usb / "packet.esb"), "--json").stdout)
    assert got["counts"]["resident_added"] == 20 and got["refused"] == 0
    db = open_station(tmp_path / "team", lambda _c: cli_env["ENROLLMENT_STATION_PASSPHRASE"])
    with db.Session() as s:
        first = s.scalars(select(Resident.id).order_by(Resident.id)).first()
    received(db, int(first or 0), datetime.now(UTC), place="home")
    db.close()
    mine = json.loads(run(admin, *team, "sync", "status", "--json").stdout)
    assert (mine["pending"], mine["acknowledged"]) == (1, 0)
    out = run(admin, *team, "sync", "export", "--to", str(usb / "bundle.esb"))
    assert out.returncode == 0 and "Tổ" not in out.stderr, out.stderr
    # field → HQ, with the receipt written beside it
    out = run(admin, *hq, "sync", "import", str(usb / "bundle.esb"), "--receipt-out",
              str(usb / "receipt.esb"), "--json")  # fmt: skip
    result = json.loads(out.stdout)
    assert (result["counts"]["enrollment_added"], result["conflicts"], result["refused"]) == (
        1, 0, 0)  # fmt: skip
    again = json.loads(run(admin, *hq, "sync", "import", str(usb / "bundle.esb"),
                           "--json").stdout)  # fmt: skip
    assert (again["reason"], again["added"]) == ("replay", 0)
    bad = usb / "bad.esb"
    data = bytearray((usb / "bundle.esb").read_bytes())
    data[len(data) // 2] ^= 1
    bad.write_bytes(bytes(data))
    out = run(admin, *hq, "sync", "import", str(bad), "--json")
    assert out.returncode == 2 and json.loads(out.stdout)["reason"] == "damaged"
    out = run(admin, *hq, "sync", "import", str(bad))
    assert out.returncode == 2 and "bị hỏng" in out.stderr
    out = run(admin, *team, "sync", "import", str(usb / "receipt.esb"))
    assert out.returncode == 0 and "xác nhận" in out.stdout
    mine = json.loads(run(admin, *team, "sync", "status", "--json").stdout)
    assert (mine["pending"], mine["acknowledged"], mine["stale"]) == (0, 1, False)
    status = json.loads(run(admin, *hq, "sync", "status", "--json").stdout)
    assert status["paired"][0]["held"] == 1 and status["paired"][0]["last_bundle_at"]
    text = run(admin, *team, "sync", "status").stdout
    assert "chưa gửi về trụ sở: 0 hồ sơ; lần nhận xác nhận cuối: hôm nay" in text
