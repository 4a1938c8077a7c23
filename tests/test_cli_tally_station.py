"""``main.py tally`` names the station by its name, on the terminal and on paper (issue 11: the
tally header showed the station's id)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import run
from tests.printing.pdfcheck import pdf_text
from tests.test_cli_enrollment import station_dir

__all__ = ["station_dir"]


def test_the_tally_names_the_station(
    station_dir: Path, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    env = dict(cli_env, ENROLLMENT_STATION_USER="boss")
    d = ["--data-dir", str(station_dir)]
    out = run(env, *d, "tally", "--date", "2026-03-12", "--out", str(tmp_path / "t.pdf"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == "Công an xã Nà Hỳ – Trạm thu nhận trụ sở"
    text = pdf_text((tmp_path / "t.pdf").read_bytes())
    assert "Trạm: Trạm thu nhận trụ sở – xã Nà Hỳ, tỉnh Điện Biên" in text
    out = run(env, *d, "tally", "--date", "2026-03-12", "--json")
    assert json.loads(out.stdout)["station"] == "Trạm thu nhận trụ sở"
