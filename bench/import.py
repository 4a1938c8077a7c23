"""Register import throughput: a CSV of N synthetic residents through the real importer.

The CSV (UTF-8 with BOM, as Excel writes it) is generated first and not timed. Prints the
elapsed time, rows per second and the peak memory of the process (the importer streams: memory
must not grow with the file).

    python bench/import.py --rows 1000000      # target: ≤ 60 s on a 2-core machine
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from _common import isolated_keyring


def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--reimport", action="store_true", help="also time a second import")
    args = parser.parse_args()
    isolated_keyring()
    from db.demo.synth import write_csv
    from db.register.importer import import_register
    from db.station import create_station

    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    csv_path = work / "register.csv"
    t0 = time.perf_counter()
    write_csv(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 2**20
    print(
        f"CSV: {args.rows:,} rows, {size_mb:.0f} MB (written in {time.perf_counter() - t0:.1f} s)"
    )
    db, _key = create_station(work / "station", name="Bench", commune="Nà Hỳ")
    base = rss_mb()
    peak = [base]

    def progress(rows: int, fraction: float) -> None:
        peak[0] = max(peak[0], rss_mb())

    t0, c0 = time.perf_counter(), time.process_time()
    report = import_register(db, csv_path, progress=progress)
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"import: {elapsed:.1f} s wall ({cpu:.1f} s CPU), {report.rows / elapsed:,.0f} rows/s; "
        f"added {report.added:,}, rejected {report.rejected}, flagged {report.flagged}"
    )
    print(
        f"memory: {base:.0f} MB before, peak {peak[0]:.0f} MB during "
        f"(max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)"
    )
    if args.reimport:
        t0 = time.perf_counter()
        again = import_register(db, csv_path)
        print(
            f"re-import of the same file: {time.perf_counter() - t0:.1f} s, "
            f"{again.unchanged:,} unchanged, {again.added} added"
        )
    db.close()


if __name__ == "__main__":
    main()
