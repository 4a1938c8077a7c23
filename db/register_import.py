"""Import a population register into the station: validate, match, add or update.

One transaction per file: an import that is cancelled or fails half way leaves the register
as it was. Rows are processed in chunks (bounded memory); each chunk looks its people up by
personal ID, else by name + birth date + village, so re-importing the same or an updated file
never duplicates a resident. Bad rows are reported with their line number; good rows go in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, insert, update

from db.models import ImportBatch, Resident, new_uuid, utcnow
from db.register_file import RawRow, open_register
from db.register_validate import CleanRow, RowRejected, clean_row
from db.search_index import INDEX_NEW
from db.station import StationDB

log = logging.getLogger(__name__)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHUNK = 2000
OPTIMIZE_AFTER = 20_000  # rows added by one import
# Called after each chunk with (rows read, fraction of the file read); False cancels.
Progress = Callable[[int, float], bool | None]

_T = Resident.__table__
# Register fields written by an import, in the order of the raw statements below.
VALUE_COLS = (
    "personal_id", "old_id", "full_name", "search_name", "sort_key", "birth_year", "birth_date",
    "sex", "ethnicity", "religion", "hometown", "commune", "village", "village_key",
    "household_no", "relation_to_head", "residence_type", "phone", "home_visit_reason",
    "review_flags", "match_key", "content_hash",
)  # fmt: skip
_INSERT = (
    f"INSERT INTO resident (uuid, station_id, import_batch_id, created_at, updated_at, "
    f"{', '.join(VALUE_COLS)}) VALUES ({', '.join('?' * (len(VALUE_COLS) + 5))})"
)
_UPDATE = (
    f"UPDATE resident SET import_batch_id = ?, updated_at = ?, "
    f"{', '.join(c + ' = ?' for c in VALUE_COLS)} WHERE id = ?"
)
_LOOKUP = "SELECT id, personal_id, match_key, content_hash, import_batch_id FROM resident WHERE "


def _params(values: dict[str, Any]) -> tuple[Any, ...]:
    # Raw statements for speed (a million rows): dates in SQLAlchemy's SQLite text format.
    birth = values["birth_date"]
    return tuple(
        (birth.isoformat() if birth else None) if c == "birth_date" else values[c]
        for c in VALUE_COLS
    )


class ImportCancelled(Exception):
    """The officer cancelled; nothing of this import was kept."""


@dataclass(frozen=True)
class ImportIssue:
    line: int
    kind: str  # rejected | flagged | duplicate
    reason: str


@dataclass
class ImportReport:
    batch_id: int = 0
    file_name: str = ""
    encoding: str = ""
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    rejected: int = 0
    issues: list[ImportIssue] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "file": self.file_name,
            "encoding": self.encoding,
            "rows": self.rows,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "flagged": self.flagged,
            "rejected": self.rejected,
            "issues": [i.__dict__ for i in self.issues],
            "ignored_columns": self.ignored_columns,
        }


def _chunks(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


@dataclass
class _Cleaned:
    rows: int = 0
    rejected: int = 0
    flagged: int = 0
    clean: list[tuple[int, CleanRow]] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)


def _clean_chunk(raw_rows: list[RawRow], today: date) -> _Cleaned:
    out = _Cleaned(rows=len(raw_rows))
    for line, raw in raw_rows:
        try:
            row = clean_row(raw, today)
        except RowRejected as exc:
            out.rejected += 1
            out.issues.append(ImportIssue(line, "rejected", str(exc)))
            continue
        if row.problems:
            out.flagged += 1
            out.issues.append(ImportIssue(line, "flagged", "; ".join(row.problems)))
        out.clean.append((line, row))
    return out


def _cleaned_chunks(rows: Iterable[RawRow], size: int, today: date) -> Iterator[_Cleaned]:
    """Read and clean the next chunk in a worker thread while the caller writes this one.

    SQLite releases the GIL while it works, so parsing and writing overlap on two cores.
    """
    chunks = _chunks(rows, size)

    def next_cleaned() -> _Cleaned | None:
        chunk = next(chunks, None)
        return None if chunk is None else _clean_chunk(chunk, today)

    with ThreadPoolExecutor(1, thread_name_prefix="register-reader") as pool:
        future = pool.submit(next_cleaned)
        while (cleaned := future.result()) is not None:
            future = pool.submit(next_cleaned)
            yield cleaned


class _Importer:
    def __init__(self, conn: Connection, station_id: str, batch_id: int, report: ImportReport):
        self.conn = conn
        self.station_id = station_id
        self.batch_id = batch_id
        self.report = report
        self.today = datetime.now(VN_TZ).date()
        # SQLAlchemy's text format for SQLite datetimes (naive UTC), so the ORM reads them back.
        self.now = utcnow().replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        self.cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]

    def apply(self, cleaned: _Cleaned) -> None:
        report = self.report
        report.rows += cleaned.rows
        report.rejected += cleaned.rejected
        report.flagged += cleaned.flagged
        report.issues.extend(cleaned.issues)
        if cleaned.clean:
            self._upsert(cleaned.clean)

    def _lookup(self, column: str, values: list[str]) -> list[Any]:
        sql = f"{_LOOKUP}{column} IN ({', '.join('?' * len(values))})"
        return self.cursor.execute(sql, values).fetchall()

    def _existing(self, clean: list[tuple[int, CleanRow]]) -> tuple[dict[str, Any], dict[str, Any]]:
        pids = [r.values["personal_id"] for _, r in clean if r.values["personal_id"]]
        by_pid = {rec[1]: rec for rec in self._lookup("personal_id", pids)} if pids else {}
        keys = [r.values["match_key"] for _, r in clean if r.values["personal_id"] not in by_pid]
        by_key: dict[str, Any] = {}
        if keys:
            for rec in self._lookup("match_key", keys):
                by_key.setdefault(rec[2], rec)
        return by_pid, by_key

    def _upsert(self, clean: list[tuple[int, CleanRow]]) -> None:
        report = self.report
        by_pid, by_key = self._existing(clean)
        inserts: dict[str, dict[str, Any]] = {}  # identity → values (later lines win)
        insert_lines: dict[str, int] = {}
        updates: dict[int, dict[str, Any]] = {}
        for line, row in clean:
            v = row.values
            pid = v["personal_id"]
            rec = by_pid.get(pid) if pid else None
            if rec is None:
                cand = by_key.get(v["match_key"])
                if cand is not None and (cand[1] is None or cand[1] == pid):
                    rec = cand
            if rec is None:
                identity = f"p:{pid}" if pid else f"k:{v['match_key']}"
                if identity in inserts:
                    reason = f"same person as line {insert_lines[identity]}; the later line is kept"
                    report.issues.append(ImportIssue(line, "duplicate", reason))
                inserts[identity] = v
                insert_lines[identity] = line
                continue
            rid, _pid, _key, old_hash, old_batch = rec
            if old_batch == self.batch_id or rid in updates:
                reason = "same person as an earlier line of this file; the later line is kept"
                report.issues.append(ImportIssue(line, "duplicate", reason))
            if old_hash == v["content_hash"] and rid not in updates:
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
            self.cursor.executemany(
                _INSERT, [(new_uuid(), *head, *_params(v)) for v in inserts.values()]
            )
            # Index the chunk in one statement (see the fts_bulk flag in the migration).
            self.cursor.execute(INDEX_NEW, (first_new,))
            report.added += len(inserts)
        if updates:
            self.cursor.executemany(
                _UPDATE, [(self.batch_id, now, *_params(v), rid) for rid, v in updates.items()]
            )


def import_rows(
    db: StationDB,
    rows: Iterable[RawRow],
    *,
    file_name: str,
    sha256: str = "",
    encoding: str = "",
    progress: Progress | None = None,
    fraction: Callable[[], float] | None = None,
    chunk_size: int = CHUNK,
) -> ImportReport:
    """Import already-parsed rows in one transaction (files, the demo generator, tests)."""
    report = ImportReport(file_name=file_name, encoding=encoding)
    with db.engine.begin() as conn:
        batch_id = conn.execute(
            insert(ImportBatch.__table__).values(
                uuid=new_uuid(),
                station_id=db.station_id,
                file_name=file_name,
                sha256=sha256,
                started_at=utcnow(),
                issues=[],
            )
        ).inserted_primary_key[0]
        report.batch_id = int(batch_id)
        importer = _Importer(conn, db.station_id, report.batch_id, report)
        conn.exec_driver_sql("INSERT INTO fts_bulk (flag) VALUES (1)")
        for cleaned in _cleaned_chunks(rows, chunk_size, importer.today):
            importer.apply(cleaned)
            if progress is not None:
                done = fraction() if fraction else 0.0
                if progress(report.rows, done) is False:
                    raise ImportCancelled("import cancelled; nothing was changed")
        conn.exec_driver_sql("DELETE FROM fts_bulk")
        if report.added >= OPTIMIZE_AFTER:
            # Merge the per-chunk index segments into one: searches read fewer pages.
            conn.exec_driver_sql("INSERT INTO resident_fts(resident_fts) VALUES ('optimize')")
        report.issues.sort(key=lambda issue: issue.line)
        conn.execute(
            update(ImportBatch.__table__)
            .where(ImportBatch.__table__.c.id == report.batch_id)
            .values(
                finished_at=utcnow(),
                rows=report.rows,
                added=report.added,
                updated=report.updated,
                unchanged=report.unchanged,
                flagged=report.flagged,
                rejected=report.rejected,
                issues=[i.__dict__ for i in report.issues],
            )
        )
    log.info(
        "import batch %s: %d rows, %d added, %d updated, %d flagged, %d rejected",
        report.batch_id, report.rows, report.added, report.updated, report.flagged,
        report.rejected,
    )  # fmt: skip
    return report


def import_register(
    db: StationDB, path: Path, progress: Progress | None = None, chunk_size: int = CHUNK
) -> ImportReport:
    """Import a CSV or XLSX register file (see db/register_file.py for the formats)."""
    register = open_register(path)
    size = max(register.size, 1)
    report = import_rows(
        db,
        register.rows(),
        file_name=path.name,
        encoding=register.encoding,
        progress=progress,
        fraction=lambda: min(register.bytes_read / size, 1.0),
        chunk_size=chunk_size,
    )
    report.ignored_columns = register.ignored_columns
    if register.sha256:
        with db.engine.begin() as conn:
            conn.execute(
                update(ImportBatch.__table__)
                .where(ImportBatch.__table__.c.id == report.batch_id)
                .values(sha256=register.sha256)
            )
    return report
