"""Vietnam time: what officers read and what "a day" means for tallies and slip years.

The database stores UTC. Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed
offset is exact and needs no tz database (Windows Pythons ship none without ``tzdata``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7), "ICT")
#: SQLite ``date()`` modifier turning a stored UTC time into the Vietnam-local date.
SQLITE_LOCAL_MODIFIER = "+7 hours"


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_local(value: datetime) -> datetime:
    """An aware datetime shown in Vietnam time (naive input is refused: it is ambiguous)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return value.astimezone(VN_TZ)


def local_date(value: datetime) -> date:
    return to_local(value).date()


def today_local(now: datetime | None = None) -> date:
    return local_date(now or now_utc())


def local_day_bounds(first: date, last: date | None = None) -> tuple[datetime, datetime]:
    """The UTC half-open range ``[start, end)`` covering local days ``first``..``last``."""
    last = last or first
    start = datetime.combine(first, time(0), VN_TZ).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), VN_TZ).astimezone(UTC)
    return start, end


NO_BIOMETRICS_BELOW = 6
"""Under 6 no biometrics are taken (Luật Căn cước 2023; DESIGN §6)."""


def surely_under(age: int, birth_date: date | None, birth_year: int | None, on: date) -> bool:
    """The person is certainly younger than ``age`` on ``on`` (a year alone decides only when
    even the earliest birthday in it is too recent)."""
    if birth_date is not None:
        before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
        return on.year - birth_date.year - before_birthday < age
    return birth_year is not None and on.year - birth_year < age
