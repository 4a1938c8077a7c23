"""Text and date formatting shared by the documents.

Everything printed goes through :func:`para` / :func:`nfc`: input may arrive decomposed (NFD,
e.g. from a Windows-1258 import) and ReportLab would then draw a base letter and a combining
mark instead of the precomposed glyph; it must also be XML-escaped because platypus Paragraphs
are mini-markup (a name with "&" or "<" would otherwise break the layout).

Times are stored in UTC and shown in Vietnam time. ``zoneinfo`` needs the ``tzdata`` package
on Windows; Vietnam has been a fixed UTC+7 without daylight saving since 1975, so when the zone
database is missing a fixed offset gives the same result.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from xml.sax.saxutils import escape

from resources.i18n import N_, _, language

_WEEKDAYS = (
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
    N_("Saturday"), N_("Sunday"),
)


@lru_cache(maxsize=1)
def vietnam_tz() -> tzinfo:
    """Asia/Ho_Chi_Minh, or a fixed UTC+7 where the zone database is not installed."""
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Asia/Ho_Chi_Minh")
    except Exception:  # ZoneInfoNotFoundError, or no tzdata on Windows
        return timezone(timedelta(hours=7), "ICT")


def nfc(text: str | None) -> str:
    """``text`` in NFC (``None`` → empty)."""
    return unicodedata.normalize("NFC", text or "")


def para(text: str | None) -> str:
    """``text`` ready to put inside Paragraph markup: NFC and XML-escaped."""
    return escape(nfc(text))


def local(dt: datetime) -> datetime:
    """An aware datetime in Vietnam time."""
    return dt.astimezone(vietnam_tz())


def fmt_date(d: date) -> str:
    """Vietnamese style day/month/year, used in both languages (it is what the forms use)."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def fmt_weekday_date(d: date) -> str:
    """E.g. "Thứ Năm, 12/03/2026" — the weekday helps people remember the appointment."""
    return _("{weekday}, {date}").format(weekday=_(_WEEKDAYS[d.weekday()]), date=fmt_date(d))


def fmt_datetime(dt: datetime) -> str:
    """Aware datetime → "08:05, 12/03/2026" in Vietnam time."""
    t = local(dt)
    return _("{time}, {date}").format(time=f"{t.hour:02d}:{t.minute:02d}", date=fmt_date(t))


def fmt_birth(d: date | None, year_only: bool) -> str:
    """A birth date, or only its year when the register has no day and month."""
    if d is None:
        return _("Unknown")
    return f"{d.year:04d}" if year_only else fmt_date(d)


def fmt_int(n: int) -> str:
    """Thousands separated the Vietnamese way (a dot) in Vietnamese, a comma in English."""
    s = f"{n:,}"
    return s.replace(",", ".") if language() == "vi" else s


def fmt_decimal(x: float, places: int = 1) -> str:
    """A decimal the reader's way: 1,4 in Vietnamese, 1.4 in English."""
    s = f"{x:.{places}f}"
    return s.replace(".", ",") if language() == "vi" else s


def fingers_summary(taken: int, conditions: Iterable[tuple[str, str]]) -> str:
    """ "10/10", or how many fingers were printed and what each other one has ("9/10; ngón trỏ
    tay trái: mất ngón hoặc cụt ngón"). ``conditions``: (finger, condition) message ids."""
    notes = [_("{finger}: {condition}").format(finger=_(finger), condition=_(condition).lower())
             for finger, condition in conditions]  # fmt: skip
    return "; ".join([f"{taken}/10", *notes])


def upper(text: str) -> str:
    """Upper case for headings (Python's rules are right for Vietnamese letters)."""
    return nfc(text).upper()


def fmt_pct(part: int, whole: int) -> str:
    """Share with one decimal ("40,0 %" in Vietnamese, "40.0 %" in English); "–" for 0/0."""
    if whole <= 0:
        return "–"
    s = f"{100 * part / whole:.1f} %"
    return s.replace(".", ",") if language() == "vi" else s


def fmt_period(date_from: date, date_to: date) -> str:
    """"Ngày 12/03/2026" for one day, "Từ ngày … đến ngày …" for a range."""
    if date_from == date_to:
        return _("Date: {date}").format(date=fmt_date(date_from))
    return _("From {start} to {end}").format(start=fmt_date(date_from), end=fmt_date(date_to))
