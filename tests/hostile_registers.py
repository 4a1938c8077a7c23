"""A corpus of hostile and damaged register files, built on demand (never committed).

Each :class:`Kind` writes one file (or folder, pipe, device path) into a directory and says what
the importer must make of it: refuse it with one clear sentence, or import it with the damaged
lines reported by number and the good ones stored as they were meant. The tests
(tests/db/test_register_hostile.py) and bench/hostile_register.py use the same corpus; the
``heavy`` kinds (zip bombs, millions of rows) are built only by the bench and slow tests.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import struct
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Thôn/Bản", "Dân tộc"]
PEOPLE = [
    ["Giàng A Sếnh", "12/03/1948", "Nam", "011048000123", "Nậm Chim 1", "Mông"],
    ["Lò Thị Hương", "1939", "Nữ", "011139000456", "Nà Hỳ 1", "Thái"],
    ["Nguyễn Thị Ánh Tuyết", "2001-07-30", "Nữ", "011301000789", "Tân Phong", "Kinh"],
    ["Đặng Thị Hoà", "05/11/1975", "Nữ", "", "Pú Đao", "Dao"],
    ["Vừ A Dủa", "1950", "Nam", "011050000777", "Pú Đao", "Mông"],
    ["Quàng Văn Xiêng", "30/11/1976", "Nam", "011076433758", "Nà Hỳ 2", "Thái"],
    ["Sùng Thị Mỷ", "1944", "Nữ", "011144000321", "Nậm Chim 2", "Mông"],
    ["Lò Văn Đức", "1990", "Nam", "011090000002", "Nà Hỳ 1", "Thái"],
]
NAMES = [p[0] for p in PEOPLE]
TONES = "\u0300\u0301\u0303\u0309\u0323"
MB = 2**20


# --- what came out ----------------------------------------------------------------------------


@dataclass
class Outcome:
    """What an import made of a file, in the terms the expectations check."""

    refused: str | None = None  # message id of the refusal
    message: str = ""  # the refusal as the officer reads it (current language)
    crashed: str | None = None  # an unforeseen failure (exception type, or the fallback)
    rows: int = 0
    issues: dict[int, tuple[str, str]] = field(default_factory=dict)  # line → (kind, reason)
    issue_total: int = 0  # all the issues, kept or only counted
    people: list[dict[str, Any]] = field(default_factory=list)  # in the file's order

    @property
    def names(self) -> list[str]:
        return [p["full_name"] for p in self.people]

    def rejected(self) -> dict[int, str]:
        return {line: r for line, (kind, r) in self.issues.items() if kind == "rejected"}

    def flagged(self) -> dict[int, str]:
        return {line: r for line, (kind, r) in self.issues.items() if kind == "flagged"}


Expect = Callable[[Outcome], list[str]]


@dataclass(frozen=True)
class Kind:
    name: str
    build: Callable[[Path], Path]
    expect: Expect
    heavy: bool = False  # bombs and millions of rows: the bench and slow tests only
    posix: bool = False  # needs FIFOs or /dev (skipped elsewhere)
    note: str = ""


# --- expectations -----------------------------------------------------------------------------


def refused(*words: str) -> Expect:
    """Refused with one clear sentence (whose message id contains ``words``)."""

    def check(out: Outcome) -> list[str]:
        if out.refused is None:
            return [f"imported ({out.rows} rows), expected a refusal"]
        missing = [w for w in words if w.lower() not in out.refused.lower()]
        return [f"refusal {out.refused!r} does not mention {missing}"] if missing else []

    check.refusal = True  # type: ignore[attr-defined]
    return check


def imported(
    names: list[str] | None = None,
    rejected: dict[int, str] | None = None,
    flagged: dict[int, str] | None = None,
    pids: dict[str, str | None] | None = None,
    more: Callable[[Outcome], list[str]] | None = None,
) -> Expect:
    """Imported: exactly ``names`` stored (in order), exactly the ``rejected`` lines (reason
    contains the text), at least the ``flagged`` ones, ``pids`` stored for those names."""

    def check(out: Outcome) -> list[str]:
        if out.refused is not None:
            return [f"refused: {out.refused!r}"]
        problems = []
        if names is not None and out.names != names:
            problems.append(f"names {out.names!r} != {names!r}")
        if rejected is not None:
            got = out.rejected()
            if set(got) != set(rejected):
                problems.append(f"rejected lines {sorted(got)} != {sorted(rejected)}: {got}")
            problems += [
                f"line {n}: {got[n]!r} lacks {text!r}"
                for n, text in rejected.items()
                if n in got and text.lower() not in got[n].lower()
            ]
        for n, text in (flagged or {}).items():
            reason = out.flagged().get(n)
            if reason is None or text.lower() not in reason.lower():
                problems.append(f"line {n} not flagged {text!r} ({reason!r})")
        stored = {p["full_name"]: p["personal_id"] for p in out.people}
        for name, pid in (pids or {}).items():
            if stored.get(name, "-missing-") != pid:
                problems.append(f"{name}: personal ID {stored.get(name)!r} != {pid!r}")
        if more is not None:
            problems += more(out)
        return problems

    return check


def either(*choices: Expect) -> Expect:
    """Any of the expectations (e.g. "recognised or refused clearly")."""

    def check(out: Outcome) -> list[str]:
        results = [c(out) for c in choices]
        return [] if any(not r for r in results) else [p for r in results for p in r]

    return check


def no_crash(out: Outcome) -> list[str]:
    return []  # the runner reports crashes itself


ALL = imported(names=NAMES, rejected={})


# --- text files -------------------------------------------------------------------------------


def csv_text(
    rows: Iterable[list[str]], header: list[str] = HEADER, sep: str = ",", eol: str = "\r\n"
) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=eol)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def lines_text(lines: list[str], eol: str = "\r\n") -> str:
    return eol.join(lines) + eol


def plain(rows: list[list[str]] = PEOPLE, sep: str = ",") -> list[str]:
    return [sep.join(r) for r in [HEADER, *rows]]


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters with the tone as a combining mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = "".join(c for c in decomposed if c in TONES)
            base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
            out += (base + tone).encode("cp1258")
    return bytes(out)


def with_line(index: int, line: str) -> list[str]:
    """The register's lines with line ``index`` (1-based, header = 1) replaced."""
    lines = plain()
    lines[index - 1] = line
    return lines


def file_kind(
    name: str, data: Callable[[], bytes], expect: Expect, ext: str = "csv", **kw: Any
) -> Kind:
    def build(folder: Path) -> Path:
        path = folder / f"{name}.{ext}"
        path.write_bytes(data())
        return path

    return Kind(name, build, expect, **kw)


