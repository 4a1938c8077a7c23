"""Hostile and damaged register files through the real import (the hardening issue's figures).

Builds the corpus of tests/hostile_registers.py in a temporary directory (never committed),
imports each file into a fresh station in its own process (a crash, a hang or a memory blow-up
costs one kind, not the bench) and prints:

- malformed kinds tried / refused clearly / imported as expected / wrong / crashed;
- hypothesis fuzz examples / crashes (random bytes, CSV dialects, damaged workbooks);
- peak RSS of each heavy kind (the zip bombs, a million bad rows), each in a fresh process:
  the process tree sampled with psutil, and ``/usr/bin/time -v`` when it exists.

    .venv/bin/python bench/hostile_register.py                  # everything (~10 min)
    .venv/bin/python bench/hostile_register.py --no-heavy --fuzz 300
    .venv/bin/python bench/hostile_register.py --code /tmp/old  # another checkout's db/
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from _common import ROOT, isolated_keyring

LIMIT_MB = 500
TIMEOUT = 900  # seconds for one kind


# --- the child: one kind, one fresh station ------------------------------------------------


def _use_code(code: str | None) -> None:
    """Import db/ and resources/ from ``code`` (to measure another checkout)."""
    if code:
        sys.path.insert(0, code)
        for name in list(sys.modules):
            if name.split(".")[0] in ("db", "resources"):
                del sys.modules[name]


def child(kind_name: str, path: str, work: str, code: str | None) -> None:
    from tests.hostile_registers import import_outcome, judge, kinds

    _use_code(code)
    isolated_keyring()  # the key file with the bench passphrase, never a real keyring
    from db.station import create_station

    kind = next(k for k in kinds() if k.name == kind_name)
    db, _key = create_station(Path(work) / "station", name="Bench", commune="Nà Hỳ")
    t0 = time.perf_counter()
    out = import_outcome(db, Path(path))
    elapsed = time.perf_counter() - t0
    db.close()
    problems = judge(kind, out)
    expects_refusal = bool(getattr(kind.expect, "refusal", False))
    print(json.dumps({"kind": kind_name, "refused": out.refused, "message": out.message,
                      "expects_refusal": expects_refusal,
                      "crashed": out.crashed, "rows": out.rows, "problems": problems,
                      "seconds": round(elapsed, 2)}, ensure_ascii=False))  # fmt: skip


# --- the parent -----------------------------------------------------------------------------


def _tree_rss(pid: int) -> int:
    import psutil

    try:
        proc = psutil.Process(pid)
        total = proc.memory_info().rss
        for sub in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += sub.memory_info().rss
        return int(total)
    except psutil.Error:
        return 0


def run_kind(kind: Any, folder: Path, code: str | None, measure: bool) -> dict[str, Any]:
    """Build the kind's file and import it in a fresh process; memory sampled if asked."""
    work = Path(tempfile.mkdtemp(prefix="kind-", dir=folder))
    t0 = time.perf_counter()
    path = kind.build(work)
    built = time.perf_counter() - t0
    size = path.stat().st_size if path.is_file() else 0
    cmd = [sys.executable, __file__, "--child", kind.name, str(path), str(work)]
    if code:
        cmd += ["--code", code]
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if measure and timer:
        cmd = [timer, "-v", *cmd]
    env = dict(os.environ, PYTHONPATH=str(ROOT), ENROLLMENT_STATION_PASSPHRASE="bench-passphrase")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)  # fmt: skip
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if measure:
        sampler.start()
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        stderr += "\ntimed out"
    if measure:
        sampler.join()
    result: dict[str, Any] = {"kind": kind.name, "built": round(built, 1), "size": size}
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    if lines and proc.returncode == 0:
        result.update(json.loads(lines[-1]))
    else:
        tail = [line for line in stderr.splitlines() if line.strip()][-3:]
        result.update(crashed=f"exit {proc.returncode}: {' | '.join(tail)}"[:300], problems=[])
    if measure:
        result["peak_mb"] = round(peak[0] / 2**20)
        for line in stderr.splitlines():
            if "Maximum resident set size" in line:
                result["time_v_mb"] = round(int(line.split(":")[1]) / 1024)
    shutil.rmtree(work, ignore_errors=True)
    return result


