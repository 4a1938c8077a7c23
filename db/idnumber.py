"""The 12-digit personal ID number (số định danh cá nhân) and the old 9-digit ID (CMND).

Structure (ARCHITECTURE.md): PPP province of birth registration + C century/sex + YY year + 6
random digits. There is no check digit, so a well-formed number can only be checked against
the person's birth year and sex; a mismatch is usually a data-entry error and is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

from resources.i18n import N_

PROVINCES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa–Vũng Tàu", "079": "TP. Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

# Century/sex digit: first year of the century, and sex ("M"/"F").
_CENTURY = {
    "0": (1900, "M"), "1": (1900, "F"), "2": (2000, "M"), "3": (2000, "F"),
    "4": (2100, "M"), "5": (2100, "F"), "6": (2200, "M"), "7": (2200, "F"),
    "8": (1800, "M"), "9": (1800, "F"),
}  # fmt: skip


@dataclass(frozen=True)
class IdCheck:
    """Result of checking a number against what the register says of the person."""

    valid: bool  # well formed (12 digits); False means reject the row
    problems: tuple[str, ...]  # consistency problems: flag for review, do not reject


def century_digit(birth_year: int, sex: str) -> str:
    """The C digit a person born in ``birth_year`` with ``sex`` should have."""
    for digit, (century, s) in _CENTURY.items():
        if century <= birth_year < century + 100 and s == sex:
            return digit
    raise ValueError("birth year outside 1800-2299")


def make_personal_id(province: str, birth_year: int, sex: str, serial: int) -> str:
    """Build a structurally valid number (for the demo register and tests)."""
    return f"{province}{century_digit(birth_year, sex)}{birth_year % 100:02d}{serial % 10**6:06d}"


def check_personal_id(number: str, birth_year: int | None, sex: str | None) -> IdCheck:
    """Check a 12-digit number's structure and its agreement with birth year and sex."""
    if len(number) != 12 or not number.isdigit():
        return IdCheck(False, (N_("personal ID must have 12 digits"),))
    problems: list[str] = []
    province = number[:3]
    if number[0] == "0" and province not in PROVINCES:
        problems.append(N_("unknown province code"))
    century, id_sex = _CENTURY[number[3]]
    id_year = century + int(number[4:6])
    if birth_year is not None:
        if not (century <= birth_year < century + 100):
            problems.append(N_("century digit does not match birth year"))
        elif id_year != birth_year:
            problems.append(N_("year digits do not match birth year"))
    if sex is not None and id_sex != sex:
        problems.append(N_("century/sex digit does not match sex"))
    return IdCheck(True, tuple(problems))


def is_old_id(number: str) -> bool:
    return len(number) == 9 and number.isdigit()
