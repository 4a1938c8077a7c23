"""station keys and paired stations

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

Issue 12 (field sync), first part: each station's own signing and receiving keys, kept inside
the encrypted database, and the stations it has paired with.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_key",
        sa.Column("station_id", sa.String(length=36), sa.ForeignKey("station.id"),
                  primary_key=True),
        sa.Column("sign_private", sa.LargeBinary(), nullable=False),
        sa.Column("box_private", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )  # fmt: skip
    op.create_table(
        "paired_station",
        sa.Column("station_id", sa.String(length=36), primary_key=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("commune", sa.String(length=200), nullable=True),
        sa.Column("slip_code", sa.String(length=12), nullable=False),
        sa.Column("sign_public", sa.LargeBinary(), nullable=False),
        sa.Column("box_public", sa.LargeBinary(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("paired_at", sa.DateTime(), nullable=False),
        sa.Column("paired_by", sa.String(length=36), nullable=True),
        sa.Column("unpaired_at", sa.DateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("paired_station")
    op.drop_table("station_key")
