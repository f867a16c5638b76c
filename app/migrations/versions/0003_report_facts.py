"""Report facts: the first dates of each petition's timeline, and indexes over a period.

Revision ID: 0003
Revises: 0002

``petition.handled_on`` (first direction given: accept, refuse, forward, guide, return, file) and
``petition.accepted_on`` (first acceptance) are filled from the existing events, and a decision
recorded only as an event gets its ``decided_on``. The action codes are written out here on
purpose: a migration is a snapshot and must not change when the application's lists do.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DIRECTIONS = ("thu_ly", "khong_thu_ly", "chuyen_don", "huong_dan", "tra_lai", "luu_don")


def _first(actions: tuple[str, ...]) -> str:
    listed = ", ".join(f"'{a}'" for a in actions)
    return (
        "(SELECT min(e.occurred_on) FROM petition_event e "
        f"WHERE e.petition_id = petition.id AND e.action IN ({listed}))"
    )


def upgrade() -> None:
    op.add_column("petition", sa.Column("handled_on", sa.Date(), nullable=True))
    op.add_column("petition", sa.Column("accepted_on", sa.Date(), nullable=True))
    op.execute(f"UPDATE petition SET handled_on = {_first(DIRECTIONS)}, accepted_on = {_first(('thu_ly',))}")
    op.execute(
        f"UPDATE petition SET decided_on = {_first(('ban_hanh_quyet_dinh',))} "
        "WHERE decided_on IS NULL AND result IS NOT NULL"
    )
    # After the updates: with an index led by the action, the planner (no statistics yet) may scan
    # it for every petition instead of looking up the petition's own events.
    op.create_index("ix_petition_event_action_on_petition", "petition_event", ["action", "occurred_on", "petition_id"])
    op.create_index("ix_issued_document_issued_on_petition", "issued_document", ["issued_on", "petition_id"])


def downgrade() -> None:
    op.drop_index("ix_issued_document_issued_on_petition", table_name="issued_document")
    op.drop_index("ix_petition_event_action_on_petition", table_name="petition_event")
    with op.batch_alter_table("petition") as batch:
        batch.drop_column("accepted_on")
        batch.drop_column("handled_on")
