"""Command-line sessions: the hashed token of each ``python -m app login``, so it can expire and be revoked.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import TZDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cli_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", TZDateTime(), nullable=False),
        sa.Column("expires_at", TZDateTime(), nullable=False),
        sa.Column("revoked_at", TZDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_cli_session_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cli_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_cli_session_token_hash")),
    )
    op.create_index(op.f("ix_cli_session_user_id"), "cli_session", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_cli_session_user_id"), table_name="cli_session")
    op.drop_table("cli_session")
