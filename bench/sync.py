"""Field sync figures (issue 12): two laptops × N submitted enrollments with real portraits.

Set-up (not timed): a training headquarters with a synthetic register and three officers, two
training laptops paired both ways, each given the register of half the villages in its work
packet, then filled by ``training seed`` (the real lifecycle: 30–80 KB portraits, the demo's
WSQ prints, bedridden and faded-finger exceptions) — the two laptops in parallel.

Measured, each operation in its own process (time of the call itself; peak RSS of that
process, ``ru_maxrss``), ``--repeat`` times, median shown:

* export of each laptop's return bundle;
* HQ's import of it (each repeat on a fresh copy of HQ as it was before any import);
* re-import of the same bundle (a replay: "đã nhập"), and import of a second export made
  without a receipt (every record unchanged);
* bundle bytes per enrollment against image bytes (portrait + prints) per enrollment.

Targets (2-core machine): export + import of 1,000 ≤ 15 s; re-import ≤ 2 s; bundle ≤ 1.2 ×
image bytes + 2 KB per enrollment; peak RSS ≤ 300 MB.

    python bench/sync.py                 # -n 1000 --repeat 3
    python bench/sync.py -n 200 --repeat 1 --profile
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import ROOT, isolated_keyring

if sys.path[0] != str(ROOT):  # before bench/ itself: bench/printing.py is not the package
    sys.path.insert(0, str(ROOT))

PASSWORD = "mật khẩu bench 1"
TARGET_ROUND_S = 15.0
TARGET_REIMPORT_S = 2.0
TARGET_RSS_MB = 300.0


# --- the child: one operation on one station, figures as one JSON line ----------------------


def child(op: str, station: str, file: str | None, profile: bool) -> None:
    isolated_keyring()
    from db.actor import SYSTEM
    from db.station import open_station

    db = open_station(Path(station))
    out: dict[str, Any] = {}

    def run() -> None:
        if op == "export":
            from db.sync import outgoing

            report = outgoing.export(db, Path(str(file)))
            out.update(enrollments=report.enrollments, bytes=report.bytes)
        elif op == "import":
            from db.sync import incoming

            result = incoming.import_file(db, Path(str(file)), actor=SYSTEM)
            out.update(result=result.to_json())
        elif op == "seed":
            from db.training import seed

            out.update(seed(db, enrollments=int(str(file)), days=5, actor=SYSTEM).to_json())
        elif op != "noop":
            raise SystemExit(f"unknown operation {op}")

    sampler = _Peak()
    t0 = time.perf_counter()
    if profile:
        import cProfile
        import io
        import pstats

        prof = cProfile.Profile()
        prof.runcall(run)
        buf = io.StringIO()
        stats = pstats.Stats(prof, stream=buf)
        stats.sort_stats("cumulative").print_stats(r"(db|capture)/", 28)
        stats.sort_stats("tottime").print_stats(16)
        out["profile"] = buf.getvalue()
    else:
        run()
    out["seconds"] = time.perf_counter() - t0
    out["op_peak_mb"] = sampler.stop()
    db.close()
    out["rss_mb"] = high_water_mb()
    print(json.dumps(out, default=str))


def high_water_mb() -> float:
    """This process's peak RSS. ``ru_maxrss`` would not do in a child: Linux carries into it
    the RSS of the parent it was forked from (before its exec); ``VmHWM`` is its own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class _Peak:
    """The process's RSS sampled every 5 ms while the operation runs: its own peak, apart
    from the key file's unlocking (scrypt takes 128 MB for a moment when the station opens)."""

    def __init__(self) -> None:
        import threading

        import psutil

        self._proc = psutil.Process()
        self.peak = self._proc.memory_info().rss
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.005):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return max(self.peak, self._proc.memory_info().rss) / 2**20


def spawn(op: str, station: Path, file: Path | str | None = None, *, profile: bool = False,
          wait: bool = True) -> Any:  # fmt: skip
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", op, "--station",
           str(station)]  # fmt: skip
    if file is not None:
        cmd += ["--file", str(file)]
    if profile:
        cmd.append("--profile")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=dict(os.environ), text=True)
    return finish(proc) if wait else proc


