"""the hub's search: a word's first letters as terms of their own

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

PostgreSQL only (a station searches with FTS5: nothing changes there). The GIN index of the
folded names' words also holds each word's first one, two and three letters as terms ("nguyen
van an" → nguyen, van, an, 1n 2ng 3ngu, 1v 2va 3van, 1a 2an 3an), so a query's prefix of
up to three letters is one exact term: ``a:*`` or ``sin:*`` walked every word they start on a
million names, and such queries made the hub's p95 65 ms (bench/hub.py); longer prefixes stay
``word:*``. Names hold letters only, so the digit-led terms meet no real word.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_WITH_PREFIXES = (r"to_tsvector('simple'::regconfig, (search_name::text || ' '::text) || "
                  r"regexp_replace(search_name::text, '(\S)(\S)?(\S)?\S*'::text, "
                  r"'1\1 2\1\2 3\1\2\3'::text, 'g'::text))")
_WORDS = "to_tsvector('simple', search_name)"


def _index(expression: str) -> None:
    op.drop_index("ix_resident_search_words", table_name="resident")
    op.create_index("ix_resident_search_words", "resident", [sa.text(expression)],
                    postgresql_using="gin")  # fmt: skip


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _index(_WITH_PREFIXES)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _index(_WORDS)
