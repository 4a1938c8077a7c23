"""The frozen build (make dist): the folder's size, and the start to the main window of the
frozen program next to ``python main.py --demo`` from source.

Both are started the same way, offscreen, on one demo station made by a first run that is not
timed, with ENROLLMENT_STATION_EXIT_WHEN_SHOWN (gui/main_window.py): the time is measured from
outside, from the spawn to the SHOWN line on the program's stdout (the frozen build has no
psutil to time itself, and its bootloader's work counts too), and the peak RSS from the
child's rusage. Runs alternate frozen / source so that both see the same warm disk cache; the
figures are the medians.

    make bench-frozen                      # builds first
    python bench/frozen.py --runs 5 [--dist dist/enrollment-station]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 2**20


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes and files under ``folder`` (links not followed)."""
    total = files = 0
    for p in folder.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
            files += 1
    return total, files


def largest_parts(folder: Path, n: int = 6) -> list[tuple[str, int]]:
    """The biggest entries of the bundle's _internal (what a smaller build would cut)."""
    inner = folder / "_internal"
    sizes = []
    for p in inner.iterdir():
        if p.is_symlink():  # PyInstaller links a shared library to its one copy
            continue
        size = folder_size(p)[0] if p.is_dir() else p.stat().st_size
        sizes.append((p.name, size))
    return sorted(sizes, key=lambda s: -s[1])[:n]


def env_for(home: Path, platform: str) -> dict[str, str]:
    cleared = ("ENROLLMENT_STATION_", "DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND")
    env = {k: v for k, v in os.environ.items() if not k.startswith(cleared)}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        QT_QPA_PLATFORM=platform,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        ENROLLMENT_STATION_PASSPHRASE="bench-passphrase",
        ENROLLMENT_STATION_EXIT_WHEN_SHOWN="1",
        # the demo officer signs in without the dialog (demo accounts: see README)
        ENROLLMENT_STATION_USER="lo.van.duc",
        ENROLLMENT_STATION_PASSWORD="demo1234",
    )
    return env


def start_once(command: list[str], env: dict[str, str], timeout: float) -> tuple[float, float]:
    """Seconds from the spawn to the SHOWN line, and the peak RSS (MB) of the whole run."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    assert proc.stdout is not None
    shown = None
    for line in proc.stdout:
        if line.startswith("SHOWN"):
            shown = time.perf_counter() - start
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if shown is None or proc.returncode != 0 or time.perf_counter() - start > timeout:
        raise SystemExit(f"{command[0]}: the main window was not shown (exit {proc.returncode})")
    return shown, usage.ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dist", type=Path, default=ROOT / "dist" / "enrollment-station")
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM (xcb with Xvfb)")
    args = parser.parse_args()
    exe = args.dist / "enrollment-station"
    if not exe.is_file():
        raise SystemExit(f"no frozen program at {exe}: make dist")

    size, files = folder_size(args.dist)
    print(f"folder {args.dist}: {size / MB:.0f} MB in {files} files")
    for name, part in largest_parts(args.dist):
        print(f"  {part / MB:6.1f} MB  _internal/{name}")

    home = Path(tempfile.mkdtemp(prefix="bench-frozen-"))
    env = env_for(home, args.platform)
    commands = {
        "frozen": [str(exe), "--demo"],
        "source": [sys.executable, str(ROOT / "main.py"), "--demo"],
    }
    first, _rss = start_once(commands["frozen"], env, 600)  # creates the demo station
    print(f"first run (frozen, creates the demo station): {first:.2f} s")
    times: dict[str, list[float]] = {k: [] for k in commands}
    peaks: dict[str, list[float]] = {k: [] for k in commands}
    for i in range(args.runs):
        for kind, command in commands.items():
            t, rss = start_once(command, env, 180)
            times[kind].append(t)
            peaks[kind].append(rss)
            print(f"run {i + 1} {kind}: {t:.2f} s to the main window, peak RSS {rss:.0f} MB")
    for kind, command in commands.items():
        t, rss = statistics.median(times[kind]), statistics.median(peaks[kind])
        print(f"median {kind}: {t:.2f} s to the main window, peak RSS {rss:.0f} MB "
              f"({' '.join(command)})")  # fmt: skip


if __name__ == "__main__":
    main()
