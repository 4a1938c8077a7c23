"""the district hub: official place codes, scoping by origin, the hub's search

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

Issue 15 (the hub on PostgreSQL, DESIGN §12). The same models and migrations serve a station's
SQLite file and the hub's PostgreSQL database:

- ``station.province_code`` and ``commune_code``: the official codes (db/places.py), so the
  hub groups "Nà Hỳ" and "Na Hy" as one commune; a station set up before this gets them here by
  matching its typed names (none when nothing, or more than one commune, matches).
- ``station.hq_id``: on the hub, the commune headquarters a mobile laptop's records come
  through (its records are accepted from that HQ only).
- ``resident.sort_key`` (db/text.sort_key) is rewritten without U+0000, which PostgreSQL text
  cannot hold: U+0002 between words, U+0001 after the letters — the same order.
- ``peer_audit_head``: on a headquarters, the head of each chain (its own, its laptops') that
  the hub's signed receipt acknowledged, so the next bundle for the hub carries only what follows.
- On PostgreSQL only, the counterparts of the stations' FTS5 index: a GIN index over the
  folded name's words (``to_tsvector('simple', search_name)``, prefix queries like FTS5's) and
  an index on the personal ID across stations (the cross-commune duplicate list, ID search).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("station") as b:
        b.add_column(sa.Column("province_code", sa.String(length=2), nullable=True))
        b.add_column(sa.Column("commune_code", sa.String(length=5), nullable=True))
        b.add_column(sa.Column("hq_id", sa.String(length=36), nullable=True))
    op.create_table(
        "peer_audit_head",
        sa.Column("peer_id", sa.String(length=36), primary_key=True),
        sa.Column("station_id", sa.String(length=36), primary_key=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_resident_search_words", "resident",
                        [sa.text("to_tsvector('simple', search_name)")],
                        postgresql_using="gin")  # fmt: skip
        op.create_index("ix_resident_personal_id", "resident", ["personal_id"],
                        postgresql_where=sa.text("personal_id IS NOT NULL"))  # fmt: skip
        # the reports scope every query to one commune's stations (db/hub/reports.py)
        op.create_index("ix_resident_station_id", "resident", ["station_id"])
        op.create_index("ix_enrollment_station_submitted", "enrollment",
                        ["station_id", "submitted_at"])  # fmt: skip
    if op.get_bind().dialect.name == "sqlite":
        _sort_keys()
    _codes()


def _sort_keys() -> None:
    """db/text.sort_key without U+0000, in Python: SQLite's replace() takes char(0) for an
    empty string and leaves it."""
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, sort_key FROM resident")).fetchall()
    changed = [{"id": rid, "k": key.replace("\x01", "\x02").replace("\x00", "\x01")}
               for rid, key in rows if "\x00" in key]
    for at in range(0, len(changed), 5000):
        conn.execute(sa.text("UPDATE resident SET sort_key = :k WHERE id = :id"),
                     changed[at : at + 5000])


def _codes() -> None:
    from db import places

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, commune, province FROM station")).fetchall()
    for sid, commune, province in rows:
        c = places.find_commune(commune, province)
        p = places.by_code(c.province_code) if c else places.find_province(province)
        conn.execute(sa.text("UPDATE station SET commune_code = :c, province_code = :p "
                             "WHERE id = :id"),
                     {"c": c.code if c else None, "p": p.code if p else None, "id": sid})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_enrollment_station_submitted", table_name="enrollment")
        op.drop_index("ix_resident_station_id", table_name="resident")
        op.drop_index("ix_resident_personal_id", table_name="resident")
        op.drop_index("ix_resident_search_words", table_name="resident")
    op.drop_table("peer_audit_head")
    with op.batch_alter_table("station") as b:
        b.drop_column("hq_id")
        b.drop_column("commune_code")
        b.drop_column("province_code")
