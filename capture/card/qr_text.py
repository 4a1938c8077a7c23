"""The text of a Vietnamese chip ID card's QR code (CCCD, thẻ căn cước), parsed — no Qt, no
database, so the lookup box, the webcam reader and the command line read it alike.

The text is pipe-separated::

    ID number|old ID (CMND)|full name|birth ddmmyyyy|sex|permanent address|issue date ddmmyyyy

The old ID may be empty; older readers stop early (trailing fields missing) and newer cards
add fields after the issue date (ignored). A USB barcode scanner types the text as keystrokes,
so letters may arrive mangled (no Vietnamese keyboard layout, a Telex input method rewriting
"aa" as "â"): only the 12-digit ID number is trusted; name, birth, sex and address are hints
to show beside the register's record, never stored as they are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from capture.errors import CaptureError
from resources.i18n import N_

#: What a card QR starts with: 12 digits and a pipe (lookup's search-as-you-type waits for
#: Enter once it sees this, rather than searching the digits as words).
PREFIX = re.compile(r"\s*\d{12}\|")
_ID = re.compile(r"\d{12}")
_OLD_ID = re.compile(r"\d{9}|\d{12}")
_DAY = re.compile(r"(\d{2})(\d{2})(\d{4})")
MAX_LENGTH = 1000  # a card's text is about 150 characters


class NotACardQR(CaptureError):
    """The text read is not a chip ID card's QR text."""

    message = N_("This is not the QR code of a chip ID card.")


@dataclass(frozen=True, slots=True)
class CardQR:
    """What the card says; only ``personal_id`` is trusted (see the module's note)."""

    personal_id: str
    old_id: str | None = None
    full_name: str | None = None
    birth_date: date | None = None
    sex: str | None = None  # M | F
    address: str | None = None
    issued: date | None = None


def looks_like_card(text: str) -> bool:
    """Whether typed or scanned text is (the start of) a card QR, not words to search."""
    return PREFIX.match(text) is not None


def _day(text: str) -> date | None:
    m = _DAY.fullmatch(text.strip())
    if m is None:
        return None
    try:
        return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None


def _sex(text: str) -> str | None:
    folded = "".join(c for c in unicodedata.normalize("NFD", text.strip().casefold())
                     if not unicodedata.combining(c)).replace("đ", "d")  # fmt: skip
    if folded in ("nam", "male", "m"):
        return "M"
    if folded in ("nu", "female", "f"):
        return "F"
    return None


def _text(value: str) -> str | None:
    cleaned = " ".join(unicodedata.normalize("NFC", value).split())
    return cleaned or None


def parse(text: str) -> CardQR:
    """The card's fields from its QR text; ``NotACardQR`` for anything else (a product
    barcode, a URL, a damaged read)."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        raise NotACardQR()
    fields = text.strip().strip("\x00").split("|")
    if len(fields) < 2 or _ID.fullmatch(fields[0].strip()) is None:
        raise NotACardQR()
    fields += [""] * (7 - len(fields))
    personal_id, old_id, name, born, sex, address, issued = (f.strip() for f in fields[:7])
    if old_id and _OLD_ID.fullmatch(old_id) is None:
        raise NotACardQR()  # a damaged read: the second field is digits or nothing
    return CardQR(personal_id=personal_id, old_id=old_id or None, full_name=_text(name),
                  birth_date=_day(born), sex=_sex(sex), address=_text(address),
                  issued=_day(issued))  # fmt: skip


__all__ = ["PREFIX", "CardQR", "NotACardQR", "looks_like_card", "parse"]
