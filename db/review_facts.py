"""What the supervisor reads about each enrollment of the day review, besides the list line
(db/review.py): a new person (DC01), each correction of the register's data, the portrait's
checks and whether it was taken lying down, and for a correction the note it was sent back with.

Why apart from :func:`db.review.waiting`: that query decides *what* waits (and in which
order); this one reads the JSON the screen turns into words — the draft's corrections and the
portrait's quality report — for the same enrollments, in one query per 500 of them. Nothing
here is decided, only read; the GUI never sees a raw measurement it would have to interpret.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from db.corrections import FIELDS
from db.dc01 import ADDED_AT_DESK
from db.models import Enrollment, Portrait, Resident
from db.station import StationDB
from db.types import QualityCheck, ReviewItem

CHUNK = 500  # uuids per IN (...) list: well under SQLite's limit of bound parameters


def with_facts(db: StationDB, items: list[ReviewItem]) -> list[ReviewItem]:
    """``items`` with the facts of the review screen filled in (same order)."""
    facts: dict[str, dict[str, Any]] = {}
    uuids = [i.uuid for i in items]
    with db.Session() as s:
        for start in range(0, len(uuids), CHUNK):
            facts.update(_facts(s, uuids[start : start + CHUNK]))
    return [replace(i, **facts[i.uuid]) if i.uuid in facts else i for i in items]


def _facts(s: Session, uuids: list[str]) -> dict[str, dict[str, Any]]:
    latest = (
        select(func.max(Portrait.id))
        .where(Portrait.enrollment_id == Enrollment.id)
        .correlate(Enrollment)
        .scalar_subquery()
    )
    earlier = aliased(Enrollment)
    stmt = (
        select(Enrollment.uuid, Enrollment.draft, Resident.review_flags, Portrait.quality,
               Portrait.bedridden, earlier.review_note)
        .join(Resident, Resident.id == Enrollment.resident_id)
        .outerjoin(Portrait, Portrait.id == latest)
        .outerjoin(earlier, earlier.id == Enrollment.corrects_id)
        .where(Enrollment.uuid.in_(uuids))
    )  # fmt: skip
    found: dict[str, dict[str, Any]] = {}
    for uuid, draft, flags, quality, bedridden, returned_note in s.execute(stmt):
        new = is_new_person(flags)
        report = quality if isinstance(quality, dict) else {}
        found[uuid] = {
            "new_person": new,
            "corrections": corrected_fields(draft, new_person=new),
            "checks": quality_checks(report),
            "bedridden": bool(bedridden) or report.get("bedridden") is True,
            "rotation": _whole(report.get("rotation")),
            "returned_note": returned_note,
        }
    return found


def is_new_person(review_flags: str | None) -> bool:
    """Added at the desk with form DC01 (db/dc01.py marks the row so)."""
    return ADDED_AT_DESK in (review_flags or "").split("; ")


def corrected_fields(
    draft: Any, *, new_person: bool = False
) -> tuple[tuple[str, str, str], ...]:
    """(field, register value, corrected value) of each field the officer changed, in the
    form's order. A new person has no register values: only a change of what was typed at
    the desk counts, not every field filled in."""
    details = draft.get("details") if isinstance(draft, dict) else None
    changed = details.get("corrections") if isinstance(details, dict) else None
    if not isinstance(changed, dict):
        return ()
    rows = []
    for field in (*FIELDS, *sorted(str(f) for f in changed if f not in FIELDS)):
        change = changed.get(field)
        if not isinstance(change, dict):
            continue
        before, after = str(change.get("from") or ""), str(change.get("to") or "")
        if before == after or (new_person and not before):
            continue
        rows.append((field, before, after))
    return tuple(rows)


def quality_checks(report: dict[str, Any]) -> tuple[QualityCheck, ...]:
    """The checks of a stored quality report (capture.report.QualityReport.to_dict), each
    passed, a warning or a failure; an unknown or damaged report gives none."""
    checks = report.get("checks")
    if not isinstance(checks, list):
        return ()
    found = []
    for c in checks:
        if not isinstance(c, dict) or not isinstance(c.get("id"), str):
            continue
        if c.get("passed") is True:
            result = "pass"
        else:
            result = "warn" if c.get("severity") == "warn" else "fail"
        told = c.get("instruction")
        told = told if isinstance(told, dict) else {}
        value = c.get("value")
        number = None if isinstance(value, bool) or not isinstance(value, int | float) else value
        vi, en = str(told.get("vi") or ""), str(told.get("en") or "")
        found.append(QualityCheck(c["id"], result, None if number is None else float(number),
                                  vi, en))  # fmt: skip
    return tuple(found)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return int(value)
