"""The demo station's accounts: published user names and password, created through the same
account services as real ones (see db/demo/station.py for who is who)."""

from __future__ import annotations

from db.station import StationDB, default_data_dir

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
