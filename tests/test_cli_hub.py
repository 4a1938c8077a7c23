"""The district hub from the command line, with the exact names other tools use (issue 15):
``hub --db URL init/identity/pair/import/status/search/tally/coverage/duplicates`` on a real
PostgreSQL, a commune made by ``init`` and its ``sync pair HUB_FILE`` / ``sync export --for``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Resident
from db.station import open_station
from tests.cli_runner import run
from tests.db.enrollment_fixtures import received


@pytest.mark.real_scrypt  # hub serve runs in a process of its own: the key file as made for real
def test_a_commune_reports_to_the_hub_from_the_command_line(
    tmp_path: Path, cli_env: dict[str, str], hub_url: str
) -> None:  # fmt: skip
    env = dict(cli_env, ENROLLMENT_STATION_USER="admin",
               ENROLLMENT_HUB_PASSPHRASE="hub passphrase here")  # fmt: skip
    hub = ["hub", "--db", hub_url, "--hub-dir", str(tmp_path / "hub-dir")]
    out = run(env, *hub, "init", "--admin", "admin", "--province", "Điện Biên")
    assert out.returncode == 0, out.stderr
    again = run(env, *hub, "init", "--admin", "admin")
    assert again.returncode == 0 and "đã được cài" in again.stdout  # migrated, not made twice
    hq = ["--data-dir", str(tmp_path / "hq")]
    out = run(env, *hq, "init", "--station", "Công an xã Nà Hỳ", "--commune", "Na Hy",
              "--province", "Điện Biên", "--admin", "admin", "--slip-series", "NH")  # fmt: skip
    assert out.returncode == 0, out.stderr
    usb = tmp_path / "USB"
    usb.mkdir()
    from db.demo.synth import write_csv

    write_csv(usb / "dan-cu.csv", 20)
    assert run(env, *hq, "import", str(usb / "dan-cu.csv")).returncode == 0
    # pairing, both ways
    assert run(env, *hub, "identity", "--out", str(usb / "hub.json")).returncode == 0
    assert run(env, *hq, "sync", "identity", "--out", str(usb / "hq.json")).returncode == 0
    out = run(env, *hub, "pair", str(usb / "hq.json"), "--yes")
    assert out.returncode == 0, out.stderr
    assert run(env, *hq, "sync", "pair", str(usb / "hub.json"), "--yes").returncode == 0
    state = json.loads(run(env, *hub, "status", "--json").stdout)
    hub_id = state["station_id"]
    wrong = run(dict(env, ENROLLMENT_HUB_PASSPHRASE="not the passphrase"), *hub, "status")
    assert wrong.returncode == 2 and "Mật khẩu máy chủ huyện không đúng" in wrong.stderr
    db = open_station(tmp_path / "hq", lambda _c: cli_env["ENROLLMENT_STATION_PASSPHRASE"])
    with db.Session() as s:
        person = s.scalars(select(Resident).order_by(Resident.id)).first()
        assert person is not None
        name, pid = person.full_name, person.personal_id
    received(db, person.id, datetime.now(UTC))
    db.close()
    # the commune's bundle up, the hub's receipt back
    out = run(env, *hq, "sync", "export", "--to", str(usb / "to-hub.esb"), "--for", hub_id)
    assert out.returncode == 0, out.stderr
    out = run(env, *hub, "import", str(usb / "to-hub.esb"), "--json", "--receipt-out",
              str(usb / "receipts"))  # fmt: skip
    got = json.loads(out.stdout)
    assert out.returncode == 0, out.stderr
    assert (got["counts"]["enrollment_added"], got["counts"]["resident_added"],
            got["refused"], got["conflicts"]) == (1, 20, 0, 0)  # fmt: skip
    receipt = Path(got["receipt"])
    assert receipt.parent == usb / "receipts" and receipt.name.startswith("xac-nhan-nh-")
    out = run(env, *hq, "sync", "import", str(receipt), "--json")
    assert json.loads(out.stdout)["counts"]["enrollment_acknowledged"] == 1, out.stderr
    replay = json.loads(run(env, *hub, "import", str(usb / "to-hub.esb"), "--json").stdout)
    assert (replay["added"], replay["reason"]) == (0, "replay")
    # the reports
    state = json.loads(run(env, *hub, "status", "--json").stdout)
    [commune] = state["communes"]
    assert (commune["commune_code"], commune["enrollments"], commune["residents"]) == (
        "03169", 1, 20)  # fmt: skip
    assert commune["audit_heads"][0]["seq"] > 0
    found = json.loads(run(env, *hub, "search", name, "--json").stdout)
    assert found["hits"][0]["personal_id"] == pid and found["hits"][0]["commune"] == "Nà Hỳ"
    tally = json.loads(run(env, *hub, "tally", "--json").stdout)
    assert tally["district"]["total"] == 1
    assert tally["communes"][0]["commune"] == "Nà Hỳ"  # the official name, whatever was typed
    one = json.loads(run(env, *hub, "tally", "--commune", "03169", "--json").stdout)
    assert one["district"]["total"] == 1
    cover = json.loads(run(env, *hub, "coverage", "--json").stdout)
    assert cover["district"]["enrolled"] + cover["district"]["aged_6_13_enrolled"] \
        + cover["district"]["under_6_enrolled"] == 1  # fmt: skip
    assert json.loads(run(env, *hub, "duplicates", "--json").stdout) == []
    hq_id = commune["station_id"]
    wrong = run(env, *hub, "tally", "--commune", "Nowhere")
    assert wrong.returncode == 2 and "Nowhere" in wrong.stderr
    bad = run(env, "hub", "--db", "sqlite:///x.db", "status")
    assert bad.returncode == 2 and "PostgreSQL" in bad.stderr
    # over the network: hub serve on 127.0.0.1, the HQ's export --to-hub
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    server = subprocess.Popen([sys.executable, str(ROOT / "main.py"), *hub, "serve", "--port",
                               "0", "--user", "admin"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        import re

        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert found, line + (server.stderr.read() if server.poll() is not None else "")
        url = found.group(0)
        db = open_station(tmp_path / "hq", lambda _c: cli_env["ENROLLMENT_STATION_PASSPHRASE"])
        with db.Session() as s:
            other = s.scalars(select(Resident).order_by(Resident.id.desc())).first()
        assert other is not None
        received(db, other.id, datetime.now(UTC))
        db.close()
        sent = run(env, *hq, "sync", "export", "--to-hub", url, "--json")
        assert sent.returncode == 0, sent.stderr
        doc = json.loads(sent.stdout)
        assert (doc["enrollments"], doc["hub"]["counts"]["enrollment_added"],
                doc["receipt"]["counts"]["enrollment_acknowledged"]) == (1, 1, 1)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert run(env, *hub, "unpair", hq_id).returncode == 0  # its next bundle is refused
    out = run(env, *hq, "sync", "export", "--to", str(usb / "after.esb"), "--for", hub_id)
    late = json.loads(run(env, *hub, "import", str(usb / "after.esb"), "--json").stdout)
    assert (late["refused"], late["reason"]) == (1, "unpaired")
    assert os.environ.get("ENROLLMENT_HUB_DB") is None  # nothing leaked into this process


def test_a_hub_address_that_cannot_work_says_what_to_do(cli_env: dict[str, str],
                                                        pg_server: str) -> None:  # fmt: skip
    from sqlalchemy.engine import make_url

    missing = make_url(pg_server).set(database="no_such_hub").render_as_string(False)
    out = run(cli_env, "hub", "--db", missing, "status", "--user", "admin")
    assert out.returncode == 2 and "createdb" in out.stderr and "Traceback" not in out.stderr
    stranger = make_url(pg_server).set(username="nobody").render_as_string(False)
    out = run(cli_env, "hub", "--db", stranger, "status", "--user", "admin")
    assert out.returncode == 2 and "createuser" in out.stderr
