"""Coverage time (issue 14): a commune of 20,000 residents with 5,000 enrollments (target
≤ 300 ms) and a province-sized register of 600,000 (≤ 5 s).

Residents come from the demo generator through the real importer; enrollments are written
straight into the table (only their resident and status matter to coverage: a fifth received,
a few started or sent back), so the set-up stays minutes, not hours. The figure is the median
of ``--repeat`` calls of ``db.coverage.coverage`` (one warm-up first).

    python bench/coverage.py                    # 20,000 residents, 5,000 enrollments
    python bench/coverage.py --rows 600000 --enrollments 150000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from _common import isolated_keyring, median


def build(workdir: Path, rows: int, enrollments: int):  # type: ignore[no-untyped-def]
    from sqlalchemy import insert, select

    from db.demo.synth import rows_for_import
    from db.models import Enrollment, Resident, new_uuid
    from db.register.importer import import_rows
    from db.station import create_station, open_station, station_exists

    data_dir = workdir / f"coverage-{rows}"
    if station_exists(data_dir):
        return open_station(data_dir)
    db, _key = create_station(data_dir, name="Bench", commune="Nà Hỳ")
    t0 = time.perf_counter()
    import_rows(db, rows_for_import(rows), file_name="bench")
    with db.Session.begin() as s:
        ids = list(s.scalars(select(Resident.id)))
        rng = random.Random(14)
        now = datetime.now(UTC)
        statuses = ["submitted"] * 6 + ["approved"] * 10 + ["delivered"] * 2 + ["captured",
                                                                                "returned"]
        chosen = rng.sample(ids, min(enrollments, len(ids)))
        for at in range(0, len(chosen), 5000):
            s.execute(insert(Enrollment), [
                {"uuid": new_uuid(), "station_id": db.station_id, "resident_id": rid,
                 "status": rng.choice(statuses), "place": "hq", "draft": {},
                 "submitted_at": now, "created_at": now, "updated_at": now,
                 "exceptions": [], "has_exception": False}
                for rid in chosen[at : at + 5000]])  # fmt: skip
    print(f"built: {rows:,} residents, {len(chosen):,} enrollments in "
          f"{time.perf_counter() - t0:.1f} s")
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--enrollments", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--work", help="keep the station here (built once, reused)")
    args = parser.parse_args()
    isolated_keyring()
    from db.coverage import coverage

    workdir = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="coverage-"))
    db = build(workdir, args.rows, args.enrollments)
    on = date.today()
    report = coverage(db, on)  # warm-up
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        report = coverage(db, on)
        times.append(time.perf_counter() - t0)
    target = 0.3 if args.rows <= 50_000 else 5.0
    ms = median(times) * 1000
    print(f"coverage of {args.rows:,} residents ({len(report.villages)} villages): median "
          f"{ms:.0f} ms over {args.repeat} runs (min {min(times) * 1000:.0f}, max "
          f"{max(times) * 1000:.0f}); target ≤ {target * 1000:.0f} ms: "
          f"{'met' if ms <= target * 1000 else 'MISSED'}")
    print(f"  {report.total.progress_text()}")
    db.close()


if __name__ == "__main__":
    main()
