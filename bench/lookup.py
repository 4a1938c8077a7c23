"""Search latency on a large register: the project's search vs plain SQLite FTS5.

Builds a SQLCipher station with N synthetic residents (the demo generator, through the real
importer), and a plain (unencrypted) SQLite database with an FTS5 table of the same folded names.
Runs a fixed mix of name, partial-name, word-order, year and ID queries on both and prints
p50/p95 per side and the ratio.

    python bench/lookup.py --rows 1000000      # target: p95 ≤ 15 ms, ≤ 1.5× plain SQLite
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from _common import isolated_keyring, median, percentile


def build_station(workdir: Path, rows: int):  # type: ignore[no-untyped-def]
    from db.demo.synth import rows_for_import
    from db.register.importer import import_rows
    from db.station import create_station, open_station, station_exists

    data_dir = workdir / "station"
    if station_exists(data_dir):
        return open_station(data_dir)
    db, _key = create_station(data_dir, name="Bench", commune="Nà Hỳ")
    t0 = time.perf_counter()
    report = import_rows(db, rows_for_import(rows), file_name="bench")
    print(f"built station: {report.added:,} residents in {time.perf_counter() - t0:.1f} s")
    return db


def build_plain(workdir: Path, db) -> sqlite3.Connection:  # type: ignore[no-untyped-def]
    path = workdir / "plain.db"
    fresh = not path.exists()
    conn = sqlite3.connect(path)
    if fresh:
        conn.executescript(
            "CREATE TABLE names (id INTEGER PRIMARY KEY, full_name, search_name, personal_id,"
            " old_id, birth_year, birth_date, sex, village);"
            "CREATE VIRTUAL TABLE names_fts USING fts5(search_name, content='names',"
            " content_rowid='id', prefix='1 2 3');"
        )
        with db.engine.connect() as src:
            rows = src.exec_driver_sql(
                "SELECT id, full_name, search_name, personal_id, old_id, birth_year, birth_date,"
                " sex, village FROM resident"
            )
            conn.executemany("INSERT INTO names VALUES (?,?,?,?,?,?,?,?,?)", rows)
        conn.executescript(
            "INSERT INTO names_fts(names_fts) VALUES ('rebuild');"
            "CREATE INDEX names_pid ON names(personal_id); CREATE INDEX names_old ON names(old_id);"
            "CREATE INDEX names_year ON names(birth_year);"
        )
        conn.commit()
    return conn


def query_mix(db, count: int, seed: int = 7) -> list[str]:  # type: ignore[no-untyped-def]
    """Queries an officer types, derived from residents picked at random."""
    rng = random.Random(seed)
    with db.engine.connect() as conn:
        (n,) = conn.exec_driver_sql("SELECT max(id) FROM resident").fetchone()
        people = []
        while len(people) < count:
            row = conn.exec_driver_sql(
                "SELECT full_name, search_name, personal_id, old_id, birth_year FROM resident"
                " WHERE id = ?",
                (rng.randint(1, n),),
            ).fetchone()
            if row:
                people.append(row)
    queries = []
    for i, (full, folded, pid, old, year) in enumerate(people):
        words = folded.split()
        kind = i % 8
        if kind == 0:
            queries.append(full)  # exact, with diacritics
        elif kind == 1:
            queries.append(folded)  # no diacritics
        elif kind == 2:
            queries.append(" ".join(w[:3] for w in words))  # partial words
        elif kind == 3:
            queries.append(" ".join(reversed(words)))  # any order
        elif kind == 4:
            queries.append(f"{words[0]} {words[-1]} {year}" if year else folded)
        elif kind == 5:
            queries.append(pid or folded)
        elif kind == 6:
            queries.append(old or words[-1])  # old ID, else a given name alone (broad)
        else:
            queries.append(" ".join(words[:2]))  # family + middle: broad
    return queries


def plain_search(conn: sqlite3.Connection, query: str, limit: int) -> int:
    from db.search import parse_query

    q = parse_query(query)
    where, params = [], []
    source = "names"
    if q.words:
        source = "names_fts CROSS JOIN names ON names.id = names_fts.rowid"
        where.append("names_fts MATCH ?")
        params.append(" ".join(f'"{w}"*' for w in q.words))
    for column, value in (("personal_id", q.personal_id), ("old_id", q.old_id),
                          ("birth_year", q.year)):  # fmt: skip
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    sql = f"SELECT names.* FROM {source} WHERE {' AND '.join(where)} LIMIT {limit}"
    return len(conn.execute(sql, params).fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--workdir", type=Path, help="keep the databases here (reused if present)")
    args = parser.parse_args()
    isolated_keyring()
    from db.search import CANDIDATES, Searcher

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-lookup-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = build_station(workdir, args.rows)
    plain = build_plain(workdir, db)
    queries = query_mix(db, args.queries)
    searcher = Searcher(db)
    searcher.warm()  # what the GUI does in the background at start-up
    for q in queries[:50]:  # then warm both caches the same way
        searcher.search(q)
        plain_search(plain, q, CANDIDATES + 1)
    ours, base = [], []
    for q in queries:
        t0 = time.perf_counter()
        searcher.search(q)
        t1 = time.perf_counter()
        plain_search(plain, q, CANDIDATES + 1)
        t2 = time.perf_counter()
        ours.append((t1 - t0) * 1000)
        base.append((t2 - t1) * 1000)
    p50, p95 = median(ours), percentile(ours, 95)
    b50, b95 = median(base), percentile(base, 95)
    print(f"residents: {args.rows:,}   queries: {len(queries)}")
    print(f"station search (SQLCipher + ranking): p50 {p50:.2f} ms   p95 {p95:.2f} ms")
    print(f"plain SQLite FTS5 baseline:           p50 {b50:.2f} ms   p95 {b95:.2f} ms")
    print(f"ratio: p50 {p50 / b50:.2f}x   p95 {p95 / b95:.2f}x")
    worst = sorted(zip(ours, queries, strict=True), reverse=True)[:5]
    print("slowest:", ", ".join(f"{q!r} {t:.1f} ms" for t, q in worst))


if __name__ == "__main__":
    main()
