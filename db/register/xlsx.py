"""Read the first worksheet of an XLSX workbook as numbered rows, within fixed limits.

Why not openpyxl: it reads the shared strings whole and builds each cell's text whole, so a
1.5 MB workbook whose one cell inflates to 1.5 GB takes all the station's memory. This reader
checks the zip's directory and each part's size and compression ratio before inflating
anything, streams the sheet through expat in small pieces, cuts a cell at MAX_CELL_CHARS (its
row is then rejected), refuses DTDs (entity bombs), and turns every failure of zip or XML into
one sentence. It reads what the importer needs: values, shared and inline strings, dates by
the cell's number format, and the 1904 date system.
"""

from __future__ import annotations

import lzma
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, BinaryIO
from xml.parsers import expat

from db.errors import RegisterFileError
from db.register.header import Unreadable
from db.register.limits import (
    MAX_CELL_CHARS,
    MAX_CENTRAL_DIRECTORY,
    MAX_COLUMNS,
    MAX_RATIO,
    MAX_SHARED_CHARS,
    MAX_SHARED_STRINGS,
    MAX_SHARED_STRINGS_PART,
    MAX_SHEET_PART,
    MAX_SMALL_PART,
    MAX_XML_TOKEN,
    MAX_ZIP_ENTRIES,
    RATIO_FLOOR,
    XML_CHUNK,
)
from resources.i18n import N_

# What a damaged zip or XML part raises, from zipfile, its decompressors and expat.
FAILURES = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError,
    NotImplementedError, RuntimeError, struct.error, OverflowError, expat.ExpatError,
)  # fmt: skip
NOT_XLSX = N_("This is not a readable XLSX file.")
TOO_MANY_PARTS = N_("This zip file holds too many parts to be an Excel workbook.")
DAMAGED_PART = N_("The workbook is damaged ({part}): nothing was imported.")
CELL_TOO_LONG = Unreadable(
    N_("the value in column {column} is longer than {limit} characters"),
    (("limit", MAX_CELL_CHARS),),
)
EXCEL_ERROR = Unreadable(N_("the cell in column {column} holds an Excel error (#N/A, #REF!...)"))
MISSING_TEXT = Unreadable(N_("the cell in column {column} refers to a text the workbook lacks"))
NOT_A_NUMBER = Unreadable(N_("the cell in column {column} is not a number Excel wrote"))
FORMULA_WITHOUT_VALUE = Unreadable(
    N_("the cell in column {column} is a formula without its value (open the file in Excel "
       "and save it again)")
)  # fmt: skip

_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"
_MAX_COLUMN = 16384  # Excel's XFD
_MAX_ROW = 10**9
_INT = re.compile(r"-?[0-9]{1,18}")
_FORMAT_NOISE = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]|\\.|_.')
_DATE_CODE = re.compile(r"[dmhysDMHYS]")
_BUILTIN_DATES = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)
_LAST_SERIAL = 2958466  # 9999-12-31


def _local(name: str) -> str:
    return name.rpartition(":")[2] if ":" in name else name


def _refuse_dtd(*_args: Any) -> None:
    raise RegisterFileError(
        N_("The workbook contains XML declarations (a DTD) that Excel never writes: the file "
           "was not read.")
    )  # fmt: skip


def _parser() -> Any:
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def check_directory(fh: BinaryIO, size: int) -> None:
    """Refuse a zip whose central directory is too big before zipfile reads it whole."""
    tail_len = min(size, 22 + 65535)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise RegisterFileError(NOT_XLSX)
    entries, cd_size, cd_offset = struct.unpack("<HLL", tail[at + 10 : at + 20])
    if entries == 0xFFFF or 0xFFFFFFFF in (cd_size, cd_offset):
        entries, cd_size = _zip64_directory(fh, tail, at, entries, cd_size)
    if entries > MAX_ZIP_ENTRIES or cd_size > MAX_CENTRAL_DIRECTORY:
        raise RegisterFileError(TOO_MANY_PARTS)
    fh.seek(0)


def _zip64_directory(
    fh: BinaryIO, tail: bytes, at: int, entries: int, cd_size: int
) -> tuple[int, int]:
    loc = at - 20
    if loc < 0 or tail[loc : loc + 4] != _ZIP64_LOCATOR:
        return entries, cd_size
    (offset,) = struct.unpack("<Q", tail[loc + 8 : loc + 16])
    try:
        fh.seek(offset)
        record = fh.read(56)
    except (OSError, OverflowError, ValueError):
        raise RegisterFileError(NOT_XLSX) from None
    if len(record) < 56 or record[:4] != _ZIP64_EOCD:
        raise RegisterFileError(NOT_XLSX)
    total, size = struct.unpack("<QQ", record[32:48])
    return int(total), int(size)


