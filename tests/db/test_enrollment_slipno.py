"""Slip numbers: format, per-year counters, uniqueness under concurrent submits, codes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from db import enrollment as en
from db.actor import SYSTEM
from db.errors import InvalidInput
from db.models import Enrollment
from db.slip_series import default_series, valid_series
from db.slipno import derive_code, parse_slip_no, set_slip_code
from db.station import StationDB
from tests.db.enrollment_fixtures import captured, people, received

__all__ = ["people"]


def test_year_rollover_uses_the_vietnam_year(station: StationDB, people: list[int]) -> None:
    # 31 Dec 2026 23:30 in Vietnam is 16:30 UTC; 1 Jan 2027 00:10 in Vietnam is still 2026 UTC.
    a = received(station, people[0], datetime(2026, 12, 31, 16, 30, tzinfo=UTC))
    b = received(station, people[1], datetime(2026, 12, 31, 17, 10, tzinfo=UTC))
    c = received(station, people[2], datetime(2027, 1, 2, 2, 0, tzinfo=UTC))
    assert [a.receipt_no, b.receipt_no, c.receipt_no] == [
        "NH-2026-000001", "NH-2027-000001", "NH-2027-000002"]  # fmt: skip


def test_two_concurrent_submits_get_different_numbers(
    station: StationDB, people: list[int]
) -> None:
    # Two threads (two connections) at a time: the engine's SingletonThreadPool keeps at most
    # five connections and closes others' in use beyond that (a crash; see the issue note).
    drafts = [captured(station, rid).uuid for rid in people[:2]]
    results: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(drafts))

    def go(uuid: str) -> None:
        try:
            start.wait()
            results.append(en.submit(station, uuid, actor=SYSTEM).receipt_no or "")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=go, args=(u,)) for u in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(results)) == len(drafts)
    assert sorted(parse_slip_no(r)[2] for r in results) == list(range(1, len(drafts) + 1))


def test_receipt_numbers_are_unique_in_the_database(station: StationDB, people: list[int]) -> None:
    a = received(station, people[0], datetime(2026, 3, 12, 1, 5, tzinfo=UTC))
    b = captured(station, people[1])
    with pytest.raises(IntegrityError), station.Session.begin() as s:
        row = s.query(Enrollment).filter_by(uuid=b.uuid).one()
        row.receipt_no = a.receipt_no
        s.flush()


def test_codes(station: StationDB, people: list[int]) -> None:
    assert derive_code("Nà Hỳ") == "NH"
    assert derive_code("Si Pa Phìn") == "SPP"
    assert derive_code("Đắk Mil") == "DM"
    assert parse_slip_no("nh-2026-000123") == ("NH", 2026, 123)
    with pytest.raises(ValueError):
        parse_slip_no("NH-26-1")
    with pytest.raises(ValueError):
        set_slip_code(station, "nà hỳ")
    set_slip_code(station, "nh2")
    e = received(station, people[0], datetime(2026, 3, 12, 1, 5, tzinfo=UTC))
    assert e.receipt_no == "NH2-2026-000001"
    with pytest.raises(InvalidInput):  # numbers were issued: the series is the station's now
        set_slip_code(station, "NH3")
    assert default_series("Mường Chà", "mobile") == "MCL" and default_series("Nà Hỳ", "hq") == "NH"
    with pytest.raises(InvalidInput):
        valid_series("NH-1")
