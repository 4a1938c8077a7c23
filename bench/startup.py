"""Time from process start to the main window shown, and the memory then, on the demo station.

Each run spawns ``python main.py --demo`` with ENROLLMENT_STATION_EXIT_WHEN_SHOWN=1: the main
window prints the seconds since its process was created (psutil's create_time, so interpreter
start and imports count) and its RSS once it is shown, then quits. The first run creates the
demo station (not timed); the figures are the median of the runs after it.
Target (issue 6): <= 2 s and <= 350 MB.

    python bench/startup.py --runs 5            # offscreen
    xvfb-run -a python bench/startup.py --runs 5 --platform xcb
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = re.compile(r"SHOWN ([\d.]+) s RSS ([\d.]+) MB")


def run_once(env: dict[str, str], timeout: float) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--demo"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    m = LINE.search(out.stdout)
    if m is None:
        raise SystemExit(f"the window was not shown:\n{out.stdout}\n{out.stderr[-2000:]}")
    return float(m[1]), float(m[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default="offscreen", help="QT_QPA_PLATFORM (xcb with Xvfb)")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="startup-"))
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM=args.platform,
        ENROLLMENT_STATION_EXIT_WHEN_SHOWN="1",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        ENROLLMENT_STATION_PASSPHRASE="bench-passphrase",
        # the demo officer signs in without the dialog (demo accounts: see README)
        ENROLLMENT_STATION_USER="lo.van.duc",
        ENROLLMENT_STATION_PASSWORD="demo1234",
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    first = run_once(env, 600)  # creates the demo station (8,000 residents)
    print(f"first run (creates the demo station): {first[0]:.2f} s, {first[1]:.0f} MB")
    times, rss = [], []
    for i in range(args.runs):
        t, m = run_once(env, 120)
        times.append(t)
        rss.append(m)
        print(f"run {i + 1}: {t:.2f} s to the main window, RSS {m:.0f} MB")
    print(f"median: {statistics.median(times):.2f} s, RSS {statistics.median(rss):.0f} MB "
          f"(target <= 2 s, <= 350 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