class Workbook:
    """An opened workbook: its parts checked, its shared strings and date styles read."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fed = 0  # bytes of the sheet parsed so far
        check_directory(fh, size)
        try:
            self.zf = zipfile.ZipFile(fh)
        except FAILURES as exc:
            raise RegisterFileError(NOT_XLSX) from exc
        try:
            self._open()
        except BaseException:
            self.zf.close()
            raise

    def _open(self) -> None:
        infos = self.zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise RegisterFileError(TOO_MANY_PARTS)
        if any(info.flag_bits & 0x1 for info in infos):
            raise RegisterFileError(
                N_("This workbook is protected by a password: save it again in Excel without "
                   "a password.")
            )  # fmt: skip
        self.parts = {info.filename.lower(): info for info in infos}
        workbook = self._workbook_part()
        self.date1904 = False
        first_sheets: list[str] = []
        self._parse(workbook, MAX_SMALL_PART, self._workbook_handlers(first_sheets))
        rels = self._relations(workbook)
        sheet = next(
            (rels[rid] for rid in first_sheets if rid in rels and rels[rid][0] == "worksheet"),
            None,
        )
        if sheet is None:
            raise RegisterFileError(N_("The workbook has no worksheet."))
        self.sheet = self._info(sheet[1])
        self._check_size(self.sheet, MAX_SHEET_PART)
        self.date_styles: frozenset[int] = frozenset()
        self.shared: list[str | Unreadable] = []
        if not any(kind == "sharedStrings" for kind, _t in rels.values()):
            rels["(shared strings)"] = ("sharedStrings", "xl/sharedStrings.xml")  # rels forgot it
        for kind, target in rels.values():
            if kind == "styles" and target.lower() in self.parts:
                self.date_styles = self._styles(self._info(target))
            elif kind == "sharedStrings" and target.lower() in self.parts:
                self.shared = self._shared_strings(self._info(target))

    def close(self) -> None:
        self.zf.close()

    # --- the parts --------------------------------------------------------------------------

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = self.parts.get(name.lower())
        if info is None:
            raise RegisterFileError(DAMAGED_PART, part=name[:80])
        return info

    def _workbook_part(self) -> zipfile.ZipInfo:
        if "xl/workbook.xml" in self.parts:
            return self.parts["xl/workbook.xml"]
        if "_rels/.rels" in self.parts:
            for kind, target in self._relations_of(self.parts["_rels/.rels"], "").values():
                if kind == "officeDocument" and target.lower() in self.parts:
                    return self.parts[target.lower()]
        if "xl/workbook.bin" in self.parts:
            raise RegisterFileError(
                N_("This is an Excel binary workbook (.xlsb): save it in Excel as XLSX (Excel "
                   "workbook) or CSV.")
            )  # fmt: skip
        if "mimetype" in self.parts or "content.xml" in self.parts:
            raise RegisterFileError(
                N_("This is an OpenDocument spreadsheet (.ods): save it as XLSX (Excel "
                   "workbook) or CSV.")
            )  # fmt: skip
        raise RegisterFileError(N_("This zip file is not an Excel workbook (XLSX)."))

    def _check_size(self, info: zipfile.ZipInfo, limit: int) -> None:
        name = info.filename[:80]
        if info.file_size > limit:
            raise RegisterFileError(
                N_("A part of this workbook is too large to read ({part}: {size} MB when "
                   "unpacked, at most {limit} MB)."),
                part=name, size=info.file_size // 2**20, limit=limit // 2**20,
            )  # fmt: skip
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise RegisterFileError(
                N_("A part of this workbook inflates far beyond its size ({part}): the file is "
                   "damaged or made to attack the station, and was not read."),
                part=name,
            )  # fmt: skip

    def _parse(self, info: zipfile.ZipInfo, limit: int, handlers: dict[str, Any]) -> None:
        """Parse a part in pieces with ``handlers`` (expat handler name → function)."""
        self._check_size(info, limit)
        parser = _parser()
        for name, handler in handlers.items():
            setattr(parser, name, handler)
        try:
            with self.zf.open(info) as stream:
                while chunk := stream.read(XML_CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except FAILURES as exc:
            raise RegisterFileError(DAMAGED_PART, part=info.filename[:80]) from exc

    def _workbook_handlers(self, sheets: list[str]) -> dict[str, Any]:
        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "sheet" and len(sheets) < 1000:
                rid = next((v for k, v in attrs.items() if k.endswith(":id")), None)
                if rid:
                    sheets.append(rid)
            elif local == "workbookPr":
                self.date1904 = attrs.get("date1904", "").lower() in ("1", "true")

        return {"StartElementHandler": start}

    def _relations(self, part: zipfile.ZipInfo) -> dict[str, tuple[str, str]]:
        folder, base = posixpath.split(part.filename)
        rels = self.parts.get(posixpath.join(folder, "_rels", base + ".rels").lower())
        return {} if rels is None else self._relations_of(rels, folder)

    def _relations_of(self, info: zipfile.ZipInfo, folder: str) -> dict[str, tuple[str, str]]:
        """Id → (type's last word, target part name) of a relationships part."""
        found: dict[str, tuple[str, str]] = {}

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) != "Relationship" or attrs.get("TargetMode") == "External":
                return
            target = attrs.get("Target", "")
            if target.startswith("/"):
                target = target[1:]
            else:
                target = posixpath.normpath(posixpath.join(folder, target))
            if len(found) < 10_000:
                found[attrs.get("Id", "")] = (attrs.get("Type", "").rpartition("/")[2], target)

        self._parse(info, MAX_SMALL_PART, {"StartElementHandler": start})
        return found

    def _styles(self, info: zipfile.ZipInfo) -> frozenset[int]:
        """Indices of the cell styles whose number format is a date."""
        formats: dict[int, str] = {}
        xf_formats: list[int] = []
        depth = {"cellXfs": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "cellXfs":
                depth["cellXfs"] += 1
            elif local == "xf" and depth["cellXfs"] and len(xf_formats) < 100_000:
                xf_formats.append(_int(attrs.get("numFmtId"), 0))
            elif local == "numFmt" and len(formats) < 10_000:
                formats[_int(attrs.get("numFmtId"), -1)] = attrs.get("formatCode", "")[:256]

        def end(name: str) -> None:
            if _local(name) == "cellXfs":
                depth["cellXfs"] -= 1

        self._parse(info, MAX_SMALL_PART, {"StartElementHandler": start, "EndElementHandler": end})
        return frozenset(
            index for index, fmt in enumerate(xf_formats)
            if fmt in _BUILTIN_DATES or (fmt in formats and is_date_format(formats[fmt]))
        )  # fmt: skip

    def _shared_strings(self, info: zipfile.ZipInfo) -> list[str | Unreadable]:
        strings: list[str | Unreadable] = []
        text = _Text()
        state = {"phonetic": 0, "chars": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local == "si":
                text.reset()
            elif local == "t" and not state["phonetic"]:
                text.collecting = True
            elif local == "rPh":
                state["phonetic"] += 1

        def end(name: str) -> None:
            local = _local(name)
            if local == "t":
                text.collecting = False
            elif local == "rPh":
                state["phonetic"] -= 1
            elif local == "si":
                if len(strings) >= MAX_SHARED_STRINGS or state["chars"] > MAX_SHARED_CHARS:
                    raise RegisterFileError(
                        N_("The workbook holds more text than a register ({limit} distinct "
                           "texts, {chars} characters at most): the file was not read."),
                        limit=MAX_SHARED_STRINGS, chars=MAX_SHARED_CHARS,
                    )  # fmt: skip
                value = text.value()
                state["chars"] += text.length
                strings.append(value)

        self._parse(
            info,
            MAX_SHARED_STRINGS_PART,
            {"StartElementHandler": start, "EndElementHandler": end,
             "CharacterDataHandler": text.add},
        )  # fmt: skip
        return strings

    # --- the sheet --------------------------------------------------------------------------

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """Numbered rows of the first worksheet (Excel's row numbers), streamed."""
        sheet = _SheetParser(self)
        parser = _parser()
        parser.StartElementHandler = sheet.start
        parser.EndElementHandler = sheet.end
        parser.CharacterDataHandler = sheet.text.add
        out = sheet.out
        stalled = 0
        try:
            with self.zf.open(self.sheet) as stream:
                while chunk := stream.read(XML_CHUNK):
                    self.fed += len(chunk)
                    events = sheet.events + sheet.text.calls
                    parser.Parse(chunk, False)
                    if sheet.events + sheet.text.calls == events:
                        stalled += len(chunk)
                        if stalled > MAX_XML_TOKEN:
                            raise RegisterFileError(
                                N_("The workbook holds an XML element larger than {limit} MB: "
                                   "the file was not read."),
                                limit=MAX_XML_TOKEN // 2**20,
                            )  # fmt: skip
                    else:
                        stalled = 0
                    if out:
                        yield from out
                        out.clear()
                parser.Parse(b"", True)
            yield from out
        except FAILURES as exc:
            raise RegisterFileError(
                N_("The workbook is damaged after row {row}: nothing was imported."),
                row=sheet.row,
            ) from exc

    @property
    def fraction(self) -> float:
        return min(self.fed / max(self.sheet.file_size, 1), 1.0)


class _Text:
    """Character data of one value, kept up to MAX_CELL_CHARS (beyond: the value is lost)."""

    __slots__ = ("calls", "collecting", "length", "oversize", "parts")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.collecting = False
        self.oversize = False
        self.calls = 0

    def reset(self) -> None:
        self.parts = []
        self.length = 0
        self.collecting = False
        self.oversize = False

    def add(self, data: str) -> None:
        self.calls += 1
        if self.collecting:
            self.length += len(data)
            if self.length > MAX_CELL_CHARS:
                self.oversize = True
            else:
                self.parts.append(data)

    def value(self) -> str | Unreadable:
        if self.oversize:
            return CELL_TOO_LONG
        return "".join(self.parts) if len(self.parts) != 1 else self.parts[0]


class _SheetParser:
    """The expat handlers of a worksheet: rows of values, by Excel's row number."""

    def __init__(self, book: Workbook) -> None:
        self.shared = book.shared
        self.date_styles = book.date_styles
        self.epoch = _EPOCH_1904 if book.date1904 else _EPOCH_1900
        self.out: list[tuple[int, list[Any]]] = []
        self.text = _Text()
        self.row = 0
        self.events = 0
        self.cells: list[Any] | None = None
        self.col = -1
        self.kind = ""
        self.style = -1
        self.phonetic = 0
        self.formula = False

    def start(self, name: str, attrs: dict[str, str]) -> None:
        self.events += 1
        local = _local(name)
        if local == "c":
            self.col = _column(attrs.get("r", ""), self.col)
            self.kind = attrs.get("t", "n")
            self.style = _int(attrs.get("s"), -1)
            self.formula = False
            self.text.reset()
        elif local == "v" or (local == "t" and not self.phonetic):
            self.text.collecting = True
        elif local == "row":
            number = attrs.get("r", "")
            self.row = int(number) if number.isdigit() and len(number) < 10 else self.row + 1
            self.cells = []
            self.col = -1
        elif local == "rPh":
            self.phonetic += 1
        elif local == "f":
            self.formula = True

    def end(self, name: str) -> None:
        self.events += 1
        local = _local(name)
        if local in ("v", "t"):
            self.text.collecting = False
        elif local == "c":
            cells = self.cells
            if cells is not None and 0 <= self.col < MAX_COLUMNS:
                value = self._value()
                if value is not None:
                    if self.col >= len(cells):
                        cells.extend([None] * (self.col + 1 - len(cells)))
                    cells[self.col] = value
        elif local == "row":
            if self.cells:
                self.out.append((min(self.row, _MAX_ROW), self.cells))
            self.cells = None
        elif local == "rPh":
            self.phonetic -= 1

    def _value(self) -> Any:
        text = self.text
        if not text.parts and not text.oversize:
            return FORMULA_WITHOUT_VALUE if self.formula else None
        raw = text.value()
        if isinstance(raw, Unreadable):
            return raw
        kind = self.kind
        if kind in ("inlineStr", "str"):
            return raw
        if kind == "s":
            index = _int(raw.strip(), -1)
            return self.shared[index] if 0 <= index < len(self.shared) else MISSING_TEXT
        if kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE"
        if kind == "e":
            return EXCEL_ERROR
        if kind == "d":
            try:
                return datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        return self._number(raw.strip())

    def _number(self, raw: str) -> Any:
        if not raw:
            return None
        number: int | float
        if _INT.fullmatch(raw):
            number = int(raw)
        else:
            try:
                number = float(raw)
            except ValueError:
                return NOT_A_NUMBER
        if self.style in self.date_styles:
            return excel_date(number, self.epoch) or number
        return number


def _int(text: str | None, default: int) -> int:
    if text and text.isascii() and text.isdigit() and len(text) < 10:
        return int(text)
    return default


def _column(ref: str, previous: int) -> int:
    """0-based column of a cell reference ("B7" → 1); the next one when it has none."""
    col = 0
    for ch in ref:
        code = ord(ch) - 64
        if not 1 <= code <= 26:
            break
        col = col * 26 + code
        if col > _MAX_COLUMN:
            return _MAX_COLUMN
    return col - 1 if col else previous + 1


def excel_date(serial: float, epoch: datetime) -> datetime | None:
    """A date from Excel's serial day number (with its 1900 leap-year bug), or None."""
    if not 0 < serial < _LAST_SERIAL:  # also false for NaN
        return None
    if epoch is _EPOCH_1900 and serial < 60:
        serial += 1
    try:
        return epoch + timedelta(days=round(serial * 86400) / 86400)
    except OverflowError:
        return None


def is_date_format(code: str) -> bool:
    """Whether an Excel number format shows a date or time (quoted text and colours aside)."""
    return _DATE_CODE.search(_FORMAT_NOISE.sub("", code.split(";")[0])) is not None

