"""Before anyone is signed in: find, open or set up a station, sign a person in, and get the
bound :class:`~db.service.StationService` that everything after goes through.

Shared by the GUI and the command line (the GUI may import this module, never db/cli), so both
open stations, name demo accounts and read the automation variables the same way.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from db import accounts, keys
from db.accounts import PASSWORD_ENV, USER_ENV
from db.actor import Actor
from db.keys import PASSPHRASE_ENV, PassphraseProvider
from db.service import StationService
from db.station import StationDB, create_station, default_data_dir, open_station, station_exists
from db.types import BackupInfo

if TYPE_CHECKING:
    from db.restore import RestorePlan as RestorePlan  # for the GUI's types (db/restore.py)



def keyring_usable() -> bool:
    """Whether this computer offers a keyring that protects secrets (else: a key file)."""
    return keys.keyring_usable()

__all__ = [
    "PASSPHRASE_ENV",
    "PASSWORD_ENV",
    "USER_ENV",
    "DemoHint",
    "SignedIn",
    "StationDB",
    "backup_info",
    "cancel_restore",
    "create_station",
    "create_with_admin",
    "data_dir_of",
    "demo_hint",
    "finish_restore",
    "has_administrator",
    "import_running",
    "is_demo",
    "keyring_usable",
    "newer_backups",
    "official_communes",
    "official_place",
    "official_provinces",
    "open_from_args",
    "parse_recovery_key",
    "plan_restore",
    "recover_key",
    "recovery_sheet",
    "set_up",
    "sign_in",
    "sign_in_from_environment",
    "station_exists",
]


@dataclass(frozen=True, slots=True)
class SignedIn:
    service: StationService
    must_change_password: bool

    @property
    def actor(self) -> Actor:
        return self.service.actor


@dataclass(frozen=True, slots=True)
class DemoHint:
    """What the demo station's sign-in dialog pre-fills and shows (published accounts)."""

    officer: str
    supervisor: str
    password: str


def data_dir_of(args: argparse.Namespace) -> Path:
    """The data directory the global options (``--data-dir``, ``--demo``) name."""
    if getattr(args, "demo", False):
        return default_data_dir(demo=True)
    data_dir = getattr(args, "data_dir", None)
    return Path(data_dir) if data_dir else default_data_dir()


def open_from_args(
    args: argparse.Namespace,
    passphrase: PassphraseProvider = keys.passphrase_from_env_or_terminal,
) -> StationDB:
    """The station the global options name (the demo station is created on first use), with
    its settings upgraded and, on the demo, its published accounts present."""
    from db import settings

    if getattr(args, "demo", False):
        from db.demo.station import ensure_demo_accounts, open_demo

        db = open_demo()
        ensure_demo_accounts(db)
    else:
        db = open_station(data_dir_of(args), passphrase)
    settings.upgrade(db)
    return db


def is_demo(db: StationDB) -> bool:
    """Whether this is the demo station (its accounts are published)."""
    from db.demo.accounts import is_demo as demo

    return demo(db)


def demo_hint() -> DemoHint:
    """The published demo accounts (shown on the demo station's sign-in only)."""
    from db.demo.accounts import DEMO_OFFICERS, DEMO_PASSWORD, DEMO_SUPERVISOR

    return DemoHint(DEMO_OFFICERS[0][0], DEMO_SUPERVISOR[0], DEMO_PASSWORD)


def has_administrator(db: StationDB) -> bool:
    """Whether anyone can sign in (else the first administrator is asked for)."""
    return accounts.has_accounts(db)


def sign_in(db: StationDB, username: str, password: str) -> SignedIn:
    """Check a user name and password (lockout and audit included): the bound service."""
    result = accounts.sign_in(db, username, password)
    return SignedIn(StationService(db, result.actor), result.must_change_password)


def sign_in_from_environment(db: StationDB) -> SignedIn | None:
    """Automation (kiosk scripts, benches): ``ENROLLMENT_STATION_USER`` and ``_PASSWORD``, the
    same variables as the command line; None when they are not both set."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if not user or not password:
        return None
    return sign_in(db, user, password)


def station_language(db: StationDB) -> str:
    """The station's language setting, for the screens before anyone signs in (sign-in, first
    administrator): not personal, and the same for every officer of the station."""
    from db import settings

    return settings.load(db).language


def import_running(db: StationDB) -> str | None:
    """What a sign-in will wait for, if anything: an import holding the database (its notice,
    a message id), else None."""
    from db.writing import WAITING_FOR_IMPORT

    return WAITING_FOR_IMPORT if db.writes.long_write_running() else None


def recovery_sheet(db: StationDB, key: bytes) -> bytes:
    """The key recovery sheet, while the key is at hand (setting up the station); printing or
    saving it is audited by the administrator's service (``recovery_sheet_kept``)."""
    from db.station_setup import recovery_sheet_pdf

    return recovery_sheet_pdf(db, key)


