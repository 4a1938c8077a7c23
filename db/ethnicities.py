"""The lists form DC01 offers: Vietnam's 54 recognised ethnic groups and its religions.

Ethnic groups: the 54 of the official list (Quyết định 121-TCTK/PPCĐ, 1979, kept by the General
Statistics Office's "Danh mục các dân tộc Việt Nam"), in the order of the 2019 census by
population, each under the name the census and today's registers write (Mông, Khmer, Gia Rai)
with the list's own spellings and common variants as aliases (HMông, Khơ-me, Gia-rai), so that
whatever an officer types or a register holds is recognised as the same group.

Religions: "Không" (none) and the religions recognised by the State (Government Committee for
Religious Affairs), the common ones first.

These are data values in Vietnamese (what the register stores), not interface strings: they
are not translated. The forms keep free text: a person may name their group or faith otherwise.
"""

from __future__ import annotations

from db.text import fold

#: (the name shown and stored, aliases) — 2019 census order.
ETHNIC_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Kinh", ("Việt", "Kinh (Việt)")),
    ("Tày", ()),
    ("Thái", ()),
    ("Mường", ()),
    ("Khmer", ("Khơ-me", "Khơ Me", "Khmer Krôm")),
    ("Hoa", ("Hán", "Hoa (Hán)")),
    ("Nùng", ()),
    ("Mông", ("HMông", "H'Mông", "Hmong", "HMông (Mèo)")),
    ("Dao", ()),
    ("Gia Rai", ("Gia-rai", "Jarai", "Giơ-rai")),
    ("Ê Đê", ("Ê-đê", "Êđê", "Ede", "Ra-đê")),
    ("Ba Na", ("Ba-na", "Bahnar")),
    ("Sán Chay", ("Cao Lan", "Sán Chỉ", "Cao Lan - Sán Chỉ")),
    ("Chăm", ("Chàm", "Cham")),
    ("Cơ Ho", ("Cơ-ho", "K'Ho", "Koho")),
    ("Xơ Đăng", ("Xơ-đăng", "Sedang")),
    ("Sán Dìu", ()),
    ("Hrê", ("H're",)),
    ("Ra Glai", ("Ra-glai", "Raglai", "Ra Glay")),
    ("Mnông", ("M'Nông", "Mơ Nông")),
    ("Thổ", ()),
    ("Xtiêng", ("Stiêng", "X'tiêng", "Xa Điêng")),
    ("Khơ Mú", ("Khơ-mú", "Khơ mú", "Khmu", "Kmhmu")),
    ("Bru Vân Kiều", ("Bru-Vân Kiều", "Bru - Vân Kiều", "Vân Kiều")),
    ("Cơ Tu", ("Cơ-tu", "Katu", "Ca Tu")),
    ("Giáy", ()),
    ("Tà Ôi", ("Tà-ôi", "Pa Cô", "Ta Oi")),
    ("Mạ", ()),
    ("Giẻ Triêng", ("Gié-Triêng", "Gié Triêng", "Giẻ-Triêng", "Giẻ", "Triêng")),
    ("Co", ("Cor", "Col")),
    ("Chơ Ro", ("Chơ-ro", "Châu Ro")),
    ("Xinh Mun", ("Xinh-mun",)),
    ("Hà Nhì", ("Hà Nhì Già",)),
    ("Chu Ru", ("Chu-ru",)),
    ("Lào", ()),
    ("Kháng", ()),
    ("La Chí", ()),
    ("Phù Lá", ()),
    ("La Hủ", ()),
    ("La Ha", ()),
    ("Pà Thẻn", ()),
    ("Chứt", ("Rục", "Sách")),
    ("Lự", ()),
    ("Lô Lô", ()),
    ("Mảng", ()),
    ("Cờ Lao", ("Co Lao", "Cơ Lao")),
    ("Bố Y", ()),
    ("Cống", ()),
    ("Ngái", ()),
    ("Si La", ()),
    ("Pu Péo", ("Pu Piéo",)),
    ("Rơ Măm", ("Rơ-măm",)),
    ("Brâu", ("Brao",)),
    ("Ơ Đu", ("Ơ-đu", "Tày Hạt")),
)
ETHNICITIES: tuple[str, ...] = tuple(name for name, _aliases in ETHNIC_GROUPS)

RELIGIONS: tuple[str, ...] = (
    "Không", "Phật giáo", "Công giáo", "Tin Lành", "Cao Đài", "Phật giáo Hòa Hảo", "Hồi giáo",
    "Tôn giáo Baha'i", "Tịnh độ Cư sĩ Phật hội Việt Nam", "Cơ đốc Phục lâm",
    "Phật giáo Tứ Ân Hiếu Nghĩa", "Minh Sư đạo", "Minh Lý đạo - Tam Tông Miếu", "Bà-la-môn giáo",
    "Mặc môn", "Phật giáo Hiếu Nghĩa Tà Lơn", "Bửu Sơn Kỳ Hương",
)  # fmt: skip


def _key(text: str) -> str:
    """Folded with no spaces: "H'Mông", "HMông" and "hmong" are one key; so are "Gia-rai" and
    "Gia Rai"."""
    return fold(text).replace(" ", "")


_CANONICAL = {_key(alias): name for name, aliases in ETHNIC_GROUPS for alias in (name, *aliases)}
_RELIGION = {_key(name): name for name in RELIGIONS} | {
    _key(a): n for a, n in (("không tôn giáo", "Không"), ("Phật", "Phật giáo"),
                           ("Thiên Chúa giáo", "Công giáo"), ("Hòa Hảo", "Phật giáo Hòa Hảo"),
                           ("Tin lanh", "Tin Lành"), ("Đạo Tin Lành", "Tin Lành"))
}  # fmt: skip


def canonical_ethnicity(text: str | None) -> str | None:
    """The list's name of the group ``text`` names (any spelling), or None if not in it."""
    return _CANONICAL.get(_key(text)) if text and text.strip() else None


def canonical_religion(text: str | None) -> str | None:
    return _RELIGION.get(_key(text)) if text and text.strip() else None


assert len(ETHNIC_GROUPS) == 54 and len(set(_CANONICAL.values())) == 54

__all__ = ["ETHNICITIES", "ETHNIC_GROUPS", "RELIGIONS", "canonical_ethnicity",
           "canonical_religion"]  # fmt: skip
