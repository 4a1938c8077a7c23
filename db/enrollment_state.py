"""Where a person's enrollments stand: the desk's one-open-enrollment rule, and the state line
the lookup shows beside each person.

Why a rule of the service and not a database constraint (a unique index on open enrollments):
field sync must be able to store two enrollments of one person made at two stations (a mobile
team and the headquarters the same week) and flag them for the supervisor, which a constraint
would refuse. So the desk refuses a second *open* enrollment when one is started
(db/enrollment.create_draft, inside its write transaction: two officers choosing the same
person at once cannot both pass), a deliberate "làm lại hồ sơ" (redo) with a reason is allowed,
and the review list flags any person with more than one open enrollment, whatever their origin.

Open means the card is still on its way: draft, captured, submitted, approved, card ready. A
returned one is corrected through ``correct()`` (its own rule), and discarded or delivered ones
are history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, Connection, and_, exists, select
from sqlalchemy.orm import Session, aliased

from db.dialect import marks
from db.models import Enrollment
from db.types import EnrollmentState
from db.vntime import local_date

#: Statuses that block a new enrollment of the same person (the card is not delivered yet).
OPEN = ("draft", "captured", "submitted", "approved", "card_ready")
#: Why a second enrollment of a person is started anyway ("làm lại hồ sơ"); "other" needs a note.
REDO_REASONS = ("lost_card", "damaged_card", "data_correction", "other")
#: Statuses the lookup does not show (nothing is under way and nothing was received).
_HIDDEN = ("discarded",)


def open_enrollment(s: Session, resident_id: int) -> Enrollment | None:
    """The person's most recent open enrollment, from any station (None: they may start)."""
    return s.scalar(
        select(Enrollment)
        .where(Enrollment.resident_id == resident_id, Enrollment.status.in_(OPEN))
        .order_by(Enrollment.created_at.desc(), Enrollment.id.desc())
        .limit(1)
    )


def another_open() -> ColumnElement[bool]:
    """SQL, for a query over enrollments: another open enrollment of the same resident exists
    (any station) — the review list's "possible duplicate" flag, an indexed EXISTS per row."""
    other = aliased(Enrollment)
    return exists().where(
        and_(other.resident_id == Enrollment.resident_id, other.id != Enrollment.id,
             other.status.in_(OPEN))
    )  # fmt: skip


def states(conn: Connection | Session, resident_ids: Sequence[int]) -> dict[int, EnrollmentState]:
    """Each listed resident's current enrollment state, in ONE indexed query (the lookup stays
    in milliseconds): the most recent open enrollment if any, else the most recent received or
    returned one. Plain SQL on the driver: SQLAlchemy's expanding IN costs more than the query."""
    if not resident_ids:
        return {}
    raw = conn.connection() if isinstance(conn, Session) else conn
    rows = raw.exec_driver_sql(
        "SELECT resident_id, uuid, status, created_at, submitted_at, receipt_no FROM enrollment"
        f" WHERE resident_id IN ({marks(raw, len(resident_ids))})"
        f" AND status NOT IN ({', '.join(map(repr, _HIDDEN))})"
        " ORDER BY resident_id, id",
        tuple(resident_ids),
    )
    return pick((rid, uuid, status, _utc(created), _utc(submitted), receipt)
                for rid, uuid, status, created, submitted, receipt in rows)  # fmt: skip


def _utc(stored: str | datetime | None) -> datetime | None:
    """A time as the driver returns it (UTCDateTime's naive UTC text) as an aware datetime."""
    if stored is None:
        return None
    value = stored if isinstance(stored, datetime) else datetime.fromisoformat(stored)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def pick(rows: Iterable[tuple[int, str, str, datetime | None, datetime | None, str | None]]
         ) -> dict[int, EnrollmentState]:  # fmt: skip
    """The state of each resident from their enrollments in creation order (pure)."""
    grouped: dict[int, list[tuple[str, str, datetime | None, datetime | None, str | None]]] = {}
    for rid, uuid, status, created, submitted, receipt in rows:
        grouped.setdefault(rid, []).append((uuid, status, created, submitted, receipt))
    found: dict[int, EnrollmentState] = {}
    for rid, items in grouped.items():
        opened = [i for i in items if i[1] in OPEN]
        uuid, status, created, submitted, receipt = (opened or items)[-1]
        at = submitted or created
        assert at is not None  # created_at is never empty
        found[rid] = EnrollmentState(
            uuid=uuid, status=status, receipt_no=receipt,
            day=local_date(at), open_count=len(opened),
        )  # fmt: skip
    return found


__all__ = ["OPEN", "REDO_REASONS", "another_open", "open_enrollment", "pick", "states"]
