"""Migration 0011 and the one schema on two engines (DESIGN §12): a station made before it gets
its official codes from its typed names and sort keys without U+0000 in the same order; on
PostgreSQL the migrations build exactly the models (the hub's indexes included) and a text
PostgreSQL cannot hold refuses the bundle without storing anything of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text

from db import schema
from db.engine import make_engine
from db.keys import new_key
from db.models import Base, Enrollment, Resident, utcnow
from db.sync.refusal import Refused
from db.text import sort_key
from tests.db.hub_fixtures import commune, hub

__all__ = ["commune", "hub"]

OLD_KEY = {  # db/text.sort_key as it was before 0011 (U+0001 between words, U+0000 after)
    n: sort_key(n).replace("\x01", "\x00").replace("\x02", "\x01")
    for n in ("Lò Văn Ân", "Lò Văn An", "Giàng A Đế", "Giàng A Dế", "Vì Thị Ơn", "Vì Ôn")
}


def test_a_station_made_before_gets_its_codes_and_new_sort_keys(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "old.db", new_key())
    with engine.begin() as conn:
        command.upgrade(schema._config(conn), "0010")
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO station (id, name, commune, province, kind, slip_layout,"
                          " slip_code, created_at) VALUES ('st', 'Xã', 'xa Na Hy', 'Điện Biên',"
                          " 'hq', 'a5', 'NH', :now)"), {"now": now})  # fmt: skip
        for i, (name, key) in enumerate(OLD_KEY.items()):
            conn.execute(text(
                "INSERT INTO resident (uuid, station_id, full_name, search_name, sort_key,"
                " home_visit_reason, match_key, content_hash, created_at, updated_at) VALUES"
                " (:u, 'st', :n, :n, :k, 'none', :m, 'h', :now, :now)"),
                {"u": f"u{i}", "n": name, "k": key, "m": f"m{i}", "now": now})  # fmt: skip
    with engine.begin() as conn:
        schema.upgrade(conn)
        codes = conn.execute(text("SELECT commune_code, province_code FROM station")).one()
        keys = dict(conn.execute(text("SELECT full_name, sort_key FROM resident")).all())
        ordered = [r[0] for r in conn.execute(text(
            "SELECT full_name FROM resident ORDER BY sort_key"))]  # fmt: skip
    engine.dispose()
    assert tuple(codes) == ("03169", "11")
    assert keys == {n: sort_key(n) for n in OLD_KEY} and not any("\x00" in k for k in keys.values())
    assert ordered == sorted(OLD_KEY, key=lambda n: OLD_KEY[n])  # the same order as before


def test_on_postgresql_the_migrations_build_the_models(hub_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(hub_url)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "compare_type": True,
            "include_object": lambda obj, *_: schema.belongs(obj, "postgresql")})  # fmt: skip
        assert compare_metadata(ctx, Base.metadata) == []
        indexes = {r[0] for r in conn.execute(text(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'resident'"))}  # fmt: skip
        assert {"ix_resident_search_words", "ix_resident_personal_id"} <= indexes
        assert conn.execute(text(
            "SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu'")).scalar() == 1
    engine.dispose()


def test_text_postgresql_cannot_hold_refuses_the_bundle(commune) -> None:  # type: ignore[no-untyped-def]
    hub, hq = commune
    with hq.db.Session.begin() as s:  # a register value with a NUL (SQLite takes it)
        r = s.scalar(select(Resident).order_by(Resident.id).limit(1))
        assert r is not None
        r.hometown = "Bản\x00Mới"
    with pytest.raises(Refused) as refused:
        hub.take(hq.export(hub.db.station_id))
    assert refused.value.code == "damaged"
    with hub.db.Session() as s:
        assert s.scalar(select(Enrollment.id).limit(1)) is None  # nothing of it was stored
