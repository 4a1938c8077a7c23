"""Just enough officers for enrollments and tallies until accounts arrive (issue 5).

Issue 5 replaces this with real accounts (passwords, lockout, roles enforced at sign-in). The
officers made here cannot sign in: their password hash is the unusable marker "!".
"""

from __future__ import annotations

from sqlalchemy import select

from db.models import Officer
from db.station import StationDB
from db.text import nfc

ROLES = ("officer", "supervisor", "admin")
UNUSABLE_PASSWORD = "!"


def ensure_officer(db: StationDB, username: str, full_name: str, role: str = "officer") -> int:
    """The id of the officer ``username``, created with this name and role if missing."""
    if role not in ROLES:
        raise ValueError(f"unknown role: {role!r}")
    with db.Session.begin() as s:
        found = s.scalar(select(Officer.id).where(Officer.username == username))
        if found is not None:
            return int(found)
        officer = Officer(
            station_id=db.station_id,
            username=username,
            full_name=nfc(full_name),
            role=role,
            password_hash=UNUSABLE_PASSWORD,
        )
        s.add(officer)
        s.flush()
        return int(officer.id)
