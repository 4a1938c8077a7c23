"""A station's keys and its public identity file, and the fingerprint two people compare.

Keys (issue 12): Ed25519 signs what a station sends (bundles, receipts, its identity), X25519
receives what is sent to it (with HKDF and AES-256-GCM, later). They come from ``cryptography``
(no home-made constructions), are made on first use and kept in the station's encrypted
database (``station_key``): never written anywhere in clear.

The identity file is small JSON a USB stick carries from one station to the other: station id,
name, kind, commune, slip series, the two public keys, signed by the station's own key (so a
file whose keys were swapped does not verify). Before trusting it, the administrator compares
its fingerprint — six groups of four digits from SHA-256 of the id and the keys — with what
the other station's screen shows for itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy.orm import Session

from db.errors import InvalidInput
from db.models import Station
from db.slipno import station_code
from db.station import StationDB
from db.station_keys import PrivateKeys
from resources.i18n import N_

FORMAT = "enrollment-station-identity"
VERSION = 1
MAX_BYTES = 64 * 1024
"""An identity file is a few hundred bytes: anything larger is not one."""


class BadIdentity(InvalidInput):
    message = N_("This is not a station identity file (or it was changed after it was made).")


@dataclass(frozen=True)
class Identity:
    station_id: str
    name: str
    kind: str  # hq | mobile | hub
    commune: str
    slip_code: str
    sign_public: bytes  # Ed25519, 32 bytes
    box_public: bytes  # X25519, 32 bytes
    training: bool = False  # a training station (TRẠM TẬP HUẤN) pairs only with its kind

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.station_id, self.sign_public, self.box_public)

    def body(self) -> dict[str, Any]:
        """What is signed; ``"training": true`` only for a training station, so the files of
        real stations made before the flag existed still verify."""
        body = {"format": FORMAT, "version": VERSION, "station_id": self.station_id,
                "name": self.name, "kind": self.kind, "commune": self.commune,
                "slip_code": self.slip_code, "sign_public": _b64(self.sign_public),
                "box_public": _b64(self.box_public)}  # fmt: skip
        if self.training:
            body["training"] = True
        return body


def fingerprint(station_id: str, sign_public: bytes, box_public: bytes) -> str:
    """Six groups of four digits (80 bits of SHA-256): read aloud or compared by eye."""
    digest = hashlib.sha256(b"|".join((station_id.encode(), sign_public, box_public))).digest()
    digits = f"{int.from_bytes(digest[:10], 'big') % 10**24:024d}"
    return " ".join(digits[i: i + 4] for i in range(0, 24, 4))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def own_identity(db: StationDB) -> Identity:
    with db.Session.begin() as s:
        return _identity_in(s, db.station_id, db.private_keys(s))


def _identity_in(s: Session, station_id: str, keys: PrivateKeys) -> Identity:
    st = s.get(Station, station_id)
    assert st is not None
    sign = Ed25519PrivateKey.from_private_bytes(keys.sign_private)
    box = X25519PrivateKey.from_private_bytes(keys.box_private)
    return Identity(st.id, st.name, st.kind, st.commune, station_code(s, station_id),
                    sign.public_key().public_bytes_raw(), box.public_key().public_bytes_raw(),
                    bool(st.training))  # fmt: skip


def identity_file(db: StationDB) -> bytes:
    """This station's identity, signed by its own key (what ``sync identity`` writes)."""
    with db.Session.begin() as s:
        keys = db.private_keys(s)
        me = _identity_in(s, db.station_id, keys)
        sign = Ed25519PrivateKey.from_private_bytes(keys.sign_private)
    body = me.body()
    signed = {**body, "signature": _b64(sign.sign(_canonical(body)))}
    return json.dumps(signed, ensure_ascii=False, indent=1).encode() + b"\n"


def read_identity(data: bytes) -> Identity:
    """An identity file, checked: its format, its fields and its own signature."""
    if len(data) > MAX_BYTES:
        raise BadIdentity()
    try:
        doc = json.loads(data.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            raise BadIdentity()
        if doc.get("version") != VERSION:
            raise BadIdentity(N_("This identity file was made by another version of the "
                                 "program: make it again with this one."))  # fmt: skip
        signature = base64.b64decode(doc.pop("signature"), validate=True)
        ident = Identity(
            station_id=_text(doc, "station_id", 36), name=_text(doc, "name", 200),
            kind=_text(doc, "kind", 10), commune=_text(doc, "commune", 200),
            slip_code=_text(doc, "slip_code", 12),
            sign_public=base64.b64decode(doc["sign_public"], validate=True),
            box_public=base64.b64decode(doc["box_public"], validate=True),
            training=doc.get("training") is True,
        )  # fmt: skip
        if ident.kind not in ("hq", "mobile", "hub") or len(ident.sign_public) != 32 \
                or len(ident.box_public) != 32 or doc != ident.body():
            raise BadIdentity()
        Ed25519PublicKey.from_public_bytes(ident.sign_public).verify(signature, _canonical(doc))
    except BadIdentity:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, InvalidSignature):
        raise BadIdentity() from None  # not JSON, not base64, a field missing, a bad signature
    return ident


def _text(doc: dict[str, Any], key: str, limit: int) -> str:
    value = doc[key]
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise BadIdentity()
    return value
