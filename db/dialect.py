"""The few SQL expressions a station's SQLite and the hub's PostgreSQL spell differently,
written once as SQLAlchemy constructs compiled per dialect (DESIGN §12: one set of queries)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from db.vntime import SQLITE_LOCAL_MODIFIER


class local_day(FunctionElement[Any]):  # reads as the SQL function it is
    """The Vietnam-local calendar day of a stored UTC time (UTC+7, no daylight saving)."""

    type = Date()
    inherit_cache = True
    name = "local_day"


@compiles(local_day)
def _local_day_sqlite(element: local_day, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, '{SQLITE_LOCAL_MODIFIER}')"


@compiles(local_day, "postgresql")
def _local_day_pg(element: local_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)} + INTERVAL '7 hours') AS DATE)"


def marks(conn: Any, n: int) -> str:
    """``n`` positional parameter marks for plain driver SQL (``?`` or psycopg's ``%s``)."""
    return ", ".join(("?" if conn.dialect.name == "sqlite" else "%s") for _ in range(n))
