"""``hub init``: create or migrate the hub database, its key file and its first account.

The database is migrated with the stations' own Alembic migrations (dialect-neutral; where a
station uses SQLite's FTS5, the hub gets its PostgreSQL counterpart). A new hub is a
``station`` row of kind ``hub`` (province by its official code), its key file and
configuration in the hub folder, and its first administrator, signed in.

Killed at any moment, ``init`` can simply be run again: the folder's configuration is written
before the database's hub row, so a configuration naming no hub in the database is a leftover
to clear, and a hub without its administrator gets one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from db import keys, schema
from db.accounts import UNUSABLE_PASSWORD
from db.actor import Actor
from db.errors import InvalidInput, StationExists
from db.hub import keyfile
from db.hub.database import (
    CONFIG_FILE,
    HubDB,
    default_hub_dir,
    hub_engine,
    hub_station_id,
    read_config,
    write_config,
)
from db.models import Officer, Station, new_uuid
from db.text import nfc
from resources.i18n import N_


@dataclass(frozen=True)
class HubSetUp:
    db: HubDB
    admin: Actor | None  # None: the hub existed and has its administrator (migrated only)
    created: bool


def init_hub(
    url: str, hub_dir: Path | None = None, *, name: str, province: str | None,
    admin: str, admin_name: str, password: str,
    passphrase: keys.PassphraseProvider = keyfile.hub_passphrase,
) -> HubSetUp:  # fmt: skip
    from db import places
    from db.station_setup import finish_setup

    hub_dir = hub_dir or default_hub_dir()
    engine = hub_engine(url)
    try:
        with engine.begin() as conn:
            schema.upgrade(conn)
        found = hub_station_id(engine)
        config = read_config(hub_dir) if (hub_dir / CONFIG_FILE).exists() else None
        if found is not None:
            if config is None or config.get("station_id") != found:
                raise StationExists(N_("This database already holds a hub, set up with another "
                                       "hub folder: give its --hub-dir."))  # fmt: skip
            db = HubDB(hub_dir, engine, found)
            if _has_admin(db):
                return HubSetUp(db, None, False)
            return HubSetUp(db, finish_setup(db, admin, admin_name, password), True)
        if config is not None:  # a leftover of an init killed before the database's hub row
            (hub_dir / CONFIG_FILE).unlink()
            (hub_dir / keyfile.KEY_FILE).unlink(missing_ok=True)
        p = places.find_province(province) if province else None
        if province and p is None:
            raise InvalidInput(N_("“{name}” is not one of the 34 provinces: write its name or "
                                  "its two-digit code."), name=province)  # fmt: skip
        hub_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        station_id = new_uuid()
        pair = keyfile.create(hub_dir, station_id, passphrase)
        write_config(hub_dir, station_id)
        db = HubDB(hub_dir, engine, station_id, pair)
        with db.Session.begin() as s:
            s.add(Station(id=station_id, name=nfc(name), commune=p.name if p else nfc(name),
                          kind="hub",
                          province=p.name if p else None, province_code=p.code if p else None,
                          slip_code="HUB"))  # fmt: skip
        return HubSetUp(db, finish_setup(db, admin, admin_name, password), True)
    except BaseException:
        engine.dispose()
        raise


def _has_admin(db: HubDB) -> bool:
    with db.Session() as s:
        return bool(s.scalar(select(func.count()).select_from(Officer).where(
            Officer.station_id == db.station_id, Officer.role == "admin",
            Officer.password_hash != UNUSABLE_PASSWORD)))  # fmt: skip
