"""Audited entry points around services that do not know about accounts (search, import, tally).

Why a thin wrapper instead of editing db/search.py and db/register_import.py: those modules are
tuned for speed and know nothing of who is asking; the rule "check the role, then leave a trace"
lives here, once, for both the GUI and the CLI. Audit details are counts and ids only: the words
typed in a search may be a name, so only their number is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from db import audit
from db.actor import Actor
from db.permissions import require, require_slip
from db.residents import ResidentDetail, resident_detail
from db.station import StationDB

ActorSource = Callable[[], Actor]


class AuditedSearcher:
    """``Searcher`` with the same interface, checking the role and auditing every search.

    ``actor`` is a callable so the GUI's lookup follows a change of user at the lock screen.
    """

    def __init__(self, db: StationDB, actor: ActorSource) -> None:
        from db.search import Searcher

        self.db = db
        self.actor = actor
        self.inner = Searcher(db)

    def warm(self) -> None:
        self.inner.warm()

    def invalidate(self) -> None:
        self.inner.invalidate()

    def search(self, query: str, village: str | None = None, limit: int | None = None) -> Any:
        who = self.actor()
        require(who, "resident.search")
        kw: dict[str, Any] = {"village": village}
        if limit is not None:
            kw["limit"] = limit
        result = self.inner.search(query, **kw)
        words = len(query.split())
        audit.record(self.db, who, "resident.search", None, None,
                     f"{words} words{', village' if village else ''}, {len(result.hits)} results"
                     f"{'+' if result.more else ''}")  # fmt: skip
        return result


def search(
    db: StationDB, actor: Actor, query: str, *, village: str | None = None, limit: int = 50
) -> Any:
    return AuditedSearcher(db, lambda: actor).search(query, village=village, limit=limit)


def view_resident(db: StationDB, actor: Actor, resident_id: int) -> ResidentDetail | None:
    """One resident's record; the view is audited ("view resident #123")."""
    require(actor, "resident.view")
    detail = resident_detail(db, resident_id)
    if detail is not None:
        audit.record(db, actor, "resident.view", "resident", resident_id)
    return detail


def import_register(db: StationDB, actor: Actor, path: Path, progress: Any = None) -> Any:
    """Import a register file (administrator); the import and its counts are audited."""
    from db.register_import import import_register as run

    require(actor, "register.import")
    report = run(db, path, progress=progress)
    audit.record(db, actor, "register.import", "import_batch", None,
                 f"{report.rows} rows: {report.added} added, {report.updated} updated, "
                 f"{report.rejected} rejected")  # fmt: skip
    return report


def tally(
    db: StationDB, actor: Actor, first: date, last: date | None = None, *, prepared_by: str = ""
) -> Any:
    """The day tally (supervisor or administrator)."""
    from db.tally import compute_tally

    require(actor, "tally.view")
    return compute_tally(db, first, last, prepared_by=prepared_by)


def day_enrollments(db: StationDB, actor: Actor, day: date, **kw: Any) -> Any:
    from db.tally import day_enrollments as run

    require(actor, "tally.view")
    return run(db, day, **kw)


def slip(db: StationDB, actor: Actor, uuid: str, layout: str | None = None) -> Any:
    """An appointment slip to print: officers their own enrollments', supervisors any."""
    from db.documents import slip_for
    from db.enrollment import get

    require_slip(actor, get(db, uuid).officer_id)
    data = slip_for(db, uuid, layout=layout)
    audit.record(db, actor, "slip.print", "enrollment", uuid, data.slip_no)
    return data


def record_pdf_saved(db: StationDB, actor: Actor, what: str, entity_id: str | None = None) -> None:
    """Saving a PDF is an explicit action that may put personal data on disk: audited."""
    require(actor, "pdf.save")
    audit.record(db, actor, "pdf.save", what, entity_id)


def record_export(db: StationDB, actor: Actor, what: str, count: int) -> None:
    require(actor, "export")
    audit.record(db, actor, "export", what, None, f"{count} records")
