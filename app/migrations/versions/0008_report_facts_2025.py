"""Facts the forms of Thông tư 01/2024 and 06/2025 count: delegated and online reception.

Revision ID: 0008
Revises: 0007

Biểu 01/TCD splits the head's periodic reception into received in person by the head (trực tiếp) and
delegated to a deputy (ủy quyền); Luật 136/2025/QH15 makes online reception (trực tuyến) a form of
reception from 01/07/2026. Both are recorded on the visit; existing visits were neither.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch table copy): the visit table carries FTS triggers.
    op.add_column("visit", sa.Column("delegated", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("visit", sa.Column("is_online", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("visit") as batch_op:
        batch_op.drop_column("is_online")
        batch_op.drop_column("delegated")
