"""Turn one raw register row into a clean resident record, or say why it cannot be.

Two outcomes besides success: a *rejected* row (impossible: no name, impossible date, wrong
number of digits) is not imported; a *flagged* row is imported with the problems recorded for
review (an ID number that disagrees with birth year or sex is usually a typing error).
Reasons never quote the row's personal data: they go into the import report and the log.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from db.idnumber import PROVINCES, check_personal_id
from db.register.limits import MAX_HOUSEHOLD_CHARS, MAX_NAME_CHARS
from db.text import fold, nfc, sort_key
from resources.i18n import N_

MIN_YEAR = 1880
_DIGITS = re.compile(r"[\s.\-\u2010-\u2015\u00b7_/]")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"^(\d{4})(?:\.0)?$")

_SEX = {"nam": "M", "m": "M", "male": "M", "trai": "M", "nu": "F", "f": "F", "female": "F"}
_RESIDENCE = {
    "thuong tru": "permanent", "permanent": "permanent", "tt": "permanent",
    "tam tru": "temporary", "temporary": "temporary",
}  # fmt: skip
_HOME_VISIT = {
    "": "none", "none": "none", "khong": "none", "elderly": "elderly", "nguoi gia": "elderly",
    "cao tuoi": "elderly", "bedridden": "bedridden", "nam liet giuong": "bedridden",
    "liet giuong": "bedridden", "disabled": "disabled", "khuyet tat": "disabled",
    "postpartum": "postpartum", "sau sinh": "postpartum", "other": "other", "khac": "other",
}  # fmt: skip
_CODES = {"sex": _SEX, "residence": _RESIDENCE, "home_visit": _HOME_VISIT}
TEXT_FIELDS = ("ethnicity", "religion", "hometown", "commune", "relation_to_head")

# Invisible characters: bidirectional controls (U+202E shows "Đức" as "cứĐ"), zero-width
# spaces and joiners, BOMs, soft hyphens, tags. None belongs in a register; all are removed.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\U000e0000-\U000e0fff]"
)
# A name character that needs a closer look (symbols, emoji, marks left uncomposed...).
_ODD_IN_NAME = re.compile(r"[^\w\s'’ʼ.,()\-]|[\u115f\u1160\u3164\uffa0]")  # + letter fillers
_REMOVED_CATEGORIES = {"So", "Sk", "Sm", "Sc", "Me", "Co", "Cn", "Cs", "Cf", "Cc"}
# What makes a spreadsheet run a cell (after Excel's "text" apostrophe), or "=" anywhere.
_FORMULA = re.compile(r"^[\s']*[=+\-@＝＋－＠]|=")
_PLACEHOLDER = re.compile(r"^[-–—.\s]*$")  # "-", "--", "." written for "none"
_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC")  # look-alikes

NAME_FORMULA = N_("the name looks like a spreadsheet formula (it begins with =, +, - or @)")
VALUE_FORMULA = N_("a value looks like a spreadsheet formula (it begins with =, + or @)")
NAME_TOO_LONG = N_("the name is longer than 100 characters")
HOUSEHOLD_TOO_LONG = N_("the household number is longer than 40 characters")
FLAG_INVISIBLE = N_("invisible or direction-changing characters were removed from the name")
FLAG_SYMBOLS = N_("symbols or emoji were removed from the name")
FLAG_SCRIPTS = N_("the name mixes letters of different alphabets (look-alike letters)")


class RowRejected(ValueError):
    """The row cannot be imported; the message is the reason shown in the report."""


@dataclass(slots=True)
class CleanRow:
    values: dict[str, Any]  # columns of the resident table
    problems: list[str]  # flags for review (row is imported)


@lru_cache(maxsize=65536)
def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if not text.isascii():
        text = _INVISIBLE.sub("", text)
    return nfc(text)


@lru_cache(maxsize=65536)
def _free_text(value: Any) -> str | None:
    """A free-text field: cleaned, a placeholder dash as empty, never a formula."""
    text = _text(value)
    if not text:
        return None
    if text[0] in "=+-@.–—":
        if _PLACEHOLDER.match(text):
            return None
        if text[0] != "." and text[:2] != "- ":  # "- Kinh": a list's dash, not a formula
            raise RowRejected(VALUE_FORMULA)
    return text


def ascii_digits(text: str) -> str:
    """Fullwidth and other Unicode digits as ASCII (``０１１`` → ``011``), invisibles removed."""
    if text.isascii():
        return text
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


class _NotUnderstood(ValueError):
    """A date cell in none of the register's formats."""


