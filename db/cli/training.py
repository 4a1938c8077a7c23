"""``main.py training seed``: fill a training station (TRẠM TẬP HUẤN) with synthetic people and
their submitted enrollments (db/training.py); refused on any other station."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from db.access import open_from_args
from db.cli.common import add_user_option, cli_service, wrap
from resources.i18n import _


def _progress(done: int, total: int) -> None:
    print(f"\r{done:,} / {total:,}", end="", file=sys.stderr, flush=True)


def cmd_seed(args: argparse.Namespace) -> int:
    from db import training

    with open_from_args(args) as db:
        service = cli_service(db, args)
        report = training.seed(db, residents=args.residents, enrollments=args.enrollments,
                               days=args.days, actor=service.actor,
                               progress=None if args.quiet or args.json else _progress)
    if not (args.quiet or args.json) and args.enrollments:
        print(file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_json(), indent=1))
        return 0
    print(_("Training station filled: {residents} residents added, {enrollments} enrollments "
            "submitted ({exceptions} with an exception).").format(
        residents=report.residents, enrollments=report.enrollments,
        exceptions=report.exceptions))  # fmt: skip
    if report.enrollments < report.wanted:
        print(_("Only {n} residents had no open enrollment: add residents with --residents.")
              .format(n=report.enrollments))  # fmt: skip
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("training", help=_("training stations (TRẠM TẬP HUẤN)"))
    tsub = p.add_subparsers(dest="training_command", metavar="ACTION", required=True)
    p = tsub.add_parser("seed", help=_("add synthetic residents and submitted enrollments "
                                       "(training stations only)"))
    p.add_argument("--residents", type=int, default=0, metavar="N",
                   help=_("synthetic residents to add to the register"))
    p.add_argument("--enrollments", type=int, default=0, metavar="M",
                   help=_("submitted enrollments of residents without an open one"))
    p.add_argument("--days", type=int, default=5, metavar="D",
                   help=_("spread the enrollments over the last D days"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--quiet", action="store_true", help=_("no progress display"))
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_seed))
