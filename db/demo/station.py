"""The demo station: a synthetic Điện Biên commune register, created on first use. It is a
training station (TRẠM TẬP HUẤN): its screens and slips say so.

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
from db.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts, is_demo
from db.station import StationDB, create_station, default_data_dir, open_station, station_exists

log = logging.getLogger(__name__)

DEMO_PASSPHRASE = "demo-station-na-hy"
DEMO_RESIDENTS = 8000
def _demo_passphrase(confirm: bool) -> str:
    return os.environ.get(keys.PASSPHRASE_ENV) or DEMO_PASSPHRASE


def simulated_scanner(db: StationDB) -> None:
    """The demo takes fingerprints from the simulated scanner (synthetic prints), unless an
    administrator chose another scanner for it."""
    from db.models import Setting
    from db.settings import PREFIX

    with db.Session.begin() as s:
        if s.get(Setting, PREFIX + "fingerprint_scanner") is None:
            s.add(Setting(key=PREFIX + "fingerprint_scanner", value={"value": "simulator"}))


def training_station(db: StationDB) -> None:
    """The demo is a training station (TRẠM TẬP HUẤN); one made before that flag existed
    becomes one when it is next opened."""
    from db.models import Station

    with db.Session.begin() as s:
        st = s.get(Station, db.station_id)
        if st is not None and not st.training:
            st.training = True


def open_demo(data_dir: Path | None = None, residents: int = DEMO_RESIDENTS) -> StationDB:
    """Open the demo station, creating it (with its register) the first time."""
    from db.demo.synth import COMMUNE, rows_for_import
    from db.register.importer import import_rows

    data_dir = data_dir or default_data_dir(demo=True)
    from db.demo.enrollments import seed as seed_enrollments

    if station_exists(data_dir):
        db = open_station(data_dir, _demo_passphrase)
        training_station(db)
        simulated_scanner(db)
        seed_enrollments(db)  # a later day: add today's enrollments (cheap)
        return db

    def fill(db: StationDB) -> None:  # before the station appears: a killed start leaves none
        report = import_rows(db, rows_for_import(residents), file_name="demo-register")
        log.info("demo station created with %d residents", report.added)
        simulated_scanner(db)
        seed_enrollments(db)

    db, _key = create_station(
        data_dir,
        name=f"Công an xã {COMMUNE} (trạm thử)",
        commune=COMMUNE,
        province="Điện Biên",
        passphrase=_demo_passphrase,
        prepare=fill,
        training=True,
    )
    return db


__all__ = ["DEMO_PASSWORD", "ensure_demo_accounts", "is_demo", "open_demo"]
