"""The hub as its signed-in account may use it: the one way in for ``main.py hub …``.

Signing in is a station's (db/accounts.py: lockout, audit), on the hub's own accounts. Pairing,
identity files and the import of bundles are the stations' own code, reached through a
:class:`~db.service.StationService` on the hub's database; the reports across communes are
the hub's (db/hub/). Every method checks its permission in the core and leaves an audit event.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from db import audit
from db.actor import Actor
from db.hub.database import HubDB
from db.hub.duplicates import Duplicate
from db.hub.reports import HubCoverage, HubTally
from db.hub.search import HubSearchResult
from db.hub.status import HubState
from db.permissions import require
from db.service import StationService
from db.sync.identity import Identity
from db.sync.pairing import PairedInfo
from db.types import ImportResult


class HubService:
    def __init__(self, db: HubDB, actor: Actor) -> None:
        self._db = db
        self.actor = actor
        self._station = StationService(db, actor)

    @property
    def db(self) -> HubDB:
        return self._db

    def _trace(self, action: str, entity: str | None = None, entity_id: str | None = None,
               details: str | None = None) -> None:  # fmt: skip
        audit.record(self._db, self.actor, action, entity, entity_id, details)

    # --- the hub's identity and its communes ----------------------------------------------

    def identity_file(self) -> bytes:
        return self._station.identity_file()

    def own_identity(self) -> Identity:
        return self._station.own_identity()

    def preview_identity(self, data: bytes) -> Identity:
        return self._station.preview_identity(data)

    def pair_station(self, data: bytes) -> PairedInfo:
        return self._station.pair_station(data)

    def unpair_station(self, station_id: str) -> PairedInfo:
        return self._station.unpair_station(station_id)

    def status(self) -> HubState:
        from db.hub import status

        require(self.actor, "hub.view")
        return status.state(self._db)

    # --- bundles -------------------------------------------------------------------------

    def import_bundle(self, path: Path) -> ImportResult:
        """One commune's bundle, merged with headquarters' rules (all or nothing; a refusal
        raises :class:`db.sync.refusal.Refused`); audited in the import's transaction."""
        from db.sync import incoming

        require(self.actor, "hub.import")
        return incoming.import_file(self._db, path, actor=self.actor)

    # --- across communes -----------------------------------------------------------------

    def search(self, query: str) -> HubSearchResult:
        """The district's register, in the stations' query language (audited: how many)."""
        from db.hub.search import search

        require(self.actor, "hub.view")
        found = search(self._db, query)
        self._trace("hub.search", None, None, f"{len(found.hits)} found")
        return found

    def tally(self, date_from: date, date_to: date | None = None,
              commune: str | None = None) -> HubTally:  # fmt: skip
        from db.hub.reports import tally

        require(self.actor, "hub.view")
        found = tally(self._db, date_from, date_to, commune)
        self._trace("hub.tally", None, None, f"{len(found.communes)} communes")
        return found

    def coverage(self, on: date, commune: str | None = None) -> HubCoverage:
        from db.hub.reports import coverage

        require(self.actor, "hub.view")
        found = coverage(self._db, on, commune)
        self._trace("hub.coverage", None, None, f"{len(found.communes)} communes")
        return found

    def duplicates(self) -> list[Duplicate]:
        from db.hub.duplicates import duplicates

        require(self.actor, "hub.view")
        found = duplicates(self._db)
        self._trace("hub.duplicates", None, None, f"{len(found)} found")
        return found

    def write_receipt(self, hq: str, target: Path) -> str:
        """The hub's signed receipt for commune ``hq`` (after an import)."""
        from db.sync import outgoing

        require(self.actor, "hub.import")
        digest = outgoing.write_receipt(self._db, hq, target)
        self._trace("sync.receipt", "station", hq)
        return digest


def sign_in(db: HubDB, username: str, password: str) -> tuple[HubService, bool]:
    """A hub account's sign-in (the stations' own: lockout and audit); the bound service and
    whether its password is a temporary one to change first."""
    from db import accounts

    result = accounts.sign_in(db, username, password)
    return HubService(db, result.actor), result.must_change_password
