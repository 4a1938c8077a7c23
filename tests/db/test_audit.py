"""The audit trail: hash chain, tamper detection (edit, delete, reorder), start-up check."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from db import audit
from db.actor import SYSTEM, Actor
from db.models import AuditEvent
from db.service import StationService
from db.station import StationDB
from db.vntime import now_utc, today_local


def fill(db: StationDB, actor: Actor, n: int = 12) -> None:
    for i in range(n):
        audit.record(db, actor, "resident.view", "resident", i + 1)


def sql(db: StationDB, *statements: str) -> None:
    with db.engine.begin() as conn:
        for st in statements:
            conn.execute(text(st))


def test_chain_links_and_stores_at_exactly_as_hashed(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    fill(station, actors["officer"], 3)
    with station.Session() as s:
        rows = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
    with station.engine.connect() as conn:
        raw = conn.execute(text("SELECT at FROM audit_event WHERE seq = 1")).scalar()
    assert raw == audit.at_text(rows[0].at)
    result = audit.verify(station)
    assert result.ok and result.checked == len(rows) and result.first_broken is None


@pytest.mark.parametrize(
    ("tamper", "broken", "reason"),
    [
        ("UPDATE audit_event SET details = 'nothing' WHERE seq = 7", 7, "altered"),
        ("UPDATE audit_event SET officer_id = NULL WHERE seq = 9", 9, "altered"),
        ("UPDATE audit_event SET officer_uuid = NULL WHERE seq = 7", 7, "altered"),
        ("UPDATE audit_event SET hash_v = 1 WHERE seq = 6", 6, "altered"),
        ("DELETE FROM audit_event WHERE seq = 6", 6, "missing"),
        ("REORDER", 5, "out of chain"),
        ("DELETE FROM audit_event WHERE seq >= 14", 14, "truncated"),
    ],
)
def test_tampering_through_sql_is_found_by_verify_and_startup(
    station: StationDB, actors: dict[str, Actor], tamper: str, broken: int, reason: str
) -> None:
    fill(station, actors["officer"])
    assert audit.verify(station).ok  # sets the checkpoint at the head
    if tamper == "REORDER":  # swap events 5 and 8 (their seq numbers)
        sql(station, "UPDATE audit_event SET seq = -5 WHERE seq = 5",
            "UPDATE audit_event SET seq = 5 WHERE seq = 8",
            "UPDATE audit_event SET seq = 8 WHERE seq = -5")  # fmt: skip
    else:
        sql(station, tamper)
    result = audit.verify(station)
    assert not result.ok and (result.first_broken, result.reason) == (broken, reason)
    assert not audit.startup_check(station).ok
    # Appending after the damage does not heal it.
    audit.record(station, SYSTEM, "startup.check")
    assert not audit.verify(station).ok


def test_startup_check_on_a_large_trail_samples_and_finds_gaps(
    station: StationDB, actors: dict[str, Actor]
) -> None:
    fill(station, actors["officer"], 40)
    assert audit.startup_check(station, full_below=10, tail=5, sample=100).ok
    sql(station, "DELETE FROM audit_event WHERE seq = 20")
    r = audit.startup_check(station, full_below=10, tail=5, sample=100)
    assert not r.ok and r.partial and r.first_broken == 20
    sql(station, "UPDATE audit_event SET seq = 20 WHERE seq = 21")
    r = audit.startup_check(station, full_below=10, tail=5, sample=100)
    assert not r.ok and r.first_broken in (20, 21)


def test_show_filters_and_never_holds_names(station: StationDB, actors: dict[str, Actor]) -> None:
    from db.demo.synth import rows_for_import
    from db.register.importer import import_rows

    import_rows(station, rows_for_import(30), file_name="t")
    duc = actors["officer"]
    with station.Session() as s:
        name = s.scalar(text("SELECT full_name FROM resident ORDER BY id LIMIT 1"))
    result = StationService(station, duc).search(name)
    assert result.hits
    StationService(station, duc).resident(result.hits[0].id)
    rows = audit.show(station, actors["supervisor"], officer="duc")
    assert [r.action for r in rows[:2]] == ["resident.view", "resident.search"]
    assert rows[1].details is not None and rows[1].details.startswith(f"{len(name.split())} words")
    assert rows[0].details is None and rows[0].entity_id == str(result.hits[0].id)
    assert audit.show(station, actors["admin"], day=today_local(), action="resident.")
    assert audit.show(station, actors["admin"], day=date(2020, 1, 1)) == []
    with station.engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.execute(text("SELECT * FROM audit_event"))
                        for v in row)  # fmt: skip
    assert name not in dump and name.split()[-1] not in dump
    assert all(r.to_json()["at"] for r in rows)
    assert rows[0].at <= now_utc()


def test_an_event_appended_while_verifying_does_not_break_the_checkpoint(
    station: StationDB, actors: dict[str, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up check runs while the desk writes (a search, a step saved): an event that
    lands between counting the chain and walking it is walked, and the checkpoint names it."""
    for i in range(5):
        audit.record(station, actors["officer"], "resident.view", "resident", i)
    read_checkpoint = audit._checkpoint
    appended: list[int] = []

    def checkpoint_then_append(s: Session) -> tuple[int, str] | None:
        found = read_checkpoint(s)
        if not appended:  # once, after the chain's length was read
            appended.append(audit.record(station, actors["officer"], "screen.lock"))
        return found

    monkeypatch.setattr(audit, "_checkpoint", checkpoint_then_append)
    first = audit.verify(station)
    monkeypatch.setattr(audit, "_checkpoint", read_checkpoint)
    assert first.ok and appended and first.checked == appended[0]
    audit.record(station, actors["officer"], "resident.view", "resident", 9)
    assert audit.verify(station).ok
