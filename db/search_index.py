"""The search projection (table resident_fts, created by migration 0001).

A compact FTS5 table: the folded name and two tag tokens (birth year, village) are indexed; the
sort key and birth are carried unindexed, so that ranking and filtering read only this table.
The migration's triggers keep it in step row by row; a bulk import indexes each chunk with
``INDEX_NEW`` instead (see the fts_bulk flag in the migration);
``tests/db/test_search_index.py`` checks that both paths agree.
"""

from __future__ import annotations

BIRTH_EXPR = "coalesce(birth_date, CAST(birth_year AS TEXT), '9999')"
TAGS_EXPR = (
    "'0y' || coalesce(birth_year, '') || ' 0v' || replace(coalesce(village_key, ''), ' ', '')"
)
INDEX_NEW = (
    "INSERT INTO resident_fts(rowid, search_name, tags, sort_key, birth) "
    f"SELECT id, search_name, {TAGS_EXPR}, sort_key, {BIRTH_EXPR} FROM resident WHERE id > ?"
)


def year_tag(year: int) -> str:
    return f'"0y{year}"'


def village_tag(village_key: str, prefix: bool = False) -> str:
    return f'"0v{village_key.replace(" ", "")}"' + ("*" if prefix else "")
