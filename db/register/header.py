"""The header row of a register and the records it names, whatever the file format.

Readers (CSV, XLSX) yield numbered rows of cells; a row they could not read at all is an
:class:`Unreadable` with the reason, so it is reported by its line like a row that fails
validation. Records carry canonical field names, so the importer never sees a header.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from db.errors import RegisterFileError
from db.register.limits import MAX_TEXT_CHARS
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
    "card_issued": ("Ngày cấp", "Ngày cấp CCCD", "Ngày cấp thẻ", "card_issued"),
}  # fmt: skip
_HEADER_INDEX = {header_key(h): f for f, names in HEADERS.items() for h in names}
HEADER_SEARCH_ROWS = 10  # registers often have a title block above the header row
MAX_HEADER_CHARS = 200  # a header cell longer than this names no column
SHOWN_HEADER_CHARS = 40  # of a column's header, quoted in a row's reason

RawRow = tuple[int, dict[str, Any]]
REJECTED = "__rejected__"  # key of a record the reader could not read (value: Unreadable)
Fields = tuple[tuple[str, str | int], ...]


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A row or a cell the reader could not read: the reason (message id) and its fields."""

    code: str
    fields: Fields = ()


NumberedRows = Iterator[tuple[int, "list[Any] | Unreadable"]]


@dataclass
class Header:
    columns: dict[str, int]  # canonical field → cell index
    ignored: list[str]  # headers of the columns not used
    cells: list[str]  # the header row as written

    def label(self, field: str) -> str:
        """How the file names a column (for a row's reason: not personal data)."""
        text = self.cells[self.columns[field]]
        return text if len(text) <= SHOWN_HEADER_CHARS else text[: SHOWN_HEADER_CHARS - 1] + "…"


def map_header(cells: list[Any]) -> Header:
    columns: dict[str, int] = {}
    ignored: list[str] = []
    names: list[str] = []
    for index, cell in enumerate(cells):
        name = "" if cell is None or isinstance(cell, Unreadable) else str(cell).strip()
        names.append(name)
        if not name:
            continue
        field_name = _HEADER_INDEX.get(header_key(name)) if len(name) <= MAX_HEADER_CHARS else None
        if field_name and field_name not in columns:
            columns[field_name] = index
        else:
            ignored.append(name[:MAX_HEADER_CHARS])
    return Header(columns, ignored, names)


def is_header(header: Header) -> bool:
    return "full_name" in header.columns and len(header.columns) >= 2


def find_header(rows: NumberedRows) -> Header:
    """The header row within the first rows (consumed from ``rows``, as are rows above it)."""
    for line, cells in rows:
        if not isinstance(cells, Unreadable):
            header = map_header(cells)
            if is_header(header):
                return header
        if line >= HEADER_SEARCH_ROWS:
            break
    raise RegisterFileError(
        N_("No header row with a name column ('Họ và tên' / 'full_name') in the first {rows} "
           "rows."),
        rows=HEADER_SEARCH_ROWS,
    )  # fmt: skip


def records(rows: NumberedRows, header: Header) -> Iterator[RawRow]:
    """Records of the rows under the header; one that cannot be taken as it is carries
    :data:`REJECTED` (a cell too long, a cell the reader could not read)."""
    items = list(header.columns.items())
    for line, cells in rows:
        if isinstance(cells, Unreadable):
            yield line, {REJECTED: cells}
            continue
        try:  # text rows (CSV): two quick C loops instead of one per cell
            text = "".join(cells)
            if not text.strip():
                continue  # blank line
            suspect = len(text) > MAX_TEXT_CHARS
        except TypeError:  # a workbook's numbers, dates, unreadable cells
            if not any(c not in (None, "") and str(c).strip() for c in cells):
                continue
            suspect = True
        n = len(cells)
        record = {f: (cells[i] if i < n else None) for f, i in items}
        problem = _problem(record, header) if suspect else None
        yield line, ({REJECTED: problem} if problem else record)


def _problem(record: dict[str, Any], header: Header) -> Unreadable | None:
    for field_name, value in record.items():
        kind = type(value)
        if kind is str and len(value) > MAX_TEXT_CHARS:
            if field_name == "full_name":
                return Unreadable(N_("the name is longer than 100 characters"))
            return Unreadable(
                N_("the value in column {column} is longer than {limit} characters"),
                (("column", header.label(field_name)), ("limit", MAX_TEXT_CHARS)),
            )
        if kind is Unreadable:
            cell: Unreadable = value
            return Unreadable(cell.code, (("column", header.label(field_name)), *cell.fields))
    return None
