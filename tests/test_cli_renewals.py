"""``main.py renewals`` as a user runs it: the register's card dates in, the list out."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import run

REGISTER = """Họ và tên,Ngày sinh,Giới tính,Thôn/Bản,Ngày cấp
Vàng A Dế,15/02/2002,Nam,Nà Hỳ 1,01/03/2017
Giàng Thị Ba,20/02/2002,Nữ,Nà Hỳ 1,01/06/2025
Mùa A Chứ,12/01/1967,Nam,Huổi Cơ Mông,01/01/2010
Thào Thị Dua,2012,Nữ,Huổi Cơ Mông,
"""


def test_renewals_json_and_text(tmp_path: Path, cli_env: dict[str, str]) -> None:
    d = ["--data-dir", str(tmp_path / "station")]
    out = run(cli_env, *d, "init", "--station", "Công an xã Nà Hỳ", "--commune", "Nà Hỳ",
              "--admin", "admin")  # fmt: skip
    assert out.returncode == 0, out.stderr
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    out = run(admin, *d, "import", str(register), "--json", "--quiet")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["added"] == 4

    out = run(admin, *d, "renewals", "--on", "2026-12-01", "--json")
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert [(r["full_name"], r["milestone"], r["village"], r["birth_date"]) for r in listed] == [
        ("Mùa A Chứ", 60, "Huổi Cơ Mông", "1967-01-12"),
        ("Vàng A Dế", 25, "Nà Hỳ 1", "2002-02-15"),
    ]
    assert all(set(r) == {"uuid", "full_name", "birth_date", "milestone", "village"}
               for r in listed)  # fmt: skip

    out = run(admin, *d, "renewals", "--on", "2026-12-01", "--months", "1", "--json")
    assert [r["full_name"] for r in json.loads(out.stdout)] == []  # Jan and Feb 2027: later

    out = run(admin, *d, "renewals", "--on", "2026-12-01")
    assert out.returncode == 0, out.stderr
    known, unknown = out.stdout.split("Chưa rõ ngày cấp thẻ: 1 người")
    assert "Mùa A Chứ" in known and "Vàng A Dế" in known and "Thào Thị Dua" not in known
    assert "Thào Thị Dua" in unknown and "cấp thẻ lần đầu" in unknown
    assert "2012" in unknown and "năm 2026" in unknown
    assert "Giàng Thị Ba" not in out.stdout  # renewed within the two years before 25

    out = run(admin, *d, "renewals", "--months", "-1")
    assert out.returncode == 2 and "--months" in out.stderr


def test_renewals_on_paper(tmp_path: Path, cli_env: dict[str, str]) -> None:
    """``--out``: the A4 list by village, the unknown card dates in their own section."""
    from tests.printing.pdfcheck import pdf_text

    d = ["--data-dir", str(tmp_path / "station")]
    assert run(cli_env, *d, "init", "--station", "Công an xã Nà Hỳ", "--commune", "Nà Hỳ",
               "--admin", "admin").returncode == 0  # fmt: skip
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    assert run(admin, *d, "import", str(register), "--quiet").returncode == 0
    pdf = tmp_path / "doi-the.pdf"
    out = run(admin, *d, "renewals", "--on", "2026-12-01", "--out", str(pdf))
    assert out.returncode == 0, out.stderr
    words = pdf_text(pdf.read_bytes())
    known, unknown = words.split("2. Chưa rõ ngày cấp thẻ: 1 người")
    assert "CẤP ĐỔI THẺ" in known and "Mùa A Chứ" in known and "Vàng A Dế" in known
    assert known.index("Huổi Cơ Mông") < known.index("Nà Hỳ 1")  # by village
    assert "01/03/2017" in known and "15/02/2027" in known  # issued, due at 25
    assert "Thào Thị Dua" in unknown and "Thào Thị Dua" not in known
    assert "Giàng Thị Ba" not in words
