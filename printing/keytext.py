"""The database key as text a person can copy by hand and type back.

A 32-byte key is 52 base32 characters (RFC 4648 alphabet: A–Z and 2–7, so no 0/1/8/9 to
confuse with O/I/B/g); they are printed in 13 groups of 4, followed by one check group of
4 characters taken from SHA-256 of the key. The check group lets :func:`parse_key_groups` tell
a typing mistake from a wrong key before anyone tries to open the database with it (a wrong
key only shows up as "file is not a database", ARCHITECTURE.md).

Typing back tolerates lower case, spaces, dashes, line breaks, the ``ESKEY1:`` prefix of the QR
code, and the digits 0, 1 and 8 typed for the letters O, I and B (they are not in the alphabet,
so the substitution is never ambiguous).
"""

from __future__ import annotations

import base64
import hashlib
import re

GROUP = 4
CHECK_CHARS = 4
KEY_PREFIX = "ESKEY1:"
_ALPHABET = re.compile(r"^[A-Z2-7]+$")
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


class KeyTextError(ValueError):
    """The typed key is malformed or its check group does not match."""


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _check(key: bytes) -> str:
    return _b32(hashlib.sha256(key).digest())[:CHECK_CHARS]


def key_groups(key: bytes) -> list[str]:
    """The key's base32 groups followed by the check group."""
    if not key:
        raise ValueError("empty key")
    text = _b32(key) + _check(key)
    return [text[i:i + GROUP] for i in range(0, len(text), GROUP)]


def format_key_groups(key: bytes) -> str:
    """``key`` as space-separated groups of 4, the last one a check group.

    For 32 bytes: 14 groups, e.g. ``"MFRG GZDF ... Q2XA"``.
    """
    return " ".join(key_groups(key))


def parse_key_groups(text: str) -> bytes:
    """The key back from typed or scanned text; :class:`KeyTextError` when it is not right."""
    s = text.strip()
    if s.upper().startswith(KEY_PREFIX):
        s = s[len(KEY_PREFIX):]
    s = re.sub(r"[\s\-_.]", "", s).upper().translate(_LOOKALIKES)
    if not s or not _ALPHABET.match(s):
        raise KeyTextError("the key may only contain the letters A–Z and the digits 2–7")
    if len(s) <= CHECK_CHARS:
        raise KeyTextError("the key is too short")
    body, check = s[:-CHECK_CHARS], s[-CHECK_CHARS:]
    # A base32 length that no byte string produces means a character is missing or extra.
    if len(body) % 8 in (1, 3, 6):
        raise KeyTextError("a character is missing or extra")
    try:
        key = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError as exc:  # binascii.Error is a ValueError
        raise KeyTextError("the key is not valid base32") from exc
    if _b32(key) != body:  # non-canonical trailing bits: a mistyped last character
        raise KeyTextError("the key does not match its check group")
    if _check(key) != check:
        raise KeyTextError("the key does not match its check group")
    return key
