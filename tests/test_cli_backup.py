"""``main.py backup --to DIR`` and ``main.py restore FILE [--yes] [--recovery-key]``, run as an
administrator would (no keyring: the key in a key file, the passphrase from the environment)."""

from __future__ import annotations

from pathlib import Path

from tests.cli_runner import run
from tests.conftest import ROOT


def _station(tmp_path: Path, env: dict[str, str]) -> str:
    data = str(tmp_path / "station")
    out = run(
        env,
        "--data-dir",
        data,
        "init",
        "--station",
        "Công an xã Nà Hỳ",
        "--commune",
        "Nà Hỳ",
        "--admin",
        "admin",
        "--recovery-sheet",
        str(tmp_path / "sheet.pdf"),
    )
    assert out.returncode == 0, out.stderr
    out = run(
        dict(env, ENROLLMENT_STATION_USER="admin"),
        "--data-dir",
        data,
        "import",
        str(ROOT / "resources/sample_register.csv"),
        "--quiet",
    )
    assert out.returncode == 0, out.stderr
    return data


def _sheet_key(pdf: Path) -> str:
    """The key as printed on the recovery sheet (read back from the PDF's text)."""
    import io
    import re

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    groups = re.findall(r"\b[A-Z2-7]{4}\b", text)
    return " ".join(groups[-14:])


def test_backup_then_restore_on_another_folder_and_in_place(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    data = _station(tmp_path, cli_env)
    usb = tmp_path / "usb"
    usb.mkdir()
    out = run(cli_env, "--data-dir", data, "backup", "--to", str(usb), "--quiet")  # scheduled
    assert out.returncode == 0, out.stderr
    [file] = list(usb.glob("*.esbak"))
    assert "30 người trong sổ" in out.stdout and str(file) in out.stdout
    out = run(cli_env, "--data-dir", str(tmp_path / "copy"), "restore", str(file))
    assert out.returncode == 2 and "--yes" in out.stderr  # no terminal to confirm at
    assert not (tmp_path / "copy").exists()
    out = run(cli_env, "--data-dir", str(tmp_path / "copy"), "restore", str(file), "--yes")
    assert out.returncode == 0, out.stderr
    assert "30 người trong sổ" in out.stdout and "Đã khôi phục trạm" in out.stdout
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    out = run(admin, "--data-dir", str(tmp_path / "copy"), "search", "quang van xieng")
    assert "Quàng Văn Xiêng" in out.stdout
    out = run(cli_env, "--data-dir", data, "restore", str(file), "--yes")  # in place
    assert out.returncode == 0, out.stderr
    assert "sẽ được thay bằng bản sao lưu" in out.stdout


def test_a_truncated_backup_and_another_stations_are_refused(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    data = _station(tmp_path, cli_env)
    usb = tmp_path / "usb"
    usb.mkdir()
    assert run(cli_env, "--data-dir", data, "backup", "--to", str(usb)).returncode == 0
    [file] = list(usb.glob("*.esbak"))
    cut = tmp_path / "cut.esbak"
    cut.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    out = run(cli_env, "--data-dir", data, "restore", str(cut), "--yes")
    assert out.returncode == 2 and "bị hỏng hoặc không đầy đủ" in out.stderr
    other = tmp_path / "other"
    out = run(
        cli_env,
        "--data-dir",
        str(other),
        "init",
        "--station",
        "Công an xã Chà Tở",
        "--commune",
        "Chà Tở",
        "--admin",
        "admin",
    )
    assert out.returncode == 0, out.stderr
    out = run(cli_env, "--data-dir", str(other), "restore", str(file), "--yes")
    assert out.returncode == 2 and "trạm khác" in out.stderr


def test_restore_with_the_recovery_sheets_key_and_a_forgotten_passphrase(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    data = _station(tmp_path, cli_env)
    usb = tmp_path / "usb"
    usb.mkdir()
    assert run(cli_env, "--data-dir", data, "backup", "--to", str(usb)).returncode == 0
    [file] = list(usb.glob("*.esbak"))
    forgot = dict(cli_env, ENROLLMENT_STATION_PASSPHRASE="không nhớ nữa")
    out = run(forgot, "--data-dir", str(tmp_path / "new"), "restore", str(file), "--yes")
    assert out.returncode == 2  # the backup's key file needs the old passphrase
    key = _sheet_key(tmp_path / "sheet.pdf")
    new = dict(
        cli_env,
        ENROLLMENT_STATION_RECOVERY_KEY=key.lower(),
        ENROLLMENT_STATION_PASSPHRASE="mật khẩu mới 2026",
    )
    out = run(
        new, "--data-dir", str(tmp_path / "new"), "restore", str(file), "--yes", "--recovery-key"
    )
    assert out.returncode == 0, out.stderr
    admin = dict(new, ENROLLMENT_STATION_USER="admin")
    out = run(admin, "--data-dir", str(tmp_path / "new"), "search", "quang van xieng")
    assert "Quàng Văn Xiêng" in out.stdout


def test_recover_key_from_the_sheet_keeps_every_record(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    data = _station(tmp_path, cli_env)
    (Path(data) / "station.key").write_text("{}")  # damaged
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    out = run(admin, "--data-dir", data, "search", "quang van xieng")
    assert out.returncode == 2 and "phiếu khôi phục" in out.stderr
    key = _sheet_key(tmp_path / "sheet.pdf")
    fixed = dict(admin, ENROLLMENT_STATION_RECOVERY_KEY=key,
                 ENROLLMENT_STATION_PASSPHRASE="mật khẩu mới 2026")  # fmt: skip
    out = run(fixed, "--data-dir", data, "recover-key")
    assert out.returncode == 0, out.stderr
    out = run(fixed, "--data-dir", data, "search", "quang van xieng")
    assert "Quàng Văn Xiêng" in out.stdout
