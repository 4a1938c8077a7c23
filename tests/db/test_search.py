"""Lookup the way officers type: partial words, no diacritics, any order, numbers."""

from __future__ import annotations

import unicodedata

import pytest

from db.demo.synth import rows_for_import
from db.register.importer import import_rows
from db.search import Searcher, parse_query

PEOPLE = [
    # name, birth, sex, personal id, old id, village
    ("Giàng A Sếnh", "12/03/1948", "Nam", "011048000123", "", "Nậm Chim 1"),
    ("Giàng A Sếnh", "1961", "Nam", "011061000124", "040123456", "Nà Hỳ 1"),
    ("Giàng Thị Sênh", "02/02/1990", "Nữ", "011190000125", "", "Nậm Chim 1"),
    ("Sếnh Giàng", "03/03/1991", "Nam", "", "", "Pú Đao"),
    ("Lò Văn Đức", "04/04/1980", "Nam", "011080000126", "", "Tân Phong"),
    ("Đặng Thị Hoà", "05/05/1975", "Nữ", "011175000127", "", "Pú Đao"),
    ("Nguyễn Văn An", "06/06/1970", "Nam", "001070000128", "", "Nậm Chim 2"),
    ("Lê Thị An", "07/07/1971", "Nữ", "001171000129", "", "Nậm Chim 2"),
    ("Bùi Văn Ánh", "08/08/1972", "Nam", "001072000130", "", "Nậm Chim 2"),
]
FIELDS = ("full_name", "birth_date", "sex", "personal_id", "old_id", "village")


@pytest.fixture
def searcher(station) -> Searcher:  # type: ignore[no-untyped-def]
    rows = [(i + 2, dict(zip(FIELDS, p, strict=True))) for i, p in enumerate(PEOPLE)]
    report = import_rows(station, rows, file_name="t")
    assert report.added == len(PEOPLE) and report.rejected == 0
    return Searcher(station)


def names(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.full_name for h in result.hits]


def test_partial_words_without_diacritics(searcher: Searcher) -> None:
    assert names(searcher.search("gia a se")) == ["Giàng A Sếnh", "Giàng A Sếnh"]


def test_any_word_order(searcher: Searcher) -> None:
    found = names(searcher.search("senh giang"))
    assert found[:2] == ["Sếnh Giàng", "Giàng Thị Sênh"] or set(found) >= {"Sếnh Giàng"}
    assert set(found) == {"Sếnh Giàng", "Giàng Thị Sênh", "Giàng A Sếnh"}


def test_exact_full_name_ranks_first(searcher: Searcher) -> None:
    result = searcher.search("Sếnh Giàng")
    assert result.hits[0].full_name == "Sếnh Giàng" and result.hits[0].rank == 0
    assert all(h.rank > 0 for h in result.hits[1:])


def test_d_with_stroke_and_decomposed_query(searcher: Searcher) -> None:
    assert names(searcher.search("lo van duc")) == ["Lò Văn Đức"]
    assert names(searcher.search(unicodedata.normalize("NFD", "Lò Văn Đức"))) == ["Lò Văn Đức"]
    assert names(searcher.search("ÐỨC")) == ["Lò Văn Đức"]  # U+00D0


def test_either_tone_placement(searcher: Searcher) -> None:
    assert names(searcher.search("Đặng Thị Hòa")) == ["Đặng Thị Hoà"]
    assert searcher.search("Đặng Thị Hòa").hits[0].rank == 0


def test_personal_id_old_id_and_year(searcher: Searcher) -> None:
    assert [h.birth_year for h in searcher.search("011061000124").hits] == [1961]
    assert [h.birth_year for h in searcher.search("040123456").hits] == [1961]
    assert [h.birth_year for h in searcher.search("giang a senh 1948").hits] == [1948]
    assert searcher.search("011099999999").hits == []


def test_village_in_query_or_option(searcher: Searcher) -> None:
    assert [h.village for h in searcher.search("nam chim 1 giang").hits] == ["Nậm Chim 1"] * 2
    assert names(searcher.search("giang", village="Pú Đao")) == ["Sếnh Giàng"]


def test_vietnamese_order_within_a_rank(searcher: Searcher) -> None:
    # same rank (prefix "an"): given names An, An, Ánh; then middle Thị < Văn
    assert names(searcher.search("an", village="Nậm Chim 2")) == [
        "Lê Thị An", "Nguyễn Văn An", "Bùi Văn Ánh",
    ]  # fmt: skip


def test_same_name_told_apart_by_birth(searcher: Searcher) -> None:
    hits = searcher.search("giang a senh").hits
    assert [h.birth_display for h in hits] == ["12/03/1948", "1961"]


def test_nothing_and_empty(searcher: Searcher) -> None:
    assert searcher.search("xyz").hits == []
    assert searcher.search("   ").hits == []


def test_broad_query_says_there_is_more(station) -> None:  # type: ignore[no-untyped-def]
    import_rows(station, rows_for_import(3000), file_name="synth")
    result = Searcher(station).search("a", limit=20)
    assert len(result.hits) == 20 and result.more


def test_parse_query() -> None:
    q = parse_query("Sùng A Vàng 1950 011050000001")
    assert q.words == ("sung", "a", "vang") and q.year == 1950
    assert q.personal_id == "011050000001"
    assert parse_query("040.123.456").old_id == "040123456"


def test_typing_left_to_right_finds_the_last_word_as_a_prefix(searcher: Searcher) -> None:
    assert names(searcher.search("nguyen van a")) == ["Nguyễn Văn An"]
    assert names(searcher.search("bui van a")) == ["Bùi Văn Ánh"]


def test_whole_words_rank_before_prefixes(searcher: Searcher) -> None:
    hits = searcher.search("an").hits  # An (whole word) before Ánh (prefix)
    assert [h.full_name for h in hits] == ["Lê Thị An", "Nguyễn Văn An", "Bùi Văn Ánh"]
    assert [h.rank for h in hits] == [3, 3, 4]


def test_village_option_covers_numbered_villages(searcher: Searcher) -> None:
    found = {h.village for h in searcher.search("thi", village="nam chim").hits}
    assert found == {"Nậm Chim 1", "Nậm Chim 2"}


def test_year_or_village_alone_lists_people(searcher: Searcher) -> None:
    assert names(searcher.search("1948")) == ["Giàng A Sếnh"]
    assert names(searcher.search("Nậm Chim 1")) == ["Giàng A Sếnh", "Giàng Thị Sênh"]
    assert names(searcher.search("nam chim 1 1990")) == ["Giàng Thị Sênh"]
