"""The respondent's folded name: related petitions match "ÔNG LÊ VĂN A" and "ông Lê Văn A" alike.

Revision ID: 0007
Revises: 0006

SQLite's ``lower()`` folds ASCII letters only, so comparing respondents with it found different
petitions on SQLite and on PostgreSQL. The folded key (lower case, tone-free, đ→d: the same fold
as every other search key) is stored and compared instead; existing rows are folded here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from app.services.common.text import fold

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (no batch table copy): the petition table carries FTS triggers.
    op.add_column("petition", sa.Column("respondent_folded", sa.String(length=300), nullable=True))
    op.create_index(op.f("ix_petition_respondent_folded"), "petition", ["respondent_folded"], unique=False)
    petition = sa.table(
        "petition", sa.column("id", sa.Integer), sa.column("respondent_name"), sa.column("respondent_folded")
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(petition.c.id, petition.c.respondent_name).where(petition.c.respondent_name.is_not(None))
    )
    updates = [{"pid": pid, "folded": fold(name)} for pid, name in rows]
    if updates:
        bind.execute(
            petition.update()
            .where(petition.c.id == sa.bindparam("pid"))
            .values(respondent_folded=sa.bindparam("folded")),
            updates,
        )


def downgrade() -> None:
    op.drop_index(op.f("ix_petition_respondent_folded"), table_name="petition")
    with op.batch_alter_table("petition") as batch_op:
        batch_op.drop_column("respondent_folded")
