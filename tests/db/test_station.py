"""Station database: encryption, key storage, and clear errors that leave files untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from db import keys, schema
from db.errors import (
    KeyMissing,
    NewerDatabase,
    NotAStationDatabase,
    PassphraseRequired,
    StationExists,
    StationNotFound,
    WrongKey,
)
from db.station import DB_FILE, KEY_FILE, create_station, open_station


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def fixed(passphrase: str):  # type: ignore[no-untyped-def]
    return lambda confirm: passphrase


def test_create_and_reopen_with_keyring(tmp_path: Path, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    db, key = create_station(tmp_path / "st", name="Công an xã Nà Hỳ", commune="Nà Hỳ")
    assert len(key) == 32
    info = db.info()
    db.close()
    assert (keys.SERVICE, info.id) in memory_keyring.store
    assert not (tmp_path / "st" / KEY_FILE).exists()
    with open_station(tmp_path / "st") as again:
        assert again.info() == info
        with again.engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert schema.current_revision(conn) == schema.HEAD


def test_database_is_encrypted(station) -> None:  # type: ignore[no-untyped-def]
    path = station.data_dir / DB_FILE
    station.close()
    assert not path.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM sqlite_master").fetchall()


def test_key_file_path_with_passphrase(tmp_path: Path) -> None:
    data = tmp_path / "st"
    db, key = create_station(
        data, name="Trạm lưu động", commune="Nà Hỳ", kind="mobile",
        key_store="keyfile", passphrase=fixed("đúng mật khẩu"),
    )  # fmt: skip
    db.close()
    blob = (data / KEY_FILE).read_bytes()
    assert key not in blob and key.hex().encode() not in blob
    with open_station(data, fixed("đúng mật khẩu")) as again:
        assert again.info().kind == "mobile"


def test_wrong_passphrase_says_so_and_touches_nothing(tmp_path: Path) -> None:
    data = tmp_path / "st"
    db, _ = create_station(
        data, name="X", commune="Nà Hỳ", key_store="keyfile", passphrase=fixed("right one!")
    )
    db.close()
    before = snapshot(data)
    with pytest.raises(WrongKey, match="passphrase"):
        open_station(data, fixed("wrong one!"))
    assert snapshot(data) == before


def test_wrong_raw_key_says_so_and_touches_nothing(station) -> None:  # type: ignore[no-untyped-def]
    data = station.data_dir
    station.close()
    before = snapshot(data)
    with pytest.raises(WrongKey):
        open_station(data, key=keys.new_key())
    assert snapshot(data) == before


def test_key_missing_from_keyring(station, memory_keyring) -> None:  # type: ignore[no-untyped-def]
    data = station.data_dir
    station.close()
    memory_keyring.store.clear()
    with pytest.raises(KeyMissing):
        open_station(data)


def test_passphrase_needed_without_terminal_or_env(tmp_path: Path) -> None:
    data = tmp_path / "st"
    create_station(data, name="X", commune="Y", key_store="keyfile", passphrase=fixed("12345678"))[
        0
    ].close()
    with pytest.raises(PassphraseRequired, match="ENROLLMENT_STATION_PASSPHRASE"):
        open_station(data)  # pytest's stdin is not a terminal


def test_passphrase_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENROLLMENT_STATION_PASSPHRASE", "from the environment")
    data = tmp_path / "st"
    create_station(data, name="X", commune="Y", key_store="keyfile")[0].close()
    open_station(data).close()


def test_missing_station(tmp_path: Path) -> None:
    with pytest.raises(StationNotFound):
        open_station(tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()


def test_init_twice_is_refused(station) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StationExists):
        create_station(station.data_dir, name="X", commune="Y")


def test_plain_sqlite_file_is_not_a_station(station) -> None:  # type: ignore[no-untyped-def]
    data = station.data_dir
    station.close()
    for suffix in ("-wal", "-shm"):
        (data / (DB_FILE + suffix)).unlink(missing_ok=True)
    (data / DB_FILE).unlink()
    sqlite3.connect(data / DB_FILE).execute("CREATE TABLE t (x)").connection.commit()
    before = snapshot(data)
    with pytest.raises(NotAStationDatabase, match="unencrypted"):
        open_station(data)
    assert snapshot(data) == before


def test_garbage_file_is_not_a_station(station) -> None:  # type: ignore[no-untyped-def]
    data = station.data_dir
    station.close()
    for suffix in ("-wal", "-shm"):
        (data / (DB_FILE + suffix)).unlink(missing_ok=True)
    (data / DB_FILE).write_bytes(b"\x89PNG not a database at all" * 300)
    before = snapshot(data)
    with pytest.raises(NotAStationDatabase):
        open_station(data)
    assert snapshot(data) == before


def test_database_from_a_newer_program_is_refused(station) -> None:  # type: ignore[no-untyped-def]
    with station.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    data = station.data_dir
    station.close()
    with pytest.raises(NewerDatabase):
        open_station(data)


def test_head_constant_matches_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(schema.MIGRATIONS))
    assert ScriptDirectory.from_config(cfg).get_current_head() == schema.HEAD


@pytest.mark.filterwarnings("ignore:autogenerate skipping")
def test_migrations_match_the_models(station) -> None:  # type: ignore[no-untyped-def]
    """Autogenerate finds nothing to do: the models and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from db.models import Base

    with station.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "include_object": lambda obj, *_: schema.belongs(obj, "sqlite")})  # fmt: skip
        diff = [d for d in compare_metadata(ctx, Base.metadata) if "fts" not in str(d)]
    assert diff == []


def test_the_tests_replayed_schema_is_the_migrations_own(tmp_path: Path) -> None:
    """tests/conftest.head_schema_once gives fresh stations the schema the migrations built
    for the first one: the same tables, columns, indexes, triggers and rows as Alembic's."""
    from db import schema
    from db.engine import make_engine
    from db.keys import new_key

    def described(engine: Any) -> list[tuple[object, ...]]:
        with engine.connect() as conn:
            # a batch migration copies a table's constraints in no fixed order: compare lines
            found = [(k, n, tbl, sorted(p.strip(" \n\t)") for p in (sql or "").split(",")))
                     for k, n, tbl, sql in conn.exec_driver_sql(
                         "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")]
            for (name,) in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'table'").all():
                found += [("column", name, *c) for c in conn.exec_driver_sql(
                    f'PRAGMA table_info("{name}")')]
            found += [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM alembic_version")]
        return found

    real_upgrade = schema.upgrade.real  # type: ignore[attr-defined]
    engines = []
    for name, how in (("first", schema.upgrade), ("real", real_upgrade),
                      ("replayed", schema.upgrade)):  # the first one primes the replay
        engine = make_engine(tmp_path / f"{name}.db", new_key())
        with engine.begin() as conn:
            how(conn)
        engines.append(engine)
    real, replayed = (described(e) for e in engines[1:])
    assert len(real) > 100
    assert [r for r in real if r not in replayed] == [r for r in replayed if r not in real] == []
    for e in engines:
        e.dispose()
