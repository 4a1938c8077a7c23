"""Provinces and communes by their official codes, not by how someone typed them.

After the 2025 reform Vietnam has 34 provinces and 3,321 communes, wards and special zones
(xã, phường, đặc khu). The list comes from the ``vietnam-provinces`` package (pinned in
pyproject.toml; :data:`DATA_VERSION` says which edition of the list), so a station's commune
is the code the hub groups its reports by: "Nà Hỳ", "Xã Nà Hỳ" and "Na Hy" are one commune.

A typed name is matched by its folded form without the division word ("xã", "phường"...);
where two communes of that name exist, the province decides; where nothing matches (a name
from before the reform, a typing slip), the station keeps its free text and no code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from db.text import fold

_PREFIXES = ("thanh pho ", "tinh ", "xa ", "phuong ", "dac khu ", "thi tran ")


@dataclass(frozen=True, slots=True)
class Place:
    code: str  # province: 2 digits; commune: 5 digits (the General Statistics Office's codes)
    name: str  # official, with its division word: "Xã Nà Hỳ", "Tỉnh Điện Biên"
    province_code: str  # the province's own code for a province

    @property
    def short(self) -> str:
        """The name without its division word ("Nà Hỳ")."""
        folded = fold(self.name)
        for p in _PREFIXES:
            if folded.startswith(p):
                return self.name[len(p):].strip()
        return self.name


def data_version() -> str:
    import vietnam_provinces

    v = vietnam_provinces
    return f"vietnam-provinces {v.__version__} (data {v.__data_version__})"


def _bare(name: str) -> str:
    folded = fold(name)
    for p in _PREFIXES:
        if folded.startswith(p):
            return folded[len(p):].strip()
    return folded


@lru_cache(maxsize=1)
def provinces() -> tuple[Place, ...]:
    from vietnam_provinces import Province

    return tuple(sorted((Place(f"{p.code.value:02d}", p.name, f"{p.code.value:02d}")
                         for p in Province.iter_all()), key=lambda p: p.code))  # fmt: skip


@lru_cache(maxsize=1)
def communes() -> tuple[Place, ...]:
    from vietnam_provinces import Ward

    return tuple(sorted((Place(f"{w.code.value:05d}", w.name, f"{w.province_code.value:02d}")
                         for w in Ward.iter_all()), key=lambda p: p.code))  # fmt: skip


@lru_cache(maxsize=1)
def _by_code() -> dict[str, Place]:
    return {p.code: p for p in (*provinces(), *communes())}


def by_code(code: str | None) -> Place | None:
    return _by_code().get(code or "")


def communes_of(province_code: str) -> list[Place]:
    return [c for c in communes() if c.province_code == province_code]


def find_province(name: str | None) -> Place | None:
    """The province a typed name means (folded, with or without "Tỉnh"/"Thành phố")."""
    if not name or not name.strip():
        return None
    if name.strip() in _by_code() and len(name.strip()) == 2:
        return _by_code()[name.strip()]
    bare = _bare(name)
    found = [p for p in provinces() if _bare(p.name) == bare]
    return found[0] if len(found) == 1 else None


def find_commune(name: str | None, province: str | None = None) -> Place | None:
    """The commune a typed name means; ``province`` (a code or a typed name) decides between
    communes of one name. None when nothing, or more than one, matches."""
    if not name or not name.strip():
        return None
    code = name.strip()
    if len(code) == 5 and code in _by_code():
        return _by_code()[code]
    bare = _bare(name)
    found = [c for c in communes() if _bare(c.name) == bare]
    if len(found) > 1 and province:
        p = by_code(province) if len(province.strip()) == 2 else find_province(province)
        found = [c for c in found if p is not None and c.province_code == p.code]
    return found[0] if len(found) == 1 else None
