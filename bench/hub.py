"""District hub figures (issue 15), on a throwaway PostgreSQL this script starts and stops.

1. **Merge**: N communes × M enrollments, each commune's bundle imported into one hub through
   the real code (``HubService.import_bundle`` → ``db.sync.incoming.import_file``: signature,
   decryption, the hub's merge, its receipt), by 1 and by 4 importer processes at once, each
   taking a disjoint set of communes. The bundles are made synthetically in the exact format
   (bench/hub_data.py says how); their making is timed apart. Each run starts from the same
   hub (a copy of its database, every commune paired) and is checked: every enrollment added,
   nothing refused, the database holding exactly what was sent, a second import a replay.
2. **Reports**: the district tally over the whole campaign and the coverage on its last day,
   ``db.hub.reports.tally``/``coverage``, on the hub the last merge run filled; medians.
3. **Search**: R residents (the demo generator, seed 2022, as bench/lookup.py) COPYed into a
   hub database as ~100 communes' registers, ANALYZEd; bench/lookup.py's query mix through
   ``db.hub.search.search`` next to the station's ``db.search.Searcher`` on a SQLCipher
   station of the same people (bench/lookup.py builds it); p50/p95.

Targets (2-core machine): merge ≥ 300 enrollments/s with stand-in images; hub search p95 ≤
50 ms; tally and coverage ≤ 1 s each. A target missed prints the plans (EXPLAIN ANALYZE) of
the slowest statements; ``--explain`` prints them anyway.

    python bench/hub.py                                   # 100 × 2,000, 1,000,000 residents
    python bench/hub.py --communes 10 --real-portraits --parts merge
    python bench/hub.py --communes 4 --enrollments 200 --residents 20000     # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from _common import ROOT, isolated_keyring, median, percentile

if sys.path[0] != str(ROOT):  # before bench/ itself: bench/printing.py is not the package
    sys.path.insert(0, str(ROOT))

import hub_data  # bench/, found after the project's root

PASSWORD = "mật khẩu bench hub 1"
HUB_PASSPHRASE = "bench hub passphrase"
TARGET_RATE = 300.0  # enrollments/s, stand-in images
TARGET_SEARCH_P95_MS = 50.0
TARGET_REPORT_S = 1.0
CAMPAIGN_END = hub_data.CAMPAIGN_START + timedelta(days=hub_data.CAMPAIGN_DAYS - 1)
PG_DIR: list[Path] = [Path()]  # the running cluster's folder


@dataclass
class Summary:
    lines: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def add(self, text: str, good: bool | None = None) -> None:
        mark = "" if good is None else ("  [met]" if good else "  [MISSED]")
        self.lines.append(text + mark)
        if good is False:
            self.missed.append(text)


def say(text: str = "") -> None:
    print(text, flush=True)


# --- the server and the hub -----------------------------------------------------------------


@contextmanager
def server(settings: list[str]) -> Iterator[str]:
    """tests/pgcluster.py's throwaway cluster (with ``--pg-setting`` overrides), stopped at
    the end whatever happens."""
    from tests import pgcluster

    for item in settings:
        key, _eq, value = item.partition("=")
        pgcluster.SETTINGS[key.strip()] = value.strip()
    # its own folder directly in /tmp, as make test's: run as root, the server runs as
    # postgres, who could not reach into a private working directory
    where = Path(tempfile.mkdtemp(prefix="es-pg-bench-"))
    url = pgcluster.start(where)
    PG_DIR[0] = where
    try:
        yield url
    finally:
        pgcluster.stop(where)


def database_url(server_url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def admin_sql(server_url: str, sql: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def copy_database(server_url: str, template: str, name: str) -> str:
    """A copy of ``template`` (no one may be connected to it): the hub as it was."""
    admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(server_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return database_url(server_url, name)


@dataclass
class HubBase:
    """The hub as set up once: its database (a template for each run) and its folder."""

    server: str
    name: str
    hub_dir: Path
    station_id: str
    box_public: bytes


def server_cpu_s() -> float:
    """CPU seconds the server's processes have used so far: the live ones' and, through the
    postmaster, those of the backends that ended."""
    import psutil

    pid = int((PG_DIR[0] / "data" / "postmaster.pid").read_text().split()[0])
    master = psutil.Process(pid)
    t = master.cpu_times()
    total = t.user + t.system + t.children_user + t.children_system
    for child in master.children():
        try:
            c = child.cpu_times()
            total += c.user + c.system
        except psutil.NoSuchProcess:
            pass
    return total


def make_hub(server_url: str, work: Path) -> HubBase:
    from db.hub.setup import init_hub
    from db.sync.identity import own_identity

    name = "hub_base"
    admin_sql(server_url, f'CREATE DATABASE "{name}"')
    done = init_hub(database_url(server_url, name), work / "hub-dir",
                    name="Công an tỉnh (bench)", province="Thanh Hóa", admin="admin",
                    admin_name="Quàng Văn Hùng", password=PASSWORD,
                    passphrase=lambda confirm: HUB_PASSPHRASE)  # fmt: skip
    me = own_identity(done.db)
    done.db.close()
    return HubBase(server_url, name, work / "hub-dir", me.station_id, me.box_public)


def open_signed_in(url: str, hub_dir: Path) -> Any:
    """The hub at ``url`` and its administrator's service (the real sign-in)."""
    from db.hub.database import open_hub
    from db.hub.service import sign_in

    db = open_hub(url, hub_dir)
    service, _temporary = sign_in(db, "admin", PASSWORD)
    return service


