"""Every limit a register file is held to, in one place, each with the reason for its size.

Why limits at all: an administrator imports files handed over on USB sticks and by e-mail; a
damaged or hostile file must cost one rejected row or one clear refusal, never the station's
memory (the import runs beside the GUI on a 4 GB laptop) nor an afternoon. The figures are far
above what a real commune register needs (tens of thousands of rows, names under 60 letters)
and are checked by bench/hostile_register.py (peak RSS of the bombs ≤ 500 MB).
"""

from __future__ import annotations

# --- text files (CSV / TSV) ------------------------------------------------------------------
SNIFF_BYTES = 64 * 1024  # the head that decides binary or text, and the encoding lanes
MAX_LINE_CHARS = 128 * 1024  # = csv's own field limit: a longer line is one rejected row
MAX_RECORD_LINES = 10  # a quoted field may span lines (addresses); more is a lost quote
MAX_BINARY_SHARE = 0.05  # control bytes in the head beyond this: not a text file

# --- every row ------------------------------------------------------------------------------
MAX_CELL_CHARS = 32 * 1024  # a cell longer than this is cut at reading and its row rejected
MAX_COLUMNS = 512  # cells kept per row (registers have 10-40 columns; Excel allows 16 384)
MAX_NAME_CHARS = 100  # the longest real names are under 60 letters; the column is 200
MAX_TEXT_CHARS = 200  # the database columns of hometown, village, ethnicity... (String(200))
MAX_HOUSEHOLD_CHARS = 40  # household_no is String(40)

# --- XLSX (a zip of XML parts) --------------------------------------------------------------
MAX_ZIP_ENTRIES = 1000  # Excel writes 10-30 parts; a zip of thousands is not a workbook
MAX_CENTRAL_DIRECTORY = 1024 * 1024  # read into memory whole by zipfile: checked first
MAX_SMALL_PART = 16 * 2**20  # workbook.xml, its relations, styles.xml (uncompressed)
MAX_SHARED_STRINGS_PART = 256 * 2**20  # sharedStrings.xml, uncompressed
MAX_SHEET_PART = 2 * 2**30  # the worksheet, uncompressed: streamed, so this bounds time only
MAX_RATIO = 100  # uncompressed / compressed of a large part; real sheets are 5-20
RATIO_FLOOR = 32 * 2**20  # parts below this may be as repetitive as they like
MAX_SHARED_STRINGS = 3_000_000  # distinct texts held in memory (a 1M-row register: ~2M)
MAX_SHARED_CHARS = 48_000_000  # their total length (at most ~200 MB as Python strings)
MAX_XML_TOKEN = 4 * 2**20  # bytes fed to the XML parser without it finishing one tag
XML_CHUNK = 64 * 1024  # bytes inflated and parsed at a time
