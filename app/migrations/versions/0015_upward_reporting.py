"""Upward reporting: the subordinate units an upper office declares and the report packages it receives.

``subordinate_unit`` holds each declared unit (a commune of the province, a department) with the
Ed25519 public key pinned from its first package; ``received_package`` holds every package received,
its figures as JSON, and which later package replaced it.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import TZDateTime

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subordinate_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=True),
        sa.Column("key_pinned_at", TZDateTime(), nullable=True),
        sa.Column("created_at", TZDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subordinate_unit")),
        sa.UniqueConstraint("code", name=op.f("uq_subordinate_unit_code")),
    )
    op.create_table(
        "received_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("form_version", sa.String(length=20), nullable=False),
        sa.Column("body_name", sa.String(length=300), nullable=False),
        sa.Column("made_at", TZDateTime(), nullable=False),
        sa.Column("received_at", TZDateTime(), nullable=False),
        sa.Column("file_name", sa.String(length=400), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("figures_json", sa.Text(), nullable=False),
        sa.Column("replaced_at", TZDateTime(), nullable=True),
        sa.Column("replaced_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["subordinate_unit.id"], name=op.f("fk_received_package_unit_id_subordinate_unit")
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"],
            ["received_package.id"],
            name=op.f("fk_received_package_replaced_by_id_received_package"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_package")),
    )
    op.create_index(
        "ix_received_package_unit_period",
        "received_package",
        ["unit_id", "period_start", "period_end"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_received_package_unit_period", table_name="received_package")
    op.drop_table("received_package")
    op.drop_table("subordinate_unit")
