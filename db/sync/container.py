"""The bundle file: one file per trip, encrypted to its recipient, signed by its sender.

Layout (version 1, ARCHITECTURE.md "Field sync")::

    magic "ESBUNDLE" | u16 version | u32 header length | header (JSON, in clear: no person)
    frames: u32 length | AES-256-GCM ciphertext of one record's packet      (repeated)
    trailer: magic "ESSIGNED" | SHA-256 of everything before | Ed25519 signature of that hash

The header says what the file is (kind, bundle UUID, the sender's sequence number, sender,
recipient, training or not, the program's version) and carries a fresh X25519 public key. The
frame key is HKDF-SHA256 of the X25519 shared secret with the recipient's key, bound to the
header's hash; frame *n*'s nonce is *n*, and its associated data say whether it is the last
frame — so frames cannot be reordered, dropped or cut off at the end without failing.

Why sign the hash of the ciphertext (as MOSIP packets do): the recipient checks who sent the
file and that not one byte changed *before* it decrypts anything, reading the file once in
1 MiB pieces; then it decrypts frame by frame. Memory stays bounded by the largest record (an
enrollment with its portrait and ten prints, a few hundred KB), whatever the file's size.

Writing is safe for a USB stick: a hidden temporary name beside the target, fsync, rename,
fsync of the folder, then the file is read back and checked like a recipient would. A stick
pulled mid-write leaves the temporary file (never the target name) or a file without its
trailer, which is refused as truncated.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from db.sync.refusal import Refused
from resources.private_files import fsync_dir

MAGIC = b"ESBUNDLE"
TRAILER = b"ESSIGNED"
VERSION = 1
HEADER_MAX = 64 * 1024
FRAME_MAX = 64 * 1024 * 1024
_TRAILER_LEN = len(TRAILER) + 32 + 64
_CHUNK = 1 << 20
_U32 = struct.Struct(">I")
KINDS = ("bundle", "packet", "receipt")


@dataclass(frozen=True)
class Header:
    kind: str  # bundle (laptop → HQ) | packet (HQ → laptop) | receipt
    bundle_uuid: str
    seq: int  # the sender's count of files made for this recipient
    sender: str
    recipient: str
    training: bool
    created_at: str
    program: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "bundle_uuid": self.bundle_uuid, "seq": self.seq,
                "sender": self.sender, "recipient": self.recipient,
                "training": self.training, "created_at": self.created_at,
                "program": self.program}  # fmt: skip


def _frame_key(shared: bytes, eph_public: bytes, recipient_public: bytes, header: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=eph_public + recipient_public,
        info=b"enrollment-station bundle v1|" + hashlib.sha256(header).digest(),
    ).derive(shared)  # fmt: skip


def _nonce(n: int) -> bytes:
    return b"\0\0\0\0" + n.to_bytes(8, "big")


def _aad(n: int, last: bool) -> bytes:
    return (b"last" if last else b"more") + n.to_bytes(8, "big")


class Writer:
    """Frames written as they come (one record's packet each), then the trailer."""

    def __init__(self, fh: BinaryIO, header: Header, recipient_box: bytes,
                 sign_private: bytes) -> None:  # fmt: skip
        eph = X25519PrivateKey.generate()
        eph_public = eph.public_key().public_bytes_raw()
        body = {"format": "enrollment-station-bundle", **header.to_json(),
                "eph_public": eph_public.hex()}  # fmt: skip
        raw = json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
        shared = eph.exchange(X25519PublicKey.from_public_bytes(recipient_box))
        self._aes = AESGCM(_frame_key(shared, eph_public, recipient_box, raw))
        self._sign = Ed25519PrivateKey.from_private_bytes(sign_private)
        self._fh, self._hash, self._n = fh, hashlib.sha256(), 0
        self._pending: bytes | None = None
        self._put(MAGIC + struct.pack(">HI", VERSION, len(raw)) + raw)

    def _put(self, data: bytes) -> None:
        self._hash.update(data)
        self._fh.write(data)

    def _flush(self, last: bool) -> None:
        if self._pending is None:
            return
        sealed = self._aes.encrypt(_nonce(self._n), self._pending, _aad(self._n, last))
        self._put(_U32.pack(len(sealed)) + sealed)
        self._n += 1
        self._pending = None

    def add(self, packet: bytes) -> None:
        # one frame behind: the last one must be sealed as the last
        self._flush(False)
        self._pending = packet

    def close(self) -> None:
        if self._pending is None:
            self._pending = b""  # every file has a last frame
        self._flush(True)
        digest = self._hash.digest()
        self._fh.write(TRAILER + digest + self._sign.sign(digest))


def read_header(fh: BinaryIO) -> tuple[Header, bytes, bytes]:
    """(header, its raw bytes, the sender's ephemeral public key); refuses what is not ours."""
    start = fh.read(len(MAGIC) + 6)
    if len(start) < len(MAGIC) + 6 and MAGIC.startswith(start[: len(MAGIC)]):
        raise Refused.because("truncated")  # empty, or cut inside the first bytes
    if not start.startswith(MAGIC):
        raise Refused.because("not_a_bundle")
    version, size = struct.unpack(">HI", start[len(MAGIC):])
    if version > VERSION:
        raise Refused.because("newer_version")
    if version != VERSION or size > HEADER_MAX:
        raise Refused.because("not_a_bundle")
    raw = fh.read(size)
    try:
        doc = json.loads(raw.decode("utf-8"))
        header = Header(
            kind=str(doc["kind"]), bundle_uuid=str(doc["bundle_uuid"]), seq=int(doc["seq"]),
            sender=str(doc["sender"]), recipient=str(doc["recipient"]),
            training=bool(doc["training"]), created_at=str(doc["created_at"]),
            program=str(doc["program"]),
        )  # fmt: skip
        eph_public = bytes.fromhex(doc["eph_public"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise Refused.because("truncated" if len(raw) < size else "damaged") from None
    if header.kind not in KINDS or len(eph_public) != 32:
        raise Refused.because("not_a_bundle")
    return header, raw, eph_public


def peek(path: Path) -> Header:
    """The header alone (who sent it, to whom, what): to choose the keys to check it with."""
    try:
        with path.open("rb") as fh:
            return read_header(fh)[0]
    except OSError:
        raise Refused.because("unreadable") from None


def verify(path: Path, sign_public: bytes) -> str:
    """Check the whole file against its trailer and the sender's key; returns its SHA-256.

    "truncated": the trailer is missing (a stick pulled mid-write); "damaged": a byte changed;
    "bad_signature": intact, but not signed by the station it names.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            read_header(fh)
            fh.seek(0)
            body, h = size - _TRAILER_LEN, hashlib.sha256()
            if body <= len(MAGIC):
                raise Refused.because("truncated")
            left = body
            while left:
                piece = fh.read(min(_CHUNK, left))
                if not piece:
                    raise Refused.because("truncated")
                h.update(piece)
                left -= len(piece)
            trailer = fh.read(_TRAILER_LEN)
    except OSError:
        raise Refused.because("unreadable") from None
    if not trailer.startswith(TRAILER):
        raise Refused.because("truncated")
    digest, signature = trailer[len(TRAILER):len(TRAILER) + 32], trailer[len(TRAILER) + 32:]
    if digest != h.digest():
        raise Refused.because("damaged")
    try:
        Ed25519PublicKey.from_public_bytes(sign_public).verify(signature, digest)
    except InvalidSignature:
        raise Refused.because("bad_signature") from None
    return h.hexdigest()


def packets(path: Path, box_private: bytes) -> Iterator[bytes]:
    """Decrypt the frames in order (after :func:`verify`); the last frame is checked to be
    the last, so a file cut between frames cannot pass for a shorter whole."""
    with path.open("rb") as fh:
        _header, raw, eph_public = read_header(fh)
        me = X25519PrivateKey.from_private_bytes(box_private)
        my_public = me.public_key().public_bytes_raw()
        aes = AESGCM(_frame_key(me.exchange(X25519PublicKey.from_public_bytes(eph_public)),
                                eph_public, my_public, raw))  # fmt: skip
        end = path.stat().st_size - _TRAILER_LEN
        n = 0
        while True:
            if fh.tell() >= end:
                raise Refused.because("truncated")
            (size,) = _U32.unpack(fh.read(4))
            if size > FRAME_MAX or fh.tell() + size > end:
                raise Refused.because("damaged")
            sealed = fh.read(size)
            last = fh.tell() == end
            try:
                plain = aes.decrypt(_nonce(n), sealed, _aad(n, last))
            except InvalidTag:
                raise Refused.because("wrong_recipient" if n == 0 else "damaged") from None
            n += 1
            if last:
                if plain:
                    yield plain
                return
            yield plain


def write_safely(
    target: Path, fill: Callable[[Writer], None], header: Header, recipient_box: bytes,
    sign_private: bytes, sign_public: bytes,
) -> str:  # fmt: skip
    """Write a bundle to ``target`` the way removable media need (see the module's note);
    returns the file's SHA-256 as read back."""
    target = target.resolve()
    tmp = target.with_name(f".{target.name}.partial")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb", buffering=_CHUNK) as fh:
            writer = Writer(fh, header, recipient_box, sign_private)
            fill(writer)
            writer.close()
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    try:
        return verify(target, sign_public)
    except Refused:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise Refused.because("write_failed") from None