# --- 1. the merge ---------------------------------------------------------------------------


def child_import(url: str, hub_dir: str, listing: str, profile: bool) -> None:
    """One importer process: sign in, say ready, wait for "go", import its bundles (the
    first under cProfile with ``profile``: its statistics go to stderr)."""
    from sqlalchemy import event

    service = open_signed_in(url, Path(hub_dir))
    paths = [Path(p) for p in Path(listing).read_text().split("\n") if p]
    trip = round_trip_ms(service.db.engine)
    sent = [0]

    def count(*_args: Any) -> None:
        sent[0] += 1

    event.listen(service.db.engine, "before_cursor_execute", count)
    print("ready", flush=True)
    if sys.stdin.readline().strip() != "go":
        raise SystemExit("no go")
    import resource

    out = []
    t0 = time.perf_counter()
    for n, path in enumerate(paths):
        use = resource.getrusage(resource.RUSAGE_SELF)
        t1, before = time.perf_counter(), sent[0]
        if profile and n == 0:
            result = _profiled(lambda p=path: service.import_bundle(p))
        else:
            result = service.import_bundle(path)
        out.append({"path": str(path), "seconds": time.perf_counter() - t1,
                    "statements": sent[0] - before, "round_trip_ms": trip,
                    "client_cpu": _cpu(resource.getrusage(resource.RUSAGE_SELF)) - _cpu(use),
                    **result.to_json()})  # fmt: skip
    seconds = time.perf_counter() - t0
    service.db.close()
    print(json.dumps({"seconds": seconds, "imports": out}), flush=True)


def _cpu(use: Any) -> float:
    return float(use.ru_utime + use.ru_stime)


def round_trip_ms(engine: Any, n: int = 300) -> float:
    """The median time of ``SELECT 1`` through SQLAlchemy: what each statement costs at
    least, over the server's Unix socket."""
    times = []
    with engine.connect() as conn:
        for _ in range(n):
            t0 = time.perf_counter()
            conn.exec_driver_sql("SELECT 1").scalar()
            times.append((time.perf_counter() - t0) * 1000)
    return median(times)


def _profiled(run: Callable[[], Any]) -> Any:
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    result = prof.runcall(run)
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("cumulative").print_stats(r"(db|bench)/", 40)
    stats.sort_stats("tottime").print_stats(40)
    print(buf.getvalue(), file=sys.stderr, flush=True)
    return result


