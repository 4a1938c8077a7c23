"""redo reasons and DC01 fields

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Issue 11: a second enrollment of a person with an open one is a deliberate "làm lại hồ sơ"
(reason, note, the open enrollment's uuid), and a person added at the desk keeps the DC01
fields the register has no column for. All nullable: existing rows need nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (SQLite does it in place): a batch copy of the resident table would drop
    # the search index's triggers (0001) and rewrite a million rows.
    op.add_column("enrollment", sa.Column("redo_reason", sa.String(length=20), nullable=True))
    op.add_column("enrollment", sa.Column("redo_note", sa.Text(), nullable=True))
    op.add_column("enrollment", sa.Column("redo_of", sa.String(length=36), nullable=True))
    op.add_column("resident", sa.Column("extra", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resident", schema=None) as batch_op:
        batch_op.drop_column("extra")
    with op.batch_alter_table("enrollment", schema=None) as batch_op:
        batch_op.drop_column("redo_of")
        batch_op.drop_column("redo_note")
        batch_op.drop_column("redo_reason")
