"""The enrollment's lifecycle: which status may follow which, and the one place that changes
it. Apart from db/enrollment.py so that the card's arrival and handover (db/cards.py) and the
supervisor's decisions (db/review.py) move a status the same way without importing the desk's
module (which imports the home visits, which hand cards over)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import object_session
from sqlalchemy.orm.attributes import set_committed_value

from db.errors import IllegalTransition
from db.labels import STATUS_NAMES
from db.models import Enrollment
from resources.i18n import N_
from resources.problems import Msg

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"captured", "discarded"}),
    "captured": frozenset({"submitted", "discarded"}),
    "submitted": frozenset({"approved", "returned"}),
    "approved": frozenset({"card_ready"}),
    "card_ready": frozenset({"delivered"}),
    "returned": frozenset(),
    "delivered": frozenset(),
    "discarded": frozenset(),
}


def _move(e: Enrollment, to: str) -> None:
    """Refuse any move the lifecycle does not allow (the one place that changes status).

    The move is a conditional update (``WHERE status = :expected``): of two sessions that both
    read "submitted", only one moves it; the other is refused and records nothing, whatever the
    isolation of the database (SQLite here, PostgreSQL at the hub).
    """
    if to not in TRANSITIONS.get(e.status, frozenset()):
        raise IllegalTransition(
            N_("An enrollment that is {now} cannot become {then} ('{status}' to '{to}')."),
            now=Msg(STATUS_NAMES[e.status]), then=Msg(STATUS_NAMES[to]), status=e.status, to=to,
        )  # fmt: skip
    s = object_session(e)
    if s is None or e.id is None:
        e.status = to
        return
    moved = cast(CursorResult[Any], s.execute(
        update(Enrollment)
        .where(Enrollment.id == e.id, Enrollment.status == e.status)
        .values(status=to)
        .execution_options(synchronize_session=False)
    ))  # fmt: skip
    if moved.rowcount != 1:
        raise IllegalTransition(
            N_("Someone else changed this enrollment meanwhile. Nothing was recorded; open it "
               "again to see where it stands.")
        )
    set_committed_value(e, "status", to)


__all__ = ["TRANSITIONS", "_move"]