def text_kind(name: str, text: Callable[[], str], expect: Expect, encoding: str = "utf-8",
              **kw: Any) -> Kind:  # fmt: skip
    return file_kind(name, lambda: text().encode(encoding), expect, **kw)


def utf8_with(index: int, raw_line: bytes) -> bytes:
    """A UTF-8 register whose line ``index`` is the given bytes."""
    lines = [line.encode() for line in plain()]
    lines[index - 1] = raw_line
    return b"\r\n".join(lines) + b"\r\n"


WITHOUT = [n for i, n in enumerate(NAMES) if i != 2]  # the people but the one on line 4


def _ascii_register() -> bytes:
    rows = [["Nguyen Van An", "1990", "Nam", "011090000111", "Na Hy 1", "Kinh"],
            ["Tran Thi Be", "1985", "Nu", "011185000222", "Na Hy 2", "Kinh"],
            ["Ren\xe9 Martin", "1970", "Nam", "", "Na Hy 2", "Kinh"]]  # fmt: skip
    header = ["full_name", "birth_date", "sex", "personal_id", "village", "ethnicity"]
    return csv_text(rows, header).encode("latin-1")


def _many_columns() -> str:
    header = [*HEADER, *(f"Cột {i}" for i in range(10_000))]
    rows = [[*p, *("x" for _ in range(10_000))] for p in PEOPLE[:2]]
    return csv_text(rows, header)


def _formula_rows() -> list[list[str]]:
    return [
        PEOPLE[0],
        ['=HYPERLINK("http://x.invalid/","Giàng A Sếnh")', "1950", "Nam", "", "Pú Đao", "Mông"],
        ["+Lò Văn Pọm", "1951", "Nam", "", "Pú Đao", "Thái"],
        ["-Lò Văn Inh", "1952", "Nam", "", "Pú Đao", "Thái"],
        ["@SUM(A1)", "1953", "Nam", "", "Pú Đao", "Thái"],
        ["'=1+1 Lò", "1954", "Nam", "", "Pú Đao", "Thái"],
        ["Lò Văn Lả", "1955", "Nam", "", "=cmd|' /C calc'!A0", "Thái"],
        PEOPLE[1],
    ]  # fmt: skip


def _odd_name_rows() -> list[list[str]]:
    return [
        ["Lò Văn \u202eĐức", "1990", "Nam", "011090000002", "Nà Hỳ 1", "Thái"],  # bidi override
        ["Giàng\u200b A\u200d Sếnh", "12/03/1948", "Nam", "011048000123", "Nậm Chim 1", "Mông"],
        ["Lò Thị Hương 😀", "1939", "Nữ", "011139000456", "Nà Hỳ 1", "Thái"],  # emoji
        ["Vừ A D\u0443\u0430", "1950", "Nam", "011050000777", "Pú Đao", "Mông"],  # Cyrillic у а
        ["Ｓùng Ｔhị Ｍỷ", "1944", "Nữ", "011144000321", "Nậm Chim 2", "Mông"],  # fullwidth
        ["Quàng Văn Xiêng\ufeff", "30/11/1976", "Nam", "011076433758", "Nà Hỳ 2", "Thái"],
    ]


def _bidi_names(out: Outcome) -> list[str]:
    bad = [n for n in out.names if any(unicodedata.category(c) in ("Cf", "So") for c in n)]
    return [f"invisible characters or emoji stored: {bad!r}"] if bad else []


def _unicode_digit_rows() -> list[list[str]]:
    return [
        ["Giàng A Sếnh", "１２/０３/１９４８", "Nam", "０１１０４８０００１２３", "Nậm Chim 1",
         "Mông"],
        ["Lò Thị Hương", "1939", "Nữ", "٠١١١٣٩٠٠٠٤٥٦", "Nà Hỳ 1", "Thái"],  # Arabic-Indic
        ["Vừ A Dủa", "1950", "Nam", "'011050000777", "Pú Đao", "Mông"],  # Excel's apostrophe
        ["Quàng Văn Xiêng", "30/11/1976", "Nam", "011\u00a0076 433–758", "Nà Hỳ 2", "Thái"],
        ["Lò Văn Đức", "1990", "Nam", "011\u200b090000002", "Nà Hỳ 1", "Thái"],
    ]


def _nfd_text() -> str:
    return unicodedata.normalize("NFD", csv_text(PEOPLE))


def _nfc_names(out: Outcome) -> list[str]:
    bad = [n for n in out.names if not unicodedata.is_normalized("NFC", n)]
    return [f"names not NFC: {bad!r}"] if bad else []


def _multiline_address() -> str:
    header = [*HEADER, "Quê quán"]
    rows = [[*p, "Thôn 1\nxã Nà Hỳ"] for p in PEOPLE[:3]]
    return csv_text(rows, header)


def _swallowing_quote() -> str:
    lines = plain()
    lines[3] = '"' + lines[3]  # line 4 opens a quote never closed...
    lines[7] = lines[7].replace("Quàng Văn Xiêng", '"Quàng Văn Xiêng"')  # ...until a quoted field
    return lines_text(lines)


def _quote_runs_to_end() -> str:
    lines = plain()
    lines[3] = '"' + lines[3]
    return lines_text(lines)


def _quote_on_last_line() -> str:
    lines = plain()
    lines[-1] = '"' + lines[-1]
    return lines_text(lines)


def _quote_before_many_lines() -> str:
    lines = plain() + [",".join(p) for p in _generated(40)]
    lines[1] = '"' + lines[1]
    return lines_text(lines)


def _generated(n: int, start: int = 0) -> Iterator[list[str]]:
    """``n`` distinct valid people (province 011, born 1950-1999)."""
    for i in range(start, start + n):
        year = 1950 + i % 50
        yield [f"Lò Văn {_word(i)}", str(year), "Nam", f"0110{year % 100:02d}{i % 10**6:06d}",
               "Nà Hỳ 1", "Thái"]  # fmt: skip


def _word(i: int) -> str:
    letters = "abcdeghiklmnopqrstuvxy"
    out = ""
    i += len(letters)
    while i:
        i, r = divmod(i, len(letters))
        out += letters[r]
    return out.capitalize()


def _mixed_separators() -> str:
    lines = plain(sep=";")
    lines[3] = ",".join(PEOPLE[2])
    return lines_text(lines)


def _title_rows_semicolon() -> str:
    return lines_text(["DANH SÁCH NHÂN KHẨU XÃ NÀ HỲ", "", "Ngày lập: 01/01/2025",
                       *plain(sep=";")])  # fmt: skip


def _huge_cell() -> str:
    lines = plain()
    lines[3] = lines[3].replace("Nguyễn Thị Ánh Tuyết", "Nguyễn " + "A" * 200_000)
    return lines_text(lines)


def _huge_name() -> str:
    lines = plain()
    lines[3] = lines[3].replace("Nguyễn Thị Ánh Tuyết", " ".join(["Nguyễn"] * 14_300))
    return lines_text(lines)


