"""Import a population register into the station: validate, match, add or update.

One transaction per file: an import that is cancelled or fails half way leaves the register
as it was. Rows are processed in chunks (bounded memory); each chunk looks its people up by
personal ID, else by name + birth date + village, so re-importing the same or an updated file
never duplicates a resident. Bad rows are reported with their line number; good rows go in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, insert, update

from db.errors import ImportCancelled
from db.models import ImportBatch, Resident, new_uuid, utcnow
from db.register.chunks import VALUE_COLS, Cleaned, FileFacts, from_file, in_thread
from db.register.file import RawRow
from db.search_index import INDEX_NEW
from db.station import StationDB
from db.types import ImportIssue, ImportReport
from resources.i18n import N_

log = logging.getLogger(__name__)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHUNK = 2000
OPTIMIZE_AFTER = 20_000  # rows added by one import
SAME_AS_LINE = N_("same person as line {first}, the later line is kept")
SAME_AS_EARLIER = N_("same person as an earlier line of this file, the later line is kept")
# Called after each chunk with (rows read, fraction of the file read); False cancels.
Progress = Callable[[int, float], bool | None]

_T = Resident.__table__
_INSERT = (
    f"INSERT INTO resident (uuid, station_id, import_batch_id, created_at, updated_at, "
    f"{', '.join(VALUE_COLS)}) VALUES ({', '.join('?' * (len(VALUE_COLS) + 5))})"
)
# A card issue date once known is kept when a later register leaves it out (no column, or an
# empty or ignored cell): the card was issued all the same.
_SET = {"card_issued": "card_issued = coalesce(?, card_issued)"}
_UPDATE = (
    f"UPDATE resident SET import_batch_id = ?, updated_at = ?, "
    f"{', '.join(_SET.get(c, c + ' = ?') for c in VALUE_COLS)} WHERE id = ?"
)
_PID, _KEY, _HASH = (VALUE_COLS.index(c) for c in ("personal_id", "match_key", "content_hash"))
_LOOKUP = "SELECT id, personal_id, match_key, content_hash, import_batch_id FROM resident WHERE "
# Only people without an ID number are matched by name + birth + village; INDEXED BY, or SQLite
# would rather walk every NULL number of the personal_id index.
_LOOKUP_BY_KEY = _LOOKUP.replace("WHERE", "INDEXED BY ix_resident_match_key WHERE") + "match_key"


class _Importer:
    def __init__(self, conn: Connection, station_id: str, batch_id: int, report: ImportReport):
        self.conn = conn
        self.station_id = station_id
        self.batch_id = batch_id
        self.report = report
        self.today = datetime.now(VN_TZ).date()
        # SQLAlchemy's text format for SQLite datetimes (naive UTC), so the ORM reads them back.
        self.now = utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None  # None only once the connection is closed or invalidated
        self.cursor = dbapi.cursor()
        # A row with an ID number not found by it can only be someone recorded without one:
        # while nobody lacks a number, such rows skip the name + birth + village lookup.
        self.pidless = (
            self.cursor.execute(
                "SELECT 1 FROM resident WHERE personal_id IS NULL LIMIT 1"
            ).fetchone()
            is not None
        )

    def apply(self, cleaned: Cleaned) -> None:
        report = self.report
        report.rows += cleaned.rows
        report.rejected += cleaned.rejected
        report.flagged += cleaned.flagged
        for issue in cleaned.issues:
            report.add_issue(issue)
        if cleaned.clean:
            self._upsert(cleaned.clean)

    def _lookup(self, column: str, values: list[str]) -> list[Any]:
        marks = ", ".join("?" * len(values))
        if column == "match_key":
            sql = f"{_LOOKUP_BY_KEY} IN ({marks}) AND personal_id IS NULL"
        else:
            sql = f"{_LOOKUP}{column} IN ({marks})"
        rows: list[Any] = self.cursor.execute(sql, values).fetchall()
        return rows

    def _existing(
        self, clean: list[tuple[int, str, tuple[Any, ...]]]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        pids = [v[_PID] for _, _u, v in clean if v[_PID]]
        by_pid = {rec[1]: rec for rec in self._lookup("personal_id", pids)} if pids else {}
        keys = [
            v[_KEY] for _, _u, v in clean if not v[_PID] or (self.pidless and v[_PID] not in by_pid)
        ]
        by_key: dict[str, Any] = {}
        if keys:
            for rec in self._lookup("match_key", keys):
                by_key.setdefault(rec[2], rec)
        return by_pid, by_key

    def _upsert(self, clean: list[tuple[int, str, tuple[Any, ...]]]) -> None:
        report = self.report
        by_pid, by_key = self._existing(clean)
        inserts: dict[str, tuple[str, tuple[Any, ...]]] = {}  # identity → (uuid, values)
        insert_lines: dict[str, int] = {}
        updates: dict[int, tuple[Any, ...]] = {}
        for line, uuid, v in clean:
            pid = v[_PID]
            rec = by_pid.get(pid) if pid else None
            if rec is None:
                cand = by_key.get(v[_KEY])
                if cand is not None:  # recorded without a number: the same person
                    rec = cand
            if rec is None:
                self.pidless = self.pidless or not pid
                identity = f"p:{pid}" if pid else f"k:{v[_KEY]}"
                if identity in inserts:
                    first = (("first", insert_lines[identity]),)
                    report.add_issue(ImportIssue.of(line, "duplicate", SAME_AS_LINE, first))
                inserts[identity] = (uuid, v)  # a later line of the same person wins
                insert_lines[identity] = line
                continue
            rid, _pid, _key, old_hash, old_batch = rec
            if old_batch == self.batch_id or rid in updates:
                report.add_issue(ImportIssue.of(line, "duplicate", SAME_AS_EARLIER))
            if old_hash == v[_HASH] and rid not in updates:
                report.unchanged += 1
                continue
            if rid not in updates:
                report.updated += 1
            updates[rid] = v
        now = self.now
        if inserts:
            (first_new,) = self.cursor.execute(
                "SELECT coalesce(max(id), 0) FROM resident"
            ).fetchone()
            head = (self.station_id, self.batch_id, now, now)
            self.cursor.executemany(_INSERT, [(u, *head, *v) for u, v in inserts.values()])
            # Index the chunk in one statement (see the fts_bulk flag in the migration).
            self.cursor.execute(INDEX_NEW, (first_new,))
            report.added += len(inserts)
        if updates:
            self.cursor.executemany(
                _UPDATE, [(self.batch_id, now, *v, rid) for rid, v in updates.items()]
            )


def import_rows(
    db: StationDB,
    rows: Iterable[RawRow],
    *,
    file_name: str,
    progress: Progress | None = None,
    chunk_size: int = CHUNK,
) -> ImportReport:
    """Import already-parsed rows in one transaction (the demo generator, benches, tests)."""
    today = datetime.now(VN_TZ).date()
    return _import(db, in_thread(rows, chunk_size, today), file_name, FileFacts(), progress)


def import_register(
    db: StationDB, path: Path, progress: Progress | None = None, chunk_size: int = CHUNK
) -> ImportReport:
    """Import a CSV or XLSX register file (db/register/file.py: formats; limits.py: limits)."""
    facts = FileFacts()
    today = datetime.now(VN_TZ).date()
    source = from_file(path, chunk_size, today, facts)
    return _import(db, source, path.name, facts, progress)


def _kept_issues(report: ImportReport) -> list[dict[str, Any]]:
    """The batch's issues: the first ones as they are, then (when there were more) a summary
    of all by reason, so that a file of a million bad rows stays a small record."""
    kept: list[dict[str, Any]] = [issue.record() for issue in report.issues]
    omitted = report.issues_total - len(report.issues)
    if omitted > 0:
        counts = [{"kind": k, "reason": c, "count": n} for k, c, n in report.summary()]
        kept.append({"line": None, "kind": "summary", "omitted": omitted, "counts": counts})
    return kept


def _import(
    db: StationDB,
    source: Iterator[Cleaned],
    file_name: str,
    facts: FileFacts,
    progress: Progress | None,
) -> ImportReport:
    report = ImportReport(file_name=file_name)
    first = next(source, None)  # a file without a header fails here, before any write
    with db.write_connection() as conn:
        batch_pk = conn.execute(
            insert(ImportBatch.__table__).values(
                uuid=new_uuid(),
                station_id=db.station_id,
                file_name=file_name,
                sha256="",
                started_at=utcnow(),
                issues=[],
            )
        ).inserted_primary_key
        assert batch_pk is not None  # set for a single-row INSERT without RETURNING
        report.batch_id = int(batch_pk[0])
        importer = _Importer(conn, db.station_id, report.batch_id, report)
        conn.exec_driver_sql("INSERT INTO fts_bulk (flag) VALUES (1)")
        try:
            for cleaned in chain([first] if first else [], source):
                importer.apply(cleaned)
                if progress is not None and progress(report.rows, cleaned.fraction) is False:
                    raise ImportCancelled()
        finally:
            if isinstance(source, Generator):
                source.close()  # stops a reader process or thread at once
        conn.exec_driver_sql("DELETE FROM fts_bulk")
        if report.added >= OPTIMIZE_AFTER:
            # Merge the per-chunk index segments into one: searches read fewer pages.
            conn.exec_driver_sql("INSERT INTO resident_fts(resident_fts) VALUES ('optimize')")
        report.issues.sort(key=lambda issue: issue.line)
        report.encoding, report.ignored_columns = facts.encoding, facts.ignored_columns
        conn.execute(
            update(ImportBatch.__table__)
            .where(ImportBatch.__table__.c.id == report.batch_id)
            .values(
                finished_at=utcnow(),
                sha256=facts.sha256,
                rows=report.rows,
                added=report.added,
                updated=report.updated,
                unchanged=report.unchanged,
                flagged=report.flagged,
                rejected=report.rejected,
                issues=_kept_issues(report),
            )
        )
    log.info(
        "import batch %s: %d rows, %d added, %d updated, %d flagged, %d rejected",
        report.batch_id, report.rows, report.added, report.updated, report.flagged,
        report.rejected,
    )  # fmt: skip
    return report
