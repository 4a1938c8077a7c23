"""Create and open a station: data directory, key, encrypted database, schema.

Opening checks everything before it writes anything: a missing station, a wrong key or
passphrase, a file that is not a station database and a database from a newer program are
reported as errors (db/errors.py) and leave the files untouched.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from db import keys, schema
from db.engine import make_engine
from db.errors import (
    InvalidInput,
    NotAStationDatabase,
    StationError,
    StationExists,
    StationNotFound,
    WrongKey,
)
from db.models import Station
from db.station_keys import PrivateKeys, keys_in
from db.types import StationInfo
from db.writing import Writes
from resources.i18n import N_
from resources.private_files import create_private, tighten, write_private

log = logging.getLogger(__name__)

APP_NAME = "enrollment-station"
DB_FILE = "station.db"
CONFIG_FILE = "station.json"
KEY_FILE = "station.key"
CONFIG_FORMAT = "enrollment-station"


def default_data_dir(demo: bool = False) -> Path:
    from platformdirs import user_data_dir

    base = Path(user_data_dir(APP_NAME, appauthor=False))
    return base / ("demo" if demo else "station")


class _Sessions(sessionmaker[Session]):
    """``Session()`` for reads; ``Session.begin()`` for a write, which holds the write lock
    from its first statement (db/writing.py says why)."""

    writes: Writes

    @contextlib.contextmanager
    def begin(self) -> Iterator[Session]:
        with self() as session, session.begin():
            self.writes.begin_immediate(session.connection())
            yield session


class StationDB:
    """An open station: the engine and a session factory (one session per user action)."""

    def __init__(self, data_dir: Path, engine: Engine, station_id: str) -> None:
        self.data_dir = data_dir
        self.engine = engine
        self.station_id = station_id
        self.writes = Writes(data_dir)
        self.Session = _Sessions(engine, expire_on_commit=False)
        self.Session.writes = self.writes

    @contextlib.contextmanager
    def write_connection(self) -> Iterator[Connection]:
        """A Core connection in a write transaction (bulk writers such as the import)."""
        with self.engine.begin() as conn:
            self.writes.begin_immediate(conn)
            yield conn

    def private_keys(self, s: Session) -> PrivateKeys:
        """The station's keys to sign and receive bundles: in its encrypted database."""
        return keys_in(s, self.station_id)

    @contextlib.contextmanager
    def import_session(self, sender: str) -> Iterator[Session]:
        """The transaction a bundle from ``sender`` merges in: the station's write lock."""
        with self.Session.begin() as s:
            yield s

    def info(self) -> StationInfo:
        with self.Session() as s:
            st = s.get(Station, self.station_id)
            if st is None:
                raise NotAStationDatabase(N_("The station record is missing from the database."))
            return StationInfo(st.id, st.name, st.commune, st.province, st.kind, st.slip_layout,
                               bool(st.training))  # fmt: skip

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> StationDB:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _store_for(kind: str, data_dir: Path, passphrase: keys.PassphraseProvider) -> keys.KeyStore:
    if kind == "keyring":
        return keys.KeyringStore()
    if kind == "keyfile":
        return keys.KeyFileStore(data_dir / KEY_FILE, passphrase)
    raise NotAStationDatabase(N_("The station configuration names an unknown key store."))


def _read_config(data_dir: Path) -> dict[str, str]:
    path = data_dir / CONFIG_FILE
    if not path.exists():
        raise StationNotFound(N_("No station has been set up in {path}."), path=str(data_dir))
    try:
        config: dict[str, str] = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise NotAStationDatabase(N_("The station configuration file is damaged.")) from exc
    if config.get("format") != CONFIG_FORMAT:
        raise NotAStationDatabase(N_("The station configuration file is not this program's."))
    return config


def station_exists(data_dir: Path) -> bool:
    return (data_dir / CONFIG_FILE).exists()


def create_station(
    data_dir: Path,
    *,
    name: str,
    commune: str,
    province: str | None = None,
    kind: str = "hq",
    key_store: str = "auto",
    passphrase: keys.PassphraseProvider = keys.passphrase_from_env_or_terminal,
    prepare: Callable[[StationDB], None] | None = None,
    slip_series: str | None = None,
    training: bool = False,
) -> tuple[StationDB, bytes]:
    """Set up a new station; returns it open, and the key (for the recovery sheet).

    All or nothing: the station is built in a hidden directory beside ``data_dir`` — key,
    database, configuration and whatever ``prepare`` adds (the first administrator, the demo's
    register) — and renamed into place only when complete. A kill at any moment leaves either
    no station (the next ``init`` clears the leftovers and starts again) or a whole one.
    A ``training`` station (TRẠM TẬP HUẤN) holds synthetic people only: its screens and slips
    say so, and it exchanges files only with other training stations.
    """
    from db import places
    from db.text import nfc

    if station_exists(data_dir) or (data_dir / DB_FILE).exists():
        raise StationExists(N_("A station already exists in {path}."), path=str(data_dir))
    if data_dir.is_dir() and any(data_dir.iterdir()):
        raise StationExists(
            N_("The folder {path} is not empty: choose an empty folder for a new station."),
            path=str(data_dir),
        )
    if kind not in ("hq", "mobile"):
        raise InvalidInput(N_("A station is either headquarters or a mobile team."))
    from db.slip_series import default_series, valid_series

    series = valid_series(slip_series) if slip_series else default_series(commune, kind)
    if key_store == "auto":
        key_store = "keyring" if keys.keyring_usable() else "keyfile"
    data_dir.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # never chmod a parent
    _clear_unfinished(data_dir, passphrase)
    work = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}{UNFINISHED}", dir=data_dir.parent))
    key = keys.new_key()
    station = Station(name=nfc(name), commune=nfc(commune), province=province and nfc(province))
    place = places.find_commune(commune, province)  # the official codes (db/places.py)
    station.commune_code = place.code if place else None
    found = places.by_code(place.province_code) if place else places.find_province(province)
    station.province_code = found.code if found else None
    station.id = _new_id()
    station.kind = kind
    station.slip_code = series  # fixed at init: field sync relies on it (DESIGN §11)
    station.training = training
    store = _store_for(key_store, work, passphrase)
    db: StationDB | None = None
    try:
        # The configuration first: an unfinished directory then says whose key to forget.
        _write_config(work, station.id, key_store, key)
        store.store_key(station.id, key)
        create_private(work / DB_FILE)  # SQLite gives -wal and -shm the same mode
        engine = make_engine(work / DB_FILE, key)
        with engine.begin() as conn:
            schema.upgrade(conn)
        db = StationDB(work, engine, station.id)
        with db.Session.begin() as s:
            s.add(station)
        if prepare is not None:
            prepare(db)
        db.close()
        if data_dir.is_dir():
            data_dir.rmdir()  # empty (checked above); rename() needs it gone
        os.rename(work, data_dir)
    except BaseException:
        if db is not None:
            db.close()
        _forget(work, store, station.id)
        raise
    log.info("station created (key store: %s)", key_store)
    return open_station(data_dir, key=key), key