def create_with_admin(
    data_dir: Path, *, name: str, commune: str, province: str | None = None, kind: str = "hq",
    key_store: str = "auto", passphrase: PassphraseProvider = keys.passphrase_from_env_or_terminal,
    admin: str, admin_name: str, password: str, slip_series: str | None = None,
    training: bool = False,
) -> tuple[StationDB, StationService, bytes]:  # fmt: skip
    """A new station with its first administrator, all or nothing (``init`` and the first-run
    dialog): the open station, the administrator's service on it, and the key for the
    recovery sheet."""
    from db.station_setup import finish_setup

    made: list[Actor] = []
    db, key = create_station(
        data_dir, name=name, commune=commune, province=province, kind=kind,
        key_store=key_store, passphrase=passphrase, slip_series=slip_series, training=training,
        prepare=lambda db: made.append(finish_setup(db, admin, admin_name, password)),
    )  # fmt: skip
    return db, StationService(db, made[0]), key


def set_up(db: StationDB, username: str, full_name: str, password: str) -> StationService:
    """Finish a new station: settings and the first administrator, signed in."""
    from db.station_setup import finish_setup

    return StationService(db, finish_setup(db, username, full_name, password))


def official_provinces() -> list[tuple[str, str]]:
    """(code, name) of the 34 provinces (db/places.py): what setting up a station offers."""
    from db import places

    return [(p.code, p.name) for p in places.provinces()]


def official_communes(province: str | None) -> list[str]:
    """The names of a province's communes without their division word ("Nà Hỳ"), for the
    setup form's completion (empty for a province the list does not know)."""
    from db import places

    p = places.find_province(province) if province else None
    return sorted((c.short for c in places.communes_of(p.code)), key=str.casefold) if p else []


def official_place(commune: str, province: str | None) -> str | None:
    """The official name of the commune typed, or None when the list does not know it (the
    station keeps the typed name; the hub can then group it only by that name)."""
    from db import places

    found = places.find_commune(commune, province)
    return found.name if found else None


# --- restoring a backup (db/restore.py): before anyone can sign in ---------------------------


def backup_info(path: Path) -> BackupInfo:
    """What a backup file says it holds (read before its key is asked for)."""
    from db.restore import read_info

    return read_info(path)


def plan_restore(
    path: Path, data_dir: Path, *, recovery_key: str | None = None,
    passphrase: PassphraseProvider = keys.passphrase_from_env_or_terminal,
) -> RestorePlan:  # fmt: skip
    """Prove a backup for ``data_dir`` before anything is replaced. ``recovery_key``: the key
    as typed from the recovery sheet (a computer without the station's keyring or key file);
    else the station's own key store here, or the backup's key file and passphrase."""
    from db.restore import plan_restore as plan

    key = parse_recovery_key(recovery_key) if recovery_key is not None else None
    return plan(path, data_dir, key=key, recovered=key is not None, passphrase=passphrase)


def parse_recovery_key(text: str) -> bytes:
    """The key from the recovery sheet as typed; a clear error for a typing mistake."""
    from db.errors import WrongKey
    from printing.keytext import KeyTextError, parse_key_groups
    from resources.i18n import N_

    try:
        return parse_key_groups(text)
    except KeyTextError:
        raise WrongKey(N_("The key typed does not match its check group: a character is wrong "
                          "or missing. Type it again from the recovery sheet.")) from None


def finish_restore(
    plan: RestorePlan, passphrase: PassphraseProvider = keys.passphrase_from_env_or_terminal
) -> StationDB:
    """Replace the (closed) station by the proved backup; the restored station, open."""
    from db.restore import restore

    return restore(plan, passphrase=passphrase)


def recover_key(
    data_dir: Path, recovery_key: str,
    passphrase: PassphraseProvider = keys.passphrase_from_env_or_terminal,
) -> StationDB:  # fmt: skip
    """Open a station whose key store is lost with the key from the recovery sheet, and store
    the key anew (db/station.recover_key_store); the station, open."""
    from db.restore import recover_key_store

    return recover_key_store(data_dir, parse_recovery_key(recovery_key), passphrase)


def newer_backups(info: BackupInfo) -> list[BackupInfo]:
    """Later backups of the same station in the same folder, newest first."""
    from db.restore import newer_backups as newer

    return newer(info)


def cancel_restore(plan: RestorePlan) -> None:
    from db.restore import cancel

    cancel(plan)
