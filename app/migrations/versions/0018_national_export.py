"""National-database export marks, and the origin of a received report.

``national_export_mark`` keeps, per petition, the hash of its case record as last exported to the
national database (Nghị định 55/2022), so a later export marks each record new / changed /
unchanged. ``received_package`` gains ``origin`` (``package``: a signed package; ``workbook``: a
hand-filled form workbook imported without a signature) and ``unread_json`` (the cells of such a
workbook that could not be read, with the reason). Plain ``add_column``: works on SQLite and
PostgreSQL alike.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import TZDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "national_export_mark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("record_hash", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("first_exported_at", TZDateTime(), nullable=False),
        sa.Column("last_exported_at", TZDateTime(), nullable=False),
        sa.Column("exported_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petition.id"],
            name=op.f("fk_national_export_mark_petition_id_petition"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["exported_by"], ["app_user.id"], name=op.f("fk_national_export_mark_exported_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_national_export_mark")),
        sa.UniqueConstraint("petition_id", name=op.f("uq_national_export_mark_petition_id")),
    )
    op.add_column(
        "received_package",
        sa.Column("origin", sa.String(length=20), nullable=False, server_default="package"),
    )
    op.add_column("received_package", sa.Column("unread_json", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("received_package", "unread_json")
    op.drop_column("received_package", "origin")
    op.drop_table("national_export_mark")
