"""tally / enrollments / receipt run as a user would (``main(argv)`` in this process, no
keyring), agreeing with the database and the printed PDF."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from db import enrollment as en
from db.actor import SYSTEM
from db.demo.synth import rows_for_import
from db.register.importer import import_rows
from db.vntime import today_local
from tests.cli_runner import run
from tests.db.enrollment_fixtures import captured, make_staff
from tests.printing.pdfcheck import pdf_text


@pytest.fixture
def station_dir(tmp_path: Path, cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A key-file station (like the CLI makes) with five enrollments on 12 March 2026."""
    from db.station import create_station

    monkeypatch.setenv("ENROLLMENT_STATION_PASSPHRASE", cli_env["ENROLLMENT_STATION_PASSPHRASE"])
    data = tmp_path / "station"
    db, _key = create_station(data, name="Công an xã Nà Hỳ", commune="Nà Hỳ",
                              province="Điện Biên", key_store="keyfile")  # fmt: skip
    try:
        import_rows(db, rows_for_import(20), file_name="t")
        duc = make_staff(db)["duc"].officer_id
        base = datetime(2026, 3, 12, 1, 0, tzinfo=UTC)
        for i, place in enumerate(("hq", "hq", "home", "mobile", "hq")):
            e = captured(db, i + 1, place=place, officer=duc,
                         exception="bedridden" if place == "home" else None)  # fmt: skip
            en.submit(db, e.uuid, now=base + timedelta(minutes=10 * i), actor=SYSTEM)
        captured(db, 10, officer=duc)  # unfinished: not in the tally
    finally:
        db.close()
    return data


def test_tally_enrollments_and_receipt(
    station_dir: Path, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    d = ["--data-dir", str(station_dir)]
    cli_env = dict(cli_env, ENROLLMENT_STATION_USER="boss")  # the supervisor
    out = run(cli_env, *d, "tally", "--date", "2026-03-12", "--json",
              "--out", str(tmp_path / "tally.pdf"))  # fmt: skip
    assert out.returncode == 0, out.stderr
    t = json.loads(out.stdout)
    assert t["date"] == "2026-03-12" and t["total"] == 5
    assert t["by_officer"] == [{"officer": "Lò Văn Đức", "count": 5}]
    assert t["by_place"] == {"hq": 3, "home": 1, "mobile": 1}
    assert (t["exceptions"], t["pending_approval"]) == (1, 5)
    assert sum(v["count"] for v in t["by_village"]) == 5
    text = pdf_text((tmp_path / "tally.pdf").read_bytes())
    assert "Lò Văn Đức 5" in text and "12/03/2026" in text

    out = run(cli_env, *d, "enrollments", "--date", "2026-03-12", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == t["total"]
    assert [r["slip_no"] for r in rows] == [f"NH-2026-00000{i}" for i in range(1, 6)]
    assert set(rows[0]) >= {"uuid", "slip_no", "resident", "officer", "place", "status"}

    slip = tmp_path / "slip.pdf"
    out = run(cli_env, *d, "receipt", rows[2]["uuid"], "--out", str(slip))
    assert out.returncode == 0, out.stderr
    text = pdf_text(slip.read_bytes())
    assert rows[2]["slip_no"] in text and rows[2]["resident"] in text
    out = run(cli_env, *d, "receipt", rows[0]["slip_no"], "--out", str(tmp_path / "s2.pdf"),
              "--layout", "roll80")  # fmt: skip
    assert out.returncode == 0 and rows[0]["slip_no"] in out.stdout

    out = run(cli_env, *d, "tally", "--date", "2026-03-12")
    assert out.returncode == 0 and "5" in out.stdout
    out = run(cli_env, *d, "receipt", "no-such-enrollment", "--out", str(tmp_path / "x.pdf"))
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert not (tmp_path / "x.pdf").exists()
    out = run(cli_env, *d, "tally", "--date", "12/03/2026")
    assert out.returncode == 2 and "YYYY-MM-DD" in out.stderr


def test_demo_station_has_recent_enrollments(cli_env: dict[str, str], tmp_path: Path) -> None:
    yesterday = (today_local() - timedelta(days=1)).isoformat()
    out = run(cli_env, "--demo", "tally", "--date", yesterday, "--json")
    assert out.returncode == 0, out.stderr
    t = json.loads(out.stdout)
    assert t["total"] > 5 and len(t["by_officer"]) >= 2
    assert t["pending_approval"] + t["approved"] + t["returned"] == t["total"]
    out = run(cli_env, "--demo", "enrollments", "--date", yesterday, "--json")
    rows = json.loads(out.stdout)
    assert len(rows) == t["total"]
    assert {r["place"] for r in rows} <= {"hq", "home", "mobile"}
    out = run(cli_env, "--demo", "receipt", rows[0]["uuid"], "--out", str(tmp_path / "r.pdf"))
    assert out.returncode == 0, out.stderr
    assert rows[0]["slip_no"] in pdf_text((tmp_path / "r.pdf").read_bytes())
    assert date.fromisoformat(yesterday) < today_local()
