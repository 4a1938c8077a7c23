"""The district hub's database: PostgreSQL through the stations' own models and migrations.

A :class:`HubDB` is a :class:`~db.station.StationDB` whose engine is a PostgreSQL URL
(``postgresql+psycopg://…``) instead of an encrypted SQLite file, so everything written for a
station — sign-in, the audit chain, the merge of bundles, the tally — runs on it unchanged.
What differs is said here:

- **Locks.** SQLite has one writer, and every station write starts with ``BEGIN IMMEDIATE``.
  The hub serves many communes at once: an ordinary write (a sign-in's counter, pairing) takes
  one advisory lock for the same read-then-write safety, while the import of a commune's
  bundle takes a lock of that commune only — bundles from different communes merge side by
  side, two bundles of one commune one after the other (no lost update, no deadlock: the
  only other lock an import takes, the audit chain's, is taken last and held to the commit).
- **Keys.** A station keeps its private keys inside its encrypted database; PostgreSQL is not
  encrypted, so the hub's live in a key file in its configuration directory, wrapped under the
  hub passphrase like a station's key file (db/hub/keyfile.py).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from db import schema
from db.errors import InvalidInput, NotAStationDatabase, StationError, StationNotFound
from db.station import StationDB
from db.station_keys import PrivateKeys
from db.writing import Writes
from resources.i18n import N_
from resources.private_files import write_private

CONFIG_FILE = "hub.json"
CONFIG_FORMAT = "enrollment-station-hub"

#: Advisory lock keys (two-int form: namespace, key): ordinary writes, and one per commune.
WRITE_LOCK = (0x4553, 1)
IMPORT_NAMESPACE = 0x4554
WORK_MEM = "64MB"  # per sort or hash of a report: a few at once on a district's server


class HubUnreachable(StationError):
    """The database server cannot be reached, or refused the account."""

    message = N_(
        "The hub database cannot be reached: is PostgreSQL running, and is the --db address "
        "right? Nothing was changed."
    )


class NotAHub(StationError):
    message = N_("This database is not an Enrollment Station hub: set one up with hub init.")


def default_hub_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("enrollment-station", appauthor=False)) / "hub"


class _HubWrites(Writes):
    """Writes on PostgreSQL: an advisory lock where a station takes SQLite's write lock."""

    def begin_immediate(self, conn: Connection) -> None:
        conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"),
                     {"a": WRITE_LOCK[0], "b": WRITE_LOCK[1]})  # fmt: skip


def hub_engine(url: str) -> Engine:
    """An engine on the hub's database (PostgreSQL only: a hub is many communes' data)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidInput(N_("This is not a database address: write it like "
                              "postgresql+psycopg://hub@/hub?host=/run/postgresql")) from None
    if parsed.get_backend_name() != "postgresql":
        raise InvalidInput(N_("The hub runs on PostgreSQL: write its address like "
                              "postgresql+psycopg://hub@/hub?host=/run/postgresql"))
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        # work_mem: a district's reports group some 200,000 rows; at PostgreSQL's default
        # (4 MB) their sorts and hashes went to disk (bench/hub.py). A URL with its own
        # ``options`` keeps them.
        tuned = {} if "options" in parsed.query else {"options": f"-c work_mem={WORK_MEM}"}
        engine = create_engine(parsed, hide_parameters=True, pool_size=4, max_overflow=4,
                               pool_pre_ping=True, connect_args=tuned)  # fmt: skip
    except NoSuchModuleError:
        raise InvalidInput(N_("The hub needs psycopg: pip install -e '.[hub]'")) from None
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        said = str(exc.orig).lower()
        if "does not exist" in said and "database" in said:
            raise HubUnreachable(N_("The database {name} does not exist on that server: create "
                                    "it first (sudo -u postgres createdb -O USER {name})."),
                                 name=parsed.database or "?") from None  # fmt: skip
        if "authentication" in said or "role" in said:
            raise HubUnreachable(N_("PostgreSQL refused this account: create it (sudo -u "
                                    "postgres createuser USER) or name it in the --db address.")
                                 ) from None
        raise HubUnreachable() from None
    except ImportError:
        engine.dispose()
        raise InvalidInput(N_("The hub needs psycopg: pip install -e '.[hub]'")) from None
    return engine


class HubDB(StationDB):
    """The open hub: its engine, its station id and its private keys (from the key file)."""

    def __init__(self, hub_dir: Path, engine: Engine, station_id: str,
                 keys: PrivateKeys | None = None) -> None:  # fmt: skip
        super().__init__(hub_dir, engine, station_id)
        self.writes = _HubWrites(hub_dir)
        self.Session.writes = self.writes
        self._keys = keys

    def __enter__(self) -> HubDB:
        return self

    def private_keys(self, s: Session) -> PrivateKeys:
        if self._keys is None:
            from db.hub.keyfile import unlock

            self._keys = unlock(self.data_dir, self.station_id)
        return self._keys

    @contextlib.contextmanager
    def import_session(self, sender: str) -> Iterator[Session]:
        """One commune's bundle: a lock of that commune, not the hub's write lock."""
        with self.Session() as s, s.begin():
            s.execute(text("SELECT pg_advisory_xact_lock(:a, hashtext(:b))"),
                      {"a": IMPORT_NAMESPACE, "b": sender})  # fmt: skip
            yield s


def read_config(hub_dir: Path) -> dict[str, Any]:
    path = hub_dir / CONFIG_FILE
    if not path.exists():
        raise StationNotFound(N_("No hub has been set up in {path}."), path=str(hub_dir))
    try:
        config: dict[str, Any] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise NotAStationDatabase(N_("The hub configuration file is damaged.")) from exc
    if config.get("format") != CONFIG_FORMAT:
        raise NotAStationDatabase(N_("The hub configuration file is not this program's."))
    return config


def write_config(hub_dir: Path, station_id: str) -> None:
    doc = {"format": CONFIG_FORMAT, "version": 1, "station_id": station_id}
    write_private(hub_dir / CONFIG_FILE, json.dumps(doc, indent=1).encode("utf-8"))


def hub_station_id(engine: Engine) -> str | None:
    """The hub's own station id in the database, if it is a hub."""
    with engine.connect() as conn:
        if schema.current_revision(conn) is None:
            return None
        return conn.execute(text("SELECT id FROM station WHERE kind = 'hub'")).scalar()


def open_hub(url: str, hub_dir: Path | None = None) -> HubDB:
    """Open the hub at ``url`` (migrating it if this program is newer), with the key file of
    ``hub_dir``: both must be the same hub's."""
    hub_dir = hub_dir or default_hub_dir()
    engine = hub_engine(url)  # a wrong address says so first
    try:
        config = read_config(hub_dir)
        with engine.begin() as conn:
            schema.upgrade(conn)
        found = hub_station_id(engine)
    except BaseException:
        engine.dispose()
        raise
    if found is None:
        engine.dispose()
        raise NotAHub()
    if found != config.get("station_id"):
        engine.dispose()
        raise InvalidInput(N_("The hub folder {path} belongs to another hub database: give "
                              "the --hub-dir of this one."), path=str(hub_dir))  # fmt: skip
    return HubDB(hub_dir, engine, found)
