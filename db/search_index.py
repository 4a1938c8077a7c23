"""The search projection (table resident_fts, created by migration 0001).

A compact FTS5 table: the folded name is indexed; the sort key, birth and village are carried
unindexed so that ranking and filtering read only this table. The migration's triggers keep it
in step row by row; a bulk import indexes each chunk with ``INDEX_NEW`` instead (see the
fts_bulk flag in the migration). ``tests/db/test_search_index.py`` checks both paths agree.
"""

from __future__ import annotations

BIRTH_EXPR = "coalesce(birth_date, CAST(birth_year AS TEXT), '9999')"
INDEX_NEW = (
    "INSERT INTO resident_fts(rowid, search_name, sort_key, birth, village_key) "
    f"SELECT id, search_name, sort_key, {BIRTH_EXPR}, village_key FROM resident WHERE id > ?"
)
