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
import logging
import os
import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from db.errors import KeyMissing, PassphraseRequired, WrongKey
from resources.i18n import N_
from resources.private_files import write_private

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

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


#: Keyring backends that keep secrets encrypted by the operating system, unlocked by the user's
#: session. Anything else — keyrings.alt's PlaintextKeyring (Debian's python3-keyrings.alt) or
#: its EncryptedKeyring (a prompt for a second password) — never gets the database key.
PROTECTED_BACKENDS = frozenset({
    "keyring.backends.Windows.WinVaultKeyring",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.libsecret.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.kwallet.DBusKeyringKWallet4",
})  # fmt: skip


def _protects(backend: object) -> bool:
    cls = type(backend)
    named = f"{cls.__module__}.{cls.__qualname__}" in PROTECTED_BACKENDS
    # A test keyring that stands in for the OS one says so itself (tests/conftest.py).
    return named or getattr(cls, "protects_secrets", False) is True


def protected_keyring() -> KeyringBackend | None:
    """The keyring backend that may hold the key: the configured one, or the first protected
    member of keyring's chain; None when there is none (then the key goes in a key file)."""
    try:
        import keyring
        from keyring.backends import chainer
    except ImportError:  # pragma: no cover - keyring is a dependency
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is no keyring
        log.warning("the keyring could not be loaded")
        return None
    members = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    for member in members:
        if _protects(member) and getattr(member, "priority", 0) > 0:
            return member
    return None


def keyring_usable() -> bool:
    """True when the OS offers a keyring that protects secrets (never a plaintext file)."""
    return protected_keyring() is not None


class KeyringStore:
    """The key as hex in the OS keyring, under the station's id."""

    kind = "keyring"

    def _backend(self) -> KeyringBackend:
        backend = protected_keyring()
        if backend is None:
            raise KeyMissing(
                N_("This station keeps its key in the computer's keyring, and this computer "
                   "offers no protected keyring. Use the recovery sheet kept in the "
                   "supervisor's safe.")
            )  # fmt: skip
        return backend

    def get_key(self, station_id: str) -> bytes:
        from keyring.errors import KeyringError

        try:
            value = self._backend().get_password(SERVICE, station_id)
        except KeyringError as exc:
            raise KeyMissing(
                N_("The computer's keyring did not give the station key (is it locked?). "
                   "Unlock it and try again, or use the recovery sheet.")
            ) from exc
        if not value:
            raise KeyMissing()
        try:
            return bytes.fromhex(value)
        except ValueError:
            raise KeyMissing(
                N_("The station key in the keyring is damaged. Use the recovery sheet kept in "
                   "the supervisor's safe.")
            ) from None

    def store_key(self, station_id: str, key: bytes) -> None:
        self._backend().set_password(SERVICE, station_id, key.hex())

    def delete_key(self, station_id: str) -> None:
        from keyring.errors import KeyringError

        backend = protected_keyring()
        if backend is not None:
            with contextlib.suppress(KeyringError):
                backend.delete_password(SERVICE, station_id)


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


#: The scrypt costs a key file may name: what this program writes, give or take one doubling.
#: An edited file asking for n = 2^30 would hang the start for minutes or exhaust memory.
SCRYPT_N_RANGE = (2**15, 2**17)
KEY_FILE_MAX_BYTES = 16 * 1024


def _read_key_file(path: Path) -> tuple[bytes, bytes, bytes, tuple[int, int, int]]:
    """The key file's salt, nonce, ciphertext and scrypt costs, checked against what this
    program writes (``ValueError`` for anything else)."""
    with path.open("rb") as fh:
        raw = fh.read(KEY_FILE_MAX_BYTES + 1)
    if len(raw) > KEY_FILE_MAX_BYTES:
        raise ValueError("key file too large")
    data = json.loads(raw.decode("utf-8"))
    if data.get("format") != "enrollment-station-key" or data.get("kdf") != "scrypt":
        raise ValueError("not a station key file")
    n, r, p = data["n"], data["r"], data["p"]
    if not all(type(v) is int for v in (n, r, p)):
        raise ValueError("scrypt costs must be integers")
    low, high = SCRYPT_N_RANGE
    if not (low <= n <= high and n & (n - 1) == 0 and r == SCRYPT_R and p == SCRYPT_P):
        raise ValueError("scrypt costs outside what this program writes")
    salt = base64.b64decode(data["salt"], validate=True)
    nonce = base64.b64decode(data["nonce"], validate=True)
    blob = base64.b64decode(data["ciphertext"], validate=True)
    if len(salt) != 16 or len(nonce) != 12 or len(blob) != KEY_BYTES + 16:
        raise ValueError("key file fields of the wrong size")
    return salt, nonce, blob, (n, r, p)


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
            salt, nonce, blob, (n, r, p) = _read_key_file(self.path)
        except (OSError, ValueError, KeyError, TypeError) as exc:
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
        write_private(self.path, json.dumps(doc, indent=1).encode("utf-8"))

    def delete_key(self, station_id: str) -> None:
        self.path.unlink(missing_ok=True)