def run_importers(
    url: str, hub_dir: Path, bundles: list[Path], processes: int, work: Path,
    profile: bool = False,
) -> tuple[float, list[dict[str, Any]]]:  # fmt: skip
    """``processes`` importers, bundles dealt round-robin; wall time from "go" to the last."""
    procs = []
    for k in range(processes):
        listing = work / f"importer-{k}.txt"
        listing.write_text("\n".join(str(b) for b in bundles[k::processes]))
        procs.append(subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", "import", "--url", url,
             "--hub-dir", str(hub_dir), "--list", str(listing),
             *(["--profile"] if profile and k == 0 else [])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "ENROLLMENT_HUB_PASSPHRASE": HUB_PASSPHRASE}))  # fmt: skip
    for p in procs:
        assert p.stdout is not None
        if p.stdout.readline().strip() != "ready":
            raise SystemExit("an importer did not start")
    t0 = time.perf_counter()
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    results: list[dict[str, Any]] = []
    for p in procs:
        stdout, _err = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"an importer failed ({p.returncode})")
        results += json.loads(stdout.strip().splitlines()[-1])["imports"]
    return time.perf_counter() - t0, results


def check_merge(url: str, hub_dir: Path, made: list[hub_data.Made],
                results: list[dict[str, Any]]) -> str:  # fmt: skip
    """Every bundle merged whole, the hub holding exactly that, a second import a replay."""
    from sqlalchemy import func, select

    from db.models import Enrollment, EnrollmentEvent, OriginAuditEvent, Resident

    problems = []
    for r in results:
        want = next(m for m in made if m.path == r["path"])
        got = r["counts"].get("enrollment_added", 0)
        if r["refused"] or got != want.enrollments or r["conflicts"]:
            problems.append(f"{Path(r['path']).name}: added {got}/{want.enrollments}, "
                            f"refused {r['refused']} ({r['reason']}), "
                            f"conflicts {r['conflicts']}")  # fmt: skip
    service = open_signed_in(url, hub_dir)
    db = service.db
    with db.Session() as s:
        held = {
            "enrollments": s.scalar(select(func.count()).select_from(Enrollment)),
            "residents": s.scalar(select(func.count()).select_from(Resident)),
            "events": s.scalar(select(func.count()).select_from(EnrollmentEvent)),
            "audit": s.scalar(select(func.count()).select_from(OriginAuditEvent)),
        }
    for what, n in held.items():
        want = sum(getattr(m, what) for m in made)
        if n != want:
            problems.append(f"the hub holds {n:,} {what}, {want:,} were sent")
    again = service.import_bundle(Path(made[0].path))
    db.close()
    if again.reason != "replay":
        problems.append(f"a second import was not a replay ({again.reason})")
    if problems:
        raise SystemExit("merge check failed:\n  " + "\n  ".join(problems))
    return (f"every enrollment added, none refused; the hub holds {held['enrollments']:,} "
            f"enrollments, {held['residents']:,} residents, {held['events']:,} decisions, "
            f"{held['audit']:,} audit events (as sent); a second import: replay")


