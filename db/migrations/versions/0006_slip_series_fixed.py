"""slip series fixed per station

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Issue 12: a station's slip series is fixed at init and kept on the station row, so field sync
can keep every station's numbers apart. A station made before keeps the series its numbers
were printed with: the commune's initials, now stored.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from db.slip_series import derive_code

    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, commune FROM station WHERE slip_code IS NULL"))
    for station_id, commune in rows.fetchall():
        conn.execute(sa.text("UPDATE station SET slip_code = :code WHERE id = :id"),
                     {"code": derive_code(commune or ""), "id": station_id})  # fmt: skip


def downgrade() -> None:
    """Nothing to undo: a stored series reads the same as the derived one."""
