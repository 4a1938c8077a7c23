"""The request for a level-2 electronic identification account (VNeID) made at enrollment.

Why it lives with the enrollment: the card enrollment is where a resident asks for a level-2
account (the identity is proven face to face, the portrait and prints are taken anyway), and
the account is activated by a code sent to the person's own mobile number. So the number must
be a Vietnamese mobile one (a landline cannot receive the code) and is stored normalised, as
ten digits ``0xxxxxxxxx``, whatever the officer typed ("+84 912 345 678", "0912.345.678").

Storage contract (others count it: the tally, the coverage): the details step's draft holds
``draft["details"]["vneid"] = {"phone": "0912345678", "email": "a@b.vn" or None}`` when the
person asks for the account; the key is absent (or null) otherwise. ``save_step`` and
``submit`` check what is stored (db/enrollment.py): the GUI is never trusted.

Messages are English message ids (``N_``) without the typed value (it is personal data).
"""

from __future__ import annotations

import re
from typing import Any

from db.errors import InvalidInput
from resources.i18n import N_

#: Mobile prefixes since the 2018 renumbering (03x Viettel, 05x Vietnamobile/Gmobile, 07x
#: MobiFone, 08x and 09x all networks); 02x are landlines with their area code.
MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
DIGITS = 10
_SEPARATORS = re.compile(r"[\s.\-()]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
MAX_EMAIL = 254  # RFC 5321's limit on a path


def _read(text: str) -> tuple[str, str | None]:
    """(the number as "0xxxxxxxxx", None) or ("", why it is not a mobile number)."""
    digits = _SEPARATORS.sub("", text.strip())
    if not digits:
        return "", N_("the mobile number is required for a level-2 account")
    international = digits.startswith("+")
    if international:
        if not digits.startswith("+84"):
            return "", N_("only a Vietnamese mobile number (+84) can be used")
        digits = digits[1:]
    if not digits.isascii() or not digits.isdigit():
        return "", N_("a phone number has digits only")
    if international or (digits.startswith("84") and len(digits) in (DIGITS + 1, DIGITS + 2)):
        digits = "0" + digits[2:].removeprefix("0")  # "+84 0912…" is written too
    if not digits.startswith("0"):
        return "", N_("a mobile number starts with 0 (or +84)")
    if digits.startswith("02"):
        return "", N_("this is a landline number: the account needs the person's mobile number")
    if len(digits) != DIGITS:
        return "", N_("a mobile number has 10 digits")
    if not digits.startswith(MOBILE_PREFIXES):
        return "", N_("a mobile number starts with 03, 05, 07, 08 or 09")
    return digits, None


def phone_problem(text: str) -> str | None:
    """Why ``text`` is not a Vietnamese mobile number (a message id), or None when it is."""
    return _read(text)[1]


def normalise_phone(text: str) -> str:
    """The mobile number as ten digits "0912345678"; ``InvalidInput`` when it is not one."""
    digits, problem = _read(text)
    if problem is not None:
        raise InvalidInput(problem)
    return digits


def is_mobile(text: str | None) -> bool:
    """True when ``text`` reads as a Vietnamese mobile number (to prefill the form)."""
    return bool(text and text.strip()) and phone_problem(text or "") is None


def email_problem(text: str) -> str | None:
    """Why ``text`` is not a usable e-mail address (a message id); None when fine or empty."""
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_EMAIL or not text.isascii() or not _EMAIL.match(text) or ".." in text:
        return N_("the e-mail address is not valid (like ten@example.vn)")
    return None


def request(phone: str, email: str | None = None) -> dict[str, str | None]:
    """The request as stored in the details step: normalised phone, e-mail or None."""
    email = (email or "").strip()
    problem = email_problem(email)
    if problem is not None:
        raise InvalidInput(problem)
    return {"phone": normalise_phone(phone), "email": email or None}


def of_details(details: Any) -> dict[str, Any] | None:
    """The request stored in a details step record, or None when none was made."""
    if not isinstance(details, dict):
        return None
    found = details.get("vneid")
    return found if found is not None else None


def requested(draft: Any) -> bool:
    """Whether an enrollment's draft holds a request with a number: what
    ``enrollment.vneid_requested`` records at submission (and the merge at HQ), so the
    tally counts requests from its covering index instead of parsing every draft."""
    found = of_details(draft.get("details")) if isinstance(draft, dict) else None
    return isinstance(found, dict) and bool(found.get("phone"))


def check_details(details: Any) -> None:
    """Refuse a details record whose stored request is not exactly what ``request`` makes
    (a bad number, a landline, an unnormalised one, a stray key): ``InvalidInput``."""
    found = of_details(details)
    if found is None:
        return
    if not isinstance(found, dict) or set(found) != {"phone", "email"}:
        raise InvalidInput(N_("The level-2 account request is not in the expected form."))
    phone, email = found.get("phone"), found.get("email")
    if not isinstance(phone, str) or (email is not None and not isinstance(email, str)):
        raise InvalidInput(N_("The level-2 account request is not in the expected form."))
    if request(phone, email) != {"phone": phone, "email": email}:
        raise InvalidInput(N_("The level-2 account request is not in the expected form."))


def check_draft(draft: Any) -> None:
    """``check_details`` on an enrollment's whole draft (submit checks it again)."""
    if isinstance(draft, dict):
        check_details(draft.get("details"))
