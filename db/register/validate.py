"""Turn one raw register row into a clean resident record, or say why it cannot be.

Two outcomes besides success: a *rejected* row (impossible: no name, impossible date, wrong
number of digits) is not imported; a *flagged* row is imported with the problems recorded for
review (an ID number that disagrees with birth year or sex is usually a typing error).
Reasons never quote the row's personal data: they go into the import report and the log.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from db.idnumber import PROVINCES, check_personal_id
from db.text import fold, nfc, sort_key
from resources.i18n import N_

MIN_YEAR = 1880
_DIGITS = re.compile(r"[\s.\-]")
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
    return nfc(str(value))


@lru_cache(maxsize=65536)
def parse_birth(value: Any, today: date) -> tuple[int | None, date | None]:
    """(year, full date or None when only the year is known); raises RowRejected."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        year, full = value.year, value
    elif isinstance(value, int | float) and float(value).is_integer():
        year, full = int(value), None
    else:
        text = str(value).strip()
        if not text:
            return None, None
        if m := _DMY.match(text):
            d, mo, y = (int(g) for g in m.groups())
        elif m := _YMD.match(text):
            y, mo, d = (int(g) for g in m.groups())
        elif m := _YEAR.match(text):
            y, mo, d = int(m.group(1)), 0, 0
        else:
            raise RowRejected(
                N_("birth date not understood (use dd/mm/yyyy, yyyy-mm-dd or a year)")
            )
        if mo == 0:
            year, full = y, None
        else:
            try:
                full = date(y, mo, d)
            except ValueError:
                raise RowRejected(N_("impossible birth date")) from None
            year = y
    if year < MIN_YEAR or year > today.year or (full is not None and full > today):
        raise RowRejected(N_("impossible birth date"))
    return year, full


def _digits(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _DIGITS.sub("", str(value)) if value not in (None, "") else ""


def _personal_id(value: Any) -> str:
    number = _digits(value)
    # Excel drops leading zeros from numbers: 011... becomes 11... (province codes start with 0)
    if number.isdigit() and 9 < len(number) < 12 and number.zfill(12)[:3] in PROVINCES:
        number = number.zfill(12)
    return number


@lru_cache(maxsize=65536)
def _name(value: Any) -> tuple[str, str, str]:
    """(name, folded, sort key); registers repeat names a lot, so this is computed once each."""
    name = _text(value)
    if not name or not _LETTER.search(name):
        raise RowRejected(N_("no name"))
    if _DIGIT.search(name):
        raise RowRejected(N_("the name contains digits"))
    if name.isupper():
        name = name.title()  # NGUYỄN VĂN AN → Nguyễn Văn An
    return name, fold(name), sort_key(name)


@lru_cache(maxsize=4096)
def _coded(value: Any, table: str) -> tuple[str | None, bool]:
    """(code, understood) of a coded field (sex, residence, home visit) in any spelling."""
    text = fold(_text(value))
    code = _CODES[table].get(text)
    return code, code is not None or (not text and table != "home_visit")


@lru_cache(maxsize=65536)
def _village(value: Any) -> tuple[str | None, str | None]:
    village = _text(value) or None
    return village, (fold(village) if village else None)


def clean_row(raw: dict[str, Any], today: date) -> CleanRow:
    """Validate and normalise one row; raises RowRejected with a reason for the report."""
    name, search_name, name_key = _name(raw.get("full_name"))
    year, full = parse_birth(raw.get("birth_date"), today)
    problems: list[str] = []

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

    values: dict[str, Any] = {
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
        "household_no": _text(raw.get("household_no")) or None,
        "residence_type": residence,
        "phone": phone,
        "home_visit_reason": home_visit,
    }
    for key in TEXT_FIELDS:
        values[key] = _text(raw.get(key)) or None
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
    joined = repr(tuple(map(values.__getitem__, _HASHED)))
    return hashlib.blake2b(joined.encode(), digest_size=16).hexdigest()
