"""Checking and correcting a resident's register data at the desk (wizard step "details").

Why corrections are kept apart from the register: the register is imported data the station
does not own, and a submitted enrollment is never edited in place (ARCHITECTURE.md). So what the
officer changes is stored in the enrollment's draft as ``{"values": …, "corrections": {field:
{"from": register value, "to": new value}}}``: the enrollment carries the corrected data and
the record of what was corrected, and the register row stays as imported. Messages are English
message ids (``N_``), translated by the GUI; they never quote the person's data.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING, Any

from db import vneid
from db.errors import InvalidInput
from db.idnumber import check_personal_id
from db.register.validate import MIN_YEAR
from db.types import ResidentDetail
from resources.i18n import N_

if TYPE_CHECKING:
    from capture.card.qr_text import CardQR

FIELDS = (
    "full_name", "birth", "sex", "personal_id", "old_id", "ethnicity", "religion", "hometown",
    "village", "household_no", "phone",
)  # fmt: skip
REQUIRED = ("full_name", "birth", "sex", "ethnicity", "hometown")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YEAR = re.compile(r"^\d{4}$")
_DIGIT = re.compile(r"\d")


def register_values(d: ResidentDetail | None) -> dict[str, str]:
    """The register's record as the text the form shows (empty strings for a new person)."""
    if d is None:
        return dict.fromkeys(FIELDS, "")
    return {
        "full_name": d.full_name,
        "birth": d.birth_display,
        "sex": d.sex or "",
        "personal_id": d.personal_id or "",
        "old_id": d.old_id or "",
        "ethnicity": d.ethnicity or "",
        "religion": d.religion or "",
        "hometown": d.hometown or "",
        "village": d.village or "",
        "household_no": d.household_no or "",
        "phone": d.phone or "",
    }


def parse_birth(text: str, today: date) -> tuple[int | None, date | None, str | None]:
    """(year, full date or None, problem or None) of a typed "dd/mm/yyyy" or "yyyy"."""
    text = text.strip()
    if not text:
        return None, None, None
    if _YEAR.match(text):
        year = int(text)
        full = None
    elif m := _DMY.match(text):
        try:
            full = date(int(m[3]), int(m[2]), int(m[1]))
        except ValueError:
            return None, None, N_("this date does not exist")
        year = full.year
    else:
        return None, None, N_("write the date as dd/mm/yyyy, or the year alone")
    if year < MIN_YEAR or (full or date(year, 1, 1)) > today:
        return None, None, N_("the date is in the future or too far in the past")
    return year, full, None