def merge(args: argparse.Namespace, base: HubBase, work: Path, summary: Summary) -> str:
    """Make the bundles, pair the communes, import with each importer count; the URL of the
    last run's hub (kept for the reports)."""
    from db.sync import pairing

    communes = hub_data.pick_communes(args.communes)
    plan = hub_data.Plan(args.enrollments, args.register or int(args.enrollments * 1.5),
                         args.real_portraits, args.decided)  # fmt: skip
    if plan.register < plan.enrollments:
        raise SystemExit("--register must be at least --enrollments")
    images = ("real portraits (the station's own crop and encoding of a real face photo, "
              "tests/photos.py), no prints" if args.real_portraits
              else "stand-in 2 KB portraits, no prints")  # fmt: skip
    say(f"\n== 1. merge: {args.communes} communes × {args.enrollments:,} enrollments, "
        f"{images}")  # fmt: skip
    say(f"   each bundle: the commune's register of {plan.register:,} residents, "
        f"{args.decided:.0%} of its enrollments decided by its supervisor (an event each), "
        f"its audit chain from seq 1 (5–6 events per enrollment)")  # fmt: skip
    out = work / ("bundles-real" if args.real_portraits else "bundles")
    out.mkdir(exist_ok=True)
    t0 = time.perf_counter()
    done = [0]

    def progress(m: hub_data.Made) -> None:
        done[0] += 1
        if done[0] % max(1, args.communes // 10) == 0 or done[0] == args.communes:
            say(f"   made {done[0]}/{args.communes} bundles ({time.perf_counter() - t0:.0f} s)")

    made = hub_data.make_all(communes, plan, base.station_id, base.box_public, out,
                             args.jobs, progress)  # fmt: skip
    gen_s = time.perf_counter() - t0
    total = sum(m.enrollments for m in made)
    size = sum(m.file_bytes for m in made)
    image = sum(m.image_bytes for m in made) / max(total, 1)
    say(f"   generation (not part of the figure): {gen_s:.1f} s in {args.jobs} processes; "
        f"{size / 2**20:,.0f} MB of bundles, {size / total / 1024:.1f} KB per enrollment "
        f"(portrait {image / 1024:.1f} KB)")  # fmt: skip
    service = open_signed_in(database_url(base.server, base.name), base.hub_dir)
    for m in made:
        pairing.pair(service.db, m.identity, actor=service.actor)
    service.db.close()
    say(f"   {len(made)} communes paired at the hub (their signed identity files)")
    url, name = "", ""
    label = "real portraits" if args.real_portraits else "stand-ins"
    for processes in args.importers:
        if name:  # the previous run's hub is not needed any more
            admin_sql(base.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        name = f"hub_run_{processes}"
        url = copy_database(base.server, base.name, name)
        bundles = [Path(m.path) for m in made]
        cpu0 = server_cpu_s()
        seconds, results = run_importers(url, base.hub_dir, bundles, processes, work,
                                         args.profile)  # fmt: skip
        server_cpu = server_cpu_s() - cpu0
        rate = total / seconds
        each = [r["seconds"] for r in results]
        say(f"   {processes} importer{'s' if processes > 1 else ''}: {seconds:.1f} s for "
            f"{total:,} enrollments = {rate:,.0f} enrollments/s (one bundle: median "
            f"{median(each):.2f} s, slowest {max(each):.2f} s)")  # fmt: skip
        statements = sum(r["statements"] for r in results)
        say(f"     {statements:,} SQL statements = {statements / total:.1f} per enrollment; "
            f"one round trip (SELECT 1) {median([r['round_trip_ms'] for r in results]):.3f} ms "
            f"in an importer before it starts")  # fmt: skip
        client_cpu = sum(r["client_cpu"] for r in results)
        say(f"     CPU: importers {client_cpu:.1f} s (Python: SQLAlchemy, psycopg, hashing, "
            f"decryption), PostgreSQL {server_cpu:.1f} s, against {seconds:.1f} s of wall "
            f"time on {os.cpu_count()} cores")  # fmt: skip
        say(f"     check: {check_merge(url, base.hub_dir, made, results)}")
        target = None if args.real_portraits else rate >= TARGET_RATE
        summary.add(f"merge {args.communes}×{args.enrollments:,} ({label}), {processes} "
                    f"importer(s): {seconds:.1f} s, {rate:,.0f} enrollments/s"
                    + ("" if args.real_portraits else f" (target ≥ {TARGET_RATE:.0f})"),
                    target)  # fmt: skip
    summary.add(f"bundle generation (not in the figure): {gen_s:.1f} s")
    return url


# --- statements and their plans -------------------------------------------------------------


class Statements:
    """Every SQL statement an engine runs while :attr:`on`: to EXPLAIN ANALYZE the slow ones."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.engine, self.on = engine, False
        self.found: list[tuple[str, Any]] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
              executemany: bool) -> None:  # fmt: skip
        if self.on and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            self.found.append((statement, parameters))

    def capture(self, run: Callable[[], Any]) -> list[tuple[str, Any]]:
        self.found, self.on = [], True
        try:
            run()
        finally:
            self.on = False
        return self.found

    def explain(self, statements: list[tuple[str, Any]], top: int, lines: int = 45) -> None:
        """The ``top`` slowest of ``statements`` with their plans (EXPLAIN ANALYZE, BUFFERS)."""
        plans = []
        with self.engine.connect() as conn:
            for sql, params in statements:
                rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql,
                                            params).all()  # fmt: skip
                text = [str(r[0]) for r in rows]
                ms = next((float(t.split(":")[1].split()[0]) for t in text
                           if t.startswith("Execution Time")), 0.0)  # fmt: skip
                plans.append((ms, sql, text))
            conn.rollback()
        plans.sort(key=lambda p: -p[0])
        say(f"     {len(plans)} statements, {sum(p[0] for p in plans):.1f} ms in all; "
            f"the slowest:")  # fmt: skip
        for ms, sql, text in plans[:top]:
            say(f"     --- {ms:.1f} ms: {' '.join(sql.split())[:400]}")
            for t in text[:lines]:
                say(f"       {t}")


# --- 2. tally and coverage --------------------------------------------------------------------


def reports(args: argparse.Namespace, url: str, hub_dir: Path, summary: Summary) -> None:
    from db.hub.database import open_hub
    from db.hub.reports import coverage, tally

    db = open_hub(url, hub_dir)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    enrollments = args.communes * args.enrollments
    say(f"\n== 2. district tally and coverage over {enrollments:,} enrollments "
        f"({args.communes} communes; the last merge run's hub, ANALYZEd)")  # fmt: skip
    runs: dict[str, list[float]] = {"tally": [], "coverage": []}
    jobs: dict[str, Callable[[], Any]] = {
        "tally": lambda: tally(db, hub_data.CAMPAIGN_START, CAMPAIGN_END),
        "coverage": lambda: coverage(db, CAMPAIGN_END),
    }
    found: dict[str, Any] = {}
    for r in range(args.repeat + 1):  # the first run warms the caches: not counted
        for what, job in jobs.items():
            t0 = time.perf_counter()
            found[what] = job()
            if r:
                runs[what].append(time.perf_counter() - t0)
    t, c = found["tally"], found["coverage"]
    if t.district["total"] != enrollments:
        raise SystemExit(f"the tally counts {t.district['total']:,} of {enrollments:,}")
    say(f"   tally {hub_data.CAMPAIGN_START} – {CAMPAIGN_END}: {len(t.communes)} communes, "
        f"{t.district['total']:,} received ({t.district['approved']:,} approved, "
        f"{t.district['returned']:,} sent back, {t.district['pending_approval']:,} waiting)")
    say(f"   coverage on {CAMPAIGN_END}: {len(c.communes)} communes, must hold "
        f"{c.district.must_hold:,}, enrolled {c.district.enrolled:,}, not yet "
        f"{c.district.not_yet:,}")  # fmt: skip
    statements = Statements(db.engine)
    for what, times in runs.items():
        m = median(times)
        good = m <= TARGET_REPORT_S
        say(f"   {what}: median {m:.3f} s over {len(times)} runs "
            f"({', '.join(f'{x:.3f}' for x in times)})")  # fmt: skip
        summary.add(f"district {what} over {enrollments:,} enrollments: median {m:.3f} s "
                    f"(target ≤ {TARGET_REPORT_S:.0f} s)", good)  # fmt: skip
        if not good or args.explain:
            statements.explain(statements.capture(jobs[what]), top=3)
    db.close()


# --- 3. search ----------------------------------------------------------------------------


def load_register(base: HubBase, residents: int, jobs: int) -> tuple[str, float]:
    """A hub database holding ``residents`` residents as ~100 communes' registers."""
    from sqlalchemy import insert

    from db.hub.database import open_hub
    from db.models import Station, new_uuid

    url = copy_database(base.server, base.name, "hub_search")
    communes = hub_data.pick_communes(min(100, hub_data.total_communes()))
    db = open_hub(url, base.hub_dir)
    stations = []
    with db.Session.begin() as s:
        for c in communes:
            sid = new_uuid()
            stations.append(sid)
            s.execute(insert(Station).values(
                id=sid, name=hub_data.station_name(c), commune=c.short, province=c.province,
                kind="hq", slip_code=f"CX{c.index:03d}", commune_code=c.code,
                province_code=c.province_code))  # fmt: skip
    db.close()
    import multiprocessing

    t0 = time.perf_counter()
    cuts = [residents * k // jobs for k in range(jobs + 1)]
    work = [(url, stations, residents, cuts[k], cuts[k + 1], 2022) for k in range(jobs)]
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        loaded = sum(pool.map(hub_data.copy_residents, work))
    if loaded != residents:
        raise SystemExit(f"only {loaded:,} of {residents:,} residents loaded")
    t1 = time.perf_counter()
    admin_sql(url, "ANALYZE")
    say(f"   hub: {residents:,} residents COPYed in {t1 - t0:.1f} s ({jobs} processes, indexes "
        f"kept up), ANALYZE {time.perf_counter() - t1:.1f} s; {len(stations)} communes")
    return url, t1 - t0


KINDS = ("full name", "no marks", "partial words", "any order", "name + year", "ID",
         "old ID / given name", "family + middle")  # bench/lookup.query_mix's, by i % 8


def gin_pending(hub: Any) -> str:
    """The GIN index's pending list (pgstattuple): entries every search reads one by one
    until VACUUM (or the list's 4 MB limit) merges them into the index."""
    with hub.engine.begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        _v, pages, tuples = conn.exec_driver_sql(
            "SELECT * FROM pgstatginindex('ix_resident_search_words')").one()  # fmt: skip
    return f"{pages:,} pending pages, {tuples:,} pending entries"


def time_queries(run: Callable[[str], Any], queries: list[str]) -> list[float]:
    for q in queries[:50]:  # warmed the same way as bench/lookup.py
        run(q)
    out = []
    for q in queries:
        t0 = time.perf_counter()
        run(q)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def by_kind(times: list[float]) -> str:
    parts = []
    for k, name in enumerate(KINDS):
        mine = times[k :: len(KINDS)]
        parts.append(f"{name} {median(mine):.1f}/{percentile(mine, 95):.1f}")
    return "; ".join(parts)


def search_bench(args: argparse.Namespace, base: HubBase, work: Path, summary: Summary) -> None:
    import lookup

    from db.hub.database import open_hub
    from db.hub.search import search
    from db.search import Searcher

    say(f"\n== 3. search: {args.residents:,} residents (the demo generator, seed 2022)")
    url, _load = load_register(base, args.residents, args.jobs)
    station_rows = min(args.station_residents or args.residents, args.residents)
    t0 = time.perf_counter()
    station = lookup.build_station(work / "lookup", station_rows)
    say(f"   station: a SQLCipher station of the first {station_rows:,} of them "
        f"(bench/lookup.py's, {time.perf_counter() - t0:.0f} s)")  # fmt: skip
    queries = lookup.query_mix(station, args.queries)
    hub = open_hub(url, base.hub_dir)
    found = [len(search(hub, q).hits) for q in queries]
    say(f"   {len(queries)} queries (bench/lookup.py's mix, in turn: {', '.join(KINDS)}); "
        f"{sum(1 for n in found if n) / len(found):.0%} find someone")  # fmt: skip
    searcher = Searcher(station)
    searcher.warm()
    theirs = time_queries(searcher.search, queries)
    s50, s95 = median(theirs), percentile(theirs, 95)
    say(f"   station search (SQLCipher, {station_rows:,}): p50 {s50:.2f} ms   p95 {s95:.2f} ms")
    states = (("right after loading and ANALYZE", None),
              ("after VACUUM (the pending list merged)", "VACUUM ANALYZE resident"))
    for label, sql in states:
        if sql:
            t1 = time.perf_counter()
            admin_sql(url, sql)
            say(f"   {sql}: {time.perf_counter() - t1:.1f} s")
        pending = gin_pending(hub)
        ours = time_queries(lambda q: search(hub, q), queries)
        p50, p95 = median(ours), percentile(ours, 95)
        say(f"   hub search (PostgreSQL, {args.residents:,}), {label} ({pending}): p50 "
            f"{p50:.2f} ms   p95 {p95:.2f} ms")  # fmt: skip
        say(f"     p50/p95 ms by kind: {by_kind(ours)}")
        worst = sorted(zip(ours, queries, strict=True), reverse=True)[:5]
        say("     slowest: " + ", ".join(f"{q!r} {t:.1f} ms" for t, q in worst))
        good = p95 <= TARGET_SEARCH_P95_MS
        summary.add(f"hub search over {args.residents:,} residents, {label}: p50 {p50:.2f} "
                    f"ms, p95 {p95:.2f} ms (target p95 ≤ {TARGET_SEARCH_P95_MS:.0f} ms)",
                    good)  # fmt: skip
        if not good or args.explain:
            statements = Statements(hub.engine)
            for _t, q in worst[:2]:
                say(f"     plans of {q!r}:")
                statements.explain(statements.capture(lambda q=q: search(hub, q)), top=2,
                                   lines=30)  # fmt: skip
    summary.add(f"station search over {station_rows:,} residents: p50 {s50:.2f} ms, p95 "
                f"{s95:.2f} ms")  # fmt: skip
    hub.close()
    station.close()


# --- the whole -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="merge,reports,search",
                        help="which figures: merge, reports (needs merge), search")
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--enrollments", type=int, default=2000, help="per commune")
    parser.add_argument("--register", type=int, default=0,
                        help="residents in each commune's register (default 1.5 × enrollments)")
    parser.add_argument("--decided", type=float, default=0.8,
                        help="share of enrollments approved or sent back (an event each)")
    parser.add_argument("--real-portraits", action="store_true",
                        help="the station's real portraits (~75 KB) instead of 2 KB stand-ins")
    parser.add_argument("--importers", default="1,4", help="importer processes, one run each")
    parser.add_argument("--residents", type=int, default=1_000_000, help="for the search")
    parser.add_argument("--station-residents", type=int, default=0,
                        help="the SQLCipher station's residents (default: as many)")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5, help="tally and coverage runs")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2,
                        help="processes making bundles and loading residents")
    parser.add_argument("--explain", action="store_true",
                        help="print the slowest statements' plans even when targets are met")
    parser.add_argument("--profile", action="store_true",
                        help="profile the first import of each run (cProfile, on stderr)")
    parser.add_argument("--pg-setting", action="append", default=[], metavar="KEY=VALUE",
                        help="a server setting over tests/pgcluster.py's (e.g. fsync=on)")
    parser.add_argument("--work", help="working directory (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the working directory")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--hub-dir", help=argparse.SUPPRESS)
    parser.add_argument("--list", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "import":
        child_import(args.url, args.hub_dir, args.list, args.profile)
        return
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    if parts - {"merge", "reports", "search"} or ("reports" in parts and "merge" not in parts):
        parser.error("--parts: merge, reports (with merge), search")
    args.importers = [int(x) for x in args.importers.split(",")]
    isolated_keyring()
    os.environ["ENROLLMENT_HUB_PASSPHRASE"] = HUB_PASSPHRASE
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-hub-"))
    work.mkdir(parents=True, exist_ok=True)
    started = datetime.now().astimezone()
    say(f"district hub bench, {started:%Y-%m-%d %H:%M %Z}; {os.cpu_count()} cores; work in "
        f"{work}")  # fmt: skip
    summary = Summary()
    try:
        with server(args.pg_setting) as server_url:
            from tests import pgcluster

            shown = ", ".join(f"{k}={v}" for k, v in pgcluster.SETTINGS.items()
                              if k != "listen_addresses")  # fmt: skip
            say(f"PostgreSQL: tests/pgcluster.py's throwaway cluster ({shown})")
            base = make_hub(server_url, work)
            if "merge" in parts:
                url = merge(args, base, work, summary)
                if "reports" in parts:
                    reports(args, url, base.hub_dir, summary)
            if "search" in parts:
                search_bench(args, base, work, summary)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    minutes = (datetime.now().astimezone() - started).total_seconds() / 60
    say(f"\n== summary ({started:%Y-%m-%d %H:%M}, {minutes:.0f} min)")
    for line in summary.lines:
        say(f"   {line}")
    say("all targets met" if not summary.missed else
        f"{len(summary.missed)} target(s) MISSED")  # fmt: skip


if __name__ == "__main__":
    main()
