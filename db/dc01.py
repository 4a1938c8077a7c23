"""A person who is not in the register yet (form DC01): added at the desk, then enrolled.

Why through ``clean_row``: a person typed at the desk must be normalised exactly like an
imported one (folded search name, sort key, match key), or the lookup would not find them and
the next register import would add them a second time. The row is marked as added at the desk
(``review_flags``), so the register's keepers can check it against their records.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from db import audit
from db.actor import Actor
from db.errors import StationError
from db.models import Resident
from db.register.validate import RowRejected, clean_row
from db.station import StationDB
from db.vntime import local_date, now_utc
from resources.i18n import N_

ADDED_AT_DESK = N_("added at the desk (DC01)")


class PersonRejected(StationError):
    """The DC01 form cannot be saved; the message (an English message id) says why."""

    message = N_("This person cannot be added to the register.")


def add_resident(
    db: StationDB, values: dict[str, Any], today: date | None = None, *, actor: Actor
) -> int:
    """Add a person from the DC01 form's fields; returns the new resident's id.

    ``values`` uses the register's column names (``birth_date`` as "dd/mm/yyyy" or a year,
    ``sex`` as "M"/"F"). Raises :class:`PersonRejected` with a reason (no name, bad number...).
    """
    today = today or local_date(now_utc())
    try:
        row = clean_row(
            {**values, "home_visit_reason": values.get("home_visit_reason") or ""}, today
        )
    except RowRejected as exc:
        raise PersonRejected(str(exc)) from exc  # a message id of the register's rules
    flags = [ADDED_AT_DESK, *row.problems]
    row.values["review_flags"] = "; ".join(flags)
    with db.Session.begin() as s:
        pid = row.values["personal_id"]
        if pid and s.scalar(select(Resident.id).where(Resident.personal_id == pid)) is not None:
            raise PersonRejected(N_("a person with this ID number is already in the register"))
        r = Resident(station_id=db.station_id, **row.values)
        s.add(r)
        s.flush()
        audit.append(s, db.station_id, actor, "resident.add", "resident", r.id, "DC01")
        return int(r.id)


__all__ = ["ADDED_AT_DESK", "PersonRejected", "add_resident"]
