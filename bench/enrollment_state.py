"""The lookup on a station that has enrolled people: what each result's enrollment state costs.

Opens (or builds) bench/lookup.py's station of N residents in --workdir, adds M enrollments
(a commune's year or two: most delivered or approved, some waiting, a few drafts, returned and
discarded ones), then runs bench/lookup.py's query mix through the station's search — which
reads the state of every result in one query — and prints p50/p95 of the search, and of the
state query alone for the results of each search.

    python bench/enrollment_state.py --rows 1000000 --enrollments 300000 --workdir /tmp/bench
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import isolated_keyring, median, percentile

STATUSES = (("delivered", 50), ("card_ready", 8), ("approved", 20), ("submitted", 10),
            ("returned", 3), ("discarded", 4), ("draft", 3), ("captured", 2))  # fmt: skip


def add_enrollments(db: Any, wanted: int, seed: int = 11) -> int:
    """Enrollments of distinct residents, written in one transaction (reused if present)."""
    from db.models import new_uuid

    with db.engine.connect() as conn:
        (have,) = conn.exec_driver_sql("SELECT count(*) FROM enrollment").fetchone()
        (top,) = conn.exec_driver_sql("SELECT max(id) FROM resident").fetchone()
    if have >= wanted:
        return int(have)
    rng = random.Random(seed)
    names, weights = zip(*STATUSES, strict=True)
    at = "2026-06-01 02:00:00.000000"
    rows = []
    for i, rid in enumerate(rng.sample(range(1, top + 1), wanted - have)):
        status = rng.choices(names, weights)[0]
        received = status not in ("draft", "captured", "discarded")
        rows.append((new_uuid(), db.station_id, rid, "hq", status, "review", "{}", at, at,
                     at if received else None, f"BN-2026-{have + i:07d}" if received else None))
    t0 = time.perf_counter()
    with db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO enrollment (uuid, station_id, resident_id, place, status, step, draft,"
            " created_at, updated_at, submitted_at, receipt_no, exceptions, has_exception)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', 0)", rows)  # fmt: skip
    print(f"added {len(rows):,} enrollments in {time.perf_counter() - t0:.1f} s")
    return have + len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--enrollments", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--workdir", type=Path, help="keep the station here (reused if present)")
    args = parser.parse_args()
    isolated_keyring()
    from lookup import build_station, query_mix

    from db.enrollment_state import states
    from db.search import Searcher

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-state-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = build_station(workdir, args.rows)
    total = add_enrollments(db, args.enrollments)
    queries = query_mix(db, args.queries)
    searcher = Searcher(db)
    searcher.warm()
    for q in queries[:50]:
        searcher.search(q)
    search_ms, state_ms, shown, enrolled = [], [], 0, 0
    with db.engine.connect() as conn:
        for q in queries:
            t0 = time.perf_counter()
            hits = searcher.search(q).hits
            t1 = time.perf_counter()
            states(conn, [h.id for h in hits])
            t2 = time.perf_counter()
            search_ms.append((t1 - t0) * 1000)
            state_ms.append((t2 - t1) * 1000)
            shown += len(hits)
            enrolled += sum(h.enrollment_state is not None for h in hits)
    print(f"residents: {args.rows:,}   enrollments: {total:,}   queries: {len(queries)}")
    print(f"search with enrollment states: p50 {median(search_ms):.2f} ms   "
          f"p95 {percentile(search_ms, 95):.2f} ms")
    print(f"the state query alone:         p50 {median(state_ms):.3f} ms   "
          f"p95 {percentile(state_ms, 95):.3f} ms")
    print(f"results shown: {shown:,}, of whom with an enrollment: {enrolled:,}")


if __name__ == "__main__":
    main()