def finish(proc: subprocess.Popen[str]) -> dict[str, Any]:
    stdout, _err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode}): {proc.args!r}")
    return json.loads(stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# --- set-up ---------------------------------------------------------------------------------


def setup(work: Path, n: int) -> tuple[Path, list[Path]]:
    from sqlalchemy import func, select

    from db import accounts
    from db.actor import Actor
    from db.models import Resident
    from db.station import create_station
    from db.sync import incoming, outgoing, pairing
    from db.sync.identity import identity_file
    from db.training import seed

    t0 = time.perf_counter()
    hq, _k = create_station(work / "hq", name="Trụ sở tập huấn", commune="Nà Hỳ",
                            key_store="keyfile", slip_series="TH", training=True)  # fmt: skip
    admin = accounts.create_first_admin(hq, "admin", "Vì Văn Quản", PASSWORD)
    for user, name in (("duc", "Lò Văn Đức"), ("senh", "Giàng A Sếnh"), ("hoa", "Đặng Thị Hoà")):
        accounts.create_officer(hq, admin, user, name, "officer", PASSWORD, temporary=False)
    seed(hq, residents=int(n * 2.6) + 300, actor=admin)
    with hq.Session() as s:
        by_village = s.execute(select(Resident.village, func.count()).group_by(Resident.village)
                               .order_by(func.count().desc())).all()  # fmt: skip
    halves: list[list[str]] = [[], []]
    sizes = [0, 0]
    for village, count in by_village:
        i = sizes.index(min(sizes))
        halves[i].append(str(village))
        sizes[i] += int(count)
    laptops = []
    for i in (1, 2):
        lap, _k = create_station(work / f"laptop{i}", name=f"Tổ lưu động {i}", commune="Nà Hỳ",
                                 kind="mobile", key_store="keyfile", slip_series=f"TL{i}",
                                 training=True)  # fmt: skip
        la: Actor = accounts.create_first_admin(lap, "admin", f"Quản trị {i}", PASSWORD)
        pairing.pair(hq, identity_file(lap), actor=admin)
        pairing.pair(lap, identity_file(hq), actor=la)
        packet = work / f"packet{i}.es"
        outgoing.export(hq, packet, for_station=lap.station_id, villages=halves[i - 1])
        incoming.import_file(lap, packet, actor=la)
        lap.close()
        laptops.append(work / f"laptop{i}")
    hq.close()
    print(f"set-up: HQ register {sum(sizes):,} residents, laptops {sizes[0]:,} / {sizes[1]:,} "
          f"({time.perf_counter() - t0:.1f} s)", flush=True)  # fmt: skip
    t0 = time.perf_counter()
    procs = [spawn("seed", lap, str(n), wait=False) for lap in laptops]
    seeded = [finish(p) for p in procs]
    for i, got in enumerate(seeded, 1):
        if got["enrollments"] != n:
            raise SystemExit(f"laptop {i}: only {got['enrollments']} enrollments seeded")
    print(f"set-up: training seed of {n:,} enrollments on each laptop, in parallel: "
          f"{time.perf_counter() - t0:.1f} s ({seeded[0]['seconds']:.1f} s and "
          f"{seeded[1]['seconds']:.1f} s; {seeded[0]['exceptions']} and "
          f"{seeded[1]['exceptions']} with exceptions)", flush=True)  # fmt: skip
    return work / "hq", laptops


def image_bytes(laptop: Path) -> tuple[int, int]:
    """(enrollments, bytes of their portraits and prints) on a laptop."""
    from sqlalchemy import func, select

    from db.models import Enrollment, Fingerprint, Portrait
    from db.station import open_station

    with open_station(laptop) as db, db.Session() as s:
        mine = select(Enrollment.id).where(Enrollment.station_id == db.station_id,
                                           Enrollment.submitted_at.is_not(None))  # fmt: skip
        n = len(s.scalars(mine).all())
        jpeg = s.scalar(select(func.sum(func.length(Portrait.jpeg)))
                        .where(Portrait.enrollment_id.in_(mine))) or 0  # fmt: skip
        prints = s.scalar(select(func.sum(func.length(Fingerprint.image)))
                          .where(Fingerprint.enrollment_id.in_(mine))) or 0  # fmt: skip
    return n, int(jpeg) + int(prints)


# --- the figures ----------------------------------------------------------------------------


def med(runs: list[dict[str, Any]], key: str = "seconds") -> float:
    return float(statistics.median(r[key] for r in runs))


def runs(done: list[dict[str, Any]]) -> str:
    return ", ".join(f"{r['seconds']:.2f}" for r in done)


def rss(done: list[dict[str, Any]]) -> str:
    return (f"peak RSS {max(r['rss_mb'] for r in done):.0f} MB (process, opening included) / "
            f"{max(r['op_peak_mb'] for r in done):.0f} MB (during the call)")


def ok(good: bool) -> str:
    return "met" if good else "MISSED"


def fresh_hq(hq: Path, work: Path, name: str) -> Path:
    copy = work / name
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(hq, copy)
    return copy


def measure(hq: Path, laptops: list[Path], work: Path, repeat: int, profile: bool) -> bool:
    all_met = True
    base = spawn("noop", hq)
    print(f"a process that only opens a station: peak RSS {base['rss_mb']:.0f} MB (the key "
          f"file's scrypt), {base['op_peak_mb']:.0f} MB once open")  # fmt: skip
    bundles: list[Path] = []
    for i, lap in enumerate(laptops, 1):
        n, images = image_bytes(lap)
        exports = [spawn("export", lap, work / f"bundle{i}-{r}.es", profile=profile and r == 0)
                   for r in range(max(repeat, 2))]  # fmt: skip
        bundles.append(work / f"bundle{i}-0.es")
        size = exports[0]["bytes"]
        per, img = size / n, images / n
        limit = 1.2 * img + 2048
        print(f"\nlaptop {i}: {n:,} enrollments")
        print(f"  export: median {med(exports):.2f} s (runs {runs(exports)}), {rss(exports)}")
        print(f"  bundle: {size / 2**20:.1f} MB = {per / 1024:.1f} KB per enrollment; images "
              f"{img / 1024:.1f} KB per enrollment; limit 1.2 × images + 2 KB = "
              f"{limit / 1024:.1f} KB: {ok(per <= limit)}")  # fmt: skip
        all_met &= per <= limit
        if profile:
            print(exports[0]["profile"])
        exp_rss = max(r["rss_mb"] for r in exports)
        imports: list[dict[str, Any]] = []
        replay: list[dict[str, Any]] = []
        again: list[dict[str, Any]] = []
        for r in range(repeat):
            copy = fresh_hq(hq, work, f"hq-copy-{i}-{r}")
            if i == 2:  # the second laptop's bundle lands on an HQ holding the first's
                spawn("import", copy, bundles[0])
            imports.append(spawn("import", copy, bundles[-1], profile=profile and r == 0))
            replay.append(spawn("import", copy, bundles[-1]))
            again.append(spawn("import", copy, work / f"bundle{i}-1.es",
                               profile=profile and r == 0))  # fmt: skip
            shutil.rmtree(copy, ignore_errors=True)
        res = imports[0]["result"]
        print(f"  HQ import: median {med(imports):.2f} s (runs {runs(imports)}), {rss(imports)}; "
              f"added {res['added']}, unchanged {res['unchanged']}, "
              f"conflicts {res['conflicts']}")  # fmt: skip
        if profile:
            print(imports[0]["profile"])
        rres = replay[0]["result"]
        ares = again[0]["result"]
        print(f"  re-import of the same bundle: median {med(replay):.2f} s "
              f"(refused as {rres.get('reason')}, nothing applied)")  # fmt: skip
        print(f"  import of a second export without receipt: median {med(again):.2f} s "
              f"(added {ares['added']}, unchanged {ares['unchanged']}, "
              f"conflicts {ares['conflicts']})")  # fmt: skip
        if profile:
            print(again[0]["profile"])
        round_s = med(exports) + med(imports)
        imp_rss = max(r["rss_mb"] for r in imports + again)
        checks = [
            (f"export + import {round_s:.2f} s ≤ {TARGET_ROUND_S:.0f} s",
             round_s <= TARGET_ROUND_S),
            (f"re-import {med(replay):.2f} s ≤ {TARGET_REIMPORT_S:.0f} s",
             med(replay) <= TARGET_REIMPORT_S),
            (f"second export imported {med(again):.2f} s ≤ {TARGET_REIMPORT_S:.0f} s",
             med(again) <= TARGET_REIMPORT_S),
            (f"peak RSS export {exp_rss:.0f} MB, import {imp_rss:.0f} MB ≤ "
             f"{TARGET_RSS_MB:.0f} MB", max(exp_rss, imp_rss) <= TARGET_RSS_MB),
            ("no record added twice, none in conflict",
             ares["added"] == 0 and ares["conflicts"] == 0 and res["conflicts"] == 0),
        ]  # fmt: skip
        for text, good in checks:
            print(f"  {text}: {ok(good)}")
            all_met &= good
    return all_met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="enrollments per laptop")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing (median)")
    parser.add_argument("--work", help="working directory (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the stations and bundles")
    parser.add_argument("--reuse", action="store_true",
                        help="measure again the stations a --keep run left in --work")
    parser.add_argument("--profile", action="store_true",
                        help="print where export and import spend their time (cProfile)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--station", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reuse and not args.work:
        parser.error("--reuse needs --work DIR")
    if args.child:
        child(args.child, args.station, args.file, args.profile)
        return
    isolated_keyring()
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-sync-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"two training laptops × {args.n:,} enrollments, {args.repeat} run(s) each; "
          f"work in {work}", flush=True)  # fmt: skip
    try:
        if args.reuse:
            hq, laptops = work / "hq", [work / "laptop1", work / "laptop2"]
            print("set-up: the stations already in the working directory (--reuse)")
        else:
            hq, laptops = setup(work, args.n)
        met = measure(hq, laptops, work, args.repeat, args.profile)
        print("\nall targets met" if met else "\nsome targets MISSED (see above)")
    finally:
        if not (args.keep or args.reuse):
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
