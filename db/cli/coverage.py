"""``main.py coverage``: how far the commune is from everyone enrolled (issue 14), for the
supervisor's evening: per village, as counts and "đã thu nhận 1.204/1.350 (89,2%)"."""

from __future__ import annotations

import argparse
import json
from typing import Any

from db.access import open_from_args
from db.cli.common import add_user_option, cli_service, parse_day, wrap, write_pdf
from db.documents import UNKNOWN_VILLAGE
from resources.i18n import _


def cmd_coverage(args: argparse.Namespace) -> int:
    on = parse_day(args.on)
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
        print(f"  {row.label or UNKNOWN_VILLAGE}: {row.progress_text()}; "
              + _("not yet {n}").format(n=row.not_yet))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("coverage", help=_("coverage of the commune: who is enrolled, who not yet"))
    p.add_argument("--village", metavar="V", help=_("one village only"))
    p.add_argument("--on", metavar="YYYY-MM-DD", help=_("ages on this day (default today)"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--out", metavar="FILE.pdf", help=_("save the coverage as a PDF"))
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_coverage))
