"""SQLCipher engine: a raw 256-bit key, and the pragmas a field laptop needs.

WAL with synchronous=FULL: a battery that dies must not lose a saved enrollment. The key is
passed only inside the URL object (never a string that could be logged) and never printed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.pool import QueuePool

from db.errors import NotAStationDatabase, WrongKey
from db.writing import BUSY_SLICE_MS
from resources.i18n import N_

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
# 16 KiB pages: a third less CPU per imported row than the default 4 KiB (fewer page splits,
# fewer per-page HMACs), measured on 200,000 residents; searches read cached pages anyway.
PAGE_SIZE = 16384
# Page cache per connection (negative = KiB), an upper bound: a commune register (≤ 20,000
# people, ~15 MB) never fills it; a province-sized one (1,000,000) keeps its search table hot.
CACHE_KIB = 256 * 1024


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        # Must follow the key, before anything is read; every station uses the same size.
        cur.execute(f"PRAGMA cipher_page_size={PAGE_SIZE}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        # Short: writers wait in db/writing.py's loop, which knows when an import holds the lock.
        cur.execute(f"PRAGMA busy_timeout={BUSY_SLICE_MS}")
    finally:
        cur.close()


def make_engine(path: Path, key: bytes) -> Engine:
    """An engine on the encrypted file ``path``; checks the key by reading the schema."""
    if path.exists() and path.stat().st_size >= 16:
        with path.open("rb") as fh:
            if fh.read(16) == SQLITE_MAGIC:
                raise NotAStationDatabase(
                    N_("The file is an unencrypted SQLite database, not a station.")
                )
    url = URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'", database=str(path))
    # hide_parameters: SQL errors must not carry names or ID numbers into logs.
    # QueuePool: the pysqlcipher default (SingletonThreadPool, 5 connections) closes
    # connections still in use once more threads than that have touched the engine.
    engine = create_engine(
        url,
        hide_parameters=True,
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)

    @event.listens_for(engine, "do_connect")
    def _quiet(dialect: Any, conn_rec: Any, cargs: Any, cparams: Any) -> Any:
        # Open ourselves so that SQLCipher's logging is off before the key is applied: a wrong
        # key is reported by our own error, not as "hmac check failed" noise on stderr.
        conn = dialect.loaded_dbapi.connect(*cargs, **cparams)
        conn.execute("PRAGMA cipher_log_level = NONE")
        return conn

    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT count(*) FROM sqlite_master")).scalar()
    except SADatabaseError as exc:
        engine.dispose()
        if "not a database" in str(exc.orig):
            raise WrongKey() from None
        raise
    return engine


def engine_key(engine: Engine) -> bytes:
    """The raw key an open station's engine was made with (a backup keys its copy and signs
    its manifest with it): it is already in memory in the engine's URL, never written out."""
    password = engine.url.password or ""
    if not (password.startswith("x'") and password.endswith("'")):
        raise ValueError("not a station engine")
    return bytes.fromhex(password[2:-1])