def _date_parts(value: Any) -> tuple[int, int, int] | date | None:
    """A date cell as a date, as (year, month, day) to be checked (month 0: the year alone),
    or None when empty; raises _NotUnderstood. Excel's dates arrive as datetimes."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value), 0, 0
    text = ascii_digits(str(value)).strip()
    if not text:
        return None
    if m := _DMY.match(text):
        d, mo, y = (int(g) for g in m.groups())
    elif m := _YMD.match(text):
        y, mo, d = (int(g) for g in m.groups())
    elif m := _YEAR.match(text):
        y, mo, d = int(m.group(1)), 0, 0
    else:
        raise _NotUnderstood(text)
    return y, mo, d


@lru_cache(maxsize=65536)
def parse_birth(value: Any, today: date) -> tuple[int | None, date | None]:
    """(year, full date or None when only the year is known); raises RowRejected."""
    try:
        parts = _date_parts(value)
    except _NotUnderstood:
        raise RowRejected(
            N_("birth date not understood (use dd/mm/yyyy, yyyy-mm-dd or a year)")
        ) from None
    if parts is None:
        return None, None
    if isinstance(parts, date):
        year, full = parts.year, parts
    elif parts[1] == 0:
        year, full = parts[0], None
    else:
        try:
            full = date(*parts)
        except ValueError:
            raise RowRejected(N_("impossible birth date")) from None
        year = parts[0]
    if year < MIN_YEAR or year > today.year or (full is not None and full > today):
        raise RowRejected(N_("impossible birth date"))
    return year, full


CARD_NOT_UNDERSTOOD = N_("card issue date not understood (use dd/mm/yyyy or yyyy-mm-dd), ignored")
CARD_IMPOSSIBLE = N_("impossible card issue date (before the birth or in the future), ignored")


@lru_cache(maxsize=65536)
def _card_day(value: Any) -> date | str | None:
    """The card issue date of a cell, or the flag saying why it cannot be one."""
    try:
        parts = _date_parts(value)
    except _NotUnderstood:
        return CARD_NOT_UNDERSTOOD
    if parts is None or isinstance(parts, date):
        return parts
    if parts[1] == 0:
        return CARD_NOT_UNDERSTOOD  # a year alone says nothing about the renewal ages
    try:
        return date(*parts)
    except ValueError:
        return CARD_IMPOSSIBLE


def parse_card_issued(
    value: Any, year: int | None, full: date | None, today: date
) -> tuple[date | None, str | None]:
    """(card issue date, flag): a date that cannot be one is flagged and ignored, never a
    reason to reject the row (the rest of the row is good)."""
    day = _card_day(value)
    if day is None or isinstance(day, str):
        return None, day
    if day > today or (full is not None and day < full) or (year is not None and day.year < year):
        return None, CARD_IMPOSSIBLE
    return day, None


def _digits(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if not text.isascii():
        text = ascii_digits(text)
    if "'" in text:
        text = text.strip().removeprefix("'")  # Excel's mark for "keep this number as text"
    return _DIGITS.sub("", text)


def _personal_id(value: Any) -> str:
    number = _digits(value)
    # Excel drops leading zeros from numbers: 011... becomes 11... (province codes start with 0)
    if number.isdigit() and 9 < len(number) < 12 and number.zfill(12)[:3] in PROVINCES:
        number = number.zfill(12)
    return number


@lru_cache(maxsize=65536)
def _name(value: Any) -> tuple[str, str, str, tuple[str, ...]]:
    """(name, folded, sort key, flags); registers repeat names a lot, so this is computed
    once each. Formulas are rejected; invisible characters and symbols are removed (flagged)."""
    name = "" if value is None else str(value)
    flags: list[str] = []
    if _FORMULA.search(name):
        raise RowRejected(NAME_FORMULA)
    if not name.isascii():
        name = unicodedata.normalize("NFKC", name)  # fullwidth letters, ligatures
        if _FORMULA.search(name):
            raise RowRejected(NAME_FORMULA)
    if _ODD_IN_NAME.search(name):
        name, flags = _strip_odd(name)
    name = nfc(name)
    if not name or not _LETTER.search(name):
        raise RowRejected(N_("no name"))
    if _DIGIT.search(name):
        raise RowRejected(N_("the name contains digits"))
    if len(name) > MAX_NAME_CHARS:
        raise RowRejected(NAME_TOO_LONG)
    if not name.isascii() and _mixed_scripts(name):
        flags.append(FLAG_SCRIPTS)
    if name.isupper():
        name = name.title()  # NGUYỄN VĂN AN → Nguyễn Văn An
    return name, fold(name), sort_key(name), tuple(flags)


def _strip_odd(name: str) -> tuple[str, list[str]]:
    """The name without invisible characters, symbols and emoji, and the flags to say so."""
    kept: list[str] = []
    invisible = symbols = False
    marks = 0
    for ch in unicodedata.normalize("NFC", name):
        category = unicodedata.category(ch)
        if ch.isspace():
            kept.append(" ")
            marks = 0
        elif _INVISIBLE.match(ch) or category == "Cf":
            invisible = True
        elif category in _REMOVED_CATEGORIES:
            symbols = symbols or category != "Cc"  # control characters go silently
        elif category == "Mn" and marks >= 1:
            symbols = True  # stacked marks ("Zalgo"): Vietnamese needs at most one loose mark
        else:
            marks = marks + 1 if category == "Mn" else 0
            kept.append(ch)
    flags = [FLAG_INVISIBLE] if invisible else []
    if symbols:
        flags.append(FLAG_SYMBOLS)
    return "".join(kept), flags


def _mixed_scripts(name: str) -> bool:
    scripts = set()
    for ch in name:
        if ch.isalpha() and not ch.isascii():
            script = unicodedata.name(ch, "").split(" ", 1)[0]
            if script in _SCRIPTS:
                scripts.add(script)
        elif ch.isalpha():
            scripts.add("LATIN")
    return len(scripts) > 1


@lru_cache(maxsize=4096)
def _coded(value: Any, table: str) -> tuple[str | None, bool]:
    """(code, understood) of a coded field (sex, residence, home visit) in any spelling."""
    text = fold(_text(value))
    code = _CODES[table].get(text)
    return code, code is not None or (not text and table != "home_visit")


@lru_cache(maxsize=65536)
def _village(value: Any) -> tuple[str | None, str | None]:
    village = _free_text(value)
    return village, (fold(village) if village else None)


def clear_caches() -> None:
    """Forget the values of the last file (the caches hold up to 65 536 of each)."""
    for cached in (_text, _free_text, _name, _village, _coded, parse_birth, _card_day):
        cached.cache_clear()


def clean_row(raw: dict[str, Any], today: date) -> CleanRow:
    """Validate and normalise one row; raises RowRejected with a reason for the report."""
    name, search_name, name_key, name_flags = _name(raw.get("full_name"))
    year, full = parse_birth(raw.get("birth_date"), today)
    problems: list[str] = list(name_flags)

    sex, understood = _coded(raw.get("sex"), "sex")
    if not understood:
        problems.append(N_("sex not understood"))
    if year is None:
        problems.append(N_("birth date missing"))

    personal_id = _personal_id(raw.get("personal_id")) or None
    if personal_id is not None:
        check = check_personal_id(personal_id, year, sex)
        if not check.valid:
            raise RowRejected(check.problems[0])
        problems.extend(check.problems)

    old_id = _digits(raw.get("old_id")) or None
    if old_id is not None:
        if old_id.isdigit() and len(old_id) == 8:
            old_id = old_id.zfill(9)
        if len(old_id) != 9 or not old_id.isdigit():
            raise RowRejected(N_("old ID (CMND) must have 9 digits"))

    village, village_key = _village(raw.get("village"))
    household = _free_text(raw.get("household_no"))
    if household is not None and len(household) > MAX_HOUSEHOLD_CHARS:
        raise RowRejected(HOUSEHOLD_TOO_LONG)
    residence, understood = _coded(raw.get("residence_type"), "residence")
    if not understood:
        problems.append(N_("residence type not understood"))
    home_visit, understood = _coded(raw.get("home_visit_reason"), "home_visit")
    if not understood:
        problems.append(N_("home visit reason not understood"))
        home_visit = "other"
    phone = _digits(raw.get("phone")) or None
    if phone is not None:
        if phone.isdigit() and len(phone) == 9:
            phone = "0" + phone  # Excel again
        if not phone.lstrip("+").isdigit() or not 9 <= len(phone) <= 12:
            problems.append(N_("phone number not understood"))

    card_issued, card_flag = parse_card_issued(raw.get("card_issued"), year, full, today)
    if card_flag is not None:
        problems.append(card_flag)

    values: dict[str, Any] = {
        "card_issued": card_issued,
        "personal_id": personal_id,
        "old_id": old_id,
        "full_name": name,
        "search_name": search_name,
        "sort_key": name_key,
        "birth_year": year,
        "birth_date": full,
        "sex": sex,
        "village": village,
        "village_key": village_key,
        "household_no": household,
        "residence_type": residence,
        "phone": phone,
        "home_visit_reason": home_visit,
    }
    for key in TEXT_FIELDS:
        values[key] = _free_text(raw.get(key))
    values["match_key"] = match_key(search_name, year, full, village_key)
    values["review_flags"] = "; ".join(problems) or None
    values["content_hash"] = content_hash(values)
    return CleanRow(values, problems)


def match_key(
    search_name: str, year: int | None, full: date | None, village_key: str | None
) -> str:
    """Who a row is when it has no ID number: name + birth date + village."""
    birth = full.isoformat() if full else str(year or "")
    return f"{search_name}|{birth}|{village_key or ''}"


_HASHED = (
    "personal_id", "old_id", "full_name", "birth_year", "birth_date", "sex", "village",
    "household_no", "residence_type", "phone", "home_visit_reason", *TEXT_FIELDS,
)  # fmt: skip


def content_hash(values: dict[str, Any]) -> str:
    """Fingerprint of the register fields: re-importing an unchanged row writes nothing."""
    fields = tuple(map(values.__getitem__, _HASHED))
    card_issued = values.get("card_issued")
    if card_issued is not None:  # so rows hashed before the column existed stay unchanged
        fields = (*fields, card_issued)
    joined = repr(fields)
    return hashlib.blake2b(joined.encode(), digest_size=16).hexdigest()
