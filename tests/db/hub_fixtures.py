"""A real district hub for tests: a PostgreSQL database on the test server (tests/conftest.py),
its folder with the key file, its first administrator; communes are real SQLCipher stations
(tests/db/sync_fixtures.py) paired with it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from db import accounts
from db.actor import Actor
from db.demo.synth import rows_for_import
from db.hub.database import HubDB
from db.hub.service import HubService
from db.hub.setup import init_hub
from db.register.importer import import_rows
from db.station import StationDB
from db.sync import identity, incoming, pairing
from db.types import ImportResult
from tests.conftest import TEST_PASSWORD
from tests.db.sync_fixtures import Station, make_station, pair_both

HUB_PASSPHRASE = "hub passphrase for tests"


@dataclass
class Hub:
    db: HubDB
    admin: Actor
    files: Path

    @property
    def service(self) -> HubService:
        return HubService(self.db, self.admin)

    def take(self, path: Path) -> ImportResult:
        return incoming.import_file(self.db, path, actor=self.admin)

    def receipt_for(self, hq: Station) -> Path:
        return self.receipt_for_path(hq.db, self.files)

    def receipt_for_path(self, hq: StationDB, folder: Path) -> Path:
        path = folder / f"xac-nhan-huyen-{hq.station_id[-6:]}-{len(list(folder.iterdir()))}.esb"
        self.service.write_receipt(hq.station_id, path)
        return path


def make_hub(url: str, where: Path) -> Hub:
    done = init_hub(url, where / "hub-dir", name="Công an huyện Nậm Pồ", province="Điện Biên",
                    admin="admin", admin_name="Quàng Văn Hùng", password=TEST_PASSWORD,
                    passphrase=lambda confirm: HUB_PASSPHRASE)  # fmt: skip
    assert done.admin is not None
    files = where / "hub-files"
    files.mkdir()
    return Hub(done.db, done.admin, files)


def pair_with_hub(hub: Hub, hq: Station) -> None:
    pairing.pair(hub.db, identity.identity_file(hq.db), actor=hub.admin)
    pairing.pair(hq.db, identity.identity_file(hub.db), actor=hq.admin)


def make_commune(where: Path, name: str, commune: str, series: str, residents: int,
                 seed: int = 0) -> Station:  # fmt: skip
    from db.station import create_station

    db, _key = create_station(where / name, name=name, commune=commune, province="Điện Biên",
                              kind="hq", slip_series=series)  # fmt: skip
    admin = accounts.create_first_admin(db, "admin", "Vì Văn Quản", TEST_PASSWORD)
    files = where / f"usb-{series}"
    files.mkdir()
    st = Station(db, admin, files)
    import_rows(db, rows_for_import(residents, seed=seed), file_name="register")
    return st


@pytest.fixture
def hub(hub_url: str, tmp_path: Path) -> Iterator[Hub]:
    h = make_hub(hub_url, tmp_path)
    yield h
    h.db.close()


@pytest.fixture
def district(hub: Hub, tmp_path: Path) -> tuple[Hub, list[Station], list[Station]]:
    """Three communes paired with the hub; the first has two laptops that sent work home:
    4 enrollments in the first commune (1 from each laptop), 1 in each other."""
    communes = [make_commune(tmp_path, f"Công an xã {n}", n, code, 30, seed)
                for n, code, seed in (("Nà Hỳ", "NH", 1), ("Nà Bủng", "NB", 2),
                                      ("Chà Tở", "CT", 3))]  # fmt: skip
    for c in communes:
        pair_with_hub(hub, c)
    laptops = []
    for name, series in (("Tổ lưu động 1", "NHL1"), ("Tổ lưu động 2", "NHL2")):
        lap = make_station(tmp_path, name, "mobile", series)
        pair_both(communes[0], lap)
        lap.take(communes[0].export(lap.db.station_id))
        laptops.append(lap)
    for i, lap in enumerate(laptops):  # an enrollment is some 0.3 s: a few make the point
        lap.enroll(1, first=10 * i)
        communes[0].take(lap.export())
    for i, c in enumerate(communes):
        c.enroll(2 if i == 0 else 1, first=20)
    return hub, communes, laptops


@pytest.fixture
def commune(hub: Hub, tmp_path: Path) -> tuple[Hub, Station]:
    """One commune paired with the hub, one enrollment (what a test of one commune needs)."""
    hq = make_commune(tmp_path, "Công an xã Nà Bủng", "Nà Bủng", "NB", 30, 2)
    pair_with_hub(hub, hq)
    hq.enroll(1, first=20)
    return hub, hq


__all__ = [
    "Hub",
    "commune",
    "district",
    "hub",
    "make_commune",
    "make_hub",
    "make_station",
    "pair_both",
    "pair_with_hub",
]  # fmt: skip
