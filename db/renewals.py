"""Who must get a new card soon: the card ages of the identity law, and the list by village.

Luật Căn cước 2023, art. 21: a card is renewed on reaching 14, 25, 40 and 60 (and a card is
mandatory from 14, so 14 is also when a first card is due); a card issued or renewed within the
two years before one of those ages stays valid until the next one, and one issued from 58 on is
valid for life. So at each age the question is only whether the card in hand was issued at
least two years before the person reached it.

A year-only birth (common for the elderly) counts the age reached during that year, as the
coverage does: the person is taken to reach it on 1 January, so they appear for the whole year
("born 2012 → must hold a card from 2026"), never later than someone whose date is known. The
same 1 January decides the two-year grace, so a card issued at any time of the year two years
before counts as issued within it.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from db.models import Resident
from db.station import StationDB
from db.text import sort_key
from db.types import Renewal

if TYPE_CHECKING:
    from printing.model import RenewalsData

MILESTONES = (14, 25, 40, 60)
GRACE_YEARS = 2  # a card issued within this many years before an age stays valid past it
DEFAULT_MONTHS = 3


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 1 March (the age is reached once
    the 28th is over)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or that month's last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


def reaches(birth_date: date | None, birth_year: int | None, age: int) -> date | None:
    """The day the age is reached (1 January of that year for a year-only birth)."""
    if birth_date is not None:
        return add_years(birth_date, age)
    return None if birth_year is None else date(birth_year + age, 1, 1)


def must_renew_at(reached: date, card_issued: date | None) -> bool:
    """Whether the card in hand needs replacing on the day an age is reached: it does unless
    it was issued on that day or later, or within the two years before. Without an issue date
    the answer is yes (a first card at 14; at the other ages, a card to check)."""
    return card_issued is None or card_issued < add_years(reached, -GRACE_YEARS)


def next_due(
    birth_date: date | None, birth_year: int | None, card_issued: date | None, on: date
) -> tuple[int, date] | None:
    """The first card age reached on or after ``on`` at which the person must get a card, and
    the day; None when no age is left (or the card is valid for life: issued from 58 on)."""
    for age in MILESTONES:
        reached = reaches(birth_date, birth_year, age)
        if reached is None:
            return None
        if reached >= on and must_renew_at(reached, card_issued):
            return age, reached
    return None


def period(on: date, months: int) -> tuple[date, date]:
    """The list's period: this year so far (the ages reached since 1 January and not renewed
    for) and the next ``months`` months."""
    return date(on.year, 1, 1), add_months(on, months)


def renewals(db: StationDB, on: date, months: int = DEFAULT_MONTHS) -> list[Renewal]:
    """Residents who must get a card between 1 January of ``on``'s year and ``months`` months
    after ``on``, by village then name in Vietnamese order. Those no longer counted
    (``life_status``: deceased, moved away, a duplicate record) are left out; those whose card
    issue date is unknown are in (``card_issued`` None) for the caller to show apart."""
    first, last = period(on, months)
    years = sorted({y - age for age in MILESTONES for y in range(first.year, last.year + 1)})
    query = (
        select(Resident.uuid, Resident.full_name, Resident.sort_key, Resident.birth_date,
               Resident.birth_year, Resident.card_issued, Resident.village)
        .where(Resident.life_status.is_(None), Resident.birth_year.in_(years))
    )  # fmt: skip
    found: list[tuple[tuple[bool, str, str, date], Renewal]] = []
    with db.Session() as s:
        for uuid, name, key, born, year, issued, village in s.execute(query):
            due = next_due(born, year, issued, first)
            if due is None or due[1] > last:
                continue
            renewal = Renewal(uuid, name, born, year, due[0], due[1], village, issued)
            found.append(((village is None, sort_key(village or ""), key, due[1]), renewal))
    found.sort(key=lambda item: item[0])
    return [renewal for _key, renewal in found]


def renewals_sheet(db: StationDB, found: list[Renewal], on: date,
                   months: int = DEFAULT_MONTHS) -> RenewalsData:  # fmt: skip
    """The list as the printed sheet takes it (printing/ knows no db types): those whose card
    issue date is known, then the others apart."""
    from db.documents import print_station, unknown_village
    from db.models import Station
    from db.vntime import now_utc
    from printing.model import RenewalLine, RenewalsData
    from printing.text import fmt_date

    def line(r: Renewal) -> RenewalLine:
        due = str(r.due.year) if r.birth_date is None else fmt_date(r.due)
        return RenewalLine(village=r.village or unknown_village(), full_name=r.full_name,
                           birth=r.birth_display,
                           card_issued=fmt_date(r.card_issued) if r.card_issued else "",
                           milestone=r.milestone, due=due,
                           first_card=r.card_issued is None and r.milestone == 14)  # fmt: skip

    with db.Session() as s:
        st = s.get(Station, db.station_id)
        training = bool(st is not None and st.training)
    first, last = period(on, months)
    return RenewalsData(
        station=print_station(db), first=first, last=last, generated_at=now_utc(),
        known=tuple(line(r) for r in found if r.card_issued is not None),
        unknown=tuple(line(r) for r in found if r.card_issued is None), training=training,
    )  # fmt: skip
