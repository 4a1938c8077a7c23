"""Accounts and audit on the command line: ``officers add|list|disable|enable|reset-password|
password`` and ``audit verify|show``; plus how every command learns who is acting.

Who is acting: ``--user NAME`` (or ``ENROLLMENT_STATION_USER``) and the password from
``ENROLLMENT_STATION_PASSWORD`` (automation) or a prompt. The same sign-in as the GUI runs —
lockout and audit included — so the command line is no way around the rules. On the demo
station, without a user name, commands act as the demo supervisor.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date
from typing import Any

from db import accounts, audit
from db.accounts import PASSWORD_ENV
from db.actor import Actor
from db.errors import StationError
from db.station import StationDB
from db.vntime import to_local
from resources.i18n import _

USER_ENV = "ENROLLMENT_STATION_USER"


class PasswordRequired(StationError):
    """No password in the environment and no terminal to ask for one."""


class MustChangePassword(StationError):
    """A temporary password must be changed before anything else."""


def add_user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help=_("your user name (or ENROLLMENT_STATION_USER)"))


def ask_password(prompt: str, *, confirm: bool = False, env: bool = True) -> str:
    value = os.environ.get(PASSWORD_ENV) if env else None
    if value:
        return value
    if not sys.stdin.isatty():
        raise PasswordRequired("no password: set ENROLLMENT_STATION_PASSWORD or use a terminal")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Again: ")) != first:
        raise PasswordRequired("the two passwords differ")
    return first


def cli_actor(db: StationDB, args: argparse.Namespace, *, allow_temporary: bool = False) -> Actor:
    """Sign in the person named on the command line (see the module docstring)."""
    user = getattr(args, "user", None) or os.environ.get(USER_ENV)
    if not user and getattr(args, "demo", False):
        from db.demo import DEMO_PASSWORD, DEMO_SUPERVISOR, ensure_demo_accounts

        ensure_demo_accounts(db)
        return accounts.sign_in(db, DEMO_SUPERVISOR[0], DEMO_PASSWORD).actor
    if not user:
        raise PasswordRequired("say who you are: --user NAME (or ENROLLMENT_STATION_USER)")
    result = accounts.sign_in(db, user, ask_password(_("Password for {user}: ").format(user=user)))
    if result.must_change_password and not allow_temporary:
        raise MustChangePassword(
            "change your temporary password first: main.py officers password --user NAME"
        )
    return result.actor


def _open(args: argparse.Namespace) -> StationDB:
    from db.cli import open_from_args

    return open_from_args(args)


def _temporary_password(username: str) -> str:
    """The temporary password an administrator gives out: environment (automation) or prompt."""
    return os.environ.get("ENROLLMENT_STATION_NEW_PASSWORD") or ask_password(
        _("Temporary password for {user}: ").format(user=username), confirm=True, env=False
    )


def cmd_officers_add(args: argparse.Namespace) -> int:
    with _open(args) as db:
        actor = cli_actor(db, args)
        password = _temporary_password(args.username)
        info = accounts.create_officer(db, actor, args.username, args.full_name, args.role,
                                       password)  # fmt: skip
    print(_("Account {user} created ({role}); the password must be changed at first "
            "sign-in.").format(user=info.username, role=info.role))  # fmt: skip
    return 0


def cmd_officers_list(args: argparse.Namespace) -> int:
    with _open(args) as db:
        officers = accounts.list_officers(db, cli_actor(db, args))
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
    with _open(args) as db:
        accounts.set_active(db, cli_actor(db, args), args.username, args.enable)
    print(_("Done."))
    return 0


def cmd_officers_reset(args: argparse.Namespace) -> int:
    with _open(args) as db:
        actor = cli_actor(db, args)
        password = _temporary_password(args.username)
        accounts.reset_password(db, actor, args.username, password)
    print(_("Password reset; it must be changed at the next sign-in."))
    return 0


def cmd_officers_password(args: argparse.Namespace) -> int:
    user = getattr(args, "user", None) or os.environ.get(USER_ENV)
    if not user:
        raise PasswordRequired("say who you are: --user NAME (or ENROLLMENT_STATION_USER)")
    with _open(args) as db:
        current = ask_password(_("Password for {user}: ").format(user=user))
        actor = accounts.sign_in(db, user, current).actor
        new = os.environ.get("ENROLLMENT_STATION_NEW_PASSWORD") or ask_password(
            _("New password: "), confirm=True, env=False
        )
        accounts.change_password(db, actor, current, new)
    print(_("Password changed."))
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    with _open(args) as db:
        actor = cli_actor(db, args)
        from db.permissions import require

        require(actor, "audit.view")
        result = audit.verify(db)
        audit.record(db, actor, "audit.verify", None, None,
                     "ok" if result.ok else f"broken at #{result.first_broken}")  # fmt: skip
    if result.ok:
        print(_("Audit trail intact: {n} events verified.").format(n=result.checked))
        return 0
    print(_("AUDIT TRAIL BROKEN at event #{seq} ({reason}); {n} events before it verified.")
          .format(seq=result.first_broken, reason=result.reason, n=result.checked))  # fmt: skip
    return 1


def cmd_audit_show(args: argparse.Namespace) -> int:
    day = date.fromisoformat(args.date) if args.date else None
    with _open(args) as db:
        rows = audit.show(db, cli_actor(db, args), day=day, officer=args.officer,
                          action=args.action, limit=args.limit)  # fmt: skip
    rows.reverse()  # oldest first on a terminal
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=1))
        return 0
    for r in rows:
        obj = f"{r.entity or ''}{' #' + r.entity_id if r.entity_id else ''}"
        print(f"{r.seq:>8}  {to_local(r.at):%Y-%m-%d %H:%M:%S}  {r.officer:<16} {r.action:<22} "
              f"{obj:<28} {r.details or ''}")  # fmt: skip
    return 0


def register(sub: Any) -> None:
    from db.cli import _wrap

    officers = sub.add_parser("officers", help=_("officer accounts (administrator)"))
    osub = officers.add_subparsers(dest="officers_command", metavar="ACTION", required=True)
    p = osub.add_parser("add", help=_("create an account with a temporary password"))
    p.add_argument("username")
    p.add_argument("full_name")
    p.add_argument("--role", choices=("officer", "supervisor", "admin"), default="officer")
    add_user_option(p)
    p.set_defaults(func=_wrap(cmd_officers_add))
    p = osub.add_parser("list", help=_("list the accounts"))
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=_wrap(cmd_officers_list))
    for name, enable, text in (("disable", False, _("disable an account")),
                               ("enable", True, _("enable a disabled account"))):  # fmt: skip
        p = osub.add_parser(name, help=text)
        p.add_argument("username")
        add_user_option(p)
        p.set_defaults(func=_wrap(cmd_officers_disable), enable=enable)
    p = osub.add_parser("reset-password", help=_("give an account a temporary password"))
    p.add_argument("username")
    add_user_option(p)
    p.set_defaults(func=_wrap(cmd_officers_reset))
    p = osub.add_parser("password", help=_("change your own password"))
    add_user_option(p)
    p.set_defaults(func=_wrap(cmd_officers_password))

    au = sub.add_parser("audit", help=_("the audit trail (supervisor, administrator)"))
    asub = au.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = asub.add_parser("verify", help=_("check the hash chain; name the first broken event"))
    add_user_option(p)
    p.set_defaults(func=_wrap(cmd_audit_verify))
    p = asub.add_parser("show", help=_("list events"))
    p.add_argument("--date", help=_("local day YYYY-MM-DD"))
    p.add_argument("--officer", help=_("only this user name"))
    p.add_argument("--action", help=_("only actions starting with this"))
    p.add_argument("--limit", type=int, default=200)
    p.add_argument("--json", action="store_true")
    add_user_option(p)
    p.set_defaults(func=_wrap(cmd_audit_show))
