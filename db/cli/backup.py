"""``backup --to DIR`` (scheduled or by hand) and ``restore FILE [--yes] [--recovery-key]``.

``backup`` needs only the station key when no user is named (a scheduled job: the keyring of
the signed-in session, or the key file and ``ENROLLMENT_STATION_PASSPHRASE``); it is then the
program's own action in the trail. With ``--user`` it is that person's, role checked.

``restore`` works on a station that cannot be opened (that is when one restores): the key is the
authority — the station's own key store, the backup's key file and passphrase, or the key typed
from the recovery sheet (``--recovery-key``, or ``ENROLLMENT_STATION_RECOVERY_KEY``).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from db.access import data_dir_of, open_from_args
from db.cli.common import UsageError, add_user_option, cli_service, wrap
from db.types import BackupInfo
from resources.i18n import N_, _

RECOVERY_KEY_ENV = "ENROLLMENT_STATION_RECOVERY_KEY"


def _when(info_at: Any) -> str:
    from db.vntime import to_local

    return to_local(info_at).strftime("%d/%m/%Y %H:%M")


def cmd_backup(args: argparse.Namespace) -> int:
    from db.actor import SYSTEM
    from db.service import StationService

    target = Path(args.to)
    with open_from_args(args) as db:
        named = getattr(args, "user", None) or os.environ.get("ENROLLMENT_STATION_USER")
        service = cli_service(db, args) if named else StationService(db, SYSTEM)

        def stage(name: str) -> None:
            if not args.quiet:
                words = {"export": _("copying the database…"), "check": _("checking the copy…"),
                         "write": _("writing the file…"), "verify": _("reading it back…")}
                print(words.get(name, name), file=sys.stderr)

        report = service.backup(target, progress=stage)
    from db.labels import backup_lines

    print(_("Backup written and verified: {path} ({size:.1f} MB, {seconds:.1f} s)").format(
        path=report.path, size=report.size / 1e6, seconds=report.seconds))  # fmt: skip
    for line in backup_lines(report.counts):
        print("  " + line)
    return 0


def describe(info: BackupInfo) -> list[str]:
    from db.labels import backup_lines

    lines = [
        _("Backup of {station} ({commune}), made {when}, program {version}").format(
            station=info.station_name, commune=info.commune, when=_when(info.created_at),
            version=info.program or "?"),
        *("  " + line for line in backup_lines(info.counts)),
    ]  # fmt: skip
    return lines


def _recovery_key() -> str:
    value = os.environ.get(RECOVERY_KEY_ENV)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(N_("Type the key from the recovery sheet at a terminal, or set "
                            "{variable}."), variable=RECOVERY_KEY_ENV)  # fmt: skip
    from db.access import parse_recovery_key
    from db.errors import WrongKey

    for attempt in range(3):
        typed = getpass.getpass(_("Key from the recovery sheet (14 groups of 4): "))
        try:
            parse_recovery_key(typed)
            return typed
        except WrongKey as exc:
            if attempt == 2:
                raise
            print(exc.text(), file=sys.stderr)
    raise AssertionError("unreachable")


def cmd_restore(args: argparse.Namespace) -> int:
    from db import access

    path = Path(args.file)
    data_dir = data_dir_of(args)
    info = access.backup_info(path)
    for line in describe(info):
        print(line)
    typed = _recovery_key() if args.recovery_key else None
    print(_("Checking the backup…"), file=sys.stderr)
    plan = access.plan_restore(path, data_dir, recovery_key=typed)
    try:
        if plan.replaces:
            print(_("This replaces the station's data in {path} with the backup: what was "
                    "recorded after {when} is no longer on this computer (what headquarters "
                    "received is kept there).").format(path=data_dir,
                                                       when=_when(info.created_at)))  # fmt: skip
        if not args.yes:
            if not sys.stdin or not sys.stdin.isatty():
                raise UsageError(N_("Nothing was changed: confirm with --yes, or run the "
                                    "command at a terminal."))  # fmt: skip
            answer = input(_("Restore this backup? Type YES to go on: ")).strip()
            if answer.upper() not in ("YES", "CÓ", "CO"):
                print(_("Nothing was changed."))
                return 1
        db = access.finish_restore(plan)
    except BaseException:
        access.cancel_restore(plan)
        raise
    with db:
        kind = db.info().kind
    print(_("Station restored from the backup of {when} in {path}.").format(
        when=_when(info.created_at), path=data_dir))  # fmt: skip
    if kind == "mobile":
        print(_("Import headquarters' latest work packet before issuing slips: numbers and the "
                "trail go on from what headquarters holds."))  # fmt: skip
    return 0


def cmd_recover_key(args: argparse.Namespace) -> int:
    from db import access

    db = access.recover_key(data_dir_of(args), _recovery_key())
    with db:
        name = db.info().name
    print(_("The key of {station} is stored again on this computer; the station opens as "
            "before.").format(station=name))  # fmt: skip
    return 0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("backup", help=_("write an encrypted, verified backup of the station"))
    p.add_argument("--to", required=True, metavar="DIR",
                   help=_("the folder or removable drive to write it to"))  # fmt: skip
    p.add_argument("--quiet", action="store_true", help=_("no progress display"))
    add_user_option(p)
    p.set_defaults(func=wrap(cmd_backup))

    p = sub.add_parser("restore", help=_("replace the station's data with a backup"))
    p.add_argument("file", help=_("the backup file (.esbak)"))
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    p.add_argument("--recovery-key", action="store_true",
                   help=_("ask for the key printed on the recovery sheet (a computer without "
                          "the station's keyring or key file)"))  # fmt: skip
    p.set_defaults(func=wrap(cmd_restore))

    p = sub.add_parser("recover-key", help=_("store the station key again from the recovery "
                                             "sheet (the keyring or key file lost, the "
                                             "database intact)"))  # fmt: skip
    p.set_defaults(func=wrap(cmd_recover_key))
