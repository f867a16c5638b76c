"""The shared waiting queue of a multi-desk office (hàng chờ): one numbered ticket per citizen checked
in at the entrance, numbered from 1 each day (unique per day), taken by one desk at a time.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import TZDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "queue_ticket",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.Text(), nullable=False),
        sa.Column("phone", sa.Text(), nullable=True),
        sa.Column("id_number", sa.Text(), nullable=True),
        sa.Column("matter", sa.String(length=300), nullable=False),
        sa.Column("crowd_size", sa.Integer(), nullable=False),
        sa.Column("checked_in_at", TZDateTime(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("desk", sa.String(length=60), nullable=True),
        sa.Column("taken_by", sa.Integer(), nullable=True),
        sa.Column("taken_at", TZDateTime(), nullable=True),
        sa.Column("finished_at", TZDateTime(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["taken_by"], ["app_user.id"], name=op.f("fk_queue_ticket_taken_by_app_user")),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_queue_ticket_visit_id_visit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_queue_ticket")),
        sa.UniqueConstraint("day", "number", name="uq_queue_ticket_day_number"),
    )
    op.create_index(op.f("ix_queue_ticket_day"), "queue_ticket", ["day"], unique=False)
    op.create_index(op.f("ix_queue_ticket_status"), "queue_ticket", ["status"], unique=False)
    op.create_index(op.f("ix_queue_ticket_visit_id"), "queue_ticket", ["visit_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_queue_ticket_visit_id"), table_name="queue_ticket")
    op.drop_index(op.f("ix_queue_ticket_status"), table_name="queue_ticket")
    op.drop_index(op.f("ix_queue_ticket_day"), table_name="queue_ticket")
    op.drop_table("queue_ticket")
