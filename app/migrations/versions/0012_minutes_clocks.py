"""Minutes of reception and their follow-up; legal clocks and dialogue documents.

Revision ID: 0012
Revises: 0011

``reception_conclusion`` keeps what a leader concluded for each citizen received (the "Biên bản /
Thông báo kết luận tiếp công dân"), the body given the task and the date it must report by, open
until that body reports. The new legal clocks (Luật Tiếp công dân art. 28 k1, the legal effect of a
complaint decision, its enforcement) and the new documents and actions (notice, dialogue notice and
minutes) need no schema change: rule codes, document types and actions are stored as short codes
(``CodeEnum``: a VARCHAR, no native enum on PostgreSQL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.models.base import TZDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reception_conclusion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("leader_name", sa.String(length=120), nullable=True),
        sa.Column("conclusions", sa.Text(), nullable=False),
        sa.Column("assigned_agency_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("report_note", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TZDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_reception_conclusion_visit_id_visit")),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petition.id"], name=op.f("fk_reception_conclusion_petition_id_petition")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["issued_document.id"], name=op.f("fk_reception_conclusion_document_id_issued_document")
        ),
        sa.ForeignKeyConstraint(
            ["assigned_agency_id"], ["agency.id"], name=op.f("fk_reception_conclusion_assigned_agency_id_agency")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_reception_conclusion_created_by_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reception_conclusion")),
    )
    op.create_index(op.f("ix_reception_conclusion_visit_id"), "reception_conclusion", ["visit_id"], unique=False)
    op.create_index(op.f("ix_reception_conclusion_petition_id"), "reception_conclusion", ["petition_id"], unique=False)
    op.create_index(op.f("ix_reception_conclusion_due_on"), "reception_conclusion", ["due_on"], unique=False)
    op.create_index(op.f("ix_reception_conclusion_status"), "reception_conclusion", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reception_conclusion_status"), table_name="reception_conclusion")
    op.drop_index(op.f("ix_reception_conclusion_due_on"), table_name="reception_conclusion")
    op.drop_index(op.f("ix_reception_conclusion_petition_id"), table_name="reception_conclusion")
    op.drop_index(op.f("ix_reception_conclusion_visit_id"), table_name="reception_conclusion")
    op.drop_table("reception_conclusion")
