"""Reports counted for several groups of stations in one pass (the hub: every commune).

A report's statements over ``enrollment`` or ``resident`` take a :class:`Grouping`: its ``key``
is a column naming each row's group, its ``scope`` adds to a statement the joins ``key`` needs
and the filter of the groups asked. A station has one group of everything (:data:`ONE`); the
hub builds one per commune (db/hub/reports.py). One grouped pass for a district's hundred
communes instead of a query each: 5 s of a district's tally were per-query costs
(bench/hub.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, literal

AnySelect: TypeAlias = "Select[*tuple[Any, ...]]"
Scope: TypeAlias = "Callable[[AnySelect], AnySelect]"


@dataclass(frozen=True)
class Grouping:
    key: ColumnElement[str]
    scope: Scope


ONE = Grouping(literal(""), lambda stmt: stmt)


def within(column: Any, stations: Sequence[str] | None) -> Grouping:
    """One group: the rows of ``stations`` (on the hub, one commune's), or all of them."""
    if stations is None:
        return ONE
    return Grouping(literal(""), lambda stmt: stmt.where(column.in_(stations)))