#: Marks a directory of a station being built (``.station.init-…`` beside the data directory).
UNFINISHED = ".init-"


def _write_config(directory: Path, station_id: str, key_store: str, key: bytes) -> None:
    config = {
        "format": CONFIG_FORMAT,
        "version": 1,
        "station_id": station_id,
        "key_store": key_store,
        "key_check": keys.key_check(key),
    }
    write_private(directory / CONFIG_FILE, json.dumps(config, indent=1).encode("utf-8"))


def _forget(work: Path, store: keys.KeyStore, station_id: str) -> None:
    """Remove what an unfinished creation left: its directory, and its key in the keyring."""
    with contextlib.suppress(Exception):
        store.delete_key(station_id)
    shutil.rmtree(work, ignore_errors=True)


def _clear_unfinished(data_dir: Path, passphrase: keys.PassphraseProvider) -> None:
    """Leftovers of an ``init`` that was killed: forgotten before the next one starts."""
    for work in data_dir.parent.glob(f".{data_dir.name}{UNFINISHED}*"):
        if not work.is_dir():
            continue
        try:
            config = json.loads((work / CONFIG_FILE).read_text("utf-8"))
            store = _store_for(str(config["key_store"]), work, passphrase)
            _forget(work, store, str(config["station_id"]))
        except (OSError, ValueError, KeyError, StationError):
            shutil.rmtree(work, ignore_errors=True)
        log.info("cleared an unfinished station setup")


def _new_id() -> str:
    from db.models import new_uuid

    return new_uuid()


def open_station(
    data_dir: Path,
    passphrase: keys.PassphraseProvider = keys.passphrase_from_env_or_terminal,
    key: bytes | None = None,
) -> StationDB:
    """Open an existing station, migrating its schema if this program is newer.

    ``key`` bypasses the key store (recovery from the printed sheet).
    """
    config = _read_config(data_dir)
    tighten(data_dir)  # a station made by an older version, or copied with loose modes
    db_path = data_dir / DB_FILE
    if not db_path.exists():
        recover_interrupted(data_dir)  # a restore killed halfway: the replaced one goes back
    if not db_path.exists():
        raise NotAStationDatabase(N_("The station database {file} is missing."), file=DB_FILE)
    station_id = config["station_id"]
    if key is None:
        key = _store_for(config["key_store"], data_dir, passphrase).get_key(station_id)
    if keys.key_check(key) != config.get("key_check"):
        raise WrongKey(N_("This key does not belong to this station. Nothing was changed."))
    try:
        engine = make_engine(db_path, key)
    except WrongKey:
        # The key is the station's own, so the file itself is not the station's database.
        raise NotAStationDatabase(
            N_("The database file is damaged or not this station's. Nothing was changed.")
        ) from None
    try:
        with engine.begin() as conn:
            schema.upgrade(conn)
    except SADatabaseError as exc:
        engine.dispose()
        raise NotAStationDatabase(N_("The database file is damaged. Nothing was changed.")) from exc
    except BaseException:
        engine.dispose()
        raise
    return StationDB(data_dir, engine, station_id)


# --- a restore killed halfway (db/restore.py) -----------------------------------------------

#: Marks the folder a restore moves the replaced database into (``.station.replaced-…``).
ASIDE = ".replaced-"
#: The database's own files: moved together (the WAL holds committed pages).
DB_FILES = (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm")


def _work_dirs(data_dir: Path, marker: str) -> list[Path]:
    return [p for p in data_dir.parent.glob(f".{data_dir.name}{marker}*") if p.is_dir()]


def recover_interrupted(data_dir: Path) -> bool:
    """A restore killed after moving the database aside and before putting the restored one in
    place leaves a station without its database: put the replaced one back (True if done)."""
    if (data_dir / DB_FILE).exists() or not station_exists(data_dir):
        return False
    for aside in sorted(_work_dirs(data_dir, ASIDE)):
        if (aside / DB_FILE).exists():
            for name in (*DB_FILES, CONFIG_FILE, KEY_FILE):
                if (aside / name).exists():
                    os.replace(aside / name, data_dir / name)
            shutil.rmtree(aside, ignore_errors=True)
            log.warning("an interrupted restore was undone")
            return True
    return False

