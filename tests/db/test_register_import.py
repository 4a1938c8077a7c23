"""Register import: every encoding and layout an officer's files come in, bad rows reported."""

from __future__ import annotations

import itertools
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from db.errors import RegisterFileError
from db.models import ImportBatch, Resident
from db.register.file import detect_encoding
from db.register.importer import ImportCancelled, import_register
from resources import path as resource_path
from tests.hostile_registers import cp1258

TONES = "\u0300\u0301\u0303\u0309\u0323"
HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Thôn/Bản", "Dân tộc"]
ROWS = [
    ["Giàng A Sếnh", "12/03/1948", "Nam", "011048000123", "Nậm Chim 1", "Mông"],
    ["Lò Thị Ún", "1939", "Nữ", "011139000456", "Nà Hỳ 1", "Thái"],
    ["Nguyễn Thị Ánh Tuyết", "2001-07-30", "Nữ", "011301000789", "Tân Phong", "Kinh"],
    ["Đặng Thị Hoà", "05/11/1975", "Nữ", "", "Pú Đao", "Dao"],
]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8", sep: str = ",") -> Path:
    lines = [sep.join(r) for r in [HEADER, *rows]]
    data = "\r\n".join(lines) + "\r\n"
    if encoding == "cp1258":
        path.write_bytes(cp1258(data))
    else:
        path.write_text(data, encoding=encoding)
    return path


def residents(db) -> list[Resident]:  # type: ignore[no-untyped-def]
    with db.Session() as s:
        return list(s.scalars(select(Resident).order_by(Resident.id)))


@pytest.mark.parametrize(
    ("encoding", "sep", "detected"),
    [
        ("utf-8", ",", "utf-8"),
        ("utf-8-sig", ";", "utf-8-sig"),
        ("utf-16", "\t", "utf-16"),  # Excel "Unicode text"
        ("cp1258", ",", "cp1258"),  # legacy Windows, decodes to decomposed text
    ],
)
def test_encodings_and_separators(station, tmp_path: Path, encoding, sep, detected) -> None:  # type: ignore[no-untyped-def]
    f = write_csv(tmp_path / "reg.csv", ROWS, encoding, sep)
    assert detect_encoding(f) == detected
    report = import_register(station, f)
    assert (report.added, report.rejected, report.flagged) == (4, 0, 0)
    people = residents(station)
    assert [p.full_name for p in people] == [r[0] for r in ROWS]
    for p in people:
        assert unicodedata.is_normalized("NFC", p.full_name)
        assert unicodedata.is_normalized("NFC", p.village or "")
    assert people[0].search_name == "giang a senh"
    assert people[0].birth_date == date(1948, 3, 12) and people[0].sex == "M"
    assert people[1].birth_year == 1939 and people[1].birth_date is None  # year only
    assert people[2].birth_date == date(2001, 7, 30)
    assert people[3].personal_id is None and people[3].village == "Pú Đao"