def _huge_ignored_cell() -> str:
    header = [*HEADER, "Ghi chú"]
    rows = [[*p, "x" * (200_000 if i == 2 else 10)] for i, p in enumerate(PEOPLE)]
    return csv_text(rows, header)


def _long_village() -> str:
    rows = [list(p) for p in PEOPLE]
    rows[2][4] = "Tân Phong " * 100
    return csv_text(rows)


def _no_newline_megabytes() -> bytes:
    return (csv_text(PEOPLE[:2]) + "Lò " + "x" * (5 * MB)).encode()


def _nul_bytes() -> bytes:
    return csv_text(PEOPLE).replace("Lò Văn Đức", "Lò Văn \x00Đức\x00").encode()


def _numbers() -> str:
    rows = [list(p) for p in PEOPLE]
    rows[2][1] = "9" * 5000  # a birth "year" of 5000 digits
    rows[3][3] = "1e400"
    rows[4][1] = "nan"
    return csv_text(rows)


def _utf16_nobom(order: str) -> bytes:
    return csv_text(PEOPLE, sep="\t").encode(f"utf-16-{order}")


def _utf32(order: str, bom: bool) -> bytes:
    data = csv_text(PEOPLE, sep="\t").encode(f"utf-32-{order}")
    if bom:
        data = (codecs.BOM_UTF32_LE if order == "le" else codecs.BOM_UTF32_BE) + data
    return data


def _random_bytes(n: int, seed: int = 7) -> bytes:
    import random

    return random.Random(seed).randbytes(n)


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + _random_bytes(3000)


def _sqlite() -> bytes:
    return b"SQLite format 3\x00" + bytes(4080) + _random_bytes(4000)


def _elf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + bytes(60) + _random_bytes(2000)


def _html() -> str:
    return ("<html><head><meta charset='utf-8'></head><body><table>"
            "<tr><td>Họ và tên</td><td>Ngày sinh</td></tr>"
            "<tr><td>Giàng A Sếnh</td><td>12/03/1948</td></tr></table></body></html>")  # fmt: skip


# --- special files ----------------------------------------------------------------------------


def _directory(folder: Path) -> Path:
    path = folder / "register.csv"
    path.mkdir()
    (path / "inside.csv").write_text(csv_text(PEOPLE), "utf-8")
    return path


def _fifo(folder: Path) -> Path:
    path = folder / "register-pipe.csv"
    os.mkfifo(path)
    return path


def _symlink_to_dir(folder: Path) -> Path:
    target = folder / "a-folder"
    target.mkdir()
    link = folder / "link.csv"
    link.symlink_to(target)
    return link


def _missing(folder: Path) -> Path:
    return folder / "no-such-register.csv"


def _device(name: str) -> Callable[[Path], Path]:
    return lambda _folder: Path(name)


# --- XLSX -------------------------------------------------------------------------------------

_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def content_types(shared: bool = False, styles: bool = False) -> bytes:
    parts = [("/xl/workbook.xml", "sheet.main"), ("/xl/worksheets/sheet1.xml", "worksheet")]
    parts += [("/xl/sharedStrings.xml", "sharedStrings")] if shared else []
    parts += [("/xl/styles.xml", "styles")] if styles else []
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{_SML}.{t}+xml"/>' for n, t in parts)
        + "</Types>"
    ).encode()


CT = content_types()
ROOT_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
             b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
             b'//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
             b'Target="xl/workbook.xml"/></Relationships>')  # fmt: skip
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_xml(date1904: bool = False) -> bytes:
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f'{pr}<sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ).encode()  # fmt: skip


def workbook_rels(shared: bool, styles: bool) -> bytes:
    rels = [f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>']
    if shared:
        rels.append(f'<Relationship Id="rId2" Type="{REL}/sharedStrings" '
                    f'Target="sharedStrings.xml"/>')  # fmt: skip
    if styles:
        rels.append(f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>')
    return ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">' + "".join(rels) +
            "</Relationships>").encode()  # fmt: skip


DATE_STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}"><numFmts '
               f'count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs '
               f'count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>'
               ).encode()  # fmt: skip


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline_row(cells: list[Any], number: int | None = None) -> str:
    out = []
    for value in cells:
        if isinstance(value, bool | int | float):
            out.append(f"<c><v>{value}</v></c>")
        elif isinstance(value, tuple):  # (raw xml of the cell)
            out.append(value[0])
        else:
            out.append(f'<c t="inlineStr"><is><t>{_esc(str(value))}</t></is></c>')
    r = f' r="{number}"' if number is not None else ""
    return f"<row{r}>{''.join(out)}</row>"


