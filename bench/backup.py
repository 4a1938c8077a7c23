"""Backup and restore figures (issue 16): a commune station's day-to-day size.

Set-up (not timed): a training station with a synthetic register of ``--residents`` people and
``--enrollments`` submitted enrollments through the real lifecycle (``training seed``: 30–80 KB
portraits, the demo's WSQ prints), in a key file station.

Measured, ``--repeat`` times, median shown:

* ``backup``: ``main.py backup`` work — snapshot export (``sqlcipher_export``), the copy's
  checks (page HMACs, quick check, every table's count), the ZIP written and fsynced, read back;
* ``backup while writing``: the same with a thread saving audit events all along (how much a
  backup slows when officers keep working, and how many of their saves went through meanwhile);
* ``restore plan``: the backup proved (MAC, copy out, the same checks);
* ``restore swap``: the database swapped in and opened.

Also the backup's size against the database's. Target (2-core machine, 1,000 enrollments):
backup ≤ 20 s, restore (plan + swap) ≤ 20 s.

    python bench/backup.py                      # --residents 20000 --enrollments 1000
    python bench/backup.py --enrollments 200 --repeat 1
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from _common import isolated_keyring

TARGET_BACKUP_S = 20.0
TARGET_RESTORE_S = 20.0


def build(where: Path, residents: int, enrollments: int) -> Path:
    from db import accounts
    from db.station import create_station
    from db.training import seed

    data = where / "station"
    db, _key = create_station(data, name="Công an xã Nà Hỳ (bench)", commune="Nà Hỳ",
                              province="Điện Biên", key_store="keyfile", training=True)  # fmt: skip
    admin = accounts.create_first_admin(db, "admin", "Vì Văn Quản", "mật khẩu bench 1")
    seed(db, residents=residents, enrollments=enrollments, actor=admin, rng_seed=16)
    db.close()
    return data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--residents", type=int, default=20_000)
    ap.add_argument("--enrollments", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    isolated_keyring()
    from db import audit
    from db.actor import SYSTEM
    from db.backup import backup_station
    from db.restore import plan_restore, restore
    from db.station import open_station

    work = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    try:
        t0 = time.perf_counter()
        data = build(work, args.residents, args.enrollments)
        print(f"set-up: {args.residents:,} residents, {args.enrollments:,} enrollments "
              f"in {time.perf_counter() - t0:.0f} s")  # fmt: skip
        db_size = (data / "station.db").stat().st_size
        usb = work / "usb"
        usb.mkdir()
        plain, busy, saves, plans, swaps = [], [], [], [], []
        size = 0
        for _ in range(args.repeat):
            db = open_station(data)
            t = time.perf_counter()
            report = backup_station(db, SYSTEM, usb)
            plain.append(time.perf_counter() - t)
            size = report.size
            report.path.unlink()
            stop, wrote = threading.Event(), [0]

            def writer(db=db, stop=stop, wrote=wrote) -> None:
                while not stop.is_set():
                    audit.record(db, SYSTEM, "resident.view", "resident", "1")
                    wrote[0] += 1

            thread = threading.Thread(target=writer)
            thread.start()
            t = time.perf_counter()
            report = backup_station(db, SYSTEM, usb)
            busy.append(time.perf_counter() - t)
            stop.set()
            thread.join()
            saves.append(wrote[0] / busy[-1])
            db.close()
            t = time.perf_counter()
            plan = plan_restore(report.path, data)
            plans.append(time.perf_counter() - t)
            t = time.perf_counter()
            restore(plan).close()
            swaps.append(time.perf_counter() - t)
            report.path.unlink()
        med = statistics.median
        print(f"database {db_size / 1e6:.1f} MB; backup file {size / 1e6:.1f} MB "
              f"({size / db_size:.2f} × the database)")  # fmt: skip
        runs = ", ".join(f"{x:.2f}" for x in plain)
        met = "met" if med(plain) <= TARGET_BACKUP_S else "MISSED"
        print(f"backup: median {med(plain):.2f} s (runs {runs}); "
              f"target ≤ {TARGET_BACKUP_S:.0f} s: {met}")  # fmt: skip
        print(f"backup while an officer saves: median {med(busy):.2f} s, "
              f"{med(saves):.0f} saves/s went through meanwhile")  # fmt: skip
        total = [p + s for p, s in zip(plans, swaps, strict=True)]
        print(f"restore: plan (prove) median {med(plans):.2f} s, swap + open {med(swaps):.2f} s, "
              f"total {med(total):.2f} s; target ≤ {TARGET_RESTORE_S:.0f} s: "
              f"{'met' if med(total) <= TARGET_RESTORE_S else 'MISSED'}")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
