"""fingerprint impression, device score, image format

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

Issue 13: a print is flat, rolled or cut from a slap; the scanner's own score is kept beside
ours; the image is WSQ (or PNG); each attempt's score and the condition's note are kept. One
row per enrollment, finger and impression. Existing rows (none were written before this
issue) read as flat.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = (
    sa.Column("impression", sa.String(length=8), server_default="flat", nullable=False),
    sa.Column("image_format", sa.String(length=8), nullable=True),
    sa.Column("device_score", sa.Integer(), nullable=True),
    sa.Column("attempt_scores", sa.JSON(), nullable=True),
    sa.Column("note", sa.Text(), nullable=True),
    sa.Column("device", sa.String(length=80), nullable=True),
)


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("fingerprint", column)
    op.create_index("ux_fingerprint_finger", "fingerprint",
                    ["enrollment_id", "finger", "impression"], unique=True)  # fmt: skip


def downgrade() -> None:
    op.drop_index("ux_fingerprint_finger", table_name="fingerprint")
    with op.batch_alter_table("fingerprint", schema=None) as batch_op:
        for column in reversed(COLUMNS):
            batch_op.drop_column(column.name)
