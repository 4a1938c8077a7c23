"""Migration 0007 on a station with data: decisions become events with the same status, the old
audit chain still verifies and new events continue it, uniqueness is per station, and the
search index keeps working after the tables were rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from db import audit, events, schema
from db.audit import GENESIS, at_text, event_hash
from db.engine import make_engine
from db.keys import new_key
from db.models import Enrollment, EnrollmentEvent, new_uuid, utcnow
from db.station import StationDB

STATION = "st-0000-0000"


def _at_0006(path: Path) -> StationDB:
    engine = make_engine(path, new_key())
    with engine.begin() as conn:
        cfg = schema._config(conn)
        command.upgrade(cfg, "0006")
    now = utcnow()
    with engine.begin() as conn:
        x = conn.execute
        x(text("INSERT INTO station (id, name, commune, kind, slip_layout, slip_code, created_at)"
               " VALUES (:id, 'Xã', 'Nà Hỳ', 'hq', 'a5', 'NH', :now)"), {"id": STATION, "now": now})
        x(text("INSERT INTO officer (uuid, station_id, username, full_name, role, password_hash,"
               " must_change_password, failed_logins, active, created_at) VALUES "
               "(:u, :st, 'senh', 'Lò Thị Sểnh', 'supervisor', 'x', 0, 0, 1, :now)"),
          {"u": new_uuid(), "st": STATION, "now": now})  # fmt: skip
        for i, (status, pid) in enumerate(
            [("approved", "001190000001"), ("returned", "001190000002"),
             ("delivered", "001190000003"), ("submitted", None)]
        ):  # fmt: skip
            x(text("INSERT INTO resident (uuid, station_id, personal_id, full_name, search_name,"
                   " sort_key, birth_year, home_visit_reason, match_key, content_hash,"
                   " created_at, updated_at, village_key) VALUES (:u, :st, :pid, 'Lò Văn A',"
                   " 'lo van a', 'lo van a', 1990, 'none', :mk, 'h', :now, :now, 'ban na')"),
              {"u": new_uuid(), "st": STATION, "pid": pid, "mk": f"k{i}", "now": now})
            x(text("INSERT INTO enrollment (uuid, station_id, resident_id, officer_id, place,"
                   " status, draft, receipt_no, created_at, updated_at, submitted_at,"
                   " exceptions, has_exception, reviewed_by_id, reviewed_at, review_note)"
                   " VALUES (:u, :st, :rid, 1, 'hq', :status, '{}', :no, :now, :now, :now,"
                   " '[]', 0, :rev, :now, :note)"),
              {"u": new_uuid(), "st": STATION, "rid": i + 1, "status": status,
               "no": f"NH-2026-{i + 1:06d}", "now": now,
               "rev": None if status == "submitted" else 1,
               "note": "sửa ngày sinh" if status == "returned" else None})  # fmt: skip
        prev = GENESIS
        for seq in (1, 2, 3):
            u, at = new_uuid(), at_text(now)
            digest = event_hash(seq, u, STATION, at, 1, "signin", None, None, None, prev)
            x(text("INSERT INTO audit_event (seq, uuid, station_id, at, officer_id, action,"
                   " prev_hash, hash) VALUES (:seq, :u, :st, :at, 1, 'signin', :p, :h)"),
              {"seq": seq, "u": u, "st": STATION, "at": at, "p": prev, "h": digest})
            prev = digest
    return StationDB(path.parent, engine, STATION)


@pytest.fixture
def migrated(tmp_path: Path) -> StationDB:
    db = _at_0006(tmp_path / "station.db")
    with db.engine.begin() as conn:
        schema.upgrade(conn)
        assert schema.current_revision(conn) == schema.HEAD
    return db


def test_decisions_become_events_whose_projection_is_the_status(migrated: StationDB) -> None:
    with migrated.Session() as s:
        kinds = {e.uuid: sorted(ev.kind for ev in s.query(EnrollmentEvent).filter_by(
            enrollment_uuid=e.uuid)) for e in s.query(Enrollment)}  # fmt: skip
        by_status = {e.status: kinds[e.uuid] for e in s.query(Enrollment)}
        assert by_status == {"approved": ["approve"], "returned": ["return"],
                             "delivered": ["approve", "card_ready", "delivered"],
                             "submitted": []}  # fmt: skip
        for e in s.query(Enrollment).all():
            before = (e.status, e.reviewed_by_id, e.review_note)
            events.project(s, e)
            assert (e.status, e.reviewed_by_id, e.review_note) == before


def test_the_old_chain_verifies_and_new_events_continue_it(migrated: StationDB) -> None:
    from db.actor import Actor

    audit.record(migrated, Actor(1, "senh", "Lò Thị Sểnh", "supervisor"), "signin")
    assert audit.verify(migrated).ok
    with migrated.Session() as s:
        v = s.execute(text("SELECT hash_v, officer_uuid IS NOT NULL FROM audit_event "
                           "ORDER BY seq")).all()  # fmt: skip
    assert [tuple(r) for r in v] == [(1, 0), (1, 0), (1, 0), (2, 1)]


def test_uniqueness_is_per_station_and_search_still_indexes(migrated: StationDB) -> None:
    now = utcnow()
    row = ("INSERT INTO resident (uuid, station_id, personal_id, full_name, search_name,"
           " sort_key, birth_year, home_visit_reason, match_key, content_hash, created_at,"
           " updated_at, village_key) VALUES (:u, :st, '001190000001', 'Đèo Văn B', 'deo van b',"
           " 'deo van b', 1990, 'none', 'z', 'h', :now, :now, 'ban na')")  # fmt: skip
    with migrated.engine.begin() as conn:
        conn.execute(text("INSERT INTO station (id, name, commune, kind, slip_layout,"
                          " created_at) VALUES ('other', 'Tổ', 'Nà Hỳ', 'mobile', 'a5', :n)"),
                     {"n": now})  # fmt: skip
        conn.execute(text(row), {"u": new_uuid(), "st": "other", "now": now})
    with pytest.raises(Exception, match="UNIQUE"), migrated.engine.begin() as conn:
        conn.execute(text(row), {"u": new_uuid(), "st": STATION, "now": now})
    with migrated.engine.connect() as conn:
        hits = conn.execute(text("SELECT count(*) FROM resident_fts WHERE resident_fts "
                                 "MATCH 'deo*'")).scalar()  # fmt: skip
        indexes = {r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "AND tbl_name = 'resident'"))}  # fmt: skip
    assert hits == 1
    assert {"ix_resident_match_key", "ix_resident_old_id", "resident_fts_ai",
            "resident_fts_au", "resident_fts_ad"} <= indexes  # fmt: skip
