"""Real stations for field-sync tests: a headquarters with a register and two paired laptops,
in one test process (SQLCipher files in the test's directory)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db import accounts
from db.actor import Actor
from db.demo.synth import rows_for_import
from db.models import Enrollment, Resident
from db.register.importer import import_rows
from db.station import StationDB, create_station
from db.sync import identity, incoming, outgoing, pairing
from db.types import ImportResult
from tests.conftest import TEST_PASSWORD
from tests.db.enrollment_fixtures import received


@dataclass
class Station:
    db: StationDB
    admin: Actor
    files: Path
    made: list[Path] = field(default_factory=list)

    def export(self, for_station: str | None = None, name: str | None = None) -> Path:
        path = self.files / (name or f"{self.db.station_id[-6:]}-{len(self.made) + 1}.esb")
        outgoing.export(self.db, path, for_station=for_station)
        self.made.append(path)
        return path

    def take(self, path: Path) -> ImportResult:
        return incoming.import_file(self.db, path, actor=self.admin)

    def enroll(self, n: int, *, first: int = 0) -> list[str]:
        """``n`` submitted enrollments of register residents (from the ``first``-th)."""
        with self.db.Session() as s:
            ids = list(s.scalars(select(Resident.id).order_by(Resident.id)))[first : first + n]
        return [received(self.db, rid, datetime.now(UTC), place="mobile").uuid for rid in ids]

    def count(self, *where: object) -> int:
        with self.db.Session() as s:
            return int(s.scalar(select(func.count()).select_from(Enrollment).where(*where)) or 0)


@dataclass
class Trip:
    hq: Station
    team1: Station
    team2: Station

    def receipt(self, team: Station) -> Path:
        path = self.hq.files / f"receipt-{team.db.station_id[-6:]}-{len(self.hq.made)}.esb"
        outgoing.write_receipt(self.hq.db, team.db.station_id, path)
        self.hq.made.append(path)
        return path


def make_station(where: Path, name: str, kind: str, series: str) -> Station:
    db, _key = create_station(where / name, name=name, commune="Nà Hỳ", kind=kind,
                              slip_series=series)  # fmt: skip
    admin = accounts.create_first_admin(db, "admin", "Vì Văn Quản", TEST_PASSWORD)
    files = where / f"usb-{series}"
    files.mkdir()
    return Station(db, admin, files)


def pair_both(a: Station, b: Station) -> None:
    pairing.pair(a.db, identity.identity_file(b.db), actor=a.admin)
    pairing.pair(b.db, identity.identity_file(a.db), actor=b.admin)


@pytest.fixture
def trip(tmp_path: Path) -> Iterator[Trip]:
    """HQ with 40 residents; two laptops paired with it, each holding HQ's work packet."""
    hq = make_station(tmp_path, "Công an xã Nà Hỳ", "hq", "NH")
    import_rows(hq.db, rows_for_import(40), file_name="register")
    accounts.create_officer(hq.db, hq.admin, "duc", "Lò Văn Đức", "officer", TEST_PASSWORD,
                            temporary=False)  # fmt: skip
    teams = []
    for name, series in (("Tổ lưu động 1", "L1"), ("Tổ lưu động 2", "L2")):
        team = make_station(tmp_path, name, "mobile", series)
        pair_both(hq, team)
        team.take(hq.export(team.db.station_id))
        teams.append(team)
    yield Trip(hq, *teams)
    for st in (hq, *teams):
        st.db.close()
