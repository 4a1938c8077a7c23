"""``main.py coverage``: how far the commune is from everyone enrolled (issue 14), for the
supervisor's evening: per village, as counts and "đã thu nhận 1.204/1.350 (89,2%)"."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from db.access import open_from_args
from db.cli.common import (
    UsageError,
    add_user_option,
    cli_service,
    parse_day,
    wrap,
    write_pdf,
)
from db.documents import unknown_village
from resources.i18n import N_, _

GROUPS = {"must_hold": "must_hold", "6-13": "aged_6_13", "under6": "under_6"}
STATES = ("enrolled", "in_progress", "not_yet", "not_applicable")


def cmd_coverage(args: argparse.Namespace) -> int:
    on = parse_day(args.on)
    if args.list:
        return _list(args, on)
    if args.group or args.home_visits:
        raise UsageError(N_("--group and --home-visits go with --list."))
    with open_from_args(args) as db:
        service = cli_service(db, args)
        report = service.coverage(on, args.village)
        if args.out:
            from db.coverage import coverage_sheet
            from printing.coverage import build_coverage

            write_pdf(args.out, build_coverage(coverage_sheet(db, report)))
            service.pdf_saved("coverage", on.isoformat())
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
        return 0
    t = report.total
    print(_("Coverage on {day}: {progress}").format(day=on.strftime("%d/%m/%Y"),
                                                     progress=t.progress_text()))
    print(_("  in progress {p}, not yet {n}, not applicable {x}; aged 6–13: {c} (enrolled {ce}); "
            "under 6: {u}").format(p=t.in_progress, n=t.not_yet, x=t.not_applicable,
                                   c=t.aged_6_13, ce=t.aged_6_13_enrolled, u=t.under_6))
    for row in report.villages:
        print(f"  {row.label or unknown_village()}: {row.progress_text()}; "
              + _("not yet {n}").format(n=row.not_yet))
    return 0


def _list(args: argparse.Namespace, on: date) -> int:
    """``--list STATE``: the residents behind one number (``--village ""``: those without a
    village)."""
    group = GROUPS[args.group] if args.group else None
    if args.list == "not_applicable" and group:
        raise UsageError(N_("Residents not applicable are in no age group: leave out --group."))
    with open_from_args(args) as db:
        service = cli_service(db, args)
        found = service.coverage_list(args.list, group, args.village, on,
                                      home_visits_only=args.home_visits)  # fmt: skip
        if args.out:
            from printing.coverage import build_coverage_list

            write_pdf(args.out, build_coverage_list(service.coverage_list_sheet(found)))
            service.pdf_saved("coverage", on.isoformat())
    if args.json:
        print(json.dumps(found.to_json(), ensure_ascii=False, indent=1))
        return 0
    from db.coverage_lists import cell_title

    where, what = cell_title(found)
    print(_("{where} – {what}: {n} people").format(where=where, what=what, n=len(found.rows)))
    for r in found.rows:
        print(f"  {r.full_name:<28} {r.birth_display:<10} {r.village or unknown_village():<20} "
              f"{r.household_no or '':<8} {r.phone or ''}  {r.uuid}")
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("coverage", help=_("coverage of the commune: who is enrolled, who not yet"))
    p.add_argument("--village", metavar="V", help=_("one village only"))
    p.add_argument("--on", metavar="YYYY-MM-DD", help=_("ages on this day (default today)"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", metavar="FILE.pdf", help=_("save the coverage as a PDF"))
    p.add_argument("--list", choices=STATES, metavar="STATE",
                   help=_("list the residents behind a number: enrolled, in_progress, not_yet "
                          "or not_applicable"))
    p.add_argument("--group", choices=tuple(GROUPS),
                   help=_("with --list: the age group (default must_hold: 14 and over)"))
    p.add_argument("--home-visits", action="store_true",
                   help=_("with --list: only residents flagged for a home visit"))
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_coverage))
