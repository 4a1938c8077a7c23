"""campaign: card issue dates and residents no longer counted

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

Issue 14 (the campaign): the register's card issue date (``Ngày cấp``), which decides who must
renew at 14, 25, 40 and 60; and why a resident no longer counts towards coverage (deceased,
moved away, a duplicate record of someone else), recorded by the supervisor, never by deleting.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("resident", sa.Column("card_issued", sa.Date(), nullable=True))
    op.add_column("resident", sa.Column("life_status", sa.String(length=12), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("resident") as b:
        b.drop_column("life_status")
        b.drop_column("card_issued")
