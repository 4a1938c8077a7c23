"""Search latency on hostile input: pasted pages, long words, tag look-alikes, FTS5 syntax.

Builds (or reuses, with --workdir) the same station as bench/lookup.py — N synthetic residents
through the real importer — and times each hostile query several times through the Searcher
(what the GUI's search box calls). Prints the median and the worst time per query and overall,
then a few of the dearest ordinary queries for scale.

    python bench/hostile_search.py --rows 1000000 --workdir /tmp/bench-1m   # target ≤ 50 ms
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import unicodedata
from pathlib import Path

from _common import isolated_keyring, median
from lookup import build_station

TARGET_MS = 50.0


def hostile_queries(db) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(label, query): what a paste, a fuzzer or a curious officer may type."""
    rng = random.Random(11)
    with db.engine.connect() as conn:
        (n,) = conn.exec_driver_sql("SELECT max(id) FROM resident").fetchone()
        full, folded, pid = conn.exec_driver_sql(
            "SELECT full_name, search_name, personal_id FROM resident"
            " WHERE personal_id IS NOT NULL AND id >= ? LIMIT 1",
            (n // 2,),
        ).fetchone()
        vocab = [
            r[0].split()[i]
            for r in conn.exec_driver_sql("SELECT search_name FROM resident LIMIT 2000")
            for i in (0, -1)
        ]
    words = " ".join(rng.choice(vocab) for _ in range(1200))
    fullwidth = "".join(chr(0xFF10 + int(c)) for c in pid)
    return [
        ("1200 register words", words),
        ('"a " * 5000', "a " * 5000),
        ("100k-char word", "x" * 100_000),
        ("100k-char Vietnamese word", "ễ" * 100_000),
        ("100k characters of words", (folded + " ") * (100_000 // (len(folded) + 1))),
        ("8 single letters", "a b c d e f g h"),
        ("8 x 'a'", "a a a a a a a a"),
        ("single letters + word", "v t a nguyen"),
        ("tag 0y1990", "0y1990"),
        ("tag 0v*", "0v*"),
        ("tag 0", "0"),
        ("tag-like + name", f"{folded} 0y1990 0vnamchim1"),
        ("FTS quotes", '"""'),
        ("FTS NEAR(", "NEAR(nguyen van"),
        ("FTS AND OR NOT", "nguyen AND OR NOT van"),
        ("FTS column filter", "full_name:nguyen search_name:van"),
        ("FTS ^ * :", "^nguyen* :van*"),
        ("punctuation only", "!!! ??? ... --- *** ((( )))"),
        ("NUL bytes", "ng\x00uyen\x00 v\x00an"),
        ("lone surrogates", "nguy\ud800en \udfff van"),
        ("decomposed name", unicodedata.normalize("NFD", full)),
        ("fullwidth ID number", fullwidth),
    ]


REFERENCE = [  # ordinary queries, for scale: the dearest kind (long lists, nobody in common)
    ("ordinary: nguyen van thi", "nguyen van thi"),
    ("ordinary: thi a (typing)", "thi a"),
    ("ordinary: van a (typing)", "van a"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="timings per query")
    parser.add_argument("--workdir", type=Path, help="keep the station here (reused if present)")
    args = parser.parse_args()
    isolated_keyring()
    from db.search import Searcher

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db = build_station(workdir, args.rows)
    searcher = Searcher(db)
    searcher.warm()  # what the GUI does in the background at start-up
    queries = hostile_queries(db)
    for _label, q in queries + REFERENCE:  # warm the caches once, as bench/lookup.py does
        searcher.search(q)
    print(f"residents: {args.rows:,}   queries: {len(queries)} x {args.repeat}")
    print(f"{'query':28} {'median':>9} {'worst':>9}  hits")
    every = [t for label, q in queries for t in _timed(searcher, label, q, args.repeat)]
    worst = max(every)
    verdict = "OK" if worst <= TARGET_MS else "OVER TARGET"
    print(f"hostile: median {median(every):.2f} ms   worst {worst:.2f} ms", end="   ")
    print(f"target ≤ {TARGET_MS:.0f} ms: {verdict}")
    for label, q in REFERENCE:
        _timed(searcher, label, q, args.repeat)


def _timed(searcher, label: str, query: str, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Time ``query`` ``repeat`` times; print its median and worst."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = searcher.search(query)
        times.append((time.perf_counter() - t0) * 1000)
    hits = f"{len(result.hits)}{'+' if result.more else ''}"
    print(f"{label:28} {median(times):7.2f}ms {max(times):7.2f}ms  {hits}")
    return times


if __name__ == "__main__":
    main()
