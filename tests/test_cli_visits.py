"""``main.py visits`` as a supervisor and an officer run it: mark, plan, list (text, JSON,
PDF), record outcomes."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

from pypdf import PdfReader

from db.vntime import today_local
from tests.cli_runner import run

REGISTER = """Họ và tên,Ngày sinh,Giới tính,Thôn/Bản,Số hộ,Thu nhận tại nhà
Vàng A Dế,15/02/1940,Nam,Nà Hỳ 1,H01,cao tuổi
Giàng Thị Ba,20/02/1996,Nữ,Nà Hỳ 1,H02,sau sinh
Mùa A Chứ,12/01/1967,Nam,Huổi Cơ Mông,H07,
"""


def test_visits_from_the_command_line(tmp_path: Path, cli_env: dict[str, str]) -> None:
    d = ["--data-dir", str(tmp_path / "station")]
    out = run(cli_env, *d, "init", "--station", "Công an xã Nà Hỳ", "--commune", "Nà Hỳ",
              "--admin", "admin")  # fmt: skip
    assert out.returncode == 0, out.stderr
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    register = tmp_path / "register.csv"
    register.write_text(REGISTER, encoding="utf-8")
    assert run(admin, *d, "import", str(register), "--quiet").returncode == 0
    temp = dict(admin, ENROLLMENT_STATION_NEW_PASSWORD="tạm thời 123")
    assert run(temp, *d, "officers", "add", "boss", "Quàng Văn Thanh", "--role",
               "supervisor").returncode == 0  # fmt: skip
    boss = dict(cli_env, ENROLLMENT_STATION_USER="boss", ENROLLMENT_STATION_PASSWORD="tạm thời 123")
    assert run(dict(boss, ENROLLMENT_STATION_NEW_PASSWORD="mật khẩu lãnh đạo"), *d, "officers",
               "password").returncode == 0  # fmt: skip
    boss["ENROLLMENT_STATION_PASSWORD"] = "mật khẩu lãnh đạo"

    out = run(boss, *d, "search", "Mùa A Chứ", "--json")
    assert out.returncode == 0, out.stderr
    chu = json.loads(out.stdout)[0]["uuid"]
    out = run(boss, *d, "visits", "flag", chu, "no_transport", "--note", "Nhà xa, không có xe")
    assert out.returncode == 0 and "Không có phương tiện" in out.stdout, out.stderr

    day = (today_local() + timedelta(days=1)).isoformat()
    out = run(boss, *d, "visits", "plan", "--flagged", "--day", day, "--mode", "home", "--json")
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["planned"]) == 3  # two from the register, one marked
    out = run(boss, *d, "visits", "plan", chu, "--day", day, "--mode", "fetch")
    assert out.returncode == 0 and "1 người đã có lịch" in out.stdout  # not twice

    out = run(boss, *d, "visits", "list", "--day", day, "--json", "--out",
              str(tmp_path / "visits.pdf"))  # fmt: skip
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert [(v["village"], v["household_no"], v["reason"]) for v in listed] == [
        ("Huổi Cơ Mông", "H07", "no_transport"), ("Nà Hỳ 1", "H01", "elderly"),
        ("Nà Hỳ 1", "H02", "postpartum")]
    pdf = PdfReader(io.BytesIO((tmp_path / "visits.pdf").read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Nhà xa, không có xe" in text and "Vàng A Dế" in text

    out = run(boss, *d, "visits", "outcome", listed[1]["uuid"], "rescheduled")
    assert out.returncode == 2 and "ngày đến nhà mới" in out.stderr  # a new day is needed
    later = (today_local() + timedelta(days=5)).isoformat()
    out = run(boss, *d, "visits", "outcome", listed[1]["uuid"], "rescheduled", "--next-day", later)
    assert out.returncode == 0 and "Hẹn ngày khác" in out.stdout, out.stderr
    out = run(boss, *d, "visits", "list", "--day", later, "--json")
    assert [v["full_name"] for v in json.loads(out.stdout)] == ["Vàng A Dế"]
    out = run(admin, *d, "visits", "plan", chu, "--day", day, "--mode", "home")
    assert out.returncode == 2 and "Traceback" not in out.stderr  # not an administrator's work
