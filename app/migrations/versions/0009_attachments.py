"""Documents the citizen hands in, stored in the database; the receipt's lookup code.

Revision ID: 0009
Revises: 0008

``attachment`` keeps each file's bytes in the database (``LargeBinary``: BLOB on SQLite, BYTEA on
PostgreSQL), so every desk sees the same file and a backup carries it. ``issued_document.lookup_code``
is the short code printed on a receipt that the citizen quotes later to find the petition.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import TZDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=True),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=80), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("encrypted", sa.Boolean(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", TZDateTime(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("deleted_at", TZDateTime(), nullable=True),
        sa.Column("delete_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("petition_id IS NOT NULL OR visit_id IS NOT NULL", name=op.f("ck_attachment_owner")),
        sa.ForeignKeyConstraint(["added_by"], ["app_user.id"], name=op.f("fk_attachment_added_by_app_user")),
        sa.ForeignKeyConstraint(["petition_id"], ["petition.id"], name=op.f("fk_attachment_petition_id_petition")),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_attachment_visit_id_visit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index(op.f("ix_attachment_petition_id"), "attachment", ["petition_id"], unique=False)
    op.create_index(op.f("ix_attachment_visit_id"), "attachment", ["visit_id"], unique=False)
    op.create_index(op.f("ix_attachment_sha256"), "attachment", ["sha256"], unique=False)
    # A plain ADD COLUMN (no batch table copy); SQLite cannot add a UNIQUE column, so a unique index.
    op.add_column("issued_document", sa.Column("lookup_code", sa.String(length=12), nullable=True))
    op.create_index(op.f("ix_issued_document_lookup_code"), "issued_document", ["lookup_code"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_issued_document_lookup_code"), table_name="issued_document")
    with op.batch_alter_table("issued_document") as batch_op:
        batch_op.drop_column("lookup_code")
    op.drop_index(op.f("ix_attachment_sha256"), table_name="attachment")
    op.drop_index(op.f("ix_attachment_visit_id"), table_name="attachment")
    op.drop_index(op.f("ix_attachment_petition_id"), table_name="attachment")
    op.drop_table("attachment")
