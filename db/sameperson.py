"""DESIGN §6's "likely the same person": ONE rule, for the desk (DC01), field sync, the hub and
the quality report.

Two records are likely the same person when they have the same personal ID number; or — when
either has none, or the numbers differ (a typing error in one of them) — the same folded full
name and the same birth date (the same birth year when either knows only the year) in the same
village. Folding (db/text.fold) drops case, diacritics and tone placement and reads đ as d, so
"Giàng A Sếnh" and "GIANG A SENH" are one name, and "Hòa"/"Hoà" too.

What the rule does not guess: a record without a birth year or without a village cannot be
matched by name (nothing would tell namesakes apart: DESIGN §6, many people share clan, middle
and given name). Pure: no database, so every caller applies exactly the same test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.text import fold


@dataclass(frozen=True, slots=True)
class PersonKey:
    """What the rule compares of a record, already folded."""

    personal_id: str | None
    name: str  # folded full name
    birth_year: int | None
    birth_date: date | None
    village: str | None  # folded village name

    @classmethod
    def of(
        cls, personal_id: str | None, full_name: str, birth_year: int | None = None,
        birth_date: date | None = None, village: str | None = None,
    ) -> PersonKey:  # fmt: skip
        """A key from a record as stored or typed (not folded yet)."""
        year = birth_year or (birth_date.year if birth_date else None)
        return cls((personal_id or "").strip() or None, fold(full_name or ""), year, birth_date,
                   fold(village) if village else None)  # fmt: skip


def same_birth(a: PersonKey, b: PersonKey) -> bool:
    """The same birth date; the same year when either knows only the year; unknown: no."""
    if a.birth_date is not None and b.birth_date is not None:
        return a.birth_date == b.birth_date
    return a.birth_year is not None and a.birth_year == b.birth_year


def likely_same(a: PersonKey, b: PersonKey) -> bool:
    """DESIGN §6: the same ID number, or the same folded name and birth in the same village."""
    if a.personal_id is not None and a.personal_id == b.personal_id:
        return True
    return bool(a.name) and a.name == b.name and bool(a.village) and a.village == b.village and (
        same_birth(a, b)
    )


__all__ = ["PersonKey", "likely_same", "same_birth"]
