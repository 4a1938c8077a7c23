"""enrollment lifecycle

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

Enrollment lifecycle (issue 4): recorded exceptions, the supervisor's review, corrections as new
enrollments, an index for tallies by submission day, the per-station-year slip counter and the
station's slip code.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "slip_counter",
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["station_id"], ["station.id"]),
        sa.PrimaryKeyConstraint("station_id", "year"),
    )
    with op.batch_alter_table("enrollment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("exceptions", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(
            sa.Column("has_exception", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("reviewed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("review_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("corrects_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            "ix_enrollment_submitted_at",
            ["submitted_at", "status", "officer_id", "place", "has_exception", "resident_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            "fk_enrollment_corrects_id", "enrollment", ["corrects_id"], ["id"]
        )
        batch_op.create_foreign_key(
            "fk_enrollment_reviewed_by_id", "officer", ["reviewed_by_id"], ["id"]
        )

    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slip_code", sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("station", schema=None) as batch_op:
        batch_op.drop_column("slip_code")

    with op.batch_alter_table("enrollment", schema=None) as batch_op:
        batch_op.drop_constraint("fk_enrollment_reviewed_by_id", type_="foreignkey")
        batch_op.drop_constraint("fk_enrollment_corrects_id", type_="foreignkey")
        batch_op.drop_index("ix_enrollment_submitted_at")
        batch_op.drop_column("corrects_id")
        batch_op.drop_column("review_note")
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by_id")
        batch_op.drop_column("has_exception")
        batch_op.drop_column("exceptions")

    op.drop_table("slip_counter")
