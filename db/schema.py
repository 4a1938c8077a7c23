"""Bring a station database to the schema this program knows (Alembic migrations).

The head revision is a constant so that the common case (already up to date) costs one query
at start-up instead of loading the migration scripts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from db.errors import NewerDatabase

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0012"


def _config(connection: Connection | None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    cfg = _config(None)
    return {rev.revision for rev in ScriptDirectory.from_config(cfg).walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None  # asked first: on PostgreSQL a failed SELECT would abort the transaction
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(connection: Connection) -> None:
    """Migrate to HEAD; refuse a database written by a newer program."""
    current = current_revision(connection)
    if current == HEAD:
        return
    if current is not None and current not in known_revisions():
        raise NewerDatabase()
    from alembic import command

    command.upgrade(_config(connection), "head")


def belongs(obj: object, dialect: str) -> bool:
    """Whether a model's schema item exists on ``dialect`` (an index marked ``ddl_if`` for
    PostgreSQL is the hub's only): autogenerate's ``include_object`` for each database."""
    ddl_if = getattr(obj, "_ddl_if", None)
    return ddl_if is None or ddl_if.dialect in (None, dialect)
