"""``main.py hub --db URL …``: the district hub on PostgreSQL (issue 15, DESIGN §12).

The same sign-in as a station's commands (``--user`` or ENROLLMENT_STATION_USER, the password
from ENROLLMENT_STATION_PASSWORD or a prompt), on the hub's own accounts; ``init`` creates the
first one. The hub's keys are in its folder (``--hub-dir``), unlocked with the hub passphrase
(ENROLLMENT_HUB_PASSPHRASE or a prompt). The database address may also come from
ENROLLMENT_HUB_DB.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from db.cli.common import UsageError, add_user_option, ask_password, user_of, wrap
from db.hub.database import HubDB
from db.hub.service import HubService
from db.labels import STATION_KINDS, label
from resources.i18n import N_, _

DB_ENV = "ENROLLMENT_HUB_DB"


def _url(args: argparse.Namespace) -> str:
    url = args.db or os.environ.get(DB_ENV)
    if not url:
        raise UsageError(N_("Say which database: hub --db postgresql+psycopg://… (or "
                            "ENROLLMENT_HUB_DB)."))  # fmt: skip
    return str(url)


def _hub_dir(args: argparse.Namespace) -> Path | None:
    return Path(args.hub_dir) if args.hub_dir else None


def _open(args: argparse.Namespace) -> HubDB:
    from db.hub.database import open_hub

    return open_hub(_url(args), _hub_dir(args))


def _service(db: HubDB, args: argparse.Namespace) -> HubService:
    from db.cli.common import MustChangePassword
    from db.hub.service import sign_in

    user = user_of(args)
    service, temporary = sign_in(db, user, ask_password(
        _("Password for {user}: ").format(user=user)))  # fmt: skip
    if temporary:
        raise MustChangePassword()
    return service


def _dump(doc: Any) -> None:
    print(json.dumps(doc, ensure_ascii=False, indent=1))


# --- setting up ----------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from db.hub.setup import init_hub

    if not args.admin:
        raise UsageError(N_("Name the first administrator: --admin NAME."))
    password = ask_password(_("Password for {user}: ").format(user=args.admin), confirm=True)
    done = init_hub(_url(args), _hub_dir(args), name=args.name, province=args.province,
                    admin=args.admin, admin_name=args.admin_name or args.admin,
                    password=password)  # fmt: skip
    with done.db as db:
        from db.sync.identity import own_identity

        me = own_identity(db)
    if done.created:
        print(_("Hub created: {name} ({id}).").format(name=me.name, id=me.station_id))
    else:
        print(_("The hub {name} was already set up: its database is now up to date.").format(
            name=me.name))  # fmt: skip
    print(_("Fingerprint: {fingerprint}").format(fingerprint=me.fingerprint))
    return 0


def cmd_identity(args: argparse.Namespace) -> int:
    from db.cli.sync import write_identity

    with _open(args) as db:
        return write_identity(_service(db, args), args.out)


def cmd_pair(args: argparse.Namespace) -> int:
    from db.cli.sync import show_and_pair

    data = Path(args.file).read_bytes()
    with _open(args) as db:
        return show_and_pair(_service(db, args), data, args.yes)


def cmd_unpair(args: argparse.Namespace) -> int:
    with _open(args) as db:
        gone = _service(db, args).unpair_station(args.station_id)
    print(_("{name} is no longer paired: its bundles are refused from now on.").format(
        name=gone.name))  # fmt: skip
    return 0


# --- bundles ---------------------------------------------------------------------------------


def _receipt_path(folder: Path, series: str) -> Path:
    from db.vntime import now_utc, to_local

    stamp = to_local(now_utc()).strftime("%Y%m%d-%H%M")
    base = f"xac-nhan-{series.lower()}-{stamp}"
    path, n = folder / f"{base}.esb", 1
    while path.exists():
        n += 1
        path = folder / f"{base}-{n}.esb"
    return path


def cmd_import(args: argparse.Namespace) -> int:
    from db.sync.refusal import Refused
    from resources.problems import describe

    folder = Path(args.receipt_out) if args.receipt_out else None
    if folder is not None:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    done: list[dict[str, Any]] = []
    failed = 0
    with _open(args) as db:
        service = _service(db, args)
        for name in args.bundles:
            try:
                result = service.import_bundle(Path(name))
            except Refused as exc:
                failed += 1
                done.append({"file": name, "added": 0, "unchanged": 0, "conflicts": 0,
                             "refused": 1, "reason": exc.code, "message": describe(exc)})
                if not args.json:
                    print(f"{name}: {describe(exc)}", file=sys.stderr)
                continue
            doc = {"file": name, **result.to_json()}
            if folder is not None:
                series = _series(db, result.sender)
                target = _receipt_path(folder, series)
                service.write_receipt(result.sender, target)
                doc["receipt"] = str(target)
            done.append(doc)
            if not args.json:
                print(f"{name}: {result.summary()}")
                if "receipt" in doc:
                    print("  " + _("Receipt for {name} written to {path}: take it back to the "
                                   "commune.").format(name=result.sender_name, path=doc["receipt"]))
    if args.json:
        if len(done) == 1:
            _dump(done[0])
        else:
            total = {k: sum(int(d.get(k) or 0) for d in done)
                     for k in ("added", "unchanged", "conflicts", "refused")}  # fmt: skip
            _dump({**total, "reason": None if not failed else "refused", "bundles": done})
    return 2 if failed else 0


def _series(db: HubDB, station_id: str) -> str:
    from db.models import PairedStation

    with db.Session() as s:
        p = s.get(PairedStation, station_id)
        return p.slip_code if p is not None else station_id[:8]


def cmd_status(args: argparse.Namespace) -> int:
    with _open(args) as db:
        st = _service(db, args).status()
    if args.json:
        _dump(st.to_json())
        return 0
    print(f"{st.name} ({label(STATION_KINDS, 'hub')}) · {st.station_id}")
    print(_("Fingerprint: {fingerprint}").format(fingerprint=st.fingerprint))
    for c in st.communes:
        last = c.last_bundle_at.strftime("%d/%m/%Y %H:%M") if c.last_bundle_at else "—"
        code = c.commune_code or "—"
        print(f"  [{code}] {c.name} · {c.station_id}" + ("" if c.active else
                                                          " · " + _("unpaired")))
        print("    " + _("last bundle: {last}; enrollments held: {n}; residents: {r}").format(
            last=last, n=c.enrollments, r=c.residents))  # fmt: skip
        for h in c.heads:
            print(f"    {label(STATION_KINDS, h.kind)} {h.name}: #{h.seq} {h.hash[:16]}…")
    if not st.communes:
        print(_("No commune is paired yet: hub pair IDENTITY_FILE."))
    return 0


# --- across communes --------------------------------------------------------------------------


def cmd_search(args: argparse.Namespace) -> int:
    with _open(args) as db:
        found = _service(db, args).search(args.query)
    if args.json:
        _dump(found.to_json())
        return 0
    for h in found.hits:
        r = h.hit
        print(f"{r.full_name} · {r.birth_display} · {r.personal_id or '—'} · "
              f"{r.village or '—'} · {h.commune}")
    if not found.hits:
        print(_("Nobody found."))
    elif found.more:
        print(_("More people match: add a word, a birth year or an ID number."))
    return 0


def cmd_tally(args: argparse.Namespace) -> int:
    from db.cli.common import parse_day

    day = parse_day(args.date)
    with _open(args) as db:
        found = _service(db, args).tally(day, parse_day(args.date_to) if args.date_to else day,
                                         args.commune)  # fmt: skip
    if args.json:
        _dump(found.to_json())
        return 0
    print(_("Enrollments received {start} – {end}").format(
        start=found.date_from.strftime("%d/%m/%Y"), end=found.date_to.strftime("%d/%m/%Y")))
    for c, t in found.communes:
        print("  " + _("{commune}: {total} received, {approved} approved, {waiting} waiting, "
                       "{returned} sent back").format(
            commune=c.name, total=t["total"], approved=t["approved"],
            waiting=t["pending_approval"], returned=t["returned"]))  # fmt: skip
    d = found.district
    print(_("District: {total} received, {approved} approved, {waiting} waiting, {returned} "
            "sent back").format(total=d["total"], approved=d["approved"],
                                waiting=d["pending_approval"], returned=d["returned"]))
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from db.cli.common import parse_day

    with _open(args) as db:
        found = _service(db, args).coverage(parse_day(args.on), args.commune)
    if args.json:
        _dump(found.to_json())
        return 0
    for c, r in found.communes:
        print(f"  {c.name}: {r.total.progress_text()}")
    print(_("District: {progress}").format(progress=found.district.progress_text()))
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    with _open(args) as db:
        found = _service(db, args).duplicates()
    if args.json:
        _dump([d.to_json() for d in found])
        return 0
    for d in found:
        head = _("ID {id}").format(id=d.personal_id) if d.personal_id else _("no ID")
        flag = " · " + _("enrolled in two communes") if d.enrolled else ""
        print(f"{head}{flag}")
        for m in d.members:
            print(f"  {m.full_name} · {m.commune} · {m.village or '—'} · {m.receipt_no or '—'}")
    if not found:
        print(_("No person is held by two communes."))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from db.hub.serve import serve

    with _open(args) as db:
        service = _service(db, args)
        service.own_identity()  # the key file unlocked before the first bundle comes
        try:
            serve(service, args.host, args.port, max_bytes=args.max_mb * 1024 * 1024,
                  ready=lambda url: print(_("The hub takes bundles at {url}/bundle (Ctrl+C "
                                            "stops it).").format(url=url), flush=True))
        except OSError as exc:
            raise UsageError(N_("The hub cannot listen on port {port}: {reason}"),
                             port=args.port, reason=exc.strerror or "?") from None
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    hub = sub.add_parser("hub", help=_("the district hub on PostgreSQL"))
    hub.add_argument("--db", metavar="URL",
                     help=_("the hub database, e.g. postgresql+psycopg://hub@/hub?host=/run/"
                            "postgresql (or ENROLLMENT_HUB_DB)"))  # fmt: skip
    hub.add_argument("--hub-dir", metavar="DIR",
                     help=_("the hub's folder: its key file (default: the per-user config "
                            "folder)"))  # fmt: skip
    hsub = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    p = hsub.add_parser("init", help=_("create or migrate the hub database"))
    p.add_argument("--admin", metavar="NAME", help=_("the first administrator's user name"))
    p.add_argument("--admin-name", metavar="FULL_NAME")
    p.add_argument("--name", default="Máy chủ huyện", help=_("the hub's name"))
    p.add_argument("--province", help=_("the province (name or two-digit code)"))
    p.set_defaults(func=wrap(cmd_init))
    p = hsub.add_parser("identity", help=_("write the hub's public identity file"))
    p.add_argument("--out", required=True, metavar="FILE")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_identity))
    p = hsub.add_parser("pair", help=_("trust a commune headquarters' identity file"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true",
                   help=_("do not ask (the fingerprint was compared already)"))  # fmt: skip
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_pair))
    p = hsub.add_parser("unpair", help=_("stop trusting a paired station"))
    p.add_argument("station_id", metavar="STATION_ID")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_unpair))
    p = hsub.add_parser("import", help=_("merge communes' bundles"))
    p.add_argument("bundles", nargs="+", metavar="BUNDLE")
    p.add_argument("--receipt-out", metavar="DIR",
                   help=_("write each commune's receipt into this folder"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_import))
    p = hsub.add_parser("status", help=_("the hub's id and fingerprint, the communes paired"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_status))
    p = hsub.add_parser("search", help=_("find people in every commune's register"))
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_search))
    p = hsub.add_parser("tally", help=_("enrollments received, by commune and for the district"))
    p.add_argument("--commune", metavar="C", help=_("one commune (its name or official code)"))
    p.add_argument("--date", metavar="YYYY-MM-DD", help=_("the day (default: today)"))
    p.add_argument("--date-to", metavar="YYYY-MM-DD", help=_("the last day of a period"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_tally))
    p = hsub.add_parser("coverage", help=_("the campaign's coverage by commune and for the "
                                           "district"))
    p.add_argument("--commune", metavar="C", help=_("one commune (its name or official code)"))
    p.add_argument("--on", metavar="YYYY-MM-DD", help=_("the day (default: today)"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_coverage))
    p = hsub.add_parser("serve", help=_("take communes' bundles over HTTP"))
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--host", default="127.0.0.1",
                   help=_("the address to listen on (default 127.0.0.1; 0.0.0.0: every "
                          "network)"))  # fmt: skip
    p.add_argument("--max-mb", type=int, default=2048, help=_("the largest bundle taken (MB)"))
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_serve))
    p = hsub.add_parser("duplicates", help=_("people held by two communes"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_duplicates))