def sheet_xml(rows: Iterable[str]) -> Iterator[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    for row in rows:
        yield row.encode()
    yield b"</sheetData></worksheet>"


def write_xlsx(
    path: Path,
    sheet: Iterable[bytes],
    shared: Iterable[bytes] | None = None,
    styles: bytes | None = None,
    date1904: bool = False,
    level: int = 6,
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A minimal workbook written part by part (streamed: bombs never sit in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        zf.writestr("[Content_Types].xml", content_types(shared is not None, bool(styles)))
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", workbook_xml(date1904))
        zf.writestr("xl/_rels/workbook.xml.rels", workbook_rels(shared is not None, bool(styles)))
        if styles:
            zf.writestr("xl/styles.xml", styles)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
        if shared is not None:
            with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
                for piece in shared:
                    out.write(piece)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            for piece in sheet:
                out.write(piece)
    return path


def good_sheet(rows: list[list[Any]] | None = None) -> Iterator[bytes]:
    body = [inline_row(HEADER, 1)] + [
        inline_row(r, i) for i, r in enumerate(PEOPLE if rows is None else rows, start=2)
    ]
    return sheet_xml(body)


def good_xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("_rels/.rels", ROOT_RELS)
        zf.writestr("xl/workbook.xml", workbook_xml())
        zf.writestr("xl/_rels/workbook.xml.rels", workbook_rels(False, False))
        zf.writestr("xl/worksheets/sheet1.xml", b"".join(good_sheet()))
    return buf.getvalue()


def xlsx_kind(name: str, build: Callable[[Path], None], expect: Expect, **kw: Any) -> Kind:
    def make(folder: Path) -> Path:
        path = folder / f"{name}.xlsx"
        build(path)
        return path

    return Kind(name, make, expect, **kw)


def _openpyxl_register(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["DANH SÁCH NHÂN KHẨU"])
    ws.append([])
    ws.append(["STT", "HỌ TÊN", "NGÀY SINH", "GIỚI TÍNH", "SỐ CCCD", "BẢN"])
    ws.append([1, "SÙNG A VÀNG", date(1960, 1, 2), "Nam", 11060000321, "Nậm Chim 2"])
    ws.append([2, "Vừ Thị Mỷ", 1944, "Nữ", None, "Nậm Chim 2"])
    ws.append([3, "=HYPERLINK(\"http://x.invalid\",\"Giàng A Sếnh\")", 1950, "Nam", None, "Pú"])
    wb.save(path)


def _shared_strings_register(path: Path) -> None:
    texts = [*HEADER, *(c for p in PEOPLE for c in p)]
    index = {t: i for i, t in enumerate(dict.fromkeys(texts))}
    shared = [f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()]
    shared += [f"<si><t>{_esc(t)}</t></si>".encode() for t in index]
    shared.append(b"</sst>")
    rows = [
        "<row>" + "".join(f'<c t="s"><v>{index[c]}</v></c>' for c in r) + "</row>"
        for r in [HEADER, *PEOPLE]
    ]
    rows.append('<row><c t="s"><v>99999</v></c><c><v>1950</v></c></row>')  # missing text
    write_xlsx(path, sheet_xml(rows), shared=shared)


def _dates_register(path: Path, date1904: bool = False) -> None:
    serial = 17603 if date1904 else 19065  # 12/03/1952 in either date system
    rows = [inline_row(["Họ và tên", "Ngày sinh", "Giới tính"], 1),
            inline_row(["Giàng A Sếnh", (f'<c s="1"><v>{serial}</v></c>',), "Nam"], 2),
            inline_row(["Lò Thị Hương", (f'<c s="1"><v>{serial}.5</v></c>',), "Nữ"], 3),
            inline_row(["Vừ A Dủa", ('<c t="e"><v>#N/A</v></c>',), "Nam"], 4),
            inline_row(["Sùng Thị Mỷ", ('<c t="d"><v>1944-05-06</v></c>',), "Nữ"], 5),
            inline_row([("<c t=\"e\"><v>#REF!</v></c>",), "1950", "Nam"], 6)]  # fmt: skip
    write_xlsx(path, sheet_xml(rows), styles=DATE_STYLES, date1904=date1904)


def _dates_ok(out: Outcome) -> list[str]:
    births = {p["full_name"]: p["birth_date"] for p in out.people}
    want = {"Giàng A Sếnh": "1952-03-12", "Lò Thị Hương": "1952-03-12", "Sùng Thị Mỷ": "1944-05-06"}
    return [f"birth dates {births} != {want}"] if births != want else []


def _odd_rows_register(path: Path) -> None:
    rows = [inline_row(HEADER, 1),
            inline_row(PEOPLE[0], 5), inline_row(PEOPLE[1], 3),  # out of order
            inline_row(PEOPLE[2]),  # no row number: the next one (4)
            '<row r="9"><c r="C9" t="inlineStr"><is><t>Nữ</t></is></c>'
            '<c r="A9" t="inlineStr"><is><r><t>Lò </t></r><r><t>Thị Ún</t></r>'
            '<rPh><t>ろ</t></rPh></is></c><c r="B9"><v>1939</v></c></row>',
            '<row r="10"><c r="XFD10"><v>1</v></c><c r="A10" t="inlineStr"><is><t>Vừ A Dủa</t>'
            '</is></c><c r="B10"><v>1950</v></c></row>',
            '<row r="11"><c r="ZZZZZZZ11"><v>1</v></c></row>']  # fmt: skip
    write_xlsx(path, sheet_xml(rows))


def _huge_cell_register(path: Path) -> None:
    rows = [inline_row(HEADER, 1), inline_row(PEOPLE[0], 2),
            inline_row(["Lò " + "x" * 200_000, "1950", "Nam"], 3),
            inline_row(PEOPLE[1], 4)]  # fmt: skip
    write_xlsx(path, sheet_xml(rows))


def _huge_attribute_register(path: Path) -> None:
    rows = [inline_row(HEADER, 1), f'<row r="2" x="{"A" * (6 * MB)}"></row>']
    write_xlsx(path, sheet_xml(rows))


def _dtd_register(path: Path, entity: str) -> None:
    sheet = [f'<?xml version="1.0"?>{entity}<worksheet xmlns="{MAIN}"><sheetData>'.encode(),
             inline_row(HEADER, 1).encode(),
             b'<row r="2"><c t="inlineStr"><is><t>&lol9;</t></is></c></row>',
             b"</sheetData></worksheet>"]  # fmt: skip
    write_xlsx(path, sheet)


def _laughs() -> str:
    """The "billion laughs": nine levels of ten entities each, 10**9 "lol"s."""
    levels = [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10)]
    return '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "' + "&lol;" * 10 + '">' + "".join(
        levels) + "]>"


LAUGHS = _laughs()
XXE = '<!DOCTYPE foo [<!ENTITY lol9 SYSTEM "file:///etc/passwd">]>'


def _patched(path: Path, patch: Callable[[bytearray], None]) -> None:
    data = bytearray(good_xlsx_bytes())
    patch(data)
    path.write_bytes(bytes(data))


def _entries(data: bytes) -> Iterator[tuple[int, int, str]]:
    """(local header offset, central entry offset, name) of each zip entry."""
    at = data.rfind(b"PK\x05\x06")
    (cd_size, cd_offset) = struct.unpack("<LL", data[at + 12 : at + 20])
    pos = cd_offset
    while pos < cd_offset + cd_size:
        name_len, extra_len, comment_len = struct.unpack("<HHH", data[pos + 28 : pos + 34])
        (local,) = struct.unpack("<L", data[pos + 42 : pos + 46])
        name = data[pos + 46 : pos + 46 + name_len].decode()
        yield local, pos, name
        pos += 46 + name_len + extra_len + comment_len


def _encrypt_flag(data: bytearray) -> None:
    for local, central, _name in list(_entries(bytes(data))):
        data[local + 6] |= 1
        data[central + 8] |= 1


def _lying_size(data: bytearray) -> None:
    for local, central, name in list(_entries(bytes(data))):
        if name.endswith("sheet1.xml"):
            struct.pack_into("<L", data, local + 22, 40)  # "40 bytes uncompressed"
            struct.pack_into("<L", data, central + 24, 40)


def _flip_sheet_bytes(data: bytearray) -> None:
    for local, _central, name in list(_entries(bytes(data))):
        if name.endswith("sheet1.xml"):
            name_len, extra_len = struct.unpack("<HH", data[local + 26 : local + 30])
            start = local + 30 + name_len + extra_len
            for i in range(start + 20, start + 60):
                data[i] ^= 0x5A


def _truncated(path: Path) -> None:
    data = good_xlsx_bytes()
    path.write_bytes(data[: len(data) // 2])


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("register.csv", csv_text(PEOPLE))


def _nested_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("register.xlsx", good_xlsx_bytes())


def _ods(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")


def _xlsb(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", CT)
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")


def _many_entries(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(5000):
            zf.writestr(f"xl/p{i}.xml", b"")
        zf.writestr("xl/workbook.xml", workbook_xml())


def _no_sheets(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}"><sheets/></workbook>')


def _empty_sheet(path: Path) -> None:
    write_xlsx(path, sheet_xml([]))


def _header_only_sheet(path: Path) -> None:
    write_xlsx(path, sheet_xml([inline_row(HEADER, 1)]))


def _csv_named_xlsx(path: Path) -> None:
    path.write_bytes(csv_text(PEOPLE).encode())


def _random_named_xlsx(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + _random_bytes(5000))


# --- bombs (heavy) ----------------------------------------------------------------------------


def _repeat(piece: bytes, total: int) -> Iterator[bytes]:
    block = piece * max(1, MB // len(piece))
    written = 0
    while written < total:
        yield block
        written += len(block)


def _one_huge_cell(path: Path) -> None:
    """1.5 MB on disk; its one cell inflates to 1.5 GB."""
    body = [f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode(),
            inline_row(HEADER, 1).encode(), b'<row r="2"><c t="inlineStr"><is><t>']
    tail = [b"</t></is></c></row></sheetData></worksheet>"]
    write_xlsx(path, [*body, *_repeat(b"A", 1536 * MB), *tail], level=9)


def _million_rows(path: Path) -> None:
    """About 1 MB on disk; three million identical rows inside."""
    row = inline_row(PEOPLE[0]).encode()
    write_xlsx(path, _sheet_with(row for _ in range(3_000_000)), level=9)


def _sheet_with(rows: Iterator[bytes]) -> Iterator[bytes]:
    yield f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    yield inline_row(HEADER, 1).encode()
    chunk: list[bytes] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= 4096:
            yield b"".join(chunk)
            chunk = []
    yield b"".join(chunk)
    yield b"</sheetData></worksheet>"


def _huge_shared_string(path: Path) -> None:
    """A shared string of 1 GB, referred to by one cell."""
    shared = [f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><t>'.encode(),
              *_repeat(b"B", 1024 * MB), b"</t></si></sst>"]  # fmt: skip
    rows = [inline_row(HEADER, 1), '<row r="2"><c t="s"><v>0</v></c><c><v>1950</v></c></row>']
    write_xlsx(path, sheet_xml(rows), shared=shared, level=9)


def _many_shared_strings(path: Path) -> None:
    """Four million distinct short texts (within the compression ratio of real files)."""

    def shared() -> Iterator[bytes]:
        yield f'<?xml version="1.0"?><sst xmlns="{MAIN}">'.encode()
        for start in range(0, 4_000_000, 10_000):
            yield b"".join(f"<si><t>{i:x}</t></si>".encode() for i in range(start, start + 10_000))
        yield b"</sst>"

    write_xlsx(path, sheet_xml([inline_row(HEADER, 1)]), shared=shared())


def _big_cell_within_ratio(path: Path) -> None:
    """One 400 MB cell that compresses only ~60:1, under the ratio limit: the cell cap holds."""

    def letters() -> Iterator[bytes]:
        table = bytes(range(97, 123)) * 10
        for _ in range(400 * MB // (4096 * 64)):
            blocks = []
            for _ in range(64):
                noise = bytes(table[b % 260] for b in os.urandom(100))
                blocks.append(noise + b"a" * 3996)
            yield b"".join(blocks)

    body = [f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode(),
            inline_row(HEADER, 1).encode(), inline_row(PEOPLE[0], 2).encode(),
            b'<row r="3"><c t="inlineStr"><is><t>']  # fmt: skip
    tail = [b"</t></is></c><c><v>1950</v></c></row>", inline_row(PEOPLE[1], 4).encode(),
            b"</sheetData></worksheet>"]  # fmt: skip
    write_xlsx(path, [*body, *letters(), *tail])


def _million_bad_csv_rows(folder: Path) -> Path:
    """One million identical rejected rows (the report must not keep a million issues)."""
    path = folder / "million-bad.csv"
    with path.open("wb") as fh:
        fh.write((",".join(HEADER) + "\r\n").encode())
        line = ",1950,Nam,,Pú Đao,Mông\r\n".encode()
        block = line * 10_000
        for _ in range(100):
            fh.write(block)
    return path


def _million_bad(out: Outcome) -> list[str]:
    if out.rows != 1_000_000 or out.issue_total != 1_000_000:
        return [f"{out.rows} rows, {out.issue_total} issues; expected 1,000,000 of each"]
    kept = len(out.issues)
    return [] if kept <= 1000 else [f"{kept} issues kept in memory"]


# --- the corpus -------------------------------------------------------------------------------


def kinds() -> list[Kind]:
    # fmt: off
    return [
        # encodings and byte order marks
        text_kind("utf8", lambda: csv_text(PEOPLE), ALL),
        text_kind("utf8-bom", lambda: csv_text(PEOPLE), ALL, encoding="utf-8-sig"),
        text_kind("utf8-bom-twice", lambda: "\ufeff" + csv_text(PEOPLE), ALL, "utf-8-sig"),
        text_kind("utf8-bom-mid-file", lambda: csv_text(PEOPLE[:4]) + "\ufeff"
                  + csv_text(PEOPLE[4:], header=[])[2:], ALL),
        text_kind("utf16-le-bom", lambda: csv_text(PEOPLE, sep="\t"), ALL, "utf-16"),
        text_kind("utf16-be-bom", lambda: "\ufeff" + csv_text(PEOPLE, sep="\t"), ALL,
                  "utf-16-be"),
        file_kind("utf16-le-no-bom", lambda: _utf16_nobom("le"), ALL),
        file_kind("utf16-be-no-bom", lambda: _utf16_nobom("be"), ALL),
        file_kind("utf16-odd-length", lambda: csv_text(PEOPLE, sep="\t").encode("utf-16")
                  + b"\x41", imported(names=NAMES)),
        file_kind("utf32-le-bom", lambda: _utf32("le", True), ALL),
        file_kind("utf32-be-bom", lambda: _utf32("be", True), ALL),
        file_kind("utf32-le-no-bom", lambda: _utf32("le", False), either(ALL, refused())),
        file_kind("cp1258", lambda: cp1258(csv_text(PEOPLE)), ALL),
        file_kind("latin1-ascii-names", _ascii_register, imported(
            names=["Nguyen Van An", "Tran Thi Be", "René Martin"], rejected={})),
        file_kind("utf8-stray-ff", lambda: utf8_with(4, plain()[3].encode() + b"\xff"),
                  imported(names=WITHOUT, rejected={4: "bytes"})),
        file_kind("utf8-latin1-e", lambda: utf8_with(4, plain()[3].replace("Ánh", "Ren\xe9")
                  .encode("utf-8").replace("Ren\xe9".encode(), b"Ren\xe9")),
                  imported(names=WITHOUT, rejected={4: "bytes"})),
        file_kind("utf8-cesu-surrogate", lambda: utf8_with(4, plain()[3].encode()
                  + b"\xed\xa0\x80"), imported(names=WITHOUT, rejected={4: "bytes"})),
        file_kind("utf8-truncated-at-end", lambda: csv_text(PEOPLE).encode().rstrip(b"\r\n")
                  + "ồ".encode()[:2], imported(names=NAMES[:-1], rejected={9: "bytes"})),
        # not a register at all
        file_kind("empty", lambda: b"", refused("empty")),
        file_kind("whitespace-only", lambda: b"\r\n \r\n\t\r\n", refused("header")),
        text_kind("header-only", lambda: csv_text([]), refused("no people")),
        text_kind("header-and-blank-lines", lambda: csv_text([]) + "\r\n,,,\r\n \r\n",
                  refused("no people")),
        text_kind("no-header", lambda: csv_text(PEOPLE, header=PEOPLE[0])[:], refused("header")),
        file_kind("random-binary", lambda: _random_bytes(20_000), refused("binary")),
        file_kind("all-nul-bytes", lambda: bytes(10_000), refused("binary")),
        file_kind("gzip-of-register", lambda: gzip.compress(csv_text(PEOPLE).encode()),
                  refused("compressed")),
        file_kind("pdf", lambda: b"%PDF-1.7\n" + _random_bytes(3000), refused("PDF")),
        file_kind("png", _png, refused("binary")),
        file_kind("elf-program", _elf, refused("binary")),
        file_kind("sqlite-database", _sqlite, refused("binary")),
        text_kind("html-as-xls", _html, refused("web page"), ext="xls"),
        file_kind("ole2-xls-or-encrypted", lambda: bytes.fromhex("d0cf11e0a1b11ae1")
                  + _random_bytes(4000), refused("password"), ext="xls"),
        Kind("directory", _directory, refused("folder")),
        Kind("symlink-to-directory", _symlink_to_dir, refused("folder"), posix=True),
        Kind("missing-file", _missing, refused("does not exist")),
        Kind("fifo", _fifo, refused("not an ordinary file"), posix=True),
        Kind("dev-zero", _device("/dev/zero"), refused("not an ordinary file"), posix=True),
        Kind("dev-null", _device("/dev/null"), refused("not an ordinary file"), posix=True),
        # quotes and structure
        text_kind("quote-never-closed-mid-file", _quote_runs_to_end,
                  imported(names=WITHOUT, rejected={4: "quote"})),
        text_kind("quote-closed-by-a-later-field", _swallowing_quote,
                  imported(names=WITHOUT, rejected={4: "quote"})),
        text_kind("quote-on-last-line", _quote_on_last_line,
                  imported(names=NAMES[:-1], rejected={9: "quote"})),
        text_kind("quote-before-forty-lines", _quote_before_many_lines,
                  imported(names=NAMES[1:] + [r[0] for r in _generated(40)],
                           rejected={2: "quote"})),
        text_kind("quote-in-header", lambda: '"' + csv_text(PEOPLE), refused("header")),
        text_kind("quoted-newline-address", _multiline_address, imported(
            names=NAMES[:3], rejected={})),
        text_kind("doubled-quotes-in-name", lambda: lines_text(
            with_line(2, '"Giàng A ""Sếnh""",12/03/1948,Nam,011048000123,Nậm Chim 1,Mông')),
            imported(names=['Giàng A "Sếnh"', *NAMES[1:]])),
        text_kind("misplaced-quote-in-one-line", lambda: lines_text(
            with_line(2, '"Giàng A" Sếnh,12/03/1948,Nam,011048000123,Nậm Chim 1,Mông')),
            imported(names=NAMES, rejected={})),
        text_kind("backslash-escaped-quotes", lambda: lines_text(
            with_line(2, '"Giàng A \\"Sếnh\\"",12/03/1948,Nam,011048000123,Nậm Chim 1,Mông')),
            no_crash),
        text_kind("lf-only", lambda: csv_text(PEOPLE, eol="\n"), ALL),
        text_kind("cr-only", lambda: csv_text(PEOPLE, eol="\r"), ALL),
        text_kind("mixed-line-ends", lambda: "".join(
            line + ("\r\n", "\n", "\r")[i % 3] for i, line in enumerate(plain())), ALL),
        text_kind("semicolon", lambda: lines_text(plain(sep=";")), ALL),
        text_kind("tab-utf8", lambda: lines_text(plain(sep="\t")), ALL),
        text_kind("pipe", lambda: lines_text(plain(sep="|")), ALL),
        text_kind("title-rows-then-semicolon-header", _title_rows_semicolon, ALL),
        text_kind("mixed-separators", _mixed_separators,
                  imported(names=WITHOUT, rejected={4: "separated"})),
        text_kind("ragged-rows", lambda: lines_text(
            [",".join(HEADER)] + [",".join(p[: 2 + i % 4] + ["", ""] * (i % 2))
                                  for i, p in enumerate(PEOPLE)]), imported(names=NAMES)),
        file_kind("nul-bytes-in-a-line", _nul_bytes, ALL),
        text_kind("ten-thousand-columns", _many_columns, imported(names=NAMES[:2], rejected={})),
        text_kind("blank-lines-before-header", lambda: "\r\n" * 50 + csv_text(PEOPLE),
                  refused("header")),
        # one bad cell, one bad row
        text_kind("huge-cell-200k", _huge_cell, imported(names=WITHOUT, rejected={4: "longer"})),
        text_kind("huge-name-100k", _huge_name, imported(names=WITHOUT, rejected={4: "longer"})),
        text_kind("huge-cell-in-ignored-column", _huge_ignored_cell,
                  imported(names=WITHOUT, rejected={4: "longer"})),
        text_kind("village-1000-chars", _long_village,
                  imported(names=WITHOUT, rejected={4: "longer"})),
        file_kind("five-megabyte-line", _no_newline_megabytes,
                  imported(names=NAMES[:2], rejected={4: "longer"})),
        text_kind("giant-numbers", _numbers, imported(
            names=[n for i, n in enumerate(NAMES) if i not in (2, 3, 4)],
            rejected={4: "longer", 5: "12 digits", 6: "birth"})),
        # values that are not what they look like
        text_kind("formulas", lambda: csv_text(_formula_rows()), imported(
            names=[NAMES[0], NAMES[1]],
            rejected={3: "formula", 4: "formula", 5: "formula", 6: "formula", 7: "formula",
                      8: "formula"})),
        text_kind("fullwidth-and-other-digits", lambda: csv_text(_unicode_digit_rows()), imported(
            names=["Giàng A Sếnh", "Lò Thị Hương", "Vừ A Dủa", "Quàng Văn Xiêng", "Lò Văn Đức"],
            rejected={}, pids={"Giàng A Sếnh": "011048000123", "Lò Thị Hương": "011139000456",
                               "Vừ A Dủa": "011050000777", "Quàng Văn Xiêng": "011076433758",
                               "Lò Văn Đức": "011090000002"})),
        text_kind("bidi-zero-width-emoji-homoglyph", lambda: csv_text(_odd_name_rows()), imported(
            names=["Lò Văn Đức", "Giàng A Sếnh", "Lò Thị Hương", "Vừ A D\u0443\u0430",
                   "Sùng Thị Mỷ", "Quàng Văn Xiêng"],
            rejected={},
            flagged={2: "direction", 3: "invisible", 4: "emoji", 5: "alphabets"},
            more=_bidi_names)),
        text_kind("decomposed-unicode-nfd", _nfd_text, imported(names=NAMES, more=_nfc_names)),
        # XLSX
        xlsx_kind("xlsx-openpyxl", _openpyxl_register, imported(
            names=["Sùng A Vàng", "Vừ Thị Mỷ"], rejected={6: "formula"},
            pids={"Sùng A Vàng": "011060000321"})),
        xlsx_kind("xlsx-inline-strings", lambda p: write_xlsx(p, good_sheet()), ALL),
        xlsx_kind("xlsx-shared-strings", _shared_strings_register,
                  imported(names=NAMES, rejected={10: "lacks"})),
        xlsx_kind("xlsx-dates-1900", _dates_register, imported(
            names=["Giàng A Sếnh", "Lò Thị Hương", "Sùng Thị Mỷ"],
            rejected={4: "Excel error", 6: "Excel error"}, more=_dates_ok)),
        xlsx_kind("xlsx-dates-1904", lambda p: _dates_register(p, True), imported(
            names=["Giàng A Sếnh", "Lò Thị Hương", "Sùng Thị Mỷ"], more=_dates_ok)),
        xlsx_kind("xlsx-odd-rows-and-cells", _odd_rows_register, imported(
            names=[NAMES[0], NAMES[1], NAMES[2], "Lò Thị Ún", "Vừ A Dủa"])),
        xlsx_kind("xlsx-huge-cell-200k", _huge_cell_register,
                  imported(names=NAMES[:2], rejected={3: "longer"})),
        xlsx_kind("xlsx-huge-attribute", _huge_attribute_register, refused("XML element")),
        xlsx_kind("xlsx-billion-laughs", lambda p: _dtd_register(p, LAUGHS), refused("DTD")),
        xlsx_kind("xlsx-external-entity", lambda p: _dtd_register(p, XXE), refused("DTD")),
        xlsx_kind("xlsx-empty-sheet", _empty_sheet, refused("header")),
        xlsx_kind("xlsx-header-only", _header_only_sheet, refused("no people")),
        xlsx_kind("xlsx-no-sheets", _no_sheets, refused("no worksheet")),
        xlsx_kind("xlsx-truncated", _truncated, refused("XLSX")),
        xlsx_kind("xlsx-corrupt-deflate", lambda p: _patched(p, _flip_sheet_bytes),
                  refused("damaged")),
        xlsx_kind("xlsx-lying-sizes", lambda p: _patched(p, _lying_size), refused("damaged")),
        xlsx_kind("xlsx-zip-encrypted", lambda p: _patched(p, _encrypt_flag), refused("password")),
        xlsx_kind("xlsx-zip-without-workbook", _zip_without_workbook, refused("not an Excel")),
        xlsx_kind("xlsx-nested-zip", _nested_zip, refused("not an Excel")),
        xlsx_kind("xlsx-ods", _ods, refused("OpenDocument")),
        xlsx_kind("xlsx-xlsb", _xlsb, refused(".xlsb")),
        xlsx_kind("xlsx-5000-zip-entries", _many_entries, refused("too many parts")),
        xlsx_kind("csv-named-xlsx", _csv_named_xlsx, ALL),
        xlsx_kind("random-bytes-named-xlsx", _random_named_xlsx, refused("XLSX")),
        # heavy: the bombs, and a million bad rows
        xlsx_kind("xlsx-bomb-one-cell-1.5GB", _one_huge_cell, refused("inflates"), heavy=True),
        xlsx_kind("xlsx-bomb-3M-identical-rows", _million_rows, refused("inflates"), heavy=True),
        xlsx_kind("xlsx-bomb-shared-string-1GB", _huge_shared_string, refused("workbook"),
                  heavy=True),
        xlsx_kind("xlsx-4M-shared-strings", _many_shared_strings, refused("more text"),
                  heavy=True),
        xlsx_kind("xlsx-cell-400MB-within-ratio", _big_cell_within_ratio,
                  imported(names=NAMES[:2], rejected={3: "longer"}), heavy=True),
        Kind("csv-1M-identical-bad-rows", _million_bad_csv_rows, _million_bad, heavy=True),
    ]
    # fmt: on


def light_kinds() -> list[Kind]:
    """What the default test run builds: no bombs, nothing POSIX-only on Windows."""
    return [k for k in kinds() if not k.heavy and (not k.posix or sys.platform != "win32")]


# --- running a kind ---------------------------------------------------------------------------

_PERSON = ("full_name", "personal_id", "birth_date", "birth_year", "village", "review_flags")


def _unforeseen() -> str:
    """The importer's sentence for a failure nobody foresaw (older code: the same words)."""
    from db.register import chunks

    return str(getattr(chunks, "UNFORESEEN", "The register file cannot be read ({kind})."))


def read_outcome(path: Path) -> Outcome:
    """What the reader and the validation make of a file (no database: fast, for the tests)."""
    from db.errors import RegisterFileError
    from db.register.chunks import VALUE_COLS, FileFacts, from_file

    UNFORESEEN = _unforeseen()
    from db.types import ImportReport

    out = Outcome()
    report = ImportReport()  # keeps what the importer keeps: the first issues, all counted
    keep = getattr(report, "add_issue", report.issues.append)
    try:
        for cleaned in from_file(path, 2000, date(2026, 1, 15), FileFacts()):
            out.rows += cleaned.rows
            for issue in cleaned.issues:
                keep(issue)
            for _line, _uuid, values in cleaned.clean:
                person = dict(zip(VALUE_COLS, values, strict=True))
                out.people.append({k: person[k] for k in _PERSON})
        out.issues = {i.line: (i.kind, i.reason) for i in reversed(report.issues)}
        out.issue_total = sum(getattr(report, "issue_counts", {}).values()) or len(report.issues)
    except RegisterFileError as exc:
        out.refused, out.message = exc.template, exc.text()
        if exc.template == UNFORESEEN:
            out.crashed = f"fallback: {exc}"
    except Exception as exc:
        out.crashed = f"{type(exc).__name__}: {exc}"[:300]
    return out


def import_outcome(db: Any, path: Path) -> Outcome:
    """The whole import into a station: report and stored people (for the bench and e2e tests)."""
    from sqlalchemy import select

    from db.errors import RegisterFileError
    from db.models import Resident
    from db.register.importer import import_register

    UNFORESEEN = _unforeseen()
    out = Outcome()
    try:
        report = import_register(db, path)
    except RegisterFileError as exc:
        out.refused, out.message = exc.template, exc.text()
        if exc.template == UNFORESEEN:
            out.crashed = f"fallback: {exc}"
        return out
    except Exception as exc:
        out.crashed = f"{type(exc).__name__}: {exc}"[:300]
        return out
    out.rows = report.rows
    out.issues = {i.line: (i.kind, i.reason) for i in reversed(report.issues)}
    out.issue_total = getattr(report, "issues_total", len(report.issues))
    with db.Session() as s:
        mine = Resident.import_batch_id == report.batch_id
        found = s.scalars(select(Resident).where(mine).order_by(Resident.id))
        for r in found:
            birth = r.birth_date.isoformat() if r.birth_date else None
            out.people.append({"full_name": r.full_name, "personal_id": r.personal_id,
                               "birth_date": birth, "birth_year": r.birth_year,
                               "village": r.village, "review_flags": r.review_flags})  # fmt: skip
    return out


def judge(kind: Kind, out: Outcome) -> list[str]:
    """What is wrong with an outcome (empty: as expected)."""
    if out.crashed:
        return [f"crashed: {out.crashed}"]
    return kind.expect(out)


# --- random files (hypothesis) ----------------------------------------------------------------

_HEADER_WORDS = ["Họ và tên", "full_name", "Ngày sinh", "dob", "Giới tính", "sex", "CCCD",
                 "Số CMND", "Thôn/Bản", "Dân tộc", "Quê quán", "Số hộ", "Số điện thoại", "STT",
                 "Ghi chú", "", "HỌ TÊN", "x"]  # fmt: skip
_CELL_ALPHABET = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ àáảãạằắẳẵặ0123456789 ,;\t|\"'\r\n.-/=+@#"
    "\x00\x07\ufeff\u200b\u202e\ufffd０１😀\u0301\u0323ЖΩ"
)
_ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1258",
              "latin-1"]  # fmt: skip


def fuzz_files() -> Any:
    """A hypothesis strategy of (suffix, bytes): random bytes, random CSV dialects and
    encodings with damage, and damaged workbooks."""
    from hypothesis import strategies as st

    cell = st.one_of(
        st.text(alphabet=_CELL_ALPHABET, max_size=30),
        st.sampled_from([p[i] for p in PEOPLE for i in range(6)]),
        st.sampled_from(["=1+1", '"', '""', "\r\n", "9" * 40, "1e400", "nan", "31/02/1990",
                         "０１１０４８０００１２３", "'011048000123"]),
    )

    @st.composite
    def damage(draw: Any, data: bytes) -> bytes:
        out = bytearray(data)
        for _ in range(draw(st.integers(0, 4))):
            if not out:
                break
            at = draw(st.integers(0, len(out) - 1))
            op = draw(st.sampled_from(["flip", "insert", "cut", "delete"]))
            if op == "flip":
                out[at] ^= draw(st.integers(1, 255))
            elif op == "insert":
                out[at:at] = draw(st.binary(min_size=1, max_size=8))
            elif op == "cut":
                del out[at:]
            else:
                del out[at : at + draw(st.integers(1, 64))]
        return bytes(out)

    @st.composite
    def csv_file(draw: Any) -> tuple[str, bytes]:
        width = draw(st.integers(1, 8))
        header = draw(st.lists(st.sampled_from(_HEADER_WORDS), min_size=width, max_size=width))
        if draw(st.booleans()):
            header[0] = "Họ và tên"
        rows = draw(st.lists(st.lists(cell, min_size=0, max_size=width + 2), max_size=12))
        buf = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC,
                                        csv.QUOTE_NONE]))  # fmt: skip
        writer = csv.writer(
            buf, delimiter=draw(st.sampled_from([",", ";", "\t", "|", " "])),
            quotechar=draw(st.sampled_from(['"', "'"])), quoting=quoting, escapechar="\\",
            lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])),
        )  # fmt: skip
        try:
            writer.writerow(header)
            writer.writerows(rows)
        except csv.Error:
            pass
        text = draw(st.sampled_from(["", "DANH SÁCH\r\n"])) + buf.getvalue()
        data = text.encode(draw(st.sampled_from(_ENCODINGS)), errors="replace")
        return ".csv", draw(damage(data)) if draw(st.booleans()) else data

    @st.composite
    def xlsx_file(draw: Any) -> tuple[str, bytes]:
        rows = draw(st.lists(st.lists(cell, max_size=8), max_size=8))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("[Content_Types].xml", content_types(styles=True))
            zf.writestr("_rels/.rels", ROOT_RELS)
            zf.writestr("xl/workbook.xml", workbook_xml(draw(st.booleans())))
            zf.writestr("xl/_rels/workbook.xml.rels", workbook_rels(False, True))
            zf.writestr("xl/styles.xml", DATE_STYLES)
            body = [inline_row(HEADER, 1)] + [_xml_safe_row(r) for r in rows]
            zf.writestr("xl/worksheets/sheet1.xml", b"".join(sheet_xml(body)))
        data = buf.getvalue()
        return ".xlsx", draw(damage(data)) if draw(st.booleans()) else data

    return st.one_of(
        st.tuples(st.sampled_from([".csv", ".xlsx", ".txt"]), st.binary(max_size=2048)),
        csv_file(),
        xlsx_file(),
    )


def _xml_safe_row(cells: list[str]) -> str:
    safe = ["".join(c for c in cell if c in "\t\n\r" or " " <= c < "\ufffe") for cell in cells]
    return inline_row(safe)


def fuzz_problems(out: Outcome) -> list[str]:
    """What must hold for any input: no crash; a refusal is one sentence; issue lines > 0."""
    if out.crashed:
        return [f"crashed: {out.crashed}"]
    if out.refused is not None:
        return [] if out.message and "{" not in out.message else [f"bad message {out.message!r}"]
    bad_lines = [n for n in out.issues if n < 1]
    if bad_lines:
        return [f"issue lines {bad_lines}"]
    rejected = len(out.rejected())
    if out.rows != len(out.people) + rejected:
        return [f"{out.rows} rows != {len(out.people)} people + {rejected} rejected"]
    return []
