"""Filed-petition retention: the paper of a filed petition disposed of once its retention passed.

Revision ID: 0013
Revises: 0012

The visit's legal details of this round (online reception, delegated periodic reception) were
already stored by 0008; the crowd-representative rule and the retention period are settings. The
only new data is ``petition_disposal``: which filed petition's paper was destroyed, when, under which
minutes, by whom. The petition row stays.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import TZDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "petition_disposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("disposed_on", sa.Date(), nullable=False),
        sa.Column("minutes_ref", sa.String(length=120), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", TZDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petition.id"], name=op.f("fk_petition_disposal_petition_id_petition"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["app_user.id"], name=op.f("fk_petition_disposal_recorded_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_disposal")),
        sa.UniqueConstraint("petition_id", name=op.f("uq_petition_disposal_petition_id")),
    )


def downgrade() -> None:
    op.drop_table("petition_disposal")
