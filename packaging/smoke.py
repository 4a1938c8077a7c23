"""Smoke test of the frozen build (``make dist-check``): the bundle itself, run as an officer's
laptop would run it, in a fresh home folder, headless.

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/smoke.py dist/enrollment-station

1. ``--version`` names pyproject's version and a build date (resources/version.py).
2. The GUI on a fresh demo station (created by this first start): the main window is shown,
   then the program quits with 0 (ENROLLMENT_STATION_EXIT_WHEN_SHOWN, gui/main_window.py);
   then a second start on the existing station.
3. The command line on a new station: ``init`` (the Alembic migrations run from the files in
   the bundle), ``import`` of the sample register shipped in the bundle, ``import`` of a
   register over 4 MiB (read in a spawned process: multiprocessing in a frozen program),
   ``search`` of a name from it, ``backup`` and ``restore`` of that station into another folder
   (searched again), ``check-photo`` of a real face photo (Grace Hopper, from
   matplotlib's sample data, on a plain wall as in tests/photos.py: OpenCV's cascades must be
   in the bundle) with the same verdict as from source, and ``receipt`` of a demo enrollment:
   the slip PDF's text, read back with pypdf, is the same as from source.

The station key goes to the key file wrapped by a passphrase (``keyring.backends.fail``: no OS
keyring, as on a headless box); the test checks that no keyring file appeared (a plaintext
keyring is never used, db/keys.py). Every step prints its time; the first failure stops the
run with the command, its exit code and the end of its output.

Runs with the checkout's Python (pypdf, matplotlib are test dependencies), never inside the
bundle: what is tested is the frozen program as shipped. On Windows (untested) platformdirs asks
the shell for the user's folders rather than the environment, so ``--demo`` there is the
user's own demo station (synthetic people, its own folder), not a fresh one.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PASSPHRASE = "smoke-test-passphrase"
ADMIN_PASSWORD = "mật khẩu thử 1"
RECOVERY_TITLE = "PHIẾU KHÔI PHỤC KHÓA"  # printing/recovery.py, upper case
DEMO_USER, DEMO_PASSWORD = "lo.van.duc", "demo1234"  # README's demo accounts
#: Variables of the developer's session that must not reach the frozen program.
CLEARED = ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND", "ENROLLMENT_STATION_USER",
           "ENROLLMENT_STATION_PASSWORD", "ENROLLMENT_STATION_NEW_PASSWORD",
           "ENROLLMENT_STATION_PASSPHRASE", "ENROLLMENT_STATION_EXIT_WHEN_SHOWN",
           "ENROLLMENT_HUB_DB", "PYTHONPATH", "PYTHONHOME")  # fmt: skip


class SmokeFailure(Exception):
    """A step of the smoke test that did not do what it should; the message says what."""


def executables(dist: Path) -> tuple[Path, Path]:
    """The GUI program and the command-line one (the same file except on Windows)."""
    if sys.platform == "win32":
        return dist / "enrollment-station.exe", dist / "enrollment-station-cli.exe"
    exe = dist / "enrollment-station"
    return exe, exe


def fresh_env(home: Path) -> dict[str, str]:
    """A home folder of its own, no OS keyring, offscreen Qt: a new laptop, headless."""
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        APPDATA=str(home / "AppData" / "Roaming"),
        QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        ENROLLMENT_STATION_PASSPHRASE=PASSPHRASE,
    )
    return env


def _tail(text: str, lines: int = 25) -> str:
    return "\n".join(text.splitlines()[-lines:])


class Runner:
    """Runs the frozen program (or the source, for comparison) and times each step."""

    def __init__(self, dist: Path, env: dict[str, str]) -> None:
        self.gui, self.cli = executables(dist)
        self.env = env
        self.timings: list[tuple[str, float]] = []

    def run(self, step: str, args: Sequence[str], *, exe: Path | None = None,
            extra_env: dict[str, str] | None = None, ok: Sequence[int] = (0,),
            timeout: float = 180, source: bool = False,
            ) -> subprocess.CompletedProcess[str]:  # fmt: skip
        command = ([sys.executable, str(ROOT / "main.py")] if source
                   else [str(exe or self.cli)]) + list(args)  # fmt: skip
        env = dict(self.env, **(extra_env or {}))
        start = time.perf_counter()
        try:
            done = subprocess.run(command, env=env, capture_output=True, text=True,
                                  encoding="utf-8", timeout=timeout, check=False)  # fmt: skip
        except subprocess.TimeoutExpired as exc:
            raise SmokeFailure(f"{step}: no answer after {timeout:.0f} s\n$ {' '.join(command)}"
                               ) from exc  # fmt: skip
        seconds = time.perf_counter() - start
        if not source:
            self.timings.append((step, seconds))
        crashed = "Traceback (most recent call last)" in done.stderr
        if done.returncode not in ok or crashed:
            raise SmokeFailure(
                f"{step}: exit code {done.returncode}{' and a traceback' if crashed else ''}\n"
                f"$ {' '.join(command)}\n--- stdout\n{_tail(done.stdout)}\n"
                f"--- stderr\n{_tail(done.stderr)}"
            )
        print(f"ok {seconds:6.2f} s  {step}", flush=True)
        return done


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SmokeFailure(what)


def _json(done: subprocess.CompletedProcess[str], step: str) -> object:
    try:
        return json.loads(done.stdout)
    except ValueError as exc:
        raise SmokeFailure(f"{step}: not JSON:\n{_tail(done.stdout)}") from exc


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    check(path.is_file() and path.read_bytes().startswith(b"%PDF-"), f"{path} is not a PDF")
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def expected_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return str(tomllib.load(fh)["project"]["version"])


# --- the steps -------------------------------------------------------------------------------


def step_version(r: Runner) -> None:
    said = r.run("--version", ["--version"]).stdout.strip()
    check(said.startswith(f"enrollment-station {expected_version()} (built "),
          f"--version says {said!r}: not pyproject's version with a build date")  # fmt: skip


def step_gui(r: Runner) -> None:
    shown = {"ENROLLMENT_STATION_EXIT_WHEN_SHOWN": "1", "ENROLLMENT_STATION_USER": DEMO_USER,
             "ENROLLMENT_STATION_PASSWORD": DEMO_PASSWORD}  # fmt: skip
    for step, timeout in (("GUI: first start, makes the demo station", 600),
                          ("GUI: start on the demo station", 180)):  # fmt: skip
        done = r.run(step, ["--demo"], exe=r.gui, extra_env=shown, timeout=timeout)
        check("SHOWN" in done.stdout, f"{step}: exited 0 without showing the main window")


def step_cli(r: Runner, dist: Path, work: Path) -> None:
    station = work / "station"
    admin = {"ENROLLMENT_STATION_PASSWORD": ADMIN_PASSWORD}
    at = ["--data-dir", str(station)]
    sheet = work / "recovery.pdf"
    r.run("init (migrations from the bundle)", [*at, "init", "--station", "Trạm thử đóng gói",
          "--commune", "Nà Hỳ", "--admin", "admin", "--admin-name", "Vì Văn Quản",
          "--recovery-sheet", str(sheet)], extra_env=admin)  # fmt: skip
    meta = json.loads((station / "station.json").read_text("utf-8"))
    check(meta.get("key_store") == "keyfile" and (station / "station.key").is_file(),
          f"the station key is not in its key file: station.json says {meta}")  # fmt: skip
    check(RECOVERY_TITLE in pdf_text(sheet), "the recovery sheet does not read back")

    sample = next(dist.glob("*/resources/sample_register.csv"), None)
    check(sample is not None, "resources/sample_register.csv is not in the bundle")
    assert sample is not None
    done = r.run("import the bundled sample register",
                 [*at, "import", str(sample), "--user", "admin", "--json", "--quiet"],
                 extra_env=admin)  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(sample.read_text("utf-8-sig"))))
    report = _json(done, "import")
    check(isinstance(report, dict) and report.get("added") == len(rows),
          f"import: {len(rows)} rows in the sample, the report says {report}")  # fmt: skip

    from db.demo.synth import write_csv
    from db.register.chunks import PROCESS_MIN_BYTES

    big = work / "so-dan-cu-lon.csv"
    count = 40_000
    write_csv(big, count, seed=16)
    check(big.stat().st_size > PROCESS_MIN_BYTES, "the large register is not large enough")
    done = r.run(f"import {count:,} rows (reader in a spawned process)",
                 [*at, "import", str(big), "--user", "admin", "--json", "--quiet"],
                 extra_env=admin, timeout=600)  # fmt: skip
    report = _json(done, "import")
    check(isinstance(report, dict) and report.get("rows") == count and not report.get("rejected"),
          f"the large import read {count:,} rows: its report says {str(report)[:300]}")  # fmt: skip

    person = rows[0]["Họ và tên"]
    from db.text import fold

    query = fold(person)
    done = r.run("search a name without its marks",
                 [*at, "search", query, "--user", "admin", "--json"], extra_env=admin)  # fmt: skip
    hits = _json(done, "search")
    check(isinstance(hits, list) and any(h.get("full_name") == person for h in hits),
          f"search {query!r} did not find {person}")  # fmt: skip

    usb = work / "usb"
    usb.mkdir()
    r.run("backup to a folder (sqlcipher_export, checked, read back)",
          [*at, "backup", "--to", str(usb), "--quiet"])  # fmt: skip
    backups = list(usb.glob("*.esbak"))
    check(len(backups) == 1, f"backup: {len(backups)} files written")
    copy = ["--data-dir", str(work / "restored")]
    r.run("restore the backup elsewhere", [*copy, "restore", str(backups[0]), "--yes"])
    done = r.run("search the restored station", [*copy, "search", query, "--user", "admin",
                                                 "--json"], extra_env=admin)  # fmt: skip
    hits = _json(done, "search")
    check(isinstance(hits, list) and any(h.get("full_name") == person for h in hits),
          f"the restored station did not find {person}")  # fmt: skip

    import cv2

    from tests.photos import on_plain_wall

    photo, portrait = work / "grace-hopper.jpg", work / "chan-dung.jpg"
    cv2.imwrite(str(photo), on_plain_wall(), [cv2.IMWRITE_JPEG_QUALITY, 92])
    args = ["check-photo", str(photo), "--json"]
    frozen = _json(r.run("check-photo of a real face", [*args, "--out", str(portrait)]), "photo")
    source = _json(r.run("check-photo from source", args, source=True), "photo")
    check(isinstance(frozen, dict) and frozen.get("accepted") is True and portrait.is_file(),
          "check-photo: the portrait was not accepted or not written")  # fmt: skip
    assert isinstance(frozen, dict) and isinstance(source, dict)
    verdicts = [(c["id"], c["passed"]) for c in frozen["checks"]]
    check(verdicts == [(c["id"], c["passed"]) for c in source["checks"]],
          f"check-photo: frozen and source disagree: {verdicts}")  # fmt: skip

    done = r.run("enrollments of the demo station", ["--demo", "enrollments", "--json"])
    enrollments = _json(done, "enrollments")
    check(isinstance(enrollments, list) and bool(enrollments), "no enrollments on the demo station")
    assert isinstance(enrollments, list)
    chosen = enrollments[0]
    slip, slip_source = work / "giay-hen.pdf", work / "giay-hen-source.pdf"
    r.run("receipt: the slip PDF", ["--demo", "receipt", chosen["slip_no"], "--out", str(slip)])
    r.run("receipt from source", ["--demo", "receipt", chosen["slip_no"], "--out",
                                  str(slip_source)], source=True)  # fmt: skip
    text = pdf_text(slip)
    check("GIẤY HẸN TRẢ KẾT QUẢ" in text and chosen["slip_no"] in text
          and chosen["resident"] in text,
          f"the slip does not read back (slip {chosen['slip_no']}):\n{text[:400]}")  # fmt: skip
    check(text == pdf_text(slip_source), "the slip's text differs from the source program's")


def no_keyring_file(home: Path) -> None:
    """keyrings.alt's files (python_keyring/…) or any other keyring file: none may exist."""
    found = [p for p in home.rglob("*") if "keyring" in p.name.lower()]
    check(not found, f"a keyring file was written: {found}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="the bundle folder (dist/enrollment-station)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary home folder")
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    gui, cli = executables(dist)
    if not gui.is_file() or not cli.is_file():
        print(f"FAIL: no frozen program in {dist} (make dist)", file=sys.stderr)
        return 1
    home = Path(tempfile.mkdtemp(prefix="es-dist-check-"))
    work = home / "work"
    work.mkdir()
    runner = Runner(dist, fresh_env(home))
    start = time.perf_counter()
    try:
        step_version(runner)
        step_gui(runner)
        step_cli(runner, dist, work)
        no_keyring_file(home)
    except SmokeFailure as exc:
        print(f"FAIL: {exc}\n(home folder kept: {home})", file=sys.stderr)
        return 1
    total = time.perf_counter() - start
    frozen = sum(t for _s, t in runner.timings)
    print(f"dist-check passed: {len(runner.timings)} runs of the frozen program, {frozen:.1f} s "
          f"of {total:.1f} s")  # fmt: skip
    if not args.keep:
        import shutil

        shutil.rmtree(home, ignore_errors=True)
    else:
        print(f"home folder: {home}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
