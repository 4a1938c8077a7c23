"""Working days for the return date: "cards are returned within 7 working days" (§6).

Holidays come from the maintained ``holidays`` package (``holidays.country_holidays("VN")``),
which computes the lunar ones (Tết, Hùng Kings' day) and knows the government's announced
day swaps. What counts as a day off here:

* Saturdays and Sundays;
* every date in ``holidays`` for Vietnam, which includes
  - the public holidays themselves (Tết Dương lịch, the 5 Tết days the government gives,
    Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9 and its adjacent day, and 24/11 from 2026),
  - compensatory days off ("nghỉ bù", labelled "observed") when a holiday falls on a weekend,
  - substituted days off announced by the government (e.g. 29/04/2024, 02/05/2025).

Choice: the government swaps those substituted days with a Saturday that becomes a make-up
working day (e.g. Saturday 04/05/2024). ``holidays`` lists only the day off, not the make-up
Saturday, and we do **not** count such Saturdays as working days. The return date can then be
at most one day later than the strict legal count — the safe side for a promise made to a
citizen — and we do not depend on the library's private tables.

The day of receipt is not counted: received on Monday, 7 working days later is the next
Wednesday (when there is no holiday in between).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _days_off(year: int) -> frozenset[date]:
    """Vietnam's public holidays and days off of ``year`` (cached: building them is slow)."""
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(d: date) -> bool:
    """Monday–Friday and not a public holiday or official day off in Vietnam."""
    return d.weekday() < 5 and d not in _days_off(d.year)


def return_date(received: date, working_days: int = 7) -> date:
    """The date ``working_days`` working days after ``received`` (not counting that day).

    ``received`` may itself be a weekend or holiday (mobile teams work then): counting starts
    from the next working day either way.
    """
    if working_days < 1:
        raise ValueError("working_days must be at least 1")
    d = received
    left = working_days
    while left:
        d += timedelta(days=1)
        if is_working_day(d):
            left -= 1
    return d
