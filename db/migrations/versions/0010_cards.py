"""cards that come back and go out

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

Issue 17 (cards): the card's arrival and its handover are the ``card_ready`` and ``delivered``
events of 0007 (travelling records, DESIGN §11); a handover also says how it went — at the
office, at home (where) or by post (``enrollment_event.place`` and ``place_note``). The tally
counts them by the event's time (``ix_enrollment_event_kind_at``). A mobile laptop that takes
a card to a bedridden person's home holds a copy of what the handover needs — the slip number,
the arrival, the portrait on file — in ``card_copy``: headquarters keeps the enrollment.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("enrollment_event", sa.Column("place", sa.String(length=8), nullable=True))
    op.add_column("enrollment_event", sa.Column("place_note", sa.Text(), nullable=True))
    op.create_index("ix_enrollment_event_kind_at", "enrollment_event", ["kind", "at"])
    op.create_table(
        "card_copy",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("enrollment_uuid", sa.String(length=36), nullable=False, unique=True),
        sa.Column("station_id", sa.String(length=36), nullable=False),
        sa.Column("resident_uuid", sa.String(length=36), nullable=False, index=True),
        sa.Column("slip_no", sa.String(length=32), nullable=True),
        sa.Column("arrived_at", sa.DateTime(), nullable=False),
        sa.Column("portrait", sa.LargeBinary(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("card_copy")
    op.drop_index("ix_enrollment_event_kind_at", table_name="enrollment_event")
    with op.batch_alter_table("enrollment_event") as b:
        b.drop_column("place_note")
        b.drop_column("place")
