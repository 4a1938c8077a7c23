"""What every command shares: who is acting, passwords from a prompt or the environment, and the
one error path (a translated sentence on stderr, exit status 2, never a traceback)."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from db.access import PASSWORD_ENV, USER_ENV, sign_in
from db.errors import StationError
from db.service import StationService
from db.station import StationDB
from resources.i18n import N_, _
from resources.private_files import write_private
from resources.problems import Problem, describe, log_unexpected

log = logging.getLogger(__name__)

NEW_PASSWORD_ENV = "ENROLLMENT_STATION_NEW_PASSWORD"
Command = Callable[[argparse.Namespace], int]


class PasswordRequired(StationError):
    """No password in the environment and no terminal to ask for one."""

    message = N_("No password: set ENROLLMENT_STATION_PASSWORD or use a terminal.")


class MustChangePassword(StationError):
    """A temporary password must be changed before anything else."""

    message = N_(
        "Change your temporary password first: main.py officers password --user NAME"
    )


class UsageError(Problem):
    """A command-line value that cannot be used (a date not written YYYY-MM-DD...)."""

    message = N_("This value cannot be used here.")


def fail(message: str) -> int:
    print(_("Error: {message}").format(message=message), file=sys.stderr)
    return 2


def wrap(func: Command) -> Command:
    """Run a command; expected failures become one translated line on stderr and exit 2."""

    def run(args: argparse.Namespace) -> int:
        try:
            return int(func(args))
        except Problem as exc:
            log_unexpected(exc, args.command or "command")
            return fail(describe(exc))
        except KeyboardInterrupt:
            return fail(_("Interrupted; nothing was changed."))

    return run


def parse_day(text: str | None) -> date:
    """A ``--date``-like option: YYYY-MM-DD, today when not given."""
    from db.vntime import today_local

    if not text:
        return today_local()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(N_("Dates are written YYYY-MM-DD.")) from None


def add_user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--user", help=_("your user name (or ENROLLMENT_STATION_USER)"))


def ask_password(prompt: str, *, confirm: bool = False, env: bool = True) -> str:
    value = os.environ.get(PASSWORD_ENV) if env else None
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise PasswordRequired()
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass(_("Again: ")) != first:
        raise PasswordRequired(N_("The two passwords differ."))
    return first


def new_password(prompt: str) -> str:
    """A password being given out or chosen: the environment (automation) or a prompt twice."""
    return os.environ.get(NEW_PASSWORD_ENV) or ask_password(prompt, confirm=True, env=False)


def user_of(args: argparse.Namespace) -> str:
    user = getattr(args, "user", None) or os.environ.get(USER_ENV)
    if not user:
        raise PasswordRequired(N_("Say who you are: --user NAME (or ENROLLMENT_STATION_USER)."))
    return str(user)


def cli_service(
    db: StationDB, args: argparse.Namespace, *, allow_temporary: bool = False
) -> StationService:
    """Sign in the person named on the command line: the same sign-in as the GUI (lockout
    and audit included). On the demo station, without a user name, the demo supervisor."""
    if not (getattr(args, "user", None) or os.environ.get(USER_ENV)) and getattr(
        args, "demo", False
    ):
        from db.demo.accounts import DEMO_PASSWORD, DEMO_SUPERVISOR

        return sign_in(db, DEMO_SUPERVISOR[0], DEMO_PASSWORD).service
    user = user_of(args)
    signed = sign_in(db, user, ask_password(_("Password for {user}: ").format(user=user)))
    if signed.must_change_password and not allow_temporary:
        raise MustChangePassword()
    return signed.service


def write_pdf(path: str, pdf: bytes) -> Path:
    """Write a PDF where the user said (it may hold personal data: only on request)."""
    out = Path(path)
    if out.suffix.lower() != ".pdf":
        out = out.with_suffix(out.suffix + ".pdf")
    write_private(out, pdf)
    print(_("Saved {path}").format(path=out), file=sys.stderr)
    return out
