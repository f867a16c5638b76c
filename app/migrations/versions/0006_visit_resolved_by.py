"""The reception register's column 7 (Mẫu số 03, Thông tư 04/2021/TT-TTCP): the body that already
resolved the matter before this reception ("Cơ quan đã giải quyết"), as the citizen states it.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit") as batch_op:
        batch_op.add_column(sa.Column("resolved_by", sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("visit") as batch_op:
        batch_op.drop_column("resolved_by")
