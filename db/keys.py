"""Where the station's database key lives: the OS keyring, or a passphrase-wrapped key file.

The database is keyed with a random 256-bit raw key, never with a passphrase (PBKDF2 would
cost ~160 ms per connection). Where no keyring backend exists (headless Linux, CI), the key is
wrapped with AES-GCM under a key derived from a station passphrase by scrypt. There is no
plaintext fallback.
"""

from __future__ import annotations

import base64
import contextlib
import getpass
import hashlib
import hmac
import json
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from db.errors import KeyMissing, PassphraseRequired, WrongKey
from resources.i18n import N_

SERVICE = "enrollment-station"
PASSPHRASE_ENV = "ENROLLMENT_STATION_PASSPHRASE"
KEY_BYTES = 32
MIN_PASSPHRASE = 8
# scrypt cost: ~0.1 s on a laptop, once per start; 64 MiB of memory makes GPUs pay.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**16, 8, 1

# Called with confirm=True when a new passphrase is being chosen.
PassphraseProvider = Callable[[bool], str]


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def key_check(key: bytes) -> str:
    """A value stored beside the database that tells a wrong key from a damaged file."""
    return hmac.new(key, b"enrollment-station key check v1", hashlib.sha256).hexdigest()[:32]


class KeyStore(Protocol):
    kind: str

    def get_key(self, station_id: str) -> bytes: ...
    def store_key(self, station_id: str, key: bytes) -> None: ...
    def delete_key(self, station_id: str) -> None: ...


def keyring_usable() -> bool:
    """True when the OS offers a real keyring backend (not the 'fail' or an empty chainer)."""
    try:
        import keyring
        from keyring.backends import chainer, fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return False
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return False
    return getattr(backend, "priority", 1) > 0


class KeyringStore:
    """The key as hex in the OS keyring, under the station's id."""

    kind = "keyring"

    def get_key(self, station_id: str) -> bytes:
        import keyring

        value = keyring.get_password(SERVICE, station_id)
        if not value:
            raise KeyMissing()
        return bytes.fromhex(value)

    def store_key(self, station_id: str, key: bytes) -> None:
        import keyring

        keyring.set_password(SERVICE, station_id, key.hex())

    def delete_key(self, station_id: str) -> None:
        import keyring
        from keyring.errors import PasswordDeleteError

        with contextlib.suppress(PasswordDeleteError):
            keyring.delete_password(SERVICE, station_id)


def passphrase_from_env_or_terminal(confirm: bool) -> str:
    """Default passphrase source: the environment variable, else the terminal."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        raise PassphraseRequired(
            N_("The station passphrase is needed: type it at a terminal or set {variable}."),
            variable=PASSPHRASE_ENV,
        )
    first = getpass.getpass("Station passphrase / Mật khẩu trạm: ")
    if confirm and getpass.getpass("Again / Nhập lại: ") != first:
        raise WrongKey(N_("The two passphrases differ."))
    return first


class KeyFileStore:
    """The key wrapped with AES-GCM under scrypt(passphrase), in a JSON file."""

    kind = "keyfile"

    def __init__(
        self, path: Path, passphrase: PassphraseProvider = passphrase_from_env_or_terminal
    ) -> None:
        self.path = path
        self.passphrase = passphrase

    @staticmethod
    def _kek(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
        return hashlib.scrypt(
            passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32
        )

    def get_key(self, station_id: str) -> bytes:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        if not self.path.exists():
            raise KeyMissing(
                N_("The station key file is missing. Use the recovery sheet kept in the "
                   "supervisor's safe.")
            )
        try:
            data = json.loads(self.path.read_text("utf-8"))
            salt = base64.b64decode(data["salt"])
            nonce = base64.b64decode(data["nonce"])
            blob = base64.b64decode(data["ciphertext"])
            n, r, p = int(data["n"]), int(data["r"]), int(data["p"])
        except (ValueError, KeyError, TypeError) as exc:
            raise KeyMissing(
                N_("The station key file is damaged. Use the recovery sheet kept in the "
                   "supervisor's safe.")
            ) from exc
        kek = self._kek(self.passphrase(False), salt, n, r, p)
        try:
            return AESGCM(kek).decrypt(nonce, blob, station_id.encode())
        except InvalidTag:
            raise WrongKey(
                N_("The station passphrase is not right. Nothing was changed.")
            ) from None

    def store_key(self, station_id: str, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        passphrase = self.passphrase(True)
        if len(passphrase) < MIN_PASSPHRASE:
            raise WrongKey(
                N_("The passphrase must have at least {minimum} characters."),
                minimum=MIN_PASSPHRASE,
            )
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        kek = self._kek(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        blob = AESGCM(kek).encrypt(nonce, key, station_id.encode())
        doc = {
            "format": "enrollment-station-key",
            "version": 1,
            "kdf": "scrypt",
            "n": SCRYPT_N,
            "r": SCRYPT_R,
            "p": SCRYPT_P,
            "salt": base64.b64encode(salt).decode(),
            "nonce": base64.b64encode(nonce).decode(),
            "ciphertext": base64.b64encode(blob).decode(),
        }
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, indent=1), "utf-8")
        os.replace(tmp, self.path)

    def delete_key(self, station_id: str) -> None:
        self.path.unlink(missing_ok=True)
