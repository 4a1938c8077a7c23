"""Finishing a new station (flow 1): settings, the first administrator, the recovery sheet.

Shared by ``main.py init`` and the GUI's first-run wizard, so both leave the same trace: the
station's first audit events are its creation and who was made administrator.
"""

from __future__ import annotations

from db import accounts, audit, settings
from db.actor import Actor
from db.station import StationDB
from db.vntime import now_utc


def finish_setup(db: StationDB, username: str, full_name: str, password: str) -> Actor:
    """Settings at their current version and the first administrator (signed in)."""
    settings.upgrade(db)
    admin = accounts.create_first_admin(db, username, full_name, password)
    audit.record(db, admin, "station.init", "station", db.station_id)
    return admin


def recovery_sheet_pdf(db: StationDB, key: bytes) -> bytes:
    """The key recovery sheet as PDF bytes (built in memory; the caller prints or saves it)."""
    from db.documents import print_station
    from printing import build_recovery_sheet
    from printing.model import RecoveryData

    return build_recovery_sheet(RecoveryData(print_station(db), key, now_utc()))


def record_sheet(db: StationDB, actor: Actor, how: str) -> None:
    """The sheet was printed or saved ("print" | "save"): audited, never its content."""
    audit.record(db, actor, f"recovery_sheet.{how}", "station", db.station_id)
