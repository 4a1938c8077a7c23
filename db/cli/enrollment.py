"""Supervisor's command line: the daily tally, a day's enrollments, a slip reprint.

The figures come from the same queries as the printed tally (db/tally.py), so ``tally --json``
and the PDF always agree. A PDF is written only where ``--out`` says: it may hold personal data.
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
from db.vntime import to_local
from resources.i18n import N_, _

PLACE_SHORT = {"hq": "trụ sở", "home": "tại nhà", "mobile": "lưu động"}


def cmd_tally(args: argparse.Namespace) -> int:
    from db.tally import tally_to_json

    first = parse_day(args.date)
    last = parse_day(args.to) if args.to else first
    if last < first:
        raise UsageError(N_("--to is before --date."))
    with open_from_args(args) as db:
        service = cli_service(db, args)
        tally = service.tally(first, last, prepared_by=args.prepared_by or "")
        if args.out:
            from printing import build_tally

            write_pdf(args.out, build_tally(tally))
            service.pdf_saved("tally", first.isoformat())
    if args.json:
        print(json.dumps(tally_to_json(tally), ensure_ascii=False, indent=1))
        return 0
    period = first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
    lines = [
        f"{tally.station.agency_name} – {tally.station.station_name}",
        _("Tally {period}: {total} enrollments received").format(period=period,
                                                                 total=tally.total),
        _("  waiting for approval {p}, approved {a}, sent back {r}").format(
            p=tally.pending_approval, a=tally.approved, r=tally.returned),
        _("  exceptions {e}, portrait retakes {t}, home visits {h}").format(
            e=tally.exceptions, t=tally.portrait_retakes, h=tally.home_visits),
        "  " + ", ".join(f"{PLACE_SHORT[k]} {v}" for k, v in tally.by_place.items()),
    ]  # fmt: skip
    if tally.self_approved:
        lines.append(_("  approved by the supervisor who captured them {n}").format(
            n=tally.self_approved))  # fmt: skip
    if tally.vneid_requests:
        lines.append(_("  level-2 electronic ID account requests {n}").format(
            n=tally.vneid_requests))  # fmt: skip
    lines += [f"  {r.count:6d}  {r.label}" for r in tally.by_officer]
    print("\n".join(lines))
    return 0


def cmd_enrollments(args: argparse.Namespace) -> int:
    day = parse_day(args.date)
    with open_from_args(args) as db:
        rows = cli_service(db, args).day_enrollments(day, include_unfinished=args.all)
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        when = to_local(r.submitted_at).strftime("%H:%M") if r.submitted_at else "--:--"
        print("  ".join([when, f"{r.receipt_no or '':<15}", f"{r.resident_name:<26}",
                         f"{PLACE_SHORT.get(r.place, r.place):<9}", f"{r.status:<10}",
                         r.officer_name or "", r.uuid]))  # fmt: skip
    if not rows:
        print(_("No enrollments on {day}.").format(day=day.isoformat()))
    return 0


def cmd_receipt(args: argparse.Namespace) -> int:
    from printing import build_slip

    with open_from_args(args) as db:
        service = cli_service(db, args)
        uuid = service.find_enrollment(args.enrollment)
        data = service.slip(uuid, layout=args.layout)
        write_pdf(args.out, build_slip(data))
        service.pdf_saved("slip", uuid)
    print(data.slip_no)
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("tally", help=_("daily tally of enrollments received"))
    p.add_argument("--date", help=_("local day YYYY-MM-DD (default: today)"))
    p.add_argument("--to", help=_("last day of a longer period YYYY-MM-DD"))
    p.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    p.add_argument("--out", help=_("also write the tally PDF to this file"))
    p.add_argument("--prepared-by", help=_("name printed under 'Prepared by'"))
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_tally))

    p = sub.add_parser("enrollments", help=_("list the enrollments received on a day"))
    p.add_argument("--date", help=_("local day YYYY-MM-DD (default: today)"))
    p.add_argument("--all", action="store_true", help=_("include unfinished drafts of that day"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_enrollments))

    p = sub.add_parser("receipt", help=_("reprint an appointment slip as PDF"))
    p.add_argument("enrollment", help=_("enrollment UUID or slip number"))
    p.add_argument("--out", required=True, help=_("PDF file to write"))
    p.add_argument("--layout", choices=("a5", "roll80"), help=_("default: the station's"))
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_receipt))
