"""Shared helpers for the enrollment and tally tests: residents, officers, a portrait."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest

from db import accounts
from db import enrollment as en
from db.actor import SYSTEM, Actor
from db.demo.synth import rows_for_import
from db.register.importer import import_rows
from db.station import StationDB
from tests.conftest import TEST_PASSWORD
from tests.fingers import take_ten


def jpeg_bytes() -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (480, 640), (230, 232, 236))
    ImageDraw.Draw(im).ellipse((150, 130, 330, 370), fill=(200, 160, 130))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=80)
    return buf.getvalue()


@pytest.fixture
def people(station: StationDB) -> list[int]:
    """60 synthetic residents in the station; their ids."""
    import_rows(station, rows_for_import(60), file_name="test-register")
    from sqlalchemy import select

    from db.models import Resident

    with station.Session() as s:
        return list(s.scalars(select(Resident.id).order_by(Resident.id)))


def make_staff(station: StationDB) -> dict[str, Actor]:
    """An administrator, two officers and a supervisor with real accounts."""
    admin = accounts.create_first_admin(station, "admin", "Vì Văn Quản", TEST_PASSWORD)
    made = {"admin": admin}
    for username, name, role in (("duc", "Lò Văn Đức", "officer"),
                                 ("senh", "Giàng A Sếnh", "officer"),
                                 ("boss", "Quàng Văn Thanh", "supervisor")):  # fmt: skip
        i = accounts.create_officer(station, admin, username, name, role, TEST_PASSWORD,
                                    temporary=False)  # fmt: skip
        made[username] = Actor(i.id, i.username, i.full_name, i.role)
    return made


@pytest.fixture
def staff_actors(station: StationDB) -> dict[str, Actor]:
    return make_staff(station)


@pytest.fixture
def staff(staff_actors: dict[str, Actor]) -> dict[str, int]:
    """Officer ids by user name (what enrollments store)."""
    return {k: int(a.officer_id or 0) for k, a in staff_actors.items()}


def captured(
    db: StationDB, resident_id: int, *, place: str = "hq", officer: int | None = None,
    attempts: int = 1, exception: str | None = None, now: datetime | None = None,
) -> en.EnrollmentInfo:  # fmt: skip
    """An enrollment through the wizard up to its fingerprints (status captured)."""
    e = en.create_draft(db, resident_id, place=place, officer_id=officer, now=now, actor=SYSTEM)
    en.save_step(db, e.uuid, "details", {"verified": True}, actor=SYSTEM)
    info = en.attach_portrait(db, e.uuid, jpeg_bytes(), 480, 640, {"passed": True},
                              attempts=attempts, bedridden=exception == "bedridden",
                              exception_reason=exception, actor=SYSTEM)  # fmt: skip
    take_ten(db, e.uuid)
    return en.get(db, info.uuid)


def received(db: StationDB, resident_id: int, at: datetime, **kw: Any) -> en.EnrollmentInfo:
    e = captured(db, resident_id, **kw)
    return en.submit(db, e.uuid, now=at, actor=SYSTEM)
