"""Sổ mật mode: opaque references for denouncers' identities.

In "sổ mật" mode a denouncer's identity leaves the networked database for a standalone workstation;
``secret_reference`` keeps the reference (``TC-2026-004217``) that stands in the citizen record and
where the identity is (awaiting transfer, exported in package X, confirmed). The confidential store
has its own schema in its own file (app.models.secret_register.StoreBase), never in this database.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import TZDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "secret_reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("created_at", TZDateTime(), nullable=False),
        sa.Column("exported_at", TZDateTime(), nullable=True),
        sa.Column("package_id", sa.String(length=40), nullable=True),
        sa.Column("confirmed_at", TZDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizen.id"], name=op.f("fk_secret_reference_citizen_id_citizen")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secret_reference")),
        sa.UniqueConstraint("citizen_id", name=op.f("uq_secret_reference_citizen_id")),
        sa.UniqueConstraint("reference", name=op.f("uq_secret_reference_reference")),
    )
    op.create_index(op.f("ix_secret_reference_state"), "secret_reference", ["state"], unique=False)
    op.create_index(op.f("ix_secret_reference_package_id"), "secret_reference", ["package_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_secret_reference_package_id"), table_name="secret_reference")
    op.drop_index(op.f("ix_secret_reference_state"), table_name="secret_reference")
    op.drop_table("secret_reference")
