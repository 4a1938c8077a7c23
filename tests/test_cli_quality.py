"""``main.py register-quality`` as a supervisor runs it: the JSON's shape, and the actions."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import run

REGISTER = """Họ và tên,Ngày sinh,Giới tính,Số định danh,Thôn/Bản,Số hộ khẩu
Vàng A Dế,15/02/2002,Nam,011202000001,Nà Hỳ 1,HK1
Vang A De,15/02/2002,Nam,011202000777,Nà Hỳ 1,HK1
Giàng Thị Ba,20/02/1980,Nữ,,Nà Hỳ 1,HK2
Mùa A Chứ,1900,Nam,011000000002,Huổi Cơ Mông,HK3
Thào Thị Dua,2001,Nữ,011301000003,,HK4
"""


def test_register_quality_json_and_actions(tmp_path: Path, cli_env: dict[str, str]) -> None:
    d = ["--data-dir", str(tmp_path / "station")]
    out = run(cli_env, *d, "init", "--station", "Công an xã Nà Hỳ", "--commune", "Nà Hỳ",
              "--admin", "admin")  # fmt: skip
    assert out.returncode == 0, out.stderr
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    out = run(admin, *d, "import", str(register), "--json", "--quiet")
    assert out.returncode == 0, out.stderr

    out = run(admin, *d, "register-quality", "--on", "2026-12-01", "--json")
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert [(g["kind"], g["weak"], sorted(r["full_name"] for r in g["residents"]))
            for g in found["duplicates"]] == [("two_ids", False, ["Vang A De", "Vàng A Dế"])]
    assert all(set(r) >= {"uuid", "full_name"} for g in found["duplicates"]
               for r in g["residents"])  # fmt: skip
    counts = found["counts"]
    assert (counts["missing_id"], counts["no_village"], counts["implausible_age"]) == (1, 1, 1)
    assert counts["duplicates"] == 1 and counts["id_mismatch"] == 0
    assert [r["full_name"] for r in found["findings"]["missing_id"]] == ["Giàng Thị Ba"]

    keep, dup = (r["uuid"] for r in found["duplicates"][0]["residents"])
    old = found["findings"]["implausible_age"][0]["uuid"]
    for action in (["same", keep, dup], ["mark", old, "deceased"],
                   ["fix", found["findings"]["no_village"][0]["uuid"], "village", "Nà Hỳ 2"]):
        out = run(admin, *d, "register-quality", *action)
        assert out.returncode == 0, out.stderr
    out = run(admin, *d, "register-quality", "--on", "2026-12-01", "--json")
    counts = json.loads(out.stdout)["counts"]
    assert (counts["duplicates"], counts["implausible_age"], counts["no_village"]) == (0, 0, 0)

    out = run(admin, *d, "register-quality", "--on", "2026-12-01")
    assert out.returncode == 0 and "Không có số định danh" in out.stdout, out.stdout
    out = run(admin, *d, "register-quality", "dismiss", keep, keep)
    assert out.returncode == 2 and out.stderr
