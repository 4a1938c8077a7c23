"""Hostile and damaged register files: every one is refused with one sentence or imported with
its bad lines reported by number (the corpus: tests/hostile_registers.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from db.models import ImportBatch, Resident
from db.register import limits, validate
from db.register.file import detect_encoding
from db.register.importer import import_register
from db.search import Searcher
from db.types import ImportIssue
from resources import i18n
from tests.cli_runner import run
from tests.hostile_registers import (
    PEOPLE,
    WITHOUT,
    csv_text,
    fuzz_files,
    fuzz_problems,
    judge,
    kinds,
    light_kinds,
    read_outcome,
    utf8_with,
)

LIGHT = {k.name: k for k in light_kinds()}
HEAVY = {k.name: k for k in kinds() if k.heavy}


@pytest.mark.parametrize("name", sorted(LIGHT))
def test_hostile_file(tmp_path: Path, name: str) -> None:
    kind = LIGHT[name]
    out = read_outcome(kind.build(tmp_path))
    assert judge(kind, out) == [], out
    if out.refused:  # one sentence, in the officer's language, fields filled
        assert out.message and "{" not in out.message


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(HEAVY))
def test_bombs_and_millions_of_rows(tmp_path: Path, name: str) -> None:
    kind = HEAVY[name]
    assert judge(kind, read_outcome(kind.build(tmp_path))) == []


def test_the_corpus_covers_the_issue() -> None:
    assert len(kinds()) >= 50
    named = ("utf32", "cp1258", "stray-ff", "latin1-e", "binary", "gzip", "empty", "header-only",
             "directory", "fifo", "dev-zero", "huge-cell", "huge-name", "quote", "cr-only",
             "mixed-separators", "nul-bytes", "bomb-one-cell", "3M-identical-rows", "shared-string",
             "nested-zip", "random-bytes-named-xlsx", "encrypted", "corrupt", "formulas",
             "fullwidth", "bidi", "decomposed")  # fmt: skip
    names = " ".join(k.name for k in kinds())
    assert [n for n in named if n not in names] == []


def test_one_stray_byte_keeps_the_file_utf8(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "stray.csv"
    f.write_bytes(utf8_with(4, "Nguyễn Thị Ánh Tuyết,2001-07-30,Nữ,011301000789,Tân Phong,Kinh"
                              .encode() + b"\xff"))  # fmt: skip
    assert detect_encoding(f) == "utf-8"
    report = import_register(station, f)
    assert (report.encoding, report.rows, report.added, report.rejected) == ("utf-8", 8, 7, 1)
    assert [i.line for i in report.issues] == [4]
    with station.Session() as s:
        stored = list(s.scalars(select(Resident.full_name).order_by(Resident.id)))
    assert stored == WITHOUT and "Lò Thị Hương" in stored  # never "LĂ² Thá»‹ HÆ°Æ¡ng"


def test_fullwidth_id_is_stored_ascii_and_found(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "fw.csv"
    fullwidth = "０１１０９００４０００３"
    f.write_text(csv_text([["Lò Văn Đức", "1990", "Nam", fullwidth, "Nà Hỳ 1", "Thái"]]), "utf-8")
    assert import_register(station, f).added == 1
    hits = Searcher(station).search("011090040003").hits
    assert [(h.full_name, h.personal_id) for h in hits] == [("Lò Văn Đức", "011090040003")]


def test_a_million_bad_rows_keep_a_small_report(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "bad.csv"
    f.write_text(csv_text([PEOPLE[0]] + [["", "1950", "Nam", "", "Pú Đao", "Mông"]] * 3000),
                 "utf-8")  # fmt: skip
    report = import_register(station, f)
    assert (report.rows, report.added, report.rejected) == (3001, 1, 3000)
    assert len(report.issues) == report.keep == 1000 and report.issues_total == 3000
    assert report.summary() == [("rejected", "no name", 3000)]
    with station.Session() as s:
        kept = s.scalars(select(ImportBatch.issues)).one()
    assert len(kept) == 1001 and kept[-1]["omitted"] == 2000
    assert kept[-1]["counts"] == [{"kind": "rejected", "reason": "no name", "count": 3000}]


def test_reasons_speak_vietnamese_and_keep_their_fields() -> None:
    issue = ImportIssue.of(7, "duplicate", "same person as line {first}, the later line is kept",
                           (("first", 3),))  # fmt: skip
    assert issue.reason == "same person as line 3, the later line is kept"
    try:
        i18n.set_language("vi")
        assert "3" in issue.text() and issue.text() != issue.reason
        flags = ImportIssue.of(2, "flagged", "sex not understood; birth date missing")
        assert flags.text() == "; ".join(i18n._(p) for p in flags.code.split("; "))
    finally:
        i18n.set_language("vi")


def test_limits_and_their_messages_agree() -> None:
    assert str(limits.MAX_NAME_CHARS) in validate.NAME_TOO_LONG
    assert str(limits.MAX_HOUSEHOLD_CHARS) in validate.HOUSEHOLD_TOO_LONG
    assert limits.MAX_LINE_CHARS <= 131072  # csv's field limit is never what rejects a line


def test_names_that_are_not_names() -> None:
    def name(value: str) -> tuple[str, tuple[str, ...]]:
        cleaned = validate._name(value)
        return cleaned[0], cleaned[3]

    for formula in ('=HYPERLINK("http://x","Giàng A Sếnh")', "+Lò", "-Lò", "@Lò", "＝Lò",
                    "'=Lò", " =Lò", "Lò=Văn"):  # fmt: skip
        with pytest.raises(validate.RowRejected, match="formula"):
            name(formula)
    assert name("Lò Văn \u202eĐức") == ("Lò Văn Đức", (validate.FLAG_INVISIBLE,))
    assert name("Lò\u200bVăn Đức")[0] == "LòVăn Đức"
    assert name("Lò Văn Đức 😀👍🏽") == ("Lò Văn Đức", (validate.FLAG_SYMBOLS,))
    assert name("Ｌò Văn Đức")[0] == "Lò Văn Đức"
    assert name("Lò\tVăn  Đức")[0] == "Lò Văn Đức"
    assert name("H'Hen Niê") == ("H'Hen Niê", ())
    assert validate.FLAG_SCRIPTS in name("Vừ A D\u0443\u0430")[1]
    with pytest.raises(validate.RowRejected, match="longer"):
        name("Nguyễn " * 20)


def test_command_line_json_speaks_the_officers_language(
    tmp_path: Path, cli_env: dict[str, str]
) -> None:
    d = ["--data-dir", str(tmp_path / "station")]
    assert run(cli_env, *d, "init", "--station", "X", "--commune", "Y", "--admin", "admin"
               ).returncode == 0  # fmt: skip
    admin = dict(cli_env, ENROLLMENT_STATION_USER="admin")
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_text([["", "1990", "Nam", "", "", ""], PEOPLE[0], PEOPLE[0]]), "utf-8")
    out = run(admin, *d, "import", str(bad), "--json", "--quiet")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["issues"][0] == {"line": 2, "kind": "rejected", "code": "no name",
                                   "reason": i18n.catalogue("vi").gettext("no name")}  # fmt: skip
    dup = report["issues"][1]
    assert dup["code"].startswith("same person as line {first}") and "3" in dup["reason"]
    assert re.search("[ạ-ỹđ]", dup["reason"])  # Vietnamese, not the English id
    gz = tmp_path / "register.csv.gz"
    import gzip

    gz.write_bytes(gzip.compress(bad.read_bytes()))
    out = run(admin, *d, "import", str(gz), "--json", "--quiet")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    error = json.loads(out.stdout)["error"]
    assert "compressed" in error["code"] and error["message"] in out.stderr
    assert error["message"] != error["code"]  # translated
    folder = tmp_path / "a-folder"
    folder.mkdir()
    out = run(admin, *d, "import", str(folder))
    assert out.returncode == 2 and "Traceback" not in out.stderr and "thư mục" in out.stderr


# --- fuzzing --------------------------------------------------------------------------------


def _fuzz(tmp_path: Path, item: tuple[str, bytes]) -> None:
    suffix, data = item
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    assert fuzz_problems(read_outcome(path)) == []


_SETTINGS = {"deadline": None, "database": None,
             "suppress_health_check": [HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow]}  # fmt: skip


@settings(max_examples=300, **_SETTINGS)  # type: ignore[arg-type]
@given(item=fuzz_files())
def test_fuzz_random_files(tmp_path: Path, item: tuple[str, bytes]) -> None:
    _fuzz(tmp_path, item)


@pytest.mark.slow
@settings(max_examples=5000, **_SETTINGS)  # type: ignore[arg-type]
@given(item=fuzz_files())
def test_fuzz_random_files_long(tmp_path: Path, item: tuple[str, bytes]) -> None:
    _fuzz(tmp_path, item)


@pytest.mark.slow
@settings(max_examples=300, **_SETTINGS)  # type: ignore[arg-type]
@given(item=fuzz_files())
def test_fuzz_through_the_database(station, tmp_path: Path, item: tuple[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    from tests.hostile_registers import import_outcome

    suffix, data = item
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    out = import_outcome(station, path)
    assert out.crashed is None, out.crashed
    assert out.refused is not None or out.rows >= 0

