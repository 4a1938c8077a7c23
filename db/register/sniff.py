"""What a register file really is, decided from its bytes: a workbook, text in some encoding,
or something an officer must be told to convert first.

Why by content: files arrive renamed (an HTML table saved as ``.xls``, a CSV called
``.xlsx``, a zip of the register), so the name proves nothing. Why the care with UTF-8: one
stray byte must not switch a whole UTF-8 register to Windows-1258 (``Lò`` stored as ``LĂ²``);
the encoding is UTF-8 unless the bytes are really something else, and a bad byte costs only
its line (the reader marks it with U+FFFD).
"""

from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from db.errors import RegisterFileError
from db.register.limits import MAX_BINARY_SHARE, SNIFF_BYTES
from resources.i18n import N_

ARCHIVE_MAGIC = (
    b"\x1f\x8b",  # gzip
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"\x28\xb5\x2f\xfd",  # zstandard
    b"7z\xbc\xaf\x27\x1c",  # 7-zip
    b"Rar!\x1a\x07",  # rar
)
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and any password-protected workbook
MARKUP_STARTS = ("<!doctype", "<html", "<table", "<?xml", "<?mso", "<workbook", "<meta", "<head")
# Control bytes a text register does not contain (tab, line ends, form feed and ^Z allowed).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26)) + b"\x7f"
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
BLOCK = 1 << 20


@dataclass(frozen=True)
class Sniffed:
    kind: str  # "zip" or "text"
    encoding: str = ""  # for text


def open_regular(path: Path) -> tuple[BinaryIO, int]:
    """Open an ordinary file for reading; a folder, pipe or device is refused without being
    opened for reading (a FIFO would block, /dev/zero never ends)."""
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        raise RegisterFileError(N_("The register file does not exist.")) from None
    except OSError as exc:
        raise _open_error(exc) from None
    _check_regular(info.st_mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _open_error(exc) from None
    try:
        info = os.fstat(fd)  # what was opened, should the path have changed meanwhile
        _check_regular(info.st_mode)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb"), info.st_size


def _check_regular(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise RegisterFileError(N_("This is a folder, not a register file: choose the file in it."))
    if not stat.S_ISREG(mode):
        raise RegisterFileError(
            N_("This is not an ordinary file (a device or a pipe): choose a register file.")
        )


def _open_error(exc: OSError) -> RegisterFileError:
    if isinstance(exc, PermissionError):
        return RegisterFileError(N_("You are not allowed to read this register file."))
    return RegisterFileError(
        N_("The register file cannot be opened (error {code})."),
        code=errno.errorcode.get(exc.errno or 0, str(exc.errno)),
    )


def sniff(fh: BinaryIO) -> Sniffed:
    """Decide what the file is; refuse what cannot be a register. Leaves ``fh`` at 0."""
    head = fh.read(SNIFF_BYTES)
    fh.seek(0)
    if not head:
        raise RegisterFileError(N_("The register file is empty."))
    if head.startswith(ZIP_MAGIC):
        return Sniffed("zip")
    if head.startswith(ARCHIVE_MAGIC):
        raise RegisterFileError(
            N_("This file is compressed (gzip, zip, rar...): unpack it first and import the "
               "register inside.")
        )  # fmt: skip
    if head.startswith(OLE2_MAGIC):
        raise RegisterFileError(
            N_("This is an old Excel file (.xls) or a workbook protected by a password: open it "
               "in Excel and save it as XLSX (Excel workbook) without a password, or as CSV.")
        )  # fmt: skip
    if head.startswith(b"%PDF"):
        raise RegisterFileError(N_("This is a PDF document, not a register: ask for the CSV or "
                                   "Excel file."))  # fmt: skip
    encoding = bom_encoding(head) or lane_encoding(head)
    if encoding is None:
        if len(head.translate(None, _TEXT_BYTES)) > _tolerated(len(head)):
            raise _binary()
        encoding = utf8_or_legacy(fh)
    text = head.decode(encoding, errors="replace")
    if text.count("\ufffd") + _controls(text) > _tolerated(len(text)):
        raise _binary()
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith(MARKUP_STARTS):
        raise RegisterFileError(
            N_("This file is a web page or an XML spreadsheet under another name: open it in "
               "Excel and save it as XLSX (Excel workbook) or CSV.")
        )  # fmt: skip
    return Sniffed("text", encoding)


def _tolerated(length: int) -> float:
    """Odd characters a text head may hold: a damaged byte or two even in a tiny file."""
    return max(MAX_BINARY_SHARE * length, 2)


def _binary() -> RegisterFileError:
    return RegisterFileError(
        N_("This is not a register: the file holds binary data (a picture, a program, a "
           "database...), not text or an Excel workbook.")
    )  # fmt: skip


def _controls(text: str) -> int:
    return sum(text.count(c) for c in map(chr, _CONTROL_BYTES)) if not text.isprintable() else 0


def bom_encoding(head: bytes) -> str | None:
    # UTF-32 LE first: its BOM begins with the UTF-16 LE one.
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def lane_encoding(head: bytes) -> str | None:
    """UTF-32 or UTF-16 whose BOM was lost: ASCII text leaves zero bytes in fixed lanes."""
    n4 = len(head) // 4 * 4
    if n4 >= 16:
        q = n4 // 4
        zeros = [head[i:n4:4].count(0) for i in range(4)]
        if zeros[2] >= 0.9 * q and zeros[3] >= 0.9 * q and zeros[0] <= 0.5 * q:
            return "utf-32-le"
        if zeros[0] >= 0.9 * q and zeros[1] >= 0.9 * q and zeros[3] <= 0.5 * q:
            return "utf-32-be"
    n2 = len(head) // 2 * 2
    if n2 >= 16:
        h = n2 // 2
        even, odd = head[0:n2:2].count(0), head[1:n2:2].count(0)
        if odd > h // 2 and even < h // 4:  # Excel "Unicode text" whose BOM was lost
            return "utf-16-le"
        if even > h // 2 and odd < h // 4:
            return "utf-16-be"
    return None


def utf8_or_legacy(fh: BinaryIO) -> str:
    """UTF-8 if the whole file decodes, or if its valid UTF-8 letters outnumber its bad bytes
    (a stray byte in a UTF-8 file); else Windows-1258, what old Vietnamese Windows writes."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while block := fh.read(BLOCK):
            decoder.decode(block)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    finally:
        fh.seek(0)
    counting = codecs.getincrementaldecoder("utf-8")("replace")
    bad = letters = 0
    while block := fh.read(BLOCK):
        text = counting.decode(block)
        bad += text.count("\ufffd")
        letters += len(text) - len(text.encode("ascii", "ignore"))
    text = counting.decode(b"", final=True)
    bad += text.count("\ufffd")
    fh.seek(0)
    return "utf-8" if letters - bad >= bad else "cp1258"
