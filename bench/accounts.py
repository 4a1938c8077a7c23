"""Figures for issue 5: one password verification (argon2id, the real parameters) and
``audit verify`` over N audit events (default 1,000,000).

The events are written with one bulk insert whose hash chain is computed here in Python with the
program's own ``event_hash``, so ``verify`` checks exactly what the program would have written.

    .venv/bin/python bench/accounts.py [--events 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _common import isolated_keyring

INSERT = (
    "INSERT INTO audit_event (seq, uuid, station_id, at, officer_id, action, entity, entity_id, "
    "details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
)
ACTIONS = ("resident.search", "resident.view", "enrollment.save", "signin", "slip.print")


def bench_password(rounds: int = 7) -> list[float]:
    from db.accounts import REAL_HASHER

    stored = REAL_HASHER.hash("mật khẩu của cán bộ")
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        REAL_HASHER.verify(stored, "mật khẩu của cán bộ")
        times.append((time.perf_counter() - t0) * 1000)
    return times


def fill(db, n: int, batch: int = 50_000) -> float:  # type: ignore[no-untyped-def]
    from db.audit import GENESIS, at_text, event_hash
    from db.models import new_uuid

    rng = random.Random(5)
    start = datetime(2026, 1, 5, 0, 30, tzinfo=UTC)
    prev, t0 = GENESIS, time.perf_counter()
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        seq = 0
        while seq < n:
            rows = []
            for _ in range(min(batch, n - seq)):
                seq += 1
                at = at_text(start + timedelta(seconds=seq * 3))
                action = rng.choice(ACTIONS)
                oid, ent, eid = rng.randint(1, 5), "resident", str(rng.randint(1, 20_000))
                det = f"{rng.randint(1, 4)} words, {rng.randint(0, 50)} results"
                uuid = new_uuid()
                digest = event_hash(seq, uuid, db.station_id, at, oid, action, ent, eid, det, prev)
                rows.append((seq, uuid, db.station_id, at, oid, action, ent, eid, det, prev,
                             digest))  # fmt: skip
                prev = digest
            cur.execute("PRAGMA foreign_keys=OFF")  # officer ids 1..5 are not real accounts
            cur.executemany(INSERT, rows)
            raw.commit()
        cur.close()
    finally:
        raw.close()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep", help="keep the station in this directory")
    args = parser.parse_args()
    isolated_keyring()
    times = bench_password()
    print(f"password verification (argon2id m=64MiB t=3 p=2): median "
          f"{statistics.median(times):.0f} ms, min {min(times):.0f}, max {max(times):.0f} "
          f"({len(times)} runs)")  # fmt: skip

    from db import audit
    from db.station import create_station

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-audit-"))
    db, _key = create_station(base / "station", name="Bench", commune="Nà Hỳ")
    with db:
        took = fill(db, args.events)
        print(f"built {args.events:,} chained events in {took:.1f} s")
        t0 = time.perf_counter()
        result = audit.verify(db)
        verify_s = time.perf_counter() - t0
        assert result.ok and result.checked == args.events, result
        print(f"audit verify: {result.checked:,} events in {verify_s:.2f} s "
              f"({result.checked / verify_s:,.0f} events/s)")  # fmt: skip
        t0 = time.perf_counter()
        quick = audit.startup_check(db)
        print(f"start-up check (after a verify; checkpoint at the head): "
              f"{(time.perf_counter() - t0) * 1000:.0f} ms, ok={quick.ok}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
