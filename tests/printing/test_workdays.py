"""Return date = received + 7 working days, skipping weekends and Vietnamese holidays."""

from __future__ import annotations

from datetime import date

import pytest

from printing.workdays import is_working_day, return_date


@pytest.mark.parametrize(("received", "expected"), [
    # Ordinary week: Monday → Wednesday of the next week.
    (date(2026, 3, 9), date(2026, 3, 18)),
    # Received on a Saturday (mobile team): counting starts on Monday.
    (date(2026, 3, 14), date(2026, 3, 24)),
    # Tết Bính Ngọ 2026: 16–20 February off (lunar calendar).
    (date(2026, 2, 12), date(2026, 3, 2)),
    # Tết Ất Tỵ 2025: 27 January – 31 January off.
    (date(2025, 1, 24), date(2025, 2, 11)),
    # Hùng Kings 2026 (10/3 lunar) is Sunday 26 April, compensated on Monday 27 April;
    # then 30/4 and 1/5.
    (date(2026, 4, 20), date(2026, 5, 4)),
    # 2024: Hùng Kings Thursday 18 April; 29 April (swapped day off), 30/4, 1/5.
    (date(2024, 4, 15), date(2024, 4, 25)),
    (date(2024, 4, 25), date(2024, 5, 9)),
    # National Day 2026: 31 August (swapped), 1 and 2 September.
    (date(2026, 8, 28), date(2026, 9, 11)),
    # New Year across the year boundary.
    (date(2026, 12, 28), date(2027, 1, 7)),
])
def test_return_date(received, expected):
    assert return_date(received) == expected


def test_lunar_holidays_move_with_the_moon():
    assert not is_working_day(date(2026, 2, 17))  # Tết 2026 (Tuesday)
    assert not is_working_day(date(2027, 2, 8))  # Tết 2027 (Monday)
    assert is_working_day(date(2027, 2, 17))
    assert not is_working_day(date(2025, 4, 7))  # Hùng Kings 2025 (Monday)
    assert not is_working_day(date(2027, 4, 16))  # Hùng Kings 2027 (Friday)


def test_make_up_saturdays_are_not_counted_as_working_days():
    # Saturday 4 May 2024 was worked in exchange for Monday 29 April: we stay conservative.
    assert not is_working_day(date(2024, 5, 4))


def test_other_counts():
    assert return_date(date(2026, 3, 9), working_days=1) == date(2026, 3, 10)
    assert return_date(date(2026, 3, 13), working_days=1) == date(2026, 3, 16)
    with pytest.raises(ValueError):
        return_date(date(2026, 3, 9), working_days=0)
