"""Who writes, and who waits: every write transaction takes the database's write lock when it
starts, and the long all-or-nothing writes (register imports, later sync bundles) say so.

Why ``BEGIN IMMEDIATE``: the SQLite driver otherwise starts a transaction at its first
``INSERT``/``UPDATE``, so the reads before it (a lockout counter, an enrollment's status) are not
protected, and two sign-ins or two supervisors can both act on what they read. A transaction that
holds the write lock from its first statement reads the latest committed state and nobody can
change it before it commits; a writer that must wait waits at ``BEGIN``, where retrying is safe.

Why a lock file beside the database: a writer waiting for the write lock cannot ask SQLite *who*
holds it. An import holds :data:`LONG_WRITE_LOCK` (an OS file lock, released by the kernel even
after a kill -9) for as long as its transaction runs, so the others can say "waiting for the
import to finish" and wait as long as it takes, and a second import is refused at once.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from db.errors import StationError
from resources.i18n import N_

log = logging.getLogger(__name__)

LONG_WRITE_LOCK = "long-write.lock"
#: SQLite's own wait per try (its busy handler); the loop below tries again after it.
BUSY_SLICE_MS = 1000
#: How long an ordinary write waits for another ordinary one (they last milliseconds).
SHORT_WAIT_S = 60.0
#: How long any write waits for an import: longer than the longest import (a province's
#: 1,000,000 residents take minutes); past it something is wrong and the officer is told.
LONG_WAIT_S = 2 * 3600.0

#: Called with a sentence when a writer starts waiting for a long write, and with None when it
#: stops waiting (the GUI shows it in the status bar). Set per station by the GUI.
WaitNotice = Callable[[str | None], None]

WAITING_FOR_IMPORT = N_("Waiting for the data import to finish…")


class DatabaseBusy(StationError):
    """Another write held the database for longer than a write may wait."""

    message = N_(
        "The station database stayed busy for too long. Nothing was changed; try again in a "
        "moment."
    )


class LongWriteRunning(StationError):
    """A second import (or bundle) while one is running."""

    message = N_("Another data import is running on this station. Wait until it has finished.")


def is_busy(exc: BaseException) -> bool:
    """Whether a driver error (or SQLAlchemy's wrapper of one) means "another connection holds
    the lock" rather than damage."""
    driver: object = exc.orig if isinstance(exc, OperationalError) else exc
    if type(driver).__name__ != "OperationalError":
        return False
    text = str(driver).lower()
    return "database is locked" in text or "database is busy" in text


class Writes:
    """The write lock of one station: immediate transactions, and the long-write lock file."""

    def __init__(self, data_dir: Path) -> None:
        self.lock_path = data_dir / LONG_WRITE_LOCK
        self.notice: WaitNotice | None = None

    # --- long writes --------------------------------------------------------------------------

    @contextlib.contextmanager
    def long_write(self) -> Iterator[None]:
        """Hold the long-write lock (an import), or refuse at once when another one holds it."""
        lock = FileLock(self.lock_path, timeout=2.0, mode=0o600, thread_local=False)
        try:
            lock.acquire()
        except Timeout:
            raise LongWriteRunning() from None
        try:
            yield
        finally:
            lock.release()

    def long_write_running(self) -> bool:
        """Whether some process (this one included: each probe is a lock on a file description
        of its own) holds the long-write lock now."""
        probe = FileLock(self.lock_path, timeout=0, mode=0o600, thread_local=False)
        try:
            probe.acquire()
        except Timeout:
            return True
        probe.release()
        return False

    # --- immediate transactions -------------------------------------------------------------

    def begin_immediate(self, conn: Connection) -> None:
        """Take the write lock on ``conn`` (first statement of its transaction), waiting for
        other writers; a wait for an import is announced through :attr:`notice`.

        The BEGIN goes to the driver's connection itself: a refused BEGIN leaves no transaction
        behind, so it is simply tried again, and SQLAlchemy's COMMIT ends the one that starts.
        """
        raw: Any = conn.connection.driver_connection
        started = time.monotonic()
        announced = False
        try:
            while True:
                try:
                    raw.execute("BEGIN IMMEDIATE")
                    return
                except Exception as exc:
                    if not is_busy(exc):
                        raise
                waited = time.monotonic() - started
                long = self.long_write_running()
                if long and not announced and self.notice is not None:
                    self.notice(WAITING_FOR_IMPORT)
                    announced = True
                if waited > (LONG_WAIT_S if long else SHORT_WAIT_S):
                    log.warning("gave up waiting for the write lock after %.0f s", waited)
                    raise DatabaseBusy()
        finally:
            if announced and self.notice is not None:
                self.notice(None)
