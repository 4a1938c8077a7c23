"""The demo station: a synthetic Điện Biên commune register, created on first use.

It lives in its own data directory, so trying the program never touches a real station. Where
the OS has no keyring, its key file is unlocked by a fixed, published passphrase: the demo
holds only synthetic people.

Demo accounts (all with the published password :data:`DEMO_PASSWORD`, no forced change): the
administrator ``admin``, the supervisor ``quang.van.thanh`` and the officers ``lo.van.duc``,
``giang.a.senh`` and ``dang.thi.hoa``. The sign-in dialog pre-fills the first officer and shows
the password in a hint — only for the demo station (:func:`is_demo`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from db import keys
from db.station import StationDB, create_station, default_data_dir, open_station, station_exists

log = logging.getLogger(__name__)

DEMO_PASSPHRASE = "demo-station-na-hy"
DEMO_RESIDENTS = 8000
DEMO_PASSWORD = "demo1234"
DEMO_ADMIN = ("admin", "Quản trị trạm thử", "admin")
DEMO_SUPERVISOR = ("quang.van.thanh", "Quàng Văn Thanh", "supervisor")
DEMO_OFFICERS = (
    ("lo.van.duc", "Lò Văn Đức", "officer"),
    ("giang.a.senh", "Giàng A Sếnh", "officer"),
    ("dang.thi.hoa", "Đặng Thị Hoà", "officer"),  # the mobile team
)


def is_demo(db: StationDB) -> bool:
    return db.data_dir.resolve() == default_data_dir(demo=True).resolve()


def ensure_demo_accounts(db: StationDB) -> dict[str, int]:
    """The demo accounts (created once, through the same services as real ones); ids by name."""
    from sqlalchemy import select

    from db import accounts
    from db.models import Officer

    wanted = (DEMO_ADMIN, DEMO_SUPERVISOR, *DEMO_OFFICERS)
    with db.Session() as s:
        ids = {u: i for u, i in s.execute(select(Officer.username, Officer.id))}
    if all(w[0] in ids for w in wanted):
        return ids
    if not accounts.has_accounts(db):
        accounts.create_first_admin(db, DEMO_ADMIN[0], DEMO_ADMIN[1], DEMO_PASSWORD)
    admin = accounts.sign_in(db, DEMO_ADMIN[0], DEMO_PASSWORD).actor
    for username, full_name, role in wanted[1:]:
        if username not in ids:
            accounts.create_officer(db, admin, username, full_name, role, DEMO_PASSWORD,
                                    temporary=False)  # fmt: skip
    with db.Session() as s:
        return {u: i for u, i in s.execute(select(Officer.username, Officer.id))}


def _demo_passphrase(confirm: bool) -> str:
    return os.environ.get(keys.PASSPHRASE_ENV) or DEMO_PASSPHRASE


def open_demo(data_dir: Path | None = None, residents: int = DEMO_RESIDENTS) -> StationDB:
    """Open the demo station, creating it (with its register) the first time."""
    from db.register_import import import_rows
    from db.synth import COMMUNE, rows_for_import

    data_dir = data_dir or default_data_dir(demo=True)
    from db.demo_enrollments import seed as seed_enrollments

    if station_exists(data_dir):
        db = open_station(data_dir, _demo_passphrase)
        seed_enrollments(db)  # a later day: add today's enrollments (cheap)
        return db
    db, _key = create_station(
        data_dir,
        name=f"Công an xã {COMMUNE} (trạm thử)",
        commune=COMMUNE,
        province="Điện Biên",
        passphrase=_demo_passphrase,
    )
    report = import_rows(db, rows_for_import(residents), file_name="demo-register")
    log.info("demo station created with %d residents", report.added)
    seed_enrollments(db)
    return db
