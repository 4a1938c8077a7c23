"""Issue 10: does an unknown user name answer as fast as a known one with a wrong password?

Each attempt is the first sign-in of a fresh process (where building the dummy hash on first use
used to cost an unknown name ~170 ms more), with the real argon2id parameters; known-wrong and
unknown alternate. Prints the median of each, their difference in percent (target < 10 %), and
the same for the whole command line (``main.py search``) as a user would run it.

    .venv/bin/python bench/signin_timing.py [--rounds 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, isolated_keyring

PASSPHRASE = "bench-passphrase"
CHILD = """
import json, sys, time
from pathlib import Path
from db import accounts
from db.station import open_station
db = open_station(Path(sys.argv[1]), passphrase=lambda c: sys.argv[2])
t0 = time.perf_counter()
try:
    accounts.sign_in(db, sys.argv[3], "not the password")
except accounts.SignInFailed:
    pass
print(json.dumps((time.perf_counter() - t0) * 1000))
"""


def make_station(where: Path) -> Path:
    from db import accounts, settings
    from db.station import create_station

    db, _key = create_station(where, name="Bench", commune="Nà Hỳ", key_store="keyfile",
                              passphrase=lambda c: PASSPHRASE)  # fmt: skip
    admin = accounts.create_first_admin(db, "admin", "Vì Văn Quản", "mật khẩu quản trị")
    accounts.create_officer(db, admin, "duc", "Lò Văn Đức", "officer", "mật khẩu của Đức",
                            temporary=False)  # fmt: skip
    settings.change(db, admin, "lockout_attempts", 50)
    db.close()
    return where


def reset_counters(data: Path) -> None:
    """Keep every attempt a plain wrong password (never the locked fast path)."""
    from db.station import open_station

    db = open_station(data, passphrase=lambda c: PASSPHRASE)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE officer SET failed_logins = 0, locked_until = NULL")
        conn.exec_driver_sql("DELETE FROM setting WHERE key = 'accounts.unknown_failures'")
    db.close()


def in_process(data: Path, user: str) -> float:
    out = subprocess.run([sys.executable, "-c", CHILD, str(data), PASSPHRASE, user], cwd=ROOT,
                         capture_output=True, text=True, check=True)  # fmt: skip
    return float(json.loads(out.stdout))


def whole_cli(data: Path, user: str) -> float:
    env = {**os.environ, "ENROLLMENT_STATION_PASSPHRASE": PASSPHRASE,
           "ENROLLMENT_STATION_USER": user, "ENROLLMENT_STATION_PASSWORD": "not the password",
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}  # fmt: skip
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "main.py", "--data-dir", str(data), "search", "Lò"],
                   cwd=ROOT, env=env, capture_output=True, text=True)  # fmt: skip
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    isolated_keyring()
    with tempfile.TemporaryDirectory() as tmp:
        data = make_station(Path(tmp) / "station")
        for name, measure in (("sign-in call, fresh process", in_process),
                              ("whole CLI command", whole_cli)):  # fmt: skip
            known: list[float] = []
            unknown: list[float] = []
            for i in range(args.rounds):
                reset_counters(data)
                known.append(measure(data, "duc"))
                unknown.append(measure(data, f"khong.co.ai.{i}"))
            k, u = statistics.median(known), statistics.median(unknown)
            print(f"{name}: known-wrong median {k:.0f} ms, unknown median {u:.0f} ms, "
                  f"difference {abs(u - k) / k * 100:.1f} % over {args.rounds} alternating pairs")


if __name__ == "__main__":
    main()