def test_xlsx_with_title_rows_and_excel_types(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH NHÂN KHẨU XÃ NÀ HỲ"])
    ws.append([])
    ws.append(["STT", "HỌ TÊN", "NGÀY SINH", "GIỚI TÍNH", "SỐ CCCD", "BẢN", "SỐ ĐIỆN THOẠI"])
    ws.append([1, "SÙNG A VÀNG", date(1960, 1, 2), "Nam", 11060000321, "Nậm Chim 2", 912345678])
    ws.append([2, "Vừ Thị Mỷ", 1944, "Nữ", None, "Nậm Chim 2", None])
    f = tmp_path / "register.xlsx"
    wb.save(f)
    report = import_register(station, f)
    assert report.encoding == "xlsx"
    assert (report.added, report.rejected) == (2, 0), report.issues
    assert report.ignored_columns == ["STT"]
    a, b = residents(station)
    assert a.full_name == "Sùng A Vàng"  # capitals made readable
    assert a.personal_id == "011060000321"  # Excel dropped the leading zero
    assert a.birth_date == date(1960, 1, 2)
    assert a.phone == "0912345678"
    assert b.birth_year == 1944 and b.birth_date is None


def test_bad_rows_reported_with_line_numbers_good_rows_imported(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        ROWS[0],                                                      # line 2 ok
        ["", "01/01/1990", "Nam", "", "Nà Hỳ 1", "Thái"],             # line 3 no name
        ["Lò Văn Đức", "31/02/1990", "Nam", "", "Nà Hỳ 1", "Thái"],   # line 4 impossible date
        ["Lò Văn Pọm", "12/03/1990", "Nam", "0110900001", "Nà Hỳ 1", "Thái"],  # 5 digits
        ["Lò Thị Ún", "12/03/1991", "Nữ", "011090000002", "Nà Hỳ 1", "Thái"],  # 6 flagged
        ["Cà Văn Inh", "hôm qua", "Nam", "", "Nà Hỳ 1", "Thái"],       # line 7 unreadable date
        ["Quàng Văn Lả", "12/03/2990", "Nam", "", "Nà Hỳ 1", "Thái"],  # line 8 future
        ROWS[1],                                                      # line 9 ok
    ]  # fmt: skip
    report = import_register(station, write_csv(tmp_path / "bad.csv", rows))
    assert (report.rows, report.added, report.rejected, report.flagged) == (8, 3, 5, 1)
    by_line = {i.line: i for i in report.issues}
    assert by_line[3].kind == "rejected" and by_line[3].reason == "no name"
    assert by_line[4].reason == "impossible birth date"
    assert by_line[5].reason == "personal ID must have 12 digits"
    assert by_line[6].kind == "flagged"
    assert "year digits do not match birth year" in by_line[6].reason
    assert "century/sex digit does not match sex" in by_line[6].reason
    assert "not understood" in by_line[7].reason
    assert by_line[8].reason == "impossible birth date"
    flagged = [p for p in residents(station) if p.review_flags]
    assert [p.full_name for p in flagged] == ["Lò Thị Ún"]
    # the report keeps no personal data, only line numbers and reasons
    with station.Session() as s:
        batch = s.scalars(select(ImportBatch)).one()
    assert "Lò" not in str(batch.issues) and batch.rejected == 5


def test_reimport_never_duplicates_and_updates_changes(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = write_csv(tmp_path / "reg.csv", ROWS)
    first = import_register(station, f)
    again = import_register(station, f)
    assert (first.added, again.added, again.updated, again.unchanged) == (4, 0, 0, 4)
    changed = [list(r) for r in ROWS]
    changed[0][4] = "Nậm Chim 2"  # moved village (matched by ID)
    changed[3][5] = "Dao đỏ"  # no ID: matched by name + birth date + village
    changed.append(["Vừ A Dủa", "1950", "Nam", "", "Pú Đao", "Mông"])
    report = import_register(station, write_csv(tmp_path / "reg2.csv", changed))
    assert (report.added, report.updated, report.unchanged) == (1, 2, 2)
    people = residents(station)
    assert len(people) == 5
    assert people[0].village == "Nậm Chim 2" and people[3].ethnicity == "Dao đỏ"
    with station.Session() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 3


def test_duplicate_lines_in_one_file(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = import_register(station, write_csv(tmp_path / "d.csv", [ROWS[0], ROWS[1], ROWS[0]]))
    assert report.added == 2
    dup = [i for i in report.issues if i.kind == "duplicate"]
    assert [(i.line, i.reason) for i in dup] == [
        (4, "same person as line 2, the later line is kept")
    ]


def test_cancel_keeps_nothing(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from db.demo.synth import write_csv as synth_csv

    f = tmp_path / "big.csv"
    synth_csv(f, 5000)
    seen = []

    def progress(rows: int, fraction: float) -> bool:
        seen.append((rows, fraction))
        return rows < 2000

    with pytest.raises(ImportCancelled):
        import_register(station, f, progress=progress, chunk_size=1000)
    assert seen[0][0] == 1000 and seen[-1][0] == 2000
    assert residents(station) == []
    with station.Session() as s:
        assert s.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_progress_reaches_the_end(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from db.demo.synth import write_csv as synth_csv

    f = tmp_path / "big.csv"
    synth_csv(f, 3000)
    seen: list[tuple[int, float]] = []
    report = import_register(
        station, f, progress=lambda r, fr: seen.append((r, fr)), chunk_size=500
    )
    assert report.added == 3000
    assert [r for r, _ in seen] == list(range(500, 3001, 500))
    assert seen[-1][1] == pytest.approx(1.0)
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(seen))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"name;x\nfoo;bar\n", "header"),
        (b"PK\x03\x04 broken zip", "XLSX"),
    ],
)
def test_unreadable_files(station, tmp_path: Path, content: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "f.csv"
    f.write_bytes(content)
    with pytest.raises(RegisterFileError, match=message):
        import_register(station, f)


def test_control_characters_are_dropped(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = [["Lò Văn \x00Đức\x07", "1990", "Nam", "", "Nà Hỳ 1", "Thái"]]
    report = import_register(station, write_csv(tmp_path / "c.csv", rows))
    assert report.added == 1
    assert residents(station)[0].full_name == "Lò Văn Đức"


def test_sample_register_imports_cleanly(station) -> None:  # type: ignore[no-untyped-def]
    report = import_register(station, resource_path("sample_register.csv"))
    assert report.rows >= 20 and report.rejected == 0 and report.flagged == 0
    assert report.added == report.rows


@pytest.fixture
def reader_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every file through the reader process (normally only files of 4 MB and more)."""
    from db.register import chunks as register_chunks

    monkeypatch.setattr(register_chunks, "PROCESS_MIN_BYTES", 1)


def test_reader_process_gives_the_same_result(station, tmp_path: Path, reader_process) -> None:  # type: ignore[no-untyped-def]
    import multiprocessing

    report = import_register(station, resource_path("sample_register.csv"))
    assert (report.rows, report.added, report.rejected) == (30, 30, 0)
    assert report.encoding == "utf-8-sig"
    with station.Session() as s:
        batch = s.scalars(select(ImportBatch)).one()
    import hashlib

    expected = hashlib.sha256(resource_path("sample_register.csv").read_bytes()).hexdigest()
    assert batch.sha256 == expected
    assert multiprocessing.active_children() == []


def test_reader_process_cancel_keeps_nothing(station, tmp_path: Path, reader_process) -> None:  # type: ignore[no-untyped-def]
    import multiprocessing

    from db.demo.synth import write_csv as synth_csv

    f = tmp_path / "big.csv"
    synth_csv(f, 5000)
    with pytest.raises(ImportCancelled):
        import_register(station, f, progress=lambda rows, fr: rows < 2000, chunk_size=1000)
    assert residents(station) == []
    assert multiprocessing.active_children() == []


def test_reader_process_reports_a_broken_line(station, tmp_path: Path, reader_process) -> None:  # type: ignore[no-untyped-def]
    good = "\r\n".join(",".join(r) for r in [HEADER, *ROWS])
    f = tmp_path / "broken.csv"
    runaway = '"Lò Văn Đức' + "x" * 200_000  # a quote never closed, on a line too long
    after = "Vừ A Dủa,1950,Nam,011050000777,Pú Đao,Mông"
    f.write_bytes((good + "\r\n" + runaway + ",1990,Nam\r\n" + after + "\r\n").encode())
    report = import_register(station, f)
    assert (report.rows, report.added, report.rejected) == (6, 5, 1)
    (issue,) = report.issues
    assert issue.line == 6 and "longer than" in issue.reason
    assert [p.full_name for p in residents(station)][-1] == "Vừ A Dủa"


def test_english_headers_and_m_f(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "en.csv"
    f.write_text(
        "full_name;birth_date;sex;personal_id;old_id;village;household_no;residence_type\n"
        "Vừ A Dủa;1950-02-03;M;011050000777;040123456;Pú Đao;0110000001;permanent\n",
        "utf-8",
    )
    report = import_register(station, f)
    assert (report.added, report.flagged, report.ignored_columns) == (1, 0, [])
    (p,) = residents(station)
    assert (p.sex, p.old_id, p.household_no, p.residence_type) == (
        "M", "040123456", "0110000001", "permanent",
    )  # fmt: skip


def test_a_number_given_later_updates_the_same_person(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    row = ["Đặng Thị Hoà", "05/11/1975", "Nữ", "", "Pú Đao", "Dao"]
    assert import_register(station, write_csv(tmp_path / "a.csv", [ROWS[0], row])).added == 2
    row[3] = "011175000127"  # the number arrives in a later register
    report = import_register(station, write_csv(tmp_path / "b.csv", [ROWS[0], row]))
    assert (report.added, report.updated, report.unchanged) == (0, 1, 1)
    assert [p.personal_id for p in residents(station)] == ["011048000123", "011175000127"]
