"""Pairing: a headquarters and each mobile laptop (and the district hub) trust each other's
keys, once.

Only an administrator pairs or unpairs, and both are audited. The rules: a station never pairs
with itself, nor with one of its own kind (headquarters pair mobile laptops, a laptop pairs its
headquarters); a station already paired keeps its keys — a file with other keys under the
same id is refused (someone else's laptop, or a reinstalled one: unpair first, then pair
again); two stations never share a slip series (their slip numbers would collide at the
headquarters); a training station (TRẠM TẬP HUẤN) pairs only with training stations. An
unpaired station stays listed with the time it was unpaired: what it sent before stays, what
it sends after is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db import audit
from db.actor import Actor
from db.errors import InvalidInput
from db.models import Officer, PairedStation
from db.permissions import require
from db.slipno import station_code
from db.station import StationDB
from db.sync.identity import own_identity, read_identity
from db.vntime import now_utc
from resources.i18n import N_

#: Who pairs with whom: a commune's HQ with its laptops, and with the district hub.
PAIRS = ({"hq", "mobile"}, {"hq", "hub"})


@dataclass(frozen=True)
class PairedInfo:
    station_id: str
    name: str
    kind: str
    slip_code: str
    fingerprint: str
    paired_at: datetime
    unpaired_at: datetime | None

    @property
    def active(self) -> bool:
        return self.unpaired_at is None

    def to_json(self) -> dict[str, object]:
        return {"station_id": self.station_id, "name": self.name, "kind": self.kind,
                "slip_code": self.slip_code, "fingerprint": self.fingerprint,
                "paired_at": self.paired_at.isoformat(),
                "unpaired_at": None if self.unpaired_at is None
                else self.unpaired_at.isoformat()}  # fmt: skip


def _info(p: PairedStation) -> PairedInfo:
    return PairedInfo(p.station_id, p.name, p.kind, p.slip_code, p.fingerprint, p.paired_at,
                      p.unpaired_at)  # fmt: skip


def pair(db: StationDB, data: bytes, *, actor: Actor) -> PairedInfo:
    """Trust the station in an identity file (after the administrator compared fingerprints)."""
    require(actor, "station.pair")
    other = read_identity(data)
    me = own_identity(db)
    if other.station_id == me.station_id:
        raise InvalidInput(N_("This is this station's own identity file: bring the other "
                              "station's file."))  # fmt: skip
    if other.kind == me.kind:
        raise InvalidInput(N_("Headquarters pair with mobile laptops, and a laptop with its "
                              "headquarters: both stations here are “{kind}”."),
                           kind=other.kind)  # fmt: skip
    if {me.kind, other.kind} not in PAIRS:
        raise InvalidInput(N_("A mobile laptop sends its work through its commune's "
                              "headquarters: the district hub pairs with headquarters only."))
    if other.training != me.training:
        raise _training_mismatch(me.training, other.name)
    with db.Session.begin() as s:
        known = s.get(PairedStation, other.station_id)
        if known is not None and known.unpaired_at is None:
            if known.sign_public == other.sign_public and known.box_public == other.box_public:
                return _info(known)  # the same file again: nothing to do
            raise InvalidInput(N_("A station with this id is already paired with other keys "
                                  "(another laptop, or one set up again): unpair it first."))
        series = {p.slip_code for p in s.scalars(select(PairedStation).where(
            PairedStation.unpaired_at.is_(None), PairedStation.station_id != other.station_id))}
        # slip numbers are unique per station on the hub: there only the HQ's rule matters
        hub = "hub" in (me.kind, other.kind)
        if not hub and other.slip_code in series | {station_code(s, db.station_id)}:
            raise InvalidInput(N_("This station's slip numbers (series {code}) would collide "
                                  "with a station already known here: give it another series "
                                  "before pairing."), code=other.slip_code)  # fmt: skip
        by = s.scalar(select(Officer.uuid).where(Officer.id == actor.officer_id))
        if known is None:
            known = PairedStation(station_id=other.station_id)
            s.add(known)
        known.name, known.kind, known.commune = other.name, other.kind, other.commune
        known.slip_code, known.fingerprint = other.slip_code, other.fingerprint
        known.sign_public, known.box_public = other.sign_public, other.box_public
        known.paired_at, known.paired_by, known.unpaired_at = now_utc(), by, None
        audit.append(s, db.station_id, actor, "station.pair", "station", other.station_id,
                     f"{other.kind}, series {other.slip_code}")  # fmt: skip
        s.flush()
        return _info(known)


def _training_mismatch(here: bool, name: str) -> InvalidInput:
    """A training station (synthetic people) and a real one never trust each other."""
    if here:
        return InvalidInput(N_("This is a training station (TRẠM TẬP HUẤN) and {name} is a "
                               "real station: a training station pairs only with training "
                               "stations."), name=name)  # fmt: skip
    return InvalidInput(N_("{name} is a training station (TRẠM TẬP HUẤN): a real station "
                           "never pairs with a training one."), name=name)  # fmt: skip


def unpair(db: StationDB, station_id: str, *, actor: Actor) -> PairedInfo:
    require(actor, "station.pair")
    with db.Session.begin() as s:
        known = s.get(PairedStation, station_id)
        if known is None or known.unpaired_at is not None:
            raise InvalidInput(N_("No station with this id is paired here."))
        known.unpaired_at = now_utc()
        audit.append(s, db.station_id, actor, "station.unpair", "station", station_id, None)
        s.flush()
        return _info(known)


def paired(db: StationDB) -> list[PairedInfo]:
    """Every station ever paired here, the active ones first, by name."""
    with db.Session() as s:
        rows = list(s.scalars(select(PairedStation)))
    return sorted((_info(p) for p in rows), key=lambda p: (not p.active, p.name))
