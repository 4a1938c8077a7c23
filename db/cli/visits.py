"""``main.py visits``: the campaign's home visits (issue 14) from the command line.

    visits teams [--json]
    visits flag RESIDENT_UUID REASON [--note TEXT]
    visits plan --day D --team ID|here --mode fetch|home [--note TEXT]
                (--flagged [--village V] | RESIDENT_UUID...)
    visits list [--day D] [--to D] [--team ID|here] [--open] [--json] [--out FILE.pdf]
    visits outcome VISIT_UUID OUTCOME [--note TEXT] [--next-day D]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from db.access import open_from_args
from db.cli.common import UsageError, add_user_option, cli_service, parse_day, wrap, write_pdf
from db.labels import VISIT_MODES, VISIT_OUTCOMES, VISIT_REASONS, label
from db.service import StationService
from db.visits import MODES, OUTCOMES, REASONS
from resources.i18n import N_, _


def _team(service: StationService, given: str | None) -> str | None:
    if given is None:
        return None
    teams = dict(service.visit_teams())
    if given == "here":
        return next(iter(teams))
    if given not in teams:
        raise UsageError(N_("No team {team}: see 'visits teams'."), team=given)
    return given


def cmd_teams(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        teams = cli_service(db, args).visit_teams()
    if args.json:
        print(json.dumps([{"station_id": i, "name": n} for i, n in teams], ensure_ascii=False))
    else:
        for i, n in teams:
            print(f"{i}  {n}")
    return 0


def cmd_flag(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        cli_service(db, args).flag_for_visit(args.resident, args.reason, args.note)
    print(_("Marked: {reason}.").format(reason=label(VISIT_REASONS, args.reason)))
    return 0


def cmd_plan(args: argparse.Namespace) -> int:
    if bool(args.flagged) == bool(args.residents):
        raise UsageError(N_("Name the residents to visit, or --flagged for everyone marked."))
    day = parse_day(args.day)
    with open_from_args(args) as db:
        service = cli_service(db, args)
        team = _team(service, args.team) or db.station_id
        people = args.residents or [v.resident_uuid for v in service.visit_candidates(args.village)]
        result = service.plan_visits(people, day, team, args.mode, args.note)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(_("{n} visits planned for {day}.").format(n=len(result.planned),
                                                   day=day.strftime("%d/%m/%Y")))
    if result.already_planned:
        print(_("{n} already on an open visit: left out.").format(n=result.already_planned))
    if result.not_counted:
        print(_("{n} deceased, moved away or duplicate records: left out.").format(
            n=result.not_counted))
    if result.no_card:
        print(_("{n} without a card waiting: left out.").format(n=result.no_card))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    first = parse_day(args.day)
    last = parse_day(args.to) if args.to else first
    if last < first:
        raise UsageError(N_("--to is before --day."))
    with open_from_args(args) as db:
        service = cli_service(db, args)
        team = _team(service, args.team)
        found = service.visits(first, last, team=team, open_only=args.open)
        if args.out:
            from printing.visits import build_visit_sheet

            write_pdf(args.out, build_visit_sheet(service.visit_sheet(first, team)))
            service.pdf_saved("visits", first.isoformat())
    if args.json:
        print(json.dumps([v.to_json() for v in found], ensure_ascii=False, indent=1))
        return 0
    print(_("{n} visits").format(n=len(found)))
    for v in found:
        assert v.day is not None
        done = label(VISIT_OUTCOMES, v.outcome) if v.outcome else _("not done yet")
        print(f"  {v.day.strftime('%d/%m')}  {v.village or '':<16} {v.household_no or '':<8} "
              f"{v.full_name:<28} {label(VISIT_MODES, v.mode):<22} {done}  {v.uuid}")
    return 0


def cmd_outcome(args: argparse.Namespace) -> int:
    next_day = parse_day(args.next_day) if args.next_day else None
    with open_from_args(args) as db:
        info = cli_service(db, args).record_visit_outcome(args.visit, args.outcome, args.note,
                                                          next_day)  # fmt: skip
    print(_("Recorded: {outcome}.").format(outcome=label(VISIT_OUTCOMES, info.outcome)))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("visits", help=_("home visits: who, when, which team, and what came of it"))
    vs = p.add_subparsers(dest="visits_command", required=True, metavar="COMMAND")

    t = vs.add_parser("teams", help=_("this station and its paired laptops"))
    t.add_argument("--json", action="store_true")
    add_user_option(t)
    t.set_defaults(func=wrap(cmd_teams))

    f = vs.add_parser("flag", help=_("mark a resident as needing a home visit"))
    f.add_argument("resident", metavar="RESIDENT_UUID")
    f.add_argument("reason", choices=("none", *REASONS))
    f.add_argument("--note")
    add_user_option(f)
    f.set_defaults(func=wrap(cmd_flag))

    pl = vs.add_parser("plan", help=_("put residents on a day's plan for a team"))
    pl.add_argument("residents", nargs="*", metavar="RESIDENT_UUID")
    pl.add_argument("--flagged", action="store_true",
                    help=_("everyone marked for a visit and not yet planned"))
    pl.add_argument("--village", metavar="V", help=_("with --flagged: one village only"))
    pl.add_argument("--day", required=True, metavar="YYYY-MM-DD")
    pl.add_argument("--team", default="here", metavar="ID",
                    help=_("a station id from 'visits teams', or 'here' (default)"))
    pl.add_argument("--mode", required=True, choices=MODES)
    pl.add_argument("--note")
    pl.add_argument("--json", action="store_true")
    add_user_option(pl)
    pl.set_defaults(func=wrap(cmd_plan))

    ls = vs.add_parser("list", help=_("the visits of a day (or a period)"))
    ls.add_argument("--day", metavar="YYYY-MM-DD", help=_("local day (default: today)"))
    ls.add_argument("--to", metavar="YYYY-MM-DD", help=_("last day of a period"))
    ls.add_argument("--team", metavar="ID", help=_("one team only ('here': this station)"))
    ls.add_argument("--open", action="store_true", help=_("only visits not done yet"))
    ls.add_argument("--json", action="store_true")
    ls.add_argument("--out", metavar="FILE.pdf", help=_("save the day's visit list as a PDF"))
    add_user_option(ls)
    ls.set_defaults(func=wrap(cmd_list))

    o = vs.add_parser("outcome", help=_("record what came of a visit"))
    o.add_argument("visit", metavar="VISIT_UUID")
    o.add_argument("outcome", choices=OUTCOMES)
    o.add_argument("--note")
    o.add_argument("--next-day", metavar="YYYY-MM-DD", help=_("with rescheduled: the new day"))
    add_user_option(o)
    o.set_defaults(func=wrap(cmd_outcome))
