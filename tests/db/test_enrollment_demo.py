"""The demo's enrollments: recent days seeded once, today topped up on a later day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from db.demo.enrollments import seed
from db.demo.synth import rows_for_import
from db.register.importer import import_rows
from db.station import StationDB
from db.tally import compute_tally


def test_seed_then_top_up_on_a_later_day(station: StationDB) -> None:
    import_rows(station, rows_for_import(600), file_name="demo")
    monday_noon = datetime(2026, 3, 16, 5, 0, tzinfo=UTC)  # 12:00 in Vietnam
    added = seed(station, now=monday_noon)
    assert added > 60
    assert seed(station, now=monday_noon + timedelta(hours=1)) == 0  # same day: nothing
    totals = [compute_tally(station, date(2026, 3, d)) for d in range(12, 17)]
    assert sum(t.total for t in totals) == added
    today = totals[-1]
    assert today.total > 0 and today.pending_approval == today.total  # not reviewed yet
    older = totals[0]
    assert older.approved + older.returned == older.total
    assert len(older.by_officer) == 3 and older.by_place["hq"] > older.by_place["home"] > 0
    assert any(t.exceptions for t in totals)
    more = seed(station, now=monday_noon + timedelta(days=1))
    assert more > 0
    assert compute_tally(station, date(2026, 3, 17)).total == more
    assert compute_tally(station, date(2026, 3, 16)).pending_approval == 0  # reviewed since
