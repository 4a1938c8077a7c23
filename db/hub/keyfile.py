"""The hub's private keys, in a key file in its configuration directory (``--hub-dir``).

The file wraps one random 32-byte seed with AES-GCM under scrypt of the hub passphrase — the
same format, costs and checks as a station's ``station.key`` (db/keys.KeyFileStore), bound to
the hub's station id. The signing key (Ed25519) and the receiving key (X25519) are derived from
the seed with HKDF-SHA256 under two labels, so one secret is kept and neither key is stored.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from db import keys
from db.errors import KeyMissing, PassphraseRequired, WrongKey
from db.station_keys import KeyPair
from resources.i18n import N_

KEY_FILE = "hub.key"
PASSPHRASE_ENV = "ENROLLMENT_HUB_PASSPHRASE"


def hub_passphrase(confirm: bool) -> str:
    """The hub passphrase: the environment (automation) or the terminal."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise PassphraseRequired(
            N_("The hub passphrase is needed: type it at a terminal or set {variable}."),
            variable=PASSPHRASE_ENV,
        )
    first = getpass.getpass("Hub passphrase / Mật khẩu máy chủ huyện: ")
    if confirm and getpass.getpass("Again / Nhập lại: ") != first:
        raise WrongKey(N_("The two passphrases differ."))
    return first


def _derive(seed: bytes) -> KeyPair:
    def part(label: bytes) -> bytes:
        return HKDF(hashes.SHA256(), 32, salt=None, info=b"enrollment-hub " + label).derive(seed)

    return KeyPair(part(b"sign"), part(b"box"))


def create(hub_dir: Path, station_id: str, passphrase: keys.PassphraseProvider = hub_passphrase,
           ) -> KeyPair:  # fmt: skip
    seed = keys.new_key()
    keys.KeyFileStore(hub_dir / KEY_FILE, passphrase).store_key(station_id, seed)
    return _derive(seed)


def unlock(hub_dir: Path, station_id: str,
           passphrase: keys.PassphraseProvider = hub_passphrase) -> KeyPair:  # fmt: skip
    try:
        return _derive(keys.KeyFileStore(hub_dir / KEY_FILE, passphrase).get_key(station_id))
    except KeyMissing:
        raise KeyMissing(N_("The hub's key file in {path} is missing or damaged: restore the "
                            "hub folder from its backup."), path=str(hub_dir)) from None
    except WrongKey:
        raise WrongKey(N_("The hub passphrase is not right. Nothing was changed.")) from None