def verdict(result: dict[str, Any]) -> str:
    """crashed (a traceback, the fallback sentence, a kill, a timeout), wrong (imported what
    should be refused, refused what should import, or stored the wrong people), else refused
    or imported as expected. A clear refusal where one is due counts, whatever its words."""
    if result.get("crashed"):
        return "crashed"
    if result.get("refused") and result.get("expects_refusal"):
        return "refused"
    if result.get("problems"):
        return "wrong"
    return "refused" if result.get("refused") else "imported"


def run_corpus(
    heavy: bool, code: str | None, only: list[str], workers: int
) -> list[dict[str, Any]]:
    from tests.hostile_registers import kinds, light_kinds

    chosen = kinds() if heavy else light_kinds()
    if only:
        chosen = [k for k in chosen if k.name in only]
    if sys.platform == "win32":
        chosen = [k for k in chosen if not k.posix]
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    results: list[dict[str, Any]] = []
    try:
        light = [k for k in chosen if not k.heavy]
        with ThreadPoolExecutor(workers) as pool:
            results += list(pool.map(lambda k: run_kind(k, folder, code, False), light))
        for kind in (k for k in chosen if k.heavy):  # one at a time: memory is measured
            print(f"  heavy: {kind.name} ...", flush=True)
            results.append(run_kind(kind, folder, code, True))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def run_fuzz(examples: int, code: str | None) -> tuple[int, int, list[str]]:
    """Hypothesis examples through the reader and validation (no database: fast)."""
    from hypothesis import HealthCheck, given, settings

    from tests.hostile_registers import fuzz_files, fuzz_problems, read_outcome

    _use_code(code)
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    count, crashes, first = [0], [0], []

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(fuzz_files())
    def prop(item: tuple[str, bytes]) -> None:
        suffix, data = item
        path = folder / f"fuzz{count[0]}{suffix}"
        path.write_bytes(data)
        count[0] += 1
        problems = fuzz_problems(read_outcome(path))
        path.unlink()
        if problems:
            crashes[0] += 1
            if len(first) < 5 and problems[0][:60] not in [f[:60] for f in first]:
                first.append(problems[0][:200])

    try:
        prop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return count[0], crashes[0], first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("KIND", "PATH", "WORK"),
                        help=argparse.SUPPRESS)  # fmt: skip
    parser.add_argument("--code", help="import db/ from this checkout instead (a 'before' run)")
    parser.add_argument("--no-heavy", action="store_true", help="skip the bombs")
    parser.add_argument("--fuzz", type=int, default=1400, help="hypothesis examples (0: none)")
    parser.add_argument("--only", nargs="*", default=[], help="only these kinds")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="one line per kind")
    args = parser.parse_args()
    if args.child:
        child(*args.child, args.code)
        return
    results = run_corpus(not args.no_heavy, args.code, args.only, args.workers)
    counts = {v: 0 for v in ("refused", "imported", "wrong", "crashed")}
    for result in results:
        counts[verdict(result)] += 1
    for result in results:
        if args.verbose or verdict(result) in ("wrong", "crashed"):
            what = result.get("crashed") or result.get("problems") or result.get("refused") or ""
            print(f"  {verdict(result):8s} {result['kind']:38s} {str(what)[:150]}")
    print(f"malformed kinds tried: {len(results)}; refused clearly: {counts['refused']}; "
          f"imported as expected: {counts['imported']}; wrong: {counts['wrong']}; "
          f"crashed: {counts['crashed']}")  # fmt: skip
    for result in (r for r in results if "peak_mb" in r):
        time_v = f", /usr/bin/time -v {result['time_v_mb']} MB" if "time_v_mb" in result else ""
        mark = "ok" if result["peak_mb"] <= LIMIT_MB else f"OVER {LIMIT_MB} MB"
        print(f"peak RSS {result['kind']}: {result['peak_mb']} MB (process tree){time_v}, "
              f"{result.get('seconds', '?')} s, file {result['size'] / 2**20:.1f} MB "
              f"[{verdict(result)}] {mark}")  # fmt: skip
    if args.fuzz:
        count, crashes, first = run_fuzz(args.fuzz, args.code)
        print(f"fuzz examples: {count}; crashes: {crashes}")
        for line in first:
            print(f"  {line}")


if __name__ == "__main__":
    main()
