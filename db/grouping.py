"""Reports counted for several groups of stations in one pass (the hub: every commune).

A report's statements over ``enrollment`` or ``resident`` take a :class:`Grouping`: its ``key``
is a column the statements group by, its ``scope`` adds the filter of the groups asked, and
``groups`` maps keys to groups. A station has one group of everything (:data:`ONE`); the hub
groups by station and maps each station to its commune (db/hub/reports.py) — no join: the
station id is on every row. One grouped pass for a district's hundred communes instead of a
query each: 5 s of a district's tally were per-query costs (bench/hub.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, Select, literal

AnySelect: TypeAlias = "Select[*tuple[Any, ...]]"
Scope: TypeAlias = "Callable[[AnySelect], AnySelect]"


@dataclass(frozen=True)
class Grouping:
    key: ColumnElement[str]
    scope: Scope
    #: key → group when several keys make one group (the hub: a commune's stations); None:
    #: each key is its own group. A count of distinct things across a group's keys (the
    #: tally's home visits) is then made from the distinct things, not summed.
    groups: Mapping[str, str] | None = None

    def group_of(self, key: str) -> str | None:
        return key if self.groups is None else self.groups.get(key)


ONE = Grouping(literal(""), lambda stmt: stmt)


def within(column: Any, stations: Sequence[str] | None) -> Grouping:
    """One group: the rows of ``stations`` (on the hub, one commune's), or all of them."""
    if stations is None:
        return ONE
    return Grouping(literal(""), lambda stmt: stmt.where(column.in_(stations)))
