"""``main.py sync …``: field sync from the command line (issue 12). This part: the station's
identity file, pairing (after the fingerprint is compared), unpairing and the status.

Every command signs in like the others; pairing is an administrator's. ``sync pair`` shows the
other station's name and fingerprint and asks before trusting it (``--yes`` for automation).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Protocol

from db.access import open_from_args
from db.cli.common import UsageError, add_user_option, cli_service, wrap
from db.labels import STATION_KINDS, label
from db.sync.identity import Identity
from db.sync.pairing import PairedInfo
from resources.i18n import N_, _
from resources.private_files import write_private


class Pairs(Protocol):
    """What pairing needs of a service: a station's (db/service.py) or the hub's."""

    def identity_file(self) -> bytes: ...
    def own_identity(self) -> Identity: ...
    def preview_identity(self, data: bytes) -> Identity: ...
    def pair_station(self, data: bytes) -> PairedInfo: ...


def write_identity(service: Pairs, out: str) -> int:
    """``sync identity`` and ``hub identity``."""
    data = service.identity_file()
    me = service.own_identity()
    write_private(Path(out), data)
    print(_("Identity of {name} written to {path}.").format(name=me.name, path=out))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=me.fingerprint))
    return 0


def show_and_pair(service: Pairs, data: bytes, yes: bool) -> int:
    """``sync pair`` and ``hub pair``: the other station and its fingerprint, asked first."""
    other = service.preview_identity(data)
    print(_("{name} ({kind}, commune {commune}, slip series {code})").format(
        name=other.name, kind=label(STATION_KINDS, other.kind), commune=other.commune,
        code=other.slip_code))  # fmt: skip
    print(_("Fingerprint: {fingerprint}").format(fingerprint=other.fingerprint))
    if not yes:
        print(_("Compare it with the fingerprint the other station shows for itself."))
        answer = input(_("Pair with this station? [y/N] ")) if sys.stdin.isatty() else ""
        if answer.strip().lower() not in ("y", "yes", "c", "có", "co"):
            print(_("Not paired."))
            return 1
    paired = service.pair_station(data)
    print(_("Paired with {name}.").format(name=paired.name))
    return 0


def cmd_identity(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        return write_identity(cli_service(db, args), args.out)


def cmd_pair(args: argparse.Namespace) -> int:
    data = Path(args.file).read_bytes()
    with open_from_args(args) as db:
        return show_and_pair(cli_service(db, args), data, args.yes)


def cmd_unpair(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        gone = cli_service(db, args).unpair_station(args.station_id)
    print(_("{name} is no longer paired: its bundles are refused from now on.").format(
        name=gone.name))  # fmt: skip
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        service = cli_service(db, args)
        me = service.own_identity()
        paired = service.paired_stations()
        st = service.sync_state()
    if args.json:
        trips = {p.station_id: p.to_json() for p in st.peers}
        doc = {**st.to_json(), "name": me.name, "slip_code": me.slip_code,
               "fingerprint": me.fingerprint,
               "paired": [{**p.to_json(), **trips.get(p.station_id, {})} for p in paired]}
        print(json.dumps(doc, ensure_ascii=False, indent=1))
        return 0
    print(f"{me.name} ({label(STATION_KINDS, me.kind)}) · {me.station_id}")
    print(_("Fingerprint: {fingerprint}").format(fingerprint=me.fingerprint))
    if st.kind == "mobile":
        print(st.freshness_line())
    for p in st.peers:
        state = _("paired") if p.active else _("unpaired")
        last = p.last_bundle_at.strftime("%d/%m/%Y %H:%M") if p.last_bundle_at else "—"
        print(f"  {p.name} ({label(STATION_KINDS, p.kind)}) · {p.station_id} · {state}")
        print("    " + _("last file received: {last}; enrollments held: {held}; drafts on the "
                         "laptop: {drafts}; open cases: {cases}").format(
            last=last, held=p.held, drafts=p.drafts, cases=p.open_cases))
    if not paired:
        print(_("No station is paired yet."))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.to_hub:
        return _upload(args)
    if not args.to:
        raise UsageError(N_("Say where the file goes: --to FILE (or --to-hub URL)."))
    villages = [v.strip() for v in args.villages.split(",") if v.strip()] if args.villages \
        else None
    with open_from_args(args) as db:
        report = cli_service(db, args).sync_export(Path(args.to), for_station=args.for_station,
                                                   villages=villages)  # fmt: skip
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
        return 0
    if report.kind == "bundle":
        print(_("Return bundle for {name} written to {path}: {n} enrollments.").format(
            name=report.recipient_name, path=report.path, n=report.enrollments))
    else:
        print(_("Work packet for {name} written to {path}: {r} residents.").format(
            name=report.recipient_name, path=report.path, r=report.residents))
    print(_("The file was read back and checked."))
    return 0


def _upload(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        done = cli_service(db, args).sync_upload(args.to_hub, for_station=args.for_station)
    if args.json:
        print(json.dumps({**done.export.to_json(), "hub": done.taken, "tries": done.tries,
                          "receipt": done.receipt.to_json()}, ensure_ascii=False, indent=1))
        return 0
    print(_("Bundle sent to {name}: {n} enrollments.").format(
        name=done.export.recipient_name, n=done.export.enrollments))  # fmt: skip
    print(done.receipt.summary())
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from db.sync.refusal import Refused
    from resources.problems import describe

    path = Path(args.file)
    with open_from_args(args) as db:
        service = cli_service(db, args)
        try:
            result = service.sync_import(path)
        except Refused as exc:
            if args.json:
                print(json.dumps({"added": 0, "unchanged": 0, "conflicts": 0, "refused": 1,
                                  "reason": exc.code, "message": describe(exc)},
                                 ensure_ascii=False))  # fmt: skip
            else:
                print(describe(exc), file=sys.stderr)
            return 2
        if args.receipt_out and result.kind == "bundle":
            service.sync_receipt(result.sender, Path(args.receipt_out))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(result.summary())
    if args.receipt_out and result.kind == "bundle":
        print(_("Receipt for {name} written to {path}: take it back to the laptop.").format(
            name=result.sender_name, path=args.receipt_out))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    sync = sub.add_parser("sync", help=_("field sync between headquarters and mobile laptops"))
    ssub = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)
    p = ssub.add_parser("identity", help=_("write this station's public identity file"))
    p.add_argument("--out", required=True, metavar="FILE")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_identity))
    p = ssub.add_parser("pair", help=_("trust the station in an identity file"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--yes", action="store_true",
                   help=_("do not ask (the fingerprint was compared already)"))  # fmt: skip
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_pair))
    p = ssub.add_parser("unpair", help=_("stop trusting a paired station"))
    p.add_argument("station_id", metavar="STATION_ID")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_unpair))
    p = ssub.add_parser("export", help=_("write the file for the paired station (return "
                                         "bundle, or work packet for a laptop)"))
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="FILE")
    where.add_argument("--to-hub", metavar="URL",
                       help=_("headquarters: send the bundle to the district hub's hub serve "
                              "and apply its receipt"))  # fmt: skip
    p.add_argument("--for", dest="for_station", metavar="STATION_ID",
                   help=_("the laptop a work packet is for, or the hub (headquarters)"))
    p.add_argument("--villages", metavar="V1,V2",
                   help=_("only the register of these villages (work packet)"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_export))
    p = ssub.add_parser("import", help=_("apply a bundle, work packet or receipt"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--receipt-out", metavar="FILE",
                   help=_("headquarters: write the receipt for the laptop here"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_import))
    p = ssub.add_parser("status", help=_("this station's id and fingerprint, paired stations"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_status))
