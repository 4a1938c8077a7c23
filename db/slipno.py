"""Slip numbers: ``NH-2026-000123`` = station code, Vietnam-local year, counter.

Unique per station and year, readable over the phone, never reused: the counter row
(``slip_counter``) is only ever incremented, inside the transaction that submits the enrollment,
with one atomic upsert. If that transaction fails the increment is rolled back with it, so no
number is ever printed twice and none is handed out for a submission that did not happen. A
number issued to an enrollment stays with it whatever happens later. The unique constraint on
``enrollment.receipt_no`` backs this up.

The code (the station's slip series) is fixed at ``init`` (``--slip-series``; by default the
commune's initials, "Nà Hỳ" → "NH", and "NHL" for a mobile laptop) and stored on the station
(migration 0006 stores it for stations made before): field sync keeps every station's numbers
apart by it, and pairing refuses a series the headquarters knows already.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from db.models import SlipCounter, Station
from db.slip_series import CODE_RE, DEFAULT_CODE, derive_code
from db.station import StationDB
from db.vntime import local_date

SLIP_RE = re.compile(r"^([A-Z0-9]{1,8})-(\d{4})-(\d{6,})$")


def station_code(s: Session, station_id: str) -> str:
    st = s.get(Station, station_id)
    if st is None:
        return DEFAULT_CODE
    return st.slip_code or derive_code(st.commune)


def set_slip_code(db: StationDB, code: str) -> None:
    """Give this station another series (1–8 capital letters or digits), only while it has
    issued no slip number: afterwards the series is the station's for good (field sync)."""
    from db.errors import InvalidInput
    from resources.i18n import N_

    code = code.strip().upper()
    if not CODE_RE.match(code):
        raise ValueError("a slip code is 1 to 8 capital letters or digits")
    with db.Session.begin() as s:
        if s.scalar(select(SlipCounter.station_id).where(SlipCounter.station_id == db.station_id)
                    .limit(1)) is not None:  # fmt: skip
            raise InvalidInput(N_("This station has issued slip numbers already: its series "
                                  "stays as it is."))  # fmt: skip
        st = s.get(Station, db.station_id)
        if st is not None:
            st.slip_code = code


def format_slip_no(code: str, year: int, number: int) -> str:
    return f"{code}-{year:04d}-{number:06d}"


def parse_slip_no(text: str) -> tuple[str, int, int]:
    """``(code, year, number)``; ``ValueError`` if ``text`` is not a slip number."""
    m = SLIP_RE.match(text.strip().upper())
    if not m:
        raise ValueError("not a slip number")
    return m.group(1), int(m.group(2)), int(m.group(3))


def allocate(s: Session, station_id: str, year: int) -> int:
    """The next counter value for ``(station, year)``, in the caller's transaction.

    One statement (INSERT … ON CONFLICT DO UPDATE … RETURNING): it takes SQLite's write lock
    before anything else is read, so two submits on two connections wait for each other and
    get different numbers instead of both reading the same "last".
    """
    table = SlipCounter.__table__
    stmt = (
        sqlite_insert(table)
        .values(station_id=station_id, year=year, last=1)
        .on_conflict_do_update(
            index_elements=[table.c.station_id, table.c.year],
            set_={"last": table.c.last + 1},
        )
        .returning(table.c.last)
    )
    return int(s.execute(stmt).scalar_one())


def next_slip_no(s: Session, station_id: str, when: datetime) -> str:
    """Allocate and format the slip number for a submission at ``when`` (aware); none on a
    laptop restored from a backup until HQ's packet has come (db/restore.py)."""
    from db.restored import restored_mark

    if restored_mark(s) is not None:
        from db.errors import AwaitingHeadquarters

        raise AwaitingHeadquarters()
    year = local_date(when).year
    return format_slip_no(station_code(s, station_id), year, allocate(s, station_id, year))


def last_issued(s: Session, station_id: str, year: int) -> int:
    return int(
        s.scalar(
            select(SlipCounter.last).where(
                SlipCounter.station_id == station_id, SlipCounter.year == year
            )
        )
        or 0
    )
