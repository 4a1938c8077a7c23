"""A station's private keys (Ed25519 to sign, X25519 to receive bundles), made on first use.

A station keeps them in its encrypted database (``station_key``, never in clear); the district
hub, whose PostgreSQL is not encrypted, keeps them in its wrapped key file (db/hub/keyfile.py).
Both give the sync code the same two attributes (:class:`PrivateKeys`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy.orm import Session

from db.models import StationKey


class PrivateKeys(Protocol):
    @property
    def sign_private(self) -> bytes: ...

    @property
    def box_private(self) -> bytes: ...


@dataclass(frozen=True)
class KeyPair:
    sign_private: bytes
    box_private: bytes


def keys_in(s: Session, station_id: str) -> StationKey:
    """The station's private keys from its database, made the first time they are needed."""
    row = s.get(StationKey, station_id)
    if row is None:
        sign, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
        row = StationKey(station_id=station_id, sign_private=sign.private_bytes_raw(),
                         box_private=box.private_bytes_raw())  # fmt: skip
        s.add(row)
        s.flush()
    return row
