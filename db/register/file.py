"""Read a population register file as a stream of rows: CSV in any encoding Excel writes, XLSX.

Rows come out as ``(line_number, {field: raw value})`` with canonical field names, so that the
importer never sees a header or an encoding. Files are streamed: a million-row register never
sits in memory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from db.errors import RegisterFileError
from db.text import header_key
from resources.i18n import N_

# Canonical field → accepted headers (Vietnamese or English; case and diacritics ignored).
HEADERS: dict[str, tuple[str, ...]] = {
    "full_name": ("Họ và tên", "Họ tên", "Họ và tên khai sinh", "full_name", "name"),
    "birth_date": ("Ngày sinh", "Ngày, tháng, năm sinh", "Năm sinh", "birth_date", "dob"),
    "sex": ("Giới tính", "sex", "gender"),
    "personal_id": (
        "Số định danh", "Số định danh cá nhân", "Số CCCD", "CCCD", "Số thẻ căn cước",
        "personal_id",
    ),
    "old_id": ("Số CMND", "CMND", "old_id"),
    "ethnicity": ("Dân tộc", "ethnicity"),
    "religion": ("Tôn giáo", "religion"),
    "hometown": ("Quê quán", "Nơi đăng ký khai sinh", "hometown", "place_of_birth"),
    "commune": ("Xã", "Xã/Phường", "commune"),
    "village": ("Thôn", "Bản", "Thôn/Bản", "Thôn/Bản/Tổ dân phố", "Tổ dân phố", "village"),
    "household_no": ("Số hộ", "Số hộ khẩu", "Mã hộ", "household_no"),
    "relation_to_head": ("Quan hệ với chủ hộ", "Quan hệ chủ hộ", "relation_to_head"),
    "residence_type": ("Loại cư trú", "Tình trạng cư trú", "residence_type"),
    "phone": ("Số điện thoại", "Điện thoại", "phone"),
    "home_visit_reason": ("Thu nhận tại nhà", "Lý do thu nhận tại nhà", "home_visit_reason"),
}  # fmt: skip
_HEADER_INDEX = {header_key(h): f for f, names in HEADERS.items() for h in names}
HEADER_SEARCH_ROWS = 10  # registers often have a title block above the header row

RawRow = tuple[int, dict[str, Any]]


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
    _closer: Any = None

    def close(self) -> None:
        """Release the file without reading the rest."""
        if self._closer is not None:
            self._closer()

    def rows(self) -> Iterator[RawRow]:
        assert self._rows is not None
        yield from self._rows
        if self._counter is not None:
            self.sha256 = self._counter.hash.hexdigest()

    @property
    def bytes_read(self) -> int:
        return self._counter.count if self._counter else self.size


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
    """BOMs first; then UTF-8 if the whole file decodes as such; else Windows-1258."""
    with path.open("rb") as fh:
        head = fh.read(4096)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if len(head) >= 64 and head[1::2].count(0) > len(head) // 4:
            return "utf-16-le"  # Excel "Unicode text" whose BOM was lost
        if len(head) >= 64 and head[0::2].count(0) > len(head) // 4:
            return "utf-16-be"
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = fh.read(1 << 20)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1258"
    return "utf-8"


def _map_header(cells: list[Any]) -> tuple[dict[str, int], list[str]]:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        name = "" if cell is None else str(cell).strip()
        if not name:
            continue
        field_name = _HEADER_INDEX.get(header_key(name))
        if field_name and field_name not in columns:
            columns[field_name] = index
        else:
            ignored.append(name)
    return columns, ignored


def _find_header(rows: Iterator[tuple[int, list[Any]]]) -> tuple[dict[str, int], list[str]]:
    for _line, cells in rows:
        columns, ignored = _map_header(cells)
        if "full_name" in columns and len(columns) >= 2:
            return columns, ignored
        if _line >= HEADER_SEARCH_ROWS:
            break
    raise RegisterFileError(
        N_("No header row with a name column ('Họ và tên' / 'full_name') in the first {rows} "
           "rows."),
        rows=HEADER_SEARCH_ROWS,
    )  # fmt: skip


def _records(rows: Iterator[tuple[int, list[Any]]], columns: dict[str, int]) -> Iterator[RawRow]:
    items = list(columns.items())
    for line, cells in rows:
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue  # blank line
        n = len(cells)
        yield line, {f: (cells[i] if i < n else None) for f, i in items}


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def open_csv(path: Path) -> RegisterFile:
    encoding = detect_encoding(path)
    raw = _CountingReader(path.open("rb"))
    text = io.TextIOWrapper(io.BufferedReader(raw, 1 << 16), encoding=encoding, newline="")
    first = text.readline()
    delimiter = _sniff_delimiter(first)
    reader = csv.reader(_chain_first(first, text), delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, list[Any]]]:
        last = 0  # the line the previous row ended on: a broken row starts after it
        try:
            for cells in reader:
                yield reader.line_num, cells
                last = reader.line_num
        except (csv.Error, UnicodeDecodeError) as exc:
            raise RegisterFileError(
                N_("The register cannot be read from line {line} on: the file is damaged."),
                line=last + 1,
            ) from exc
        finally:
            text.close()

    stream = numbered()
    columns, ignored = _find_header(stream)
    return RegisterFile(
        path, encoding, columns, ignored, size=path.stat().st_size,
        _rows=_records(stream, columns), _counter=raw, _closer=text.close,
    )  # fmt: skip


def _chain_first(first: str, rest: io.TextIOWrapper) -> Iterator[str]:
    yield first
    yield from rest


def open_xlsx(path: Path) -> RegisterFile:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    fh = path.open("rb")  # a file object: openpyxl then trusts the content, not the name
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        fh.close()
        raise RegisterFileError(N_("This is not a readable XLSX file.")) from exc
    ws = wb.worksheets[0]

    def numbered() -> Iterator[tuple[int, list[Any]]]:
        try:
            for index, values in enumerate(ws.iter_rows(values_only=True), start=1):
                yield index, list(values)
        finally:
            wb.close()
            fh.close()

    stream = numbered()
    columns, ignored = _find_header(stream)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    def close() -> None:
        wb.close()
        fh.close()

    return RegisterFile(
        path, "xlsx", columns, ignored, sha256=digest, size=path.stat().st_size,
        _rows=_records(stream, columns), _closer=close,
    )  # fmt: skip


def open_register(path: Path) -> RegisterFile:
    """Open a register file by its content (XLSX is a zip), whatever its name says."""
    if not path.exists():
        raise RegisterFileError(N_("The register file does not exist."))
    if path.stat().st_size == 0:
        raise RegisterFileError(N_("The register file is empty."))
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == b"PK\x03\x04":
        return open_xlsx(path)
    return open_csv(path)
