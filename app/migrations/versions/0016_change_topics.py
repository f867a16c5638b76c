"""Change counters per table (change_topic), so desks see each other's commits.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_topic",
        sa.Column("topic", sa.String(60), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("topic", name=op.f("pk_change_topic")),
    )


def downgrade() -> None:
    op.drop_table("change_topic")
