"""Open a population register file as a stream of records: CSV/TSV in any encoding Excel
writes, or an XLSX workbook; anything else is refused with one sentence.

Rows come out as ``(line_number, {field: raw value})`` with canonical field names, so that the
importer never sees a header or an encoding; a row the reader could not read carries
``REJECTED``. Files are streamed: a million-row register never sits in memory, and the limits
of db/register/limits.py hold for any file, hostile or damaged.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from db.errors import RegisterFileError
from db.register.csvfile import CsvTable
from db.register.header import (
    HEADER_SEARCH_ROWS,
    HEADERS,
    REJECTED,
    NumberedRows,
    RawRow,
    Unreadable,
    find_header,
    records,
)
from db.register.sniff import open_regular, sniff
from db.register.xlsx import Workbook
from resources.i18n import N_

__all__ = [
    "HEADERS", "HEADER_SEARCH_ROWS", "REJECTED", "RawRow", "RegisterFile", "Unreadable",
    "detect_encoding", "open_register",
]  # fmt: skip
HASH_BLOCK = 1 << 20


@dataclass
class RegisterFile:
    """An opened register file: its rows, its columns, and the hash of what was read."""

    path: Path
    encoding: str  # "xlsx" for spreadsheets
    columns: dict[str, int]
    ignored_columns: list[str] = field(default_factory=list)
    sha256: str = ""
    size: int = 0
    _rows: Iterator[RawRow] | None = None
    _counter: _CountingReader | None = None
    _book: Workbook | None = None
    _closer: Any = None

    def close(self) -> None:
        """Release the file without reading the rest."""
        if self._closer is not None:
            self._closer()

    def rows(self) -> Iterator[RawRow]:
        assert self._rows is not None
        try:
            yield from self._rows
        except OSError as exc:  # a USB stick pulled out, a disk error
            raise RegisterFileError(
                N_("The register file could not be read to the end (error {code}): nothing "
                   "was imported."),
                code=type(exc).__name__,
            ) from exc
        finally:
            self.close()
        if self._counter is not None:
            self.sha256 = self._counter.hash.hexdigest()

    @property
    def fraction(self) -> float:
        """How much of the file has been read (for progress)."""
        if self._book is not None:
            return self._book.fraction
        if self._counter is not None:
            return min(self._counter.count / max(self.size, 1), 1.0)
        return 1.0


class _CountingReader(io.RawIOBase):
    """A binary reader that counts and hashes what passes through (for progress and sha256)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.count = 0
        self.hash = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        self.hash.update(data)
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def detect_encoding(path: Path) -> str:
    """The encoding a text register is read in (see db/register/sniff.py)."""
    fh, _size = open_regular(path)
    with fh:
        found = sniff(fh)
    return found.encoding or "xlsx"


def open_register(path: Path) -> RegisterFile:
    """Open a register file by its content (XLSX is a zip), whatever its name says."""
    fh, size = open_regular(path)
    try:
        if size == 0:
            raise RegisterFileError(N_("The register file is empty."))
        found = sniff(fh)
        if found.kind == "zip":
            return _open_xlsx(path, fh, size)
        return _open_csv(path, fh, size, found.encoding)
    except OSError as exc:
        fh.close()
        raise RegisterFileError(
            N_("The register file cannot be opened (error {code})."), code=type(exc).__name__
        ) from exc
    except BaseException:
        fh.close()
        raise


def _open_csv(path: Path, fh: BinaryIO, size: int, encoding: str) -> RegisterFile:
    counter = _CountingReader(fh)
    table = CsvTable(io.BufferedReader(counter, 1 << 16), encoding)
    try:
        stream = table.rows()
        header = find_header(stream)
    except BaseException:
        table.close()
        raise
    table.header_width = len(header.cells)
    return RegisterFile(
        path, encoding, header.columns, header.ignored, size=size,
        _rows=records(stream, header), _counter=counter, _closer=table.close,
    )  # fmt: skip


def _open_xlsx(path: Path, fh: BinaryIO, size: int) -> RegisterFile:
    digest = hashlib.sha256()
    while block := fh.read(HASH_BLOCK):
        digest.update(block)
    fh.seek(0)
    book = Workbook(fh, size)

    def close() -> None:
        book.close()
        fh.close()

    try:
        stream: NumberedRows = book.rows()
        header = find_header(stream)
    except BaseException:
        close()
        raise
    return RegisterFile(
        path, "xlsx", header.columns, header.ignored, sha256=digest.hexdigest(), size=size,
        _rows=records(stream, header), _book=book, _closer=close,
    )  # fmt: skip
