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
from typing import Any

from db.access import open_from_args
from db.cli.common import add_user_option, cli_service, wrap
from db.labels import STATION_KINDS, label
from resources.i18n import _
from resources.private_files import write_private


def cmd_identity(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        service = cli_service(db, args)
        data = service.identity_file()
        me = service.own_identity()
    write_private(Path(args.out), data)
    print(_("Identity of {name} written to {path}.").format(name=me.name, path=args.out))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=me.fingerprint))
    return 0


def cmd_pair(args: argparse.Namespace) -> int:
    data = Path(args.file).read_bytes()
    with open_from_args(args) as db:
        service = cli_service(db, args)
        other = service.preview_identity(data)
        print(_("{name} ({kind}, commune {commune}, slip series {code})").format(
            name=other.name, kind=label(STATION_KINDS, other.kind), commune=other.commune,
            code=other.slip_code))  # fmt: skip
        print(_("Fingerprint: {fingerprint}").format(fingerprint=other.fingerprint))
        if not args.yes:
            print(_("Compare it with the fingerprint the other station shows for itself."))
            answer = input(_("Pair with this station? [y/N] ")) if sys.stdin.isatty() else ""
            if answer.strip().lower() not in ("y", "yes", "c", "có", "co"):
                print(_("Not paired."))
                return 1
        paired = service.pair_station(data)
    print(_("Paired with {name}.").format(name=paired.name))
    return 0


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
    if args.json:
        print(json.dumps({"station_id": me.station_id, "name": me.name, "kind": me.kind,
                          "slip_code": me.slip_code, "fingerprint": me.fingerprint,
                          "paired": [p.to_json() for p in paired]},
                         ensure_ascii=False, indent=1))  # fmt: skip
        return 0
    print(f"{me.name} ({label(STATION_KINDS, me.kind)}) · {me.station_id}")
    print(_("Fingerprint: {fingerprint}").format(fingerprint=me.fingerprint))
    for p in paired:
        state = _("paired") if p.active else _("unpaired")
        print(f"  {p.name} ({label(STATION_KINDS, p.kind)}) · {p.station_id} · {state}")
    if not paired:
        print(_("No station is paired yet."))
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
    p = ssub.add_parser("status", help=_("this station's id and fingerprint, paired stations"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_status))
