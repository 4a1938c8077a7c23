"""The *restored* mark of a laptop brought back from a backup (db/restore.py sets it; HQ's next
work packet lifts it, db/sync/apply.py): until then no slip number and no bundle, because HQ
may hold numbers and trail events the backup does not."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import Setting

RESTORED_KEY = "sync.restored"


def restored_mark(s: Session) -> int | None:
    """The audit seq the restored backup ended at, while the laptop waits for HQ's packet."""
    row = s.get(Setting, RESTORED_KEY)
    if row is None:
        return None
    try:
        return int(row.value["seq"])
    except (KeyError, TypeError, ValueError):
        return 0
