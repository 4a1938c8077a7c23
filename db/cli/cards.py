"""``main.py card``: cards read, received from the province and handed over (issue 17).

    card parse TEXT [--json]
    card arrived REF...
    card deliver REF --place hq|home|post [--note TEXT]
    card waiting [--village V] [--json] [--out FILE.pdf]

REF is a slip number, a personal ID (that person's latest approved enrollment) or a scanned
code (a card's QR text, a slip's QR).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from db.access import open_from_args
from db.cli.common import add_user_option, cli_service, wrap, write_pdf
from db.labels import CARD_PLACES, label
from resources.i18n import _


def cmd_parse(args: argparse.Namespace) -> int:
    """No station needed: the text is only read."""
    from capture.card.qr_text import parse

    card = parse(args.text)  # NotACardQR → one line on stderr, exit 2 (wrap)
    fields = {"personal_id": card.personal_id, "old_id": card.old_id,
              "full_name": card.full_name,
              "birth_date": card.birth_date.isoformat() if card.birth_date else None,
              "sex": card.sex, "address": card.address,
              "issued": card.issued.isoformat() if card.issued else None}  # fmt: skip
    if args.json:
        print(json.dumps(fields, ensure_ascii=False, indent=1))
    else:
        for key, value in fields.items():
            print(f"{key}: {'' if value is None else value}")
    return 0


def cmd_arrived(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        found = cli_service(db, args).cards_arrived(args.refs)
    words = {"arrived": _("card arrived"), "already": _("already recorded"),
             "not_approved": _("not approved yet"), "not_found": _("not found")}  # fmt: skip
    for o in found:
        who = f"  {o.card.slip_no}  {o.card.full_name}" if o.card is not None else ""
        said = words[o.outcome]
        if o.outcome == "not_approved" and o.card is not None and o.card.status == "returned":
            said = _("sent back to the officer, not approved")
        print(f"{o.ref}: {said}{who}")
    n = sum(o.outcome == "arrived" for o in found)
    print(_("{n} cards recorded as arrived.").format(n=n))
    return 0 if all(o.outcome in ("arrived", "already") for o in found) else 1


def cmd_deliver(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        info = cli_service(db, args).deliver_card(args.ref, args.place, args.note)
    print(_("Card {slip} handed over: {place}.").format(
        slip=info.slip_no, place=label(CARD_PLACES, info.delivered_place)))
    return 0


def cmd_waiting(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        service = cli_service(db, args)
        found = service.cards_waiting(args.village)
        if args.out:
            from printing.cards import build_card_list

            write_pdf(args.out, build_card_list(service.card_list_sheet(
                "waiting", found, args.village, public=args.public)))
            service.pdf_saved("cards", "waiting")
    if args.json:
        print(json.dumps([c.to_json() for c in found], ensure_ascii=False, indent=1))
        return 0
    print(_("{n} cards waiting to be handed over").format(n=len(found)))
    for c in found:
        arrived = c.arrived_at.strftime("%d/%m") if c.arrived_at else ""
        print(f"  {c.village or '':<16} {c.full_name:<28} {c.birth_text():<10} "
              f"{c.phone or '':<12} {c.slip_no}  {arrived}")
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("card", help=_("cards: read a card's QR, record arrivals and handovers"))
    cs = p.add_subparsers(dest="card_command", required=True, metavar="COMMAND")

    pa = cs.add_parser("parse", help=_("read a card's QR text (no station needed)"))
    pa.add_argument("text", metavar="TEXT")
    pa.add_argument("--json", action="store_true")
    pa.set_defaults(func=wrap(cmd_parse))

    ar = cs.add_parser("arrived", help=_("cards received from the province"))
    ar.add_argument("refs", nargs="+", metavar="REF",
                    help=_("slip number, ID number or scanned code"))
    add_user_option(ar)
    ar.set_defaults(func=wrap(cmd_arrived))

    de = cs.add_parser("deliver", help=_("hand a card over"))
    de.add_argument("ref", metavar="REF", help=_("slip number, ID number or scanned code"))
    de.add_argument("--place", required=True, choices=("hq", "home", "post"))
    de.add_argument("--note", help=_("where (at home) or the postal receipt (by post)"))
    add_user_option(de)
    de.set_defaults(func=wrap(cmd_deliver))

    wa = cs.add_parser("waiting", help=_("cards arrived and not handed over yet"))
    wa.add_argument("--village", metavar="V")
    wa.add_argument("--json", action="store_true")
    wa.add_argument("--out", metavar="FILE.pdf", help=_("save the notice list as a PDF"))
    wa.add_argument("--public", action="store_true",
                    help=_("to post in the village: ID and phone numbers cut to their last "
                           "digits"))  # fmt: skip
    add_user_option(wa)
    wa.set_defaults(func=wrap(cmd_waiting))
