"""Shared fixtures: an in-memory keyring (never the developer's), throwaway stations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from sqlalchemy import Connection

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from db.actor import Actor
from db.station import StationDB, create_station


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow", action="store_true",
        help="also run tests marked slow (many processes, long fuzzing, bombs)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``make test`` stays within its time budget: slow tests run with ``--run-slow``."""
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


ROOT = Path(__file__).resolve().parent.parent
TEST_PASSWORD = "mật khẩu thử 1"  # every test account's password (see ``actors``)


class MemoryKeyring(KeyringBackend):
    """A keyring that lives and dies with the test."""

    priority = 1  # type: ignore[assignment]
    protects_secrets = True  # stands in for the OS keyring (db/keys.protected_keyring)

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Every test starts in the program's default language (Vietnamese), whatever the one
    before it chose, and leaves it so."""
    from resources import i18n

    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    monkeypatch.delenv("ENROLLMENT_STATION_PASSPHRASE", raising=False)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def station(tmp_path: Path) -> Iterator[StationDB]:
    db, _key = create_station(tmp_path / "station", name="Công an xã Nà Hỳ", commune="Nà Hỳ")
    yield db
    db.close()


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    """Environment for running main.py in a subprocess: no keyring, passphrase from env."""
    env = dict(os.environ)
    env.update(
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        ENROLLMENT_STATION_PASSPHRASE="test passphrase",
        ENROLLMENT_STATION_PASSWORD=TEST_PASSWORD,
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        XDG_STATE_HOME=str(tmp_path / "xdg-state"),
        XDG_CACHE_HOME=str(tmp_path / "xdg-cache"),
        HOME=str(tmp_path / "home"),
        PYTHONPATH=str(ROOT),
    )
    return env


@pytest.fixture(autouse=True)
def fast_key_files(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Station key files wrapped with a toy scrypt cost: the real one (2^16, ~0.3 s) is paid at
    every station made and every CLI start, most of the suite's time. Tests whose subprocesses
    read a key file made here, and those that check the costs, are marked ``real_scrypt``."""
    if request.node.get_closest_marker("real_scrypt"):
        return
    from db import keys

    monkeypatch.setattr(keys, "SCRYPT_N", 2**10)
    monkeypatch.setattr(keys, "SCRYPT_N_RANGE", (2**10, keys.SCRYPT_N_RANGE[1]))


@pytest.fixture(autouse=True)
def fast_passwords() -> Iterator[None]:
    """argon2id with toy parameters: the real ones cost ~200 ms per hash (one test checks them).
    Verification reads the parameters from the hash, so a subprocess verifies these fast too."""
    from argon2 import PasswordHasher

    from db import accounts

    previous = accounts.use_hasher(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    yield
    accounts.use_hasher(previous)


@pytest.fixture
def actors(station: StationDB) -> dict[str, Actor]:
    """One signed-in actor of each role (password :data:`TEST_PASSWORD`, already changed)."""
    from db import accounts

    admin = accounts.create_first_admin(station, "admin", "Vì Văn Quản", TEST_PASSWORD)
    made = {"admin": admin}
    for username, name, role in (("boss", "Quàng Văn Thanh", "supervisor"),
                                 ("duc", "Lò Văn Đức", "officer")):  # fmt: skip
        info = accounts.create_officer(station, admin, username, name, role, TEST_PASSWORD,
                                       temporary=False)  # fmt: skip
        made[role] = Actor(info.id, info.username, info.full_name, info.role)
    return made


# --- a fresh station's schema, built by the migrations once per test process -----------------

_HEAD_SCHEMA: list[tuple[str, list[tuple[object, ...]]]] = []  # (statement, rows to insert)


def _capture_schema(conn: Connection) -> None:
    """The schema the migrations left in a fresh database, in an order that replays: tables,
    then virtual tables (their shadow tables come with them), indexes, views, triggers; and
    the rows the migrations wrote (the revision, any seed)."""
    rows = conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master "
                                "WHERE sql IS NOT NULL ORDER BY rowid").all()
    virtual = [n for t, n, q in rows if t == "table" and q.upper().startswith("CREATE VIRTUAL")]
    order = {"table": 0, "index": 2, "view": 3, "trigger": 4}
    picked = []
    for kind, name, sql in rows:
        shadow = name not in virtual and any(  # made by its virtual table (FTS5)
            name == f"{v}_{part}" for v in virtual
            for part in ("data", "idx", "content", "docsize", "config"))
        if name.startswith("sqlite_") or shadow:
            continue
        rank = 1 if name in virtual else order.get(kind, 5)
        data: list[tuple[object, ...]] = []
        if kind == "table" and name not in virtual:
            data = [tuple(r) for r in conn.exec_driver_sql(f'SELECT * FROM "{name}"').all()]
        picked.append((rank, sql, name, data))
    _HEAD_SCHEMA[:] = [(sql, data) for _r, sql, _n, data in sorted(picked, key=lambda p: p[0])]
    _HEAD_SCHEMA.append(("", []))  # marks it complete
    _HEAD_NAMES[:] = [n for _r, _s, n, _d in sorted(picked, key=lambda p: p[0])]


