"""home visits and register quality

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

Issue 14 (the campaign):

- home visits as travelling records (DESIGN §11): a resident on a day's plan for a team
  (``home_visit``, never edited: a rescheduled visit is a new one that follows it) and what came
  of it (``visit_outcome``); the enrollment started from a visit links it (``visit_uuid``); the
  officer's note when flagging a resident for a visit (``resident.home_visit_note``);
- pairs of residents the quality report took for one person and a supervisor said are not
  (``quality_dismissal``);
- whether the person asked for a level-2 electronic ID account (``enrollment.vneid_requested``,
  set at submission from the draft), in the tally's covering index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


#: The tally's covering index (0001's, and what it adds).
_TALLY_INDEX = ("submitted_at", "status", "officer_id", "place", "has_exception", "resident_id",
                "vneid_requested")  # fmt: skip


def upgrade() -> None:
    op.add_column("resident", sa.Column("home_visit_note", sa.Text(), nullable=True))
    op.add_column("enrollment", sa.Column("visit_uuid", sa.String(length=36), nullable=True))
    op.add_column("enrollment", sa.Column("vneid_requested", sa.Boolean(), nullable=False,
                                          server_default="0"))  # fmt: skip
    op.drop_index("ix_enrollment_submitted_at", table_name="enrollment")
    op.create_index("ix_enrollment_submitted_at", "enrollment", list(_TALLY_INDEX))
    op.create_table(
        "home_visit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("resident_uuid", sa.String(length=36), nullable=False, index=True),
        sa.Column("day", sa.Date(), nullable=False, index=True),
        sa.Column("team", sa.String(length=36), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("planned_by", sa.String(length=36), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("follows", sa.String(length=36), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
    )
    op.create_table(
        "visit_outcome",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("visit_uuid", sa.String(length=36), nullable=False, index=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("actor_uuid", sa.String(length=36), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("enrollment_uuid", sa.String(length=36), nullable=True),
        sa.Column("next_day", sa.Date(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
    )
    op.create_table(
        "quality_dismissal",
        sa.Column("a_uuid", sa.String(length=36), primary_key=True),
        sa.Column("b_uuid", sa.String(length=36), primary_key=True),
        sa.Column("by_uuid", sa.String(length=36), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("quality_dismissal")
    op.drop_table("visit_outcome")
    op.drop_table("home_visit")
    op.drop_index("ix_enrollment_submitted_at", table_name="enrollment")
    op.create_index("ix_enrollment_submitted_at", "enrollment", list(_TALLY_INDEX[:-1]))
    with op.batch_alter_table("enrollment") as b:
        b.drop_column("vneid_requested")
        b.drop_column("visit_uuid")
    with op.batch_alter_table("resident") as b:
        b.drop_column("home_visit_note")
