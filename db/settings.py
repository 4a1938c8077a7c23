"""Typed, versioned station settings in the ``setting`` table (ARCHITECTURE.md).

Why a registry rather than free key/value pairs: every setting has a type, a default and bounds,
so a damaged or hand-edited row falls back to the default instead of crashing the sign-in screen,
and a new program version can add settings without a migration (missing rows mean "default").
Stored rows hold ``{"value": ...}``; the row ``settings.version`` records which upgrade steps
have run. Changing a setting is a supervisor's or administrator's action and is audited
(db/audit.py); reading is free. Window geometry stays in QSettings, not here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.actor import Actor
from db.errors import InvalidInput
from db.models import Setting, Station
from db.station import StationDB
from db.types import Settings
from resources.i18n import N_

log = logging.getLogger(__name__)
#: Settings a work packet carries from headquarters to its laptops (not the hardware ones).
SHARED = ("lockout_attempts", "lockout_minutes", "idle_lock_minutes", "min_password_length",
          "fingerprint_rolled", "fingerprint_attempts", "fingerprint_threshold",
          "sync_warn_days", "prune_images_days", "backup_warn_days")  # fmt: skip

PREFIX = "station."
VERSION_KEY = "settings.version"
VERSION = 1


@dataclass(frozen=True, slots=True)
class Spec:
    key: str
    default: Any
    kind: type
    low: int | None = None
    high: int | None = None
    choices: tuple[str, ...] = ()

    def coerce(self, value: Any) -> Any:
        """The value if it is valid for this setting; InvalidInput (a ValueError) otherwise."""
        if self.kind is int:
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise InvalidInput(N_("The setting {name} needs a whole number."), name=self.key)
            value = int(value)
            if (self.low is not None and value < self.low) or (
                self.high is not None and value > self.high
            ):
                raise InvalidInput(
                    N_("The setting {name} must be between {low} and {high}."),
                    name=self.key, low=self.low, high=self.high,
                )  # fmt: skip
            return value
        value = str(value)
        if self.choices and value not in self.choices:
            raise InvalidInput(
                N_("The setting {name} must be one of: {choices}."),
                name=self.key, choices=", ".join(self.choices),
            )  # fmt: skip
        return value


SPECS: dict[str, Spec] = {
    s.key: s
    for s in (
        Spec("lockout_attempts", 5, int, 1, 50),
        Spec("lockout_minutes", 15, int, 1, 24 * 60),
        Spec("idle_lock_minutes", 5, int, 1, 240),
        Spec("min_password_length", 8, int, 6, 64),
        Spec("slip_layout", "a5", str, choices=("a5", "roll80")),
        Spec("language", "vi", str, choices=("vi", "en")),
        Spec("fingerprint_scanner", "auto", str, choices=("auto", "sbi", "folder", "simulator")),
        Spec("fingerprint_folder", "", str),
        Spec("fingerprint_rolled", "no", str, choices=("no", "yes")),
        Spec("fingerprint_attempts", 3, int, 1, 10),
        Spec("fingerprint_threshold", 40, int, 0, 100),
        Spec("sync_warn_days", 7, int, 1, 365),
        Spec("prune_images_days", 0, int, 0, 3650),
        Spec("backup_warn_days", 3, int, 1, 365),
    )
}


def _resolve(rows: dict[str, Any]) -> Settings:
    values: dict[str, Any] = {}
    for f in fields(Settings):
        spec = SPECS[f.name]
        raw = rows.get(PREFIX + f.name)
        try:
            values[f.name] = spec.default if raw is None else spec.coerce(raw.get("value"))
        except (ValueError, AttributeError):
            log.warning("setting %s is damaged; using the default", f.name)
            values[f.name] = spec.default
    return Settings(**values)


def load_in(s: Session) -> Settings:
    rows = {
        r.key: r.value for r in s.scalars(select(Setting).where(Setting.key.startswith(PREFIX)))
    }
    return _resolve(rows)


def load(db: StationDB) -> Settings:
    with db.Session() as s:
        return load_in(s)


def _store(s: Session, name: str, value: Any) -> None:
    row = s.get(Setting, PREFIX + name)
    if row is None:
        s.add(Setting(key=PREFIX + name, value={"value": value}))
    else:
        row.value = {"value": value}


def change(db: StationDB, actor: Actor, name: str, value: Any) -> Settings:
    """Change one setting (supervisor or administrator); audited with old and new value.

    ``slip_layout`` is mirrored on the station row, which the slip builder reads.
    """
    from db import audit
    from db.permissions import require

    require(actor, "settings.change")
    spec = SPECS.get(name)
    if spec is None:
        raise InvalidInput(N_("There is no setting {name}."), name=name)
    value = spec.coerce(value)
    with db.Session.begin() as s:
        old = getattr(load_in(s), name)
        _store(s, name, value)
        if name == "slip_layout":
            station = s.get(Station, db.station_id)
            if station is not None:
                station.slip_layout = value
        audit.append(s, db.station_id, actor, "settings.change", "setting", name,
                     f"{old} -> {value}")  # fmt: skip
        return load_in(s)


# --- upgrade steps ---------------------------------------------------------------------


def _v1(s: Session, station_id: str) -> None:
    """Version 1: the slip layout chosen at setup (a station column) becomes a setting."""
    station = s.get(Station, station_id)
    if station is not None and s.get(Setting, PREFIX + "slip_layout") is None:
        _store(s, "slip_layout", station.slip_layout)


UPGRADES: dict[int, Callable[[Session, str], None]] = {1: _v1}


def upgrade(db: StationDB) -> int:
    """Run the upgrade steps this station has not had; returns the settings version."""
    with db.Session.begin() as s:
        row = s.get(Setting, VERSION_KEY)
        current = int(row.value.get("version", 0)) if row is not None else 0
        if current >= VERSION:
            return current
        for version in range(current + 1, VERSION + 1):
            UPGRADES[version](s, db.station_id)
        if row is None:
            s.add(Setting(key=VERSION_KEY, value={"version": VERSION}))
        else:
            row.value = {"version": VERSION}
        log.info("settings upgraded from version %d to %d", current, VERSION)
        return VERSION