_HEAD_NAMES: list[str] = []


@pytest.fixture(autouse=True, scope="session")
def head_schema_once() -> Iterator[None]:
    """A fresh station gets the schema the real migrations built for the first station of this
    test process, replayed (0.6 s of Alembic per station otherwise, the suite's largest cost).
    A database at an older revision (the migration tests) still goes through Alembic."""
    from db import schema

    real = schema.upgrade

    def upgrade(connection: Connection) -> None:
        if connection.dialect.name != "sqlite" or schema.current_revision(connection) is not None:
            real(connection)
            return
        if not _HEAD_SCHEMA:
            real(connection)
            _capture_schema(connection)
            return
        for (sql, data), name in zip(_HEAD_SCHEMA[:-1], _HEAD_NAMES, strict=True):
            connection.exec_driver_sql(sql)
            if data:
                marks = ", ".join("?" * len(data[0]))
                connection.exec_driver_sql(f'INSERT INTO "{name}" VALUES ({marks})', data)

    upgrade.real = real  # type: ignore[attr-defined]  # tests/db/test_station.py compares
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(schema, "upgrade", upgrade)
        yield


# --- the hub's PostgreSQL (DESIGN §12) --------------------------------------------------------

#: The throwaway server ``make test`` starts (tests/pgcluster.py) and names here.
PG_ENV = "ES_TEST_PG_URL"


@pytest.fixture(scope="session")
def pg_server() -> str:
    """The test server's URL; in CI a missing server fails the run instead of skipping."""
    url = os.environ.get(PG_ENV)
    if not url:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("no PostgreSQL test server: make test starts one (tests/pgcluster.py)")
        pytest.skip("no PostgreSQL test server (make test starts one: tests/pgcluster.py)")
    return url


def _admin_engine(url: str) -> Any:
    from sqlalchemy import create_engine

    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=_null_pool())


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool


def _database_url(server: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(server).set(database=name).render_as_string(hide_password=False)


_TEMPLATE: dict[str, str] = {}


def _migrated_template(server: str) -> str:
    """A database migrated to HEAD once per test process: each hub test's is a copy of it
    (CREATE DATABASE … TEMPLATE, some 50 ms, instead of the migrations' 1.5 s)."""
    if server not in _TEMPLATE:
        from sqlalchemy import create_engine, text

        from db import schema

        name = f"hubtemplate_{os.getpid()}"
        admin = _admin_engine(server)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine = create_engine(_database_url(server, name), poolclass=_null_pool())
        with engine.begin() as conn:
            schema.upgrade(conn)
        engine.dispose()
        admin.dispose()
        _TEMPLATE[server] = name
    return _TEMPLATE[server]


def new_database(server: str, *, migrated: bool = True) -> str:
    """A fresh database on the test server (migrated to HEAD, or empty): its URL."""
    import uuid

    from sqlalchemy import text

    name = f"hub_{uuid.uuid4().hex[:16]}"
    template = f' TEMPLATE "{_migrated_template(server)}"' if migrated else ""
    admin = _admin_engine(server)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
    admin.dispose()
    return _database_url(server, name)


def drop_database(server: str, url: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    admin = _admin_engine(server)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def hub_url(pg_server: str) -> Iterator[str]:
    """A fresh hub database (migrated, no hub in it yet), dropped after the test."""
    url = new_database(pg_server)
    yield url
    drop_database(pg_server, url)