def validate(values: dict[str, str], today: date) -> dict[str, list[str]]:
    """Problems per field (empty dict: fine). Blocking: the wizard will not go on with them."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    for field in REQUIRED:
        if not values.get(field, "").strip():
            add(field, N_("required"))
    name = values.get("full_name", "").strip()
    if name and _DIGIT.search(name):
        add("full_name", N_("the name contains digits"))
    year, _full, birth_problem = parse_birth(values.get("birth", ""), today)
    if birth_problem:
        add("birth", birth_problem)
    sex = values.get("sex") or None
    pid = values.get("personal_id", "").strip()
    if pid:
        check = check_personal_id(pid, year, sex)
        for p in check.problems:
            add("personal_id", p)
    old = values.get("old_id", "").strip()
    if old and (len(old) != 9 or not old.isdigit()):
        add("old_id", N_("old ID (CMND) must have 9 digits"))
    phone = values.get("phone", "").strip()
    if phone and (not phone.lstrip("+").isdigit() or not 9 <= len(phone) <= 12):
        add("phone", N_("phone number not understood"))
    return problems


#: What form DC01 asks beyond the register's columns (stored in the resident's ``extra``):
#: where the birth was registered, where the person lives, and their parents' and spouse's
#: names and ID numbers where known.
DC01_FIELDS = (
    "birth_registration_place", "permanent_residence", "current_residence",
    "father_name", "father_id", "mother_name", "mother_id", "spouse_name", "spouse_id",
)  # fmt: skip
DC01_ID_FIELDS = ("father_id", "mother_id", "spouse_id")
DC01_NAME_FIELDS = ("father_name", "mother_name", "spouse_name")


def validate_dc01(values: dict[str, str]) -> dict[str, list[str]]:
    """Problems of the DC01-only fields (all optional): an ID number has 12 digits (or 9, an
    old CMND), a name holds no digits."""
    problems: dict[str, list[str]] = {}
    for field in DC01_ID_FIELDS:
        text = values.get(field, "").strip().replace(" ", "")
        if text and not (text.isdigit() and len(text) in (9, 12)):
            problems.setdefault(field, []).append(N_("an ID number has 12 digits (or 9, CMND)"))
    for field in DC01_NAME_FIELDS:
        if _DIGIT.search(values.get(field, "")):
            problems.setdefault(field, []).append(N_("the name contains digits"))
    return problems


def dc01_extra(values: dict[str, str]) -> dict[str, str]:
    """The DC01-only fields that were filled in, trimmed (ID numbers without spaces)."""
    out = {}
    for field in DC01_FIELDS:
        text = " ".join(values.get(field, "").split())
        if field in DC01_ID_FIELDS:
            text = text.replace(" ", "")
        if text:
            out[field] = text
    return out


def corrections(original: dict[str, str], values: dict[str, str]) -> dict[str, dict[str, str]]:
    """What the officer changed, field by field (whitespace-only edits are not corrections)."""
    changed = {}
    for field in FIELDS:
        before, after = original.get(field, "").strip(), values.get(field, "").strip()
        if before != after:
            changed[field] = {"from": before, "to": after}
    return changed


def details_record(
    original: dict[str, str], values: dict[str, str], asked: tuple[str, str] | None = None
) -> dict[str, Any]:
    """The "details" step as stored in the draft: the values and what was corrected, and the
    level-2 account request (``asked`` = the typed mobile number and e-mail; None: not asked).

    A request still being typed (not valid yet) is kept apart as ``vneid_typed``, so an
    autosave keeps it without storing a bad number as a request (submit refuses it)."""
    clean = {k: values.get(k, "").strip() for k in FIELDS}
    record: dict[str, Any] = {"values": clean, "corrections": corrections(original, clean)}
    extra = dc01_extra(values)
    if extra:  # a DC01 person: the fields the register has no column for
        record["dc01"] = extra
    if asked is not None:
        try:
            record["vneid"] = vneid.request(*asked)
        except InvalidInput:
            record["vneid_typed"] = {"phone": asked[0].strip(), "email": asked[1].strip()}
    return record


# --- the level-2 electronic identification account (VNeID), db/vneid.py ---------------------


def validate_vneid(phone: str, email: str) -> dict[str, list[str]]:
    """Problems of a level-2 account request as typed: "phone" and "email" (empty: fine)."""
    problems: dict[str, list[str]] = {}
    if (p := vneid.phone_problem(phone)) is not None:
        problems["phone"] = [p]
    if (p := vneid.email_problem(email)) is not None:
        problems["email"] = [p]
    return problems


def vneid_prefill(register_phone: str) -> str:
    """The register's phone as the request's number when it is a mobile one, else ""."""
    return vneid.normalise_phone(register_phone) if vneid.is_mobile(register_phone) else ""


def vneid_typed(details: dict[str, Any]) -> tuple[bool, str, str]:
    """(asked, phone, e-mail) of a stored details record, to show the form again."""
    found = details.get("vneid") or details.get("vneid_typed")
    if not isinstance(found, dict):
        return False, "", ""
    return True, str(found.get("phone") or ""), str(found.get("email") or "")


def fmt_phone(phone: str) -> str:
    """ "0912345678" → "0912 345 678", as numbers are read aloud and printed."""
    return f"{phone[:4]} {phone[4:7]} {phone[7:]}" if len(phone) == vneid.DIGITS else phone


# --- issue 17: what a card says that the register does not ---------------------------------

#: The fields a card's QR text carries that the form has (the address is only shown: it is the
#: permanent residence in words, not one of the register's columns).
CARD_FIELDS = ("full_name", "birth", "sex", "old_id")


def _letters(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _bare(text: str) -> str:
    """Without diacritics (đ as d): what a scanner without a Vietnamese layout still types."""
    decomposed = unicodedata.normalize("NFD", _letters(text)).replace("đ", "d")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def card_values(card: CardQR) -> dict[str, str]:
    """A card's fields as the text the form shows ("" when the card does not say)."""
    return {"full_name": card.full_name or "",
            "birth": card.birth_date.strftime("%d/%m/%Y") if card.birth_date else "",
            "sex": card.sex or "", "old_id": card.old_id or ""}  # fmt: skip


def card_differences(values: dict[str, str], card: CardQR, *, letters_trusted: bool = False
                     ) -> list[tuple[str, str, str]]:  # fmt: skip
    """``(field, form's value, card's value)`` where the card says something else. A keyboard-
    wedge scanner mangles Vietnamese letters (no layout, a Telex input method), so unless the
    letters are trusted (read by the camera) a name differing only in its marks is not a
    difference: the card's number and digits are what a scan gets right."""
    found = []
    for field, said in card_values(card).items():
        held = values.get(field, "") or ""
        if not said or _letters(said) == _letters(held):
            continue
        if field == "full_name" and not letters_trusted and _bare(said) == _bare(held):
            continue
        found.append((field, held, said))
    return found
