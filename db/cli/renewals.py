"""Supervisor's command line: who must get a new card soon (db/renewals.py), by village.

``--json`` lists only those whose card issue date the register gives: for the others the list
cannot say whether they must renew. The text output shows them apart, under "Chưa rõ ngày cấp
thẻ" (at 14: a first card is due; at the other ages: their card needs checking).
"""

from __future__ import annotations

import argparse
import json
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
from db.renewals import DEFAULT_MONTHS, period
from db.types import Renewal
from resources.i18n import N_, _

MAX_MONTHS = 120


def _lines(found: list[Renewal]) -> list[str]:
    """People under their village's name (the list comes sorted by village)."""
    lines: list[str] = []
    village: object = ()
    for r in found:
        if r.village != village:
            village = r.village
            lines.append(r.village or _("(no village)"))
        if r.birth_date is None:  # a year-only birth: the year, not its 1 January
            what = _("{age} years in {year}").format(age=r.milestone, year=r.due.year)
        else:
            what = _("{age} years on {day}").format(age=r.milestone,
                                                    day=r.due.strftime("%d/%m/%Y"))
        if r.card_issued is None and r.milestone == 14:
            what += " – " + _("first card")
        lines.append(f"  {r.full_name:<28} {r.birth_display:<10}  {what}  {r.uuid}")
    return lines


def cmd_renewals(args: argparse.Namespace) -> int:
    if not 0 <= args.months <= MAX_MONTHS:
        raise UsageError(N_("--months must be between 0 and {most}."), most=MAX_MONTHS)
    on = parse_day(args.on)
    with open_from_args(args) as db:
        service = cli_service(db, args)
        found = service.renewals(args.months, on)
        if args.out:
            from printing.renewals import build_renewals

            write_pdf(args.out, build_renewals(service.renewals_sheet(found, args.months, on)))
            service.pdf_saved("renewals", on.isoformat())
    known = [r for r in found if r.card_issued is not None]
    if args.json:
        print(json.dumps([r.to_json() for r in known], ensure_ascii=False, indent=1))
        return 0
    unknown = [r for r in found if r.card_issued is None]
    first, last = period(on, args.months)
    lines = [_("Card renewals {first} – {last}: {n} people").format(
        first=first.strftime("%d/%m/%Y"), last=last.strftime("%d/%m/%Y"), n=len(known))]
    lines += _lines(known)
    if unknown:
        lines += ["", _("Card issue date unknown: {n} people").format(n=len(unknown))]
        lines += _lines(unknown)
    print("\n".join(lines))
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("renewals", help=_("residents who reach a card renewal age, by village"))
    p.add_argument("--months", type=int, default=DEFAULT_MONTHS, metavar="N",
                   help=_("months ahead (default 3); the list starts on 1 January"))
    p.add_argument("--on", help=_("local day YYYY-MM-DD (default: today)"))
    p.add_argument("--json", action="store_true",
                   help=_("print as JSON (only those whose card issue date is known)"))
    p.add_argument("--out", metavar="FILE.pdf",
                   help=_("save the list as a PDF (those with no card issue date apart)"))
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_renewals))
