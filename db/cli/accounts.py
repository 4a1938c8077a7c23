"""Accounts and audit on the command line: ``officers add|list|disable|enable|reset-password|
password`` and ``audit verify|show``; plus how every command learns who is acting.

Who is acting: ``--user NAME`` (or ``ENROLLMENT_STATION_USER``) and the password from
``ENROLLMENT_STATION_PASSWORD`` (automation) or a prompt. The same sign-in as the GUI runs —
lockout and audit included — so the command line is no way around the rules. On the demo
station, without a user name, commands act as the demo supervisor.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from db.access import open_from_args, sign_in
from db.cli.common import (
    add_user_option,
    ask_password,
    cli_service,
    new_password,
    user_of,
    wrap,
)
from db.vntime import to_local
from resources.i18n import _


def _temporary_password(username: str) -> str:
    """The temporary password an administrator gives out: environment (automation) or prompt."""
    return new_password(_("Temporary password for {user}: ").format(user=username))


def cmd_officers_add(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        service = cli_service(db, args)
        password = _temporary_password(args.username)
        info = service.create_officer(args.username, args.full_name, args.role, password)
    print(_("Account {user} created ({role}); the password must be changed at first "
            "sign-in.").format(user=info.username, role=info.role))  # fmt: skip
    return 0


def cmd_officers_list(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        officers = cli_service(db, args).officers()
    if args.json:
        rows = [{"username": o.username, "full_name": o.full_name, "role": o.role,
                 "active": o.active, "must_change_password": o.must_change_password}
                for o in officers]  # fmt: skip
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for o in officers:
        state = _("active") if o.active else _("disabled")
        print(f"{o.username:<20} {o.role:<11} {state:<10} {o.full_name}")
    return 0


def cmd_officers_disable(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        cli_service(db, args).set_officer_active(args.username, args.enable)
    print(_("Done."))
    return 0


def cmd_officers_reset(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        service = cli_service(db, args)
        password = _temporary_password(args.username)
        service.reset_password(args.username, password)
    print(_("Password reset; it must be changed at the next sign-in."))
    return 0


def cmd_officers_password(args: argparse.Namespace) -> int:
    user = user_of(args)
    with open_from_args(args) as db:
        current = ask_password(_("Password for {user}: ").format(user=user))
        service = sign_in(db, user, current).service
        service.change_password(current, new_password(_("New password: ")))
    print(_("Password changed."))
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with open_from_args(args) as db:
        result = cli_service(db, args).verify_audit()
    if result.ok:
        print(_("Audit trail intact: {n} events verified.").format(n=result.checked))
        return 0
    print(_("AUDIT TRAIL BROKEN at event #{seq} ({reason}); {n} events before it verified.")
          .format(seq=result.first_broken, reason=result.reason, n=result.checked))  # fmt: skip
    return 1


def cmd_audit_show(args: argparse.Namespace) -> int:
    day = date.fromisoformat(args.date) if args.date else None
    with open_from_args(args) as db:
        rows = cli_service(db, args).audit_events(day=day, officer=args.officer,
                                                  action=args.action, limit=args.limit)  # fmt: skip
    rows.reverse()  # oldest first on a terminal
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        print(f"{r.seq:>8}  {to_local(r.at):%Y-%m-%d %H:%M:%S}  {r.officer:<16} "
              f"{r.action:<22} {r.action_text():<26} {r.object_text():<24} "
              f"{r.details_text()}")  # fmt: skip
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    officers = sub.add_parser("officers", help=_("officer accounts (administrator)"))
    osub = officers.add_subparsers(dest="officers_command", metavar="ACTION", required=True)
    p = osub.add_parser("add", help=_("create an account with a temporary password"))
    p.add_argument("username")
    p.add_argument("full_name")
    p.add_argument("--role", choices=("officer", "supervisor", "admin"), default="officer")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_officers_add))
    p = osub.add_parser("list", help=_("list the accounts"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_officers_list))
    for name, enable, text in (("disable", False, _("disable an account")),
                               ("enable", True, _("enable a disabled account"))):  # fmt: skip
        p = osub.add_parser(name, help=text)
        p.add_argument("username")
        add_user_option(p)
        p.set_defaults(func=wrap(cmd_officers_disable), enable=enable)
    p = osub.add_parser("reset-password", help=_("give an account a temporary password"))
    p.add_argument("username")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_officers_reset))
    p = osub.add_parser("password", help=_("change your own password"))
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_officers_password))

    au = sub.add_parser("audit", help=_("the audit trail (supervisor, administrator)"))
    asub = au.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = asub.add_parser("verify", help=_("check the hash chain; name the first broken event"))
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_audit_verify))
    p = asub.add_parser("show", help=_("list events"))
    p.add_argument("--date", help=_("local day YYYY-MM-DD"))
    p.add_argument("--officer", help=_("only this user name"))
    p.add_argument("--action", help=_("only actions starting with this"))
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_audit_show))
