"""Read and clean a register in chunks, beside the database writer.

The importer's writer spends its time in SQLite; reading and validating rows is pure Python.
With the GIL, a reader thread barely overlaps the writer, so a large file is read and cleaned
in a separate process (spawned: safe beside Qt and on Windows) that streams cleaned chunks
through a pipe; small files and in-memory rows use a thread. Either way the chunks are the
same picklable ``Cleaned`` objects, and memory stays bounded (one chunk in flight).
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from db.errors import RegisterFileError
from db.models import new_uuid
from db.register.file import REJECTED, RawRow, RegisterFile, Unreadable, open_register
from db.register.validate import RowRejected, clean_row, clear_caches
from db.types import ImportIssue
from resources.i18n import N_
from resources.problems import log_unexpected

log = logging.getLogger(__name__)

# Register fields written by an import, in the order of the importer's raw statements.
VALUE_COLS = (
    "personal_id", "old_id", "full_name", "search_name", "sort_key", "birth_year", "birth_date",
    "sex", "ethnicity", "religion", "hometown", "commune", "village", "village_key",
    "household_no", "relation_to_head", "residence_type", "phone", "home_visit_reason",
    "review_flags", "match_key", "content_hash", "card_issued",
)  # fmt: skip
_DAY_COLS = ("birth_date", "card_issued")
PROCESS_MIN_BYTES = 4 * 2**20  # below this, starting a process costs more than it saves
# The one sentence for a failure nobody foresaw (its traceback goes to the log); tests and
# bench/hostile_register.py count it as a crash.
UNFORESEEN = N_("The register file cannot be read ({kind}).")
NO_ROWS = N_("The register file has a header row but no people under it.")


@dataclass
class Cleaned:
    """One chunk, cleaned: (line, a new uuid, values in VALUE_COLS order) and the issues.
    The reader makes the uuids too: the writer is the busier side."""

    rows: int = 0
    rejected: int = 0
    flagged: int = 0
    clean: list[tuple[int, str, tuple[Any, ...]]] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    fraction: float = 0.0  # of the file read so far


@dataclass
class FileFacts:
    """What only the reader learns: known once the whole file has been read."""

    encoding: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    sha256: str = ""


def params(values: dict[str, Any]) -> tuple[Any, ...]:
    """Values for the raw statements; dates in SQLAlchemy's SQLite text format."""
    return tuple(
        ((values[c].isoformat() if values[c] else None) if c in _DAY_COLS else values[c])
        for c in VALUE_COLS
    )


def chunks(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def clean_chunk(raw_rows: list[RawRow], today: date) -> Cleaned:
    out = Cleaned(rows=len(raw_rows))
    for line, raw in raw_rows:
        try:
            if REJECTED in raw:
                unreadable: Unreadable = raw[REJECTED]
                out.rejected += 1
                out.issues.append(
                    ImportIssue.of(line, "rejected", unreadable.code, unreadable.fields)
                )
                continue
            row = clean_row(raw, today)
        except RowRejected as exc:
            out.rejected += 1
            out.issues.append(ImportIssue.of(line, "rejected", str(exc)))
            continue
        if row.problems:
            out.flagged += 1
            out.issues.append(ImportIssue.of(line, "flagged", "; ".join(row.problems)))
        out.clean.append((line, new_uuid(), params(row.values)))
    return out


def in_thread(rows: Iterable[RawRow], size: int, today: date) -> Iterator[Cleaned]:
    """Clean the next chunk in a thread while the caller writes this one."""
    pending = chunks(rows, size)

    def next_cleaned() -> Cleaned | None:
        chunk = next(pending, None)
        return None if chunk is None else clean_chunk(chunk, today)

    with ThreadPoolExecutor(1, thread_name_prefix="register-reader") as pool:
        future = pool.submit(next_cleaned)
        while (cleaned := future.result()) is not None:
            future = pool.submit(next_cleaned)
            yield cleaned


def _in_this_process(register: RegisterFile, size: int, today: date) -> Iterator[Cleaned]:
    for cleaned in in_thread(register.rows(), size, today):
        cleaned.fraction = register.fraction
        yield cleaned


def _reader_process(path: str, size: int, today: str, conn: Any) -> None:
    """Child process: read, clean, send chunks; then the file's facts. Errors are sent too."""
    try:
        register = open_register(Path(path))
        for chunk in chunks(register.rows(), size):
            cleaned = clean_chunk(chunk, date.fromisoformat(today))
            cleaned.fraction = register.fraction
            conn.send(("chunk", cleaned))
        facts = FileFacts(register.encoding, register.ignored_columns, register.sha256)
        conn.send(("done", facts))
    except RegisterFileError as exc:
        conn.send(("error", (exc.template, exc.fields)))
    except Exception as exc:  # reported as a file error, without the row's content
        log_unexpected(exc, "register reader process")
        conn.send(("error", (UNFORESEEN, {"kind": type(exc).__name__})))
    finally:
        conn.close()


def from_file(path: Path, size: int, today: date, facts: FileFacts) -> Iterator[Cleaned]:
    """Cleaned chunks of a register file; ``facts`` is filled once the file is read.

    The header is checked here first, so a file without one fails before anything starts;
    a file with no rows under it fails too. Whatever goes wrong is one RegisterFileError.
    """
    rows = 0
    try:
        for cleaned in _from_file(path, size, today, facts):
            rows += cleaned.rows
            yield cleaned
    except RegisterFileError:
        raise
    except Exception as exc:  # a failure nobody foresaw: one sentence, the traceback logged
        log_unexpected(exc, "register import")
        raise RegisterFileError(UNFORESEEN, kind=type(exc).__name__) from exc
    finally:
        clear_caches()
    if rows == 0:
        raise RegisterFileError(NO_ROWS)


def _from_file(path: Path, size: int, today: date, facts: FileFacts) -> Iterator[Cleaned]:
    register = open_register(path)
    facts.encoding, facts.ignored_columns = register.encoding, register.ignored_columns
    if register.size < PROCESS_MIN_BYTES:
        yield from _in_this_process(register, size, today)
        facts.sha256 = register.sha256
        return
    register.close()
    ctx = multiprocessing.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_reader_process, args=(str(path), size, today.isoformat(), send), daemon=True
    )
    proc.start()
    send.close()
    try:
        while True:
            try:
                kind, payload = receive.recv()
            except EOFError:
                raise RegisterFileError(
                    N_("The register file reader stopped unexpectedly.")
                ) from None
            if kind == "chunk":
                yield payload
            elif kind == "done":
                facts.sha256 = payload.sha256
                return
            else:
                template, fields = payload
                raise RegisterFileError(template, **fields)
    finally:
        receive.close()
        if proc.is_alive():
            proc.terminate()
        proc.join(5)
