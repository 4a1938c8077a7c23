"""Read a CSV/TSV register as numbered rows, one damaged line costing one rejected row.

Why not ``csv.reader`` over the file as it is: one unbalanced quote makes it swallow every
following line into one field (one rejection for many people, or the file aborted at "field
larger than field limit"), and one long line is read whole into memory. Here the physical
lines are numbered and capped in length; the strict parser reads a record from them, and a
record that breaks, spans too many lines or holds swallowed rows is reported at the line
where its quote opened, its other lines being read again as rows. Lines with bytes that are
not text (U+FFFD from the decoder) are rejected by number; the rest of the file is imported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from db.register.header import HEADER_SEARCH_ROWS, Unreadable, is_header, map_header
from db.register.limits import MAX_COLUMNS, MAX_LINE_CHARS, MAX_RECORD_LINES
from resources.i18n import N_

DELIMITERS = (",", ";", "\t", "|")
_NAMES = {",": "','", ";": "';'", "\t": "TAB", "|": "'|'"}
_LINE_ENDS = ("\n", "\r")

QUOTE_NOT_CLOSED = N_("a quote opened on this line is not closed (the next lines are read as rows)")
LINE_TOO_LONG = N_("the line is longer than {limit} characters")
BAD_BYTES = N_("the line holds bytes that are not text in the file's encoding ({encoding})")
OTHER_SEPARATOR = N_("the line is not separated by {separator} like the header")


class _Runaway(Exception):
    """A record wants more lines than a quoted field may span."""


Line = tuple[int, str, int]  # number, text, and what is wrong with it (OK, LONG, BAD)
OK, LONG, BAD = 0, 1, 2


class Lines:
    """The file's physical lines, numbered and capped; a record's lines can be given back."""

    def __init__(self, text: io.TextIOBase) -> None:
        self._text = text
        self.number = 0  # of the last line read from the file
        self._again: list[Line] = []  # lines to hand out again (a stack)
        self.taken: list[Line] = []  # handed out since the record began
        self.ran_out = False  # the current record reached the end of the file

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        taken = self.taken
        if len(taken) >= MAX_RECORD_LINES:
            raise _Runaway
        item = self._again.pop() if self._again else self._read()
        if item is None:
            self.ran_out = True
            raise StopIteration
        taken.append(item)
        return item[1]

    def again(self, lines: list[Line]) -> None:
        self._again.extend(reversed(lines))

    def _read(self) -> Line | None:
        line = self._text.readline(MAX_LINE_CHARS)
        if not line:
            return None
        self.number += 1
        if len(line) >= MAX_LINE_CHARS and not line.endswith(_LINE_ENDS):
            while (rest := self._text.readline(MAX_LINE_CHARS)) and not rest.endswith(_LINE_ENDS):
                pass  # the rest of the long line, dropped as it is read
            return self.number, "\n", LONG
        return self.number, line, BAD if "\ufffd" in line else OK

    def head(self, count: int) -> list[str]:
        """The first ``count`` lines, read and given back (to choose the delimiter)."""
        first: list[Line] = []
        while len(first) < count and (item := self._read()) is not None:
            first.append(item)
        self.again(first)
        return [line for _n, line, _status in first]


def choose_delimiter(lines: list[str]) -> str:
    """The delimiter with which one of the first lines is a header naming most columns."""
    best, score = DELIMITERS[0], 0
    for delimiter in DELIMITERS:
        try:
            for cells in csv.reader(lines, delimiter=delimiter):
                header = map_header(cells)
                if is_header(header) and len(header.columns) > score:
                    best, score = delimiter, len(header.columns)
        except csv.Error:
            continue
    return best


class CsvTable:
    """Numbered rows of a text register; ``header_width`` is set once the header is found."""

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        self.encoding = encoding
        self.text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        self.lines = Lines(self.text)
        self.delimiter = choose_delimiter(self.lines.head(HEADER_SEARCH_ROWS))
        self.header_width = 0

    def close(self) -> None:
        self.text.close()

    def rows(self) -> Iterator[tuple[int, list[Any] | Unreadable]]:
        lines = self.lines
        reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
        while True:
            taken = lines.taken = []  # a new record begins
            lines.ran_out = False
            try:
                cells: list[str] | None = next(reader)
            except StopIteration:
                return
            except (csv.Error, _Runaway):
                cells = None
            if not taken:
                return
            first, text, status = taken[0]
            single = len(taken) == 1 and status == OK
            if single and cells is not None and 1 < len(cells) <= MAX_COLUMNS:
                yield first, cells  # the usual row: one clean line, several cells
                continue
            if cells is None and len(taken) == 1 and not lines.ran_out:
                cells = _lenient(text, self.delimiter)  # a misplaced quote in one line
            if cells is None or (len(taken) > 1 and self._swallowed(cells)):
                lines.again(taken[1:])
                yield first, Unreadable(QUOTE_NOT_CLOSED)
                continue
            yield first, self._checked(cells, taken)

    def _checked(self, cells: list[str], taken: list[Line]) -> list[Any] | Unreadable:
        status = max(s for _n, _l, s in taken) if len(taken) > 1 else taken[0][2]
        if status == LONG:
            return Unreadable(LINE_TOO_LONG, (("limit", MAX_LINE_CHARS),))
        if status == BAD:
            return Unreadable(BAD_BYTES, (("encoding", self.encoding),))
        if len(cells) == 1 and self.header_width > 1:
            other = next((d for d in DELIMITERS if d != self.delimiter and d in cells[0]), None)
            if other is not None:
                return Unreadable(OTHER_SEPARATOR, (("separator", _NAMES[self.delimiter]),))
        return cells[:MAX_COLUMNS] if len(cells) > MAX_COLUMNS else cells

    def _swallowed(self, cells: list[str]) -> bool:
        """A field spanning lines that holds whole rows: a quote lost, not an address."""
        enough = max(1, self.header_width - 1)
        for cell in cells:
            if "\n" in cell or "\r" in cell:
                for part in cell.splitlines()[1:]:
                    if part.count(self.delimiter) >= enough:
                        return True
        return len(cells) > max(self.header_width, 1) + 1


def _lenient(line: str, delimiter: str) -> list[str] | None:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return None
