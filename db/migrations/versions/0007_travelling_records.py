"""travelling records

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Issue 12 (field sync), DESIGN §11's travelling-record model:

- the supervisor's decisions and what happens to an enrollment afterwards (card ready,
  delivered) become records of their own (``enrollment_event``); the status is their
  projection, so a laptop re-exporting an enrollment HQ has since approved changes nothing;
- a submitted enrollment's captured content gets a content hash (``enrollment.content_hash``);
- audit events name the officer by UUID in what is hashed (``hash_v`` 2; older events keep the
  hash they were written with), and the chains of other stations are kept per origin station
  (``origin_audit_event``, their own sequence);
- what is unique within a station is unique per station: a register's personal ID, an
  officer's user name, a slip number (headquarters holds the laptops' officers and slips);
- what the merge leaves for the supervisor (``sync_case``), field persons linked to register
  residents (``resident_alias``), what a receipt acknowledged (``sync_ack``), the state of each
  paired station's trips, and training stations.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
_VALUES = (
    "{r}.id, {r}.search_name, "
    "'0y' || coalesce({r}.birth_year, '') || ' 0v' || replace(coalesce({r}.village_key, ''), ' ', ''), "
    "{r}.sort_key, coalesce({r}.birth_date, CAST({r}.birth_year AS TEXT), '9999')"
)
# The search index's triggers (0001): SQLite drops them with the table a rebuild replaces.
_TRIGGERS = (
    "CREATE TRIGGER resident_fts_ai AFTER INSERT ON resident "
    "WHEN NOT EXISTS (SELECT 1 FROM fts_bulk) BEGIN "
    "INSERT INTO resident_fts(rowid, search_name, tags, sort_key, birth) "
    f"VALUES ({_VALUES.format(r='new')}); END",
    "CREATE TRIGGER resident_fts_ad AFTER DELETE ON resident BEGIN "
    "DELETE FROM resident_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER resident_fts_au AFTER UPDATE ON resident "
    "WHEN old.search_name IS NOT new.search_name OR old.sort_key IS NOT new.sort_key "
    "OR old.birth_date IS NOT new.birth_date OR old.birth_year IS NOT new.birth_year "
    "OR old.village_key IS NOT new.village_key BEGIN "
    "DELETE FROM resident_fts WHERE rowid = old.id; "
    "INSERT INTO resident_fts(rowid, search_name, tags, sort_key, birth) "
    f"VALUES ({_VALUES.format(r='new')}); END",
)
#: (table, column unique until now, name of the per-station constraint)
_PER_STATION = (
    ("resident", "personal_id", "uq_resident_station_personal_id"),
    ("officer", "username", "uq_officer_station_username"),
    ("enrollment", "receipt_no", "uq_enrollment_station_receipt_no"),
)


def _per_station_unique() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # A rebuild drops and renames tables others refer to (the same ids come back), so
        # references are not checked during it (SQLite's documented procedure: foreign keys
        # off, rebuild, foreign_key_check, on). Partial indexes are not carried through a
        # rebuild's reflection: made again after.
        op.execute("PRAGMA foreign_keys = OFF")
        op.drop_index("ix_resident_match_key", table_name="resident")
        op.drop_index("ix_resident_old_id", table_name="resident")
    for table, column, name in _PER_STATION:
        with op.batch_alter_table(table, recreate="auto", naming_convention=_NAMING) as b:
            b.drop_constraint(f"uq_{table}_{column}" if sqlite else f"{table}_{column}_key",
                              type_="unique")  # fmt: skip
            b.create_unique_constraint(name, ["station_id", column])
    if sqlite:
        op.create_index("ix_resident_match_key", "resident", ["match_key"],
                        sqlite_where=sa.text("personal_id IS NULL"))  # fmt: skip
        op.create_index("ix_resident_old_id", "resident", ["old_id"],
                        sqlite_where=sa.text("old_id IS NOT NULL"))  # fmt: skip
        for ddl in _TRIGGERS:
            op.execute(ddl)
        broken = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the rebuild: {len(broken)} rows")
        op.execute("PRAGMA foreign_keys = ON")


def upgrade() -> None:
    op.add_column("station", sa.Column("training", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))  # fmt: skip
    op.add_column("enrollment", sa.Column("content_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_event", sa.Column("officer_uuid", sa.String(length=36), nullable=True))
    op.add_column("audit_event", sa.Column("hash_v", sa.Integer(), nullable=False,
                                           server_default="1"))  # fmt: skip
    for name, kind in (
        ("last_bundle_at", sa.DateTime()), ("last_bundle_seq", sa.Integer()),
        ("bundles_out", sa.Integer()), ("audit_seq", sa.Integer()),
        ("audit_hash", sa.String(length=64)), ("last_slip", sa.JSON()),
        ("receipt_at", sa.DateTime()), ("held", sa.Integer()), ("drafts", sa.Integer()),
    ):  # fmt: skip
        op.add_column("paired_station", sa.Column(name, kind, nullable=True))
    op.create_table(
        "enrollment_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("enrollment_uuid", sa.String(length=36), nullable=False, index=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("actor_uuid", sa.String(length=36), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
    )
    op.create_table(
        "origin_audit_event",
        sa.Column("station_id", sa.String(length=36), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=26), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("officer_uuid", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=True),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("hash_v", sa.Integer(), nullable=False),
    )
    op.create_table(
        "sync_case",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("origin_station_id", sa.String(length=36), nullable=False),
        sa.Column("subject_uuid", sa.String(length=36), nullable=False, index=True),
        sa.Column("other_uuid", sa.String(length=36), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=True),
        sa.Column("bundle_uuid", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=36), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
    )
    op.create_table(
        "resident_alias",
        sa.Column("uuid", sa.String(length=36), primary_key=True),
        sa.Column("resident_id", sa.Integer(), sa.ForeignKey("resident.id"), nullable=False),
        sa.Column("station_id", sa.String(length=36), nullable=False),
    )
    op.create_table(
        "sync_ack",
        sa.Column("peer_id", sa.String(length=36), primary_key=True),
        sa.Column("kind", sa.String(length=12), primary_key=True),
        sa.Column("uuid", sa.String(length=36), primary_key=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("receipt_uuid", sa.String(length=36), nullable=False),
        sa.Column("acked_at", sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table("sync_bundle") as b:
        b.add_column(sa.Column("kind", sa.String(length=12), nullable=True))
        b.add_column(sa.Column("seq", sa.Integer(), nullable=True))
    _per_station_unique()
    _decisions_as_events()


def _decisions_as_events() -> None:
    """Each decision taken so far becomes its event (the projection then gives the same
    status); the hash is over the same fields as db/events.py hashes."""
    from db.events import event_content_hash
    from db.models import new_uuid

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT e.uuid, e.status, e.reviewed_at, e.review_note, e.updated_at, o.uuid, s.id "
        "FROM enrollment e LEFT JOIN officer o ON o.id = e.reviewed_by_id "
        "CROSS JOIN (SELECT id FROM station LIMIT 1) s "
        "WHERE e.status IN ('approved', 'returned', 'card_ready', 'delivered')"
    )).fetchall()  # fmt: skip
    for uuid, status, reviewed_at, note, updated_at, officer, station in rows:
        kinds = {"returned": ["return"], "approved": ["approve"],
                 "card_ready": ["approve", "card_ready"],
                 "delivered": ["approve", "card_ready", "delivered"]}[status]  # fmt: skip
        for kind in kinds:
            at = (reviewed_at if kind in ("approve", "return") else None) or updated_at
            at_s = str(at)
            values = {"uuid": new_uuid(), "station_id": station, "enrollment_uuid": uuid,
                      "kind": kind, "actor_uuid": officer if kind in ("approve", "return")
                      else None, "at": at,
                      "note": note if kind in ("approve", "return") else None}  # fmt: skip
            values["content_hash"] = event_content_hash(
                values["uuid"], station, uuid, kind, values["actor_uuid"], at_s, values["note"]
            )
            conn.execute(sa.text(
                "INSERT INTO enrollment_event (uuid, station_id, enrollment_uuid, kind, "
                "actor_uuid, at, note, content_hash) VALUES (:uuid, :station_id, "
                ":enrollment_uuid, :kind, :actor_uuid, :at, :note, :content_hash)"), values)


def downgrade() -> None:
    raise NotImplementedError("travelling records cannot be folded back")
