"""``main.py register-quality``: the register-quality report ("sạch, sống", db/quality.py) and
its actions, for a supervisor or an administrator.

    register-quality [--on YYYY-MM-DD] [--json]     the report
    register-quality same UUID_KEEP UUID_DUP        the second is the same person as the first
    register-quality mark UUID deceased|moved_away|clear
    register-quality dismiss UUID_A UUID_B          not the same person: not proposed again
    register-quality fix UUID FIELD VALUE           FIELD: full_name, birth, sex, personal_id,
                                                    village, household_no
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from db.access import open_from_args
from db.cli.common import add_user_option, cli_service, parse_day, wrap
from db.labels import QUALITY_KINDS
from db.quality import FIX_FIELDS, MARKS
from db.types import QualityReport, QualityResident
from resources.i18n import _


def _person(r: QualityResident) -> str:
    return (f"    {r.full_name:<28} {r.personal_id or '—':<12}  {r.birth_display:<10}  "
            f"{r.village or _('(no village)')}  {r.household_no or ''}  {r.uuid}")


def _text(report: QualityReport) -> list[str]:
    lines = [_("Register quality on {day}: {n} residents examined").format(
        day=report.on.strftime("%d/%m/%Y"), n=report.examined)]
    for kind in ("same_id", "two_ids", "no_id", "variant"):
        groups = [d for d in report.duplicates if d.kind == kind]
        lines.append(f"{_(QUALITY_KINDS[kind])}: {len(groups)}")
        for d in groups:
            lines += [_person(r) for r in d.residents] + [""]
    for f in report.findings:
        lines.append(f"{_(QUALITY_KINDS[f.kind])}: {f.count}")
        lines += [_person(r) for r in f.residents]
    return lines


def cmd_quality(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        service = cli_service(db, args)
        action = getattr(args, "action", None)
        if action == "same":
            service.mark_same_person(args.keep, args.duplicate)
            print(_("Joined: the second record is now an alias of the first."))
        elif action == "mark":
            service.mark_resident(args.uuid, args.status)
            print(_("Marked."))
        elif action == "dismiss":
            service.dismiss_pair(args.a, args.b)
            print(_("Recorded: not the same person."))
        elif action == "fix":
            service.fix_resident(args.uuid, args.field, args.value)
            print(_("Corrected."))
        else:
            report = service.register_quality(parse_day(args.on))
            if args.json:
                print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
            else:
                print("\n".join(_text(report)))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("register-quality",
                       help=_("register quality: likely duplicates and incomplete records"))
    p.add_argument("--on", metavar="YYYY-MM-DD", help=_("ages on this day (default today)"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    actions = p.add_subparsers(dest="action")
    same = actions.add_parser("same", help=_("two records are one person: keep the first"))
    same.add_argument("keep", metavar="UUID_KEEP")
    same.add_argument("duplicate", metavar="UUID_DUP")
    mark = actions.add_parser("mark", help=_("mark a resident deceased or moved away, or clear"))
    mark.add_argument("uuid", metavar="UUID")
    mark.add_argument("status", choices=tuple(MARKS))
    dismiss = actions.add_parser("dismiss", help=_("two records are not the same person"))
    dismiss.add_argument("a", metavar="UUID_A")
    dismiss.add_argument("b", metavar="UUID_B")
    fix = actions.add_parser("fix", help=_("correct one field of a resident's record"))
    fix.add_argument("uuid", metavar="UUID")
    fix.add_argument("field", choices=FIX_FIELDS)
    fix.add_argument("value")
    p.set_defaults(func=wrap(cmd_quality))
