"""Register-quality report (issue 14): found / injected per kind, false alarms on the clean
register, and the report's time on the demo commune (20,000 residents, target ≤ 300 ms) or a
province-sized register (``--size 600000``, ≤ 5 s).

The register comes from the demo generator through the real importer; the report runs once on
it clean (every finding there is a false alarm: the demo register has no defects), then N
defects of each kind are injected (tests/quality_defects.py) and the report runs again. The time
is the median of ``--repeat`` calls of ``db.quality.report`` on the injected register (one
warm-up first).

    python bench/register_quality.py                      # 20,000 residents, 50 of each kind
    python bench/register_quality.py --size 600000 --defects 200
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import isolated_keyring, median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--defects", type=int, default=50, help="injected of each kind")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    isolated_keyring()
    from db.demo.synth import rows_for_import
    from db.quality import report
    from db.register.importer import import_rows
    from db.station import create_station
    from tests.quality_defects import alarms, found, inject

    workdir = Path(tempfile.mkdtemp(prefix="register-quality-"))
    db, _key = create_station(workdir / "st", name="Bench", commune="Nà Hỳ")
    t0 = time.perf_counter()
    import_rows(db, rows_for_import(args.size), file_name="bench")
    print(f"built: {args.size:,} residents in {time.perf_counter() - t0:.1f} s")
    on = date.today()
    clean = report(db, on)
    false = alarms(clean)
    print(f"clean register: {false} false alarms in {clean.examined:,} residents "
          f"({false / clean.examined * 100:.3f}%; target ≤ 1%)")
    for d in clean.duplicates[:5]:
        print(f"  e.g. {d.kind}: {len(d.residents)} records")
    injected = inject(db, args.defects, on)
    report(db, on)  # warm-up
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = report(db, on)
        times.append(time.perf_counter() - t0)
    all_found = True
    for kind, (hits, n) in found(result, injected).items():
        all_found = all_found and hits == n
        print(f"  {kind:<16} found {hits}/{n}")
    target = 0.3 if args.size <= 50_000 else 5.0
    ms = median(times) * 1000
    print(f"every injected defect found: {'yes' if all_found else 'NO'}")
    print(f"report over {result.examined:,} residents: median {ms:.0f} ms over {args.repeat} "
          f"runs (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; target "
          f"≤ {target * 1000:.0f} ms)")
    db.close()


if __name__ == "__main__":
    main()
