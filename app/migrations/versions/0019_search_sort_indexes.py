"""Search and sort indexes: on PostgreSQL trigram indexes over the folded search columns (SQLite
has its FTS5 tables); on both, ``visit(citizen_id, deleted_at)`` in place of ``visit(citizen_id)``,
so the list sorted by citizen name streams from indexes instead of sorting every visit; and the
covering indexes the leader's dashboard counts from (visits, petitions, deadlines per month).

The word-prefix search of ``app.services.reception.search`` is a regular expression over the
folded text; ``pg_trgm``'s GIN operator class serves regular expressions and ``LIKE '%…%'`` from
the index, so a name nobody has is answered without reading the table. ``pg_trgm`` is a trusted
extension (PostgreSQL 13+): the database owner may create it. Where it cannot be had, the search
stays correct, only slower, and the upgrade goes on.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

# (index name, table, folded column)
INDEXES = (
    ("ix_citizen_name_trgm", "citizen", "name_folded"),
    ("ix_visit_summary_trgm", "visit", "summary_folded"),
    ("ix_petition_summary_trgm", "petition", "summary_folded"),
)


DASHBOARD = (
    (
        "ix_visit_dashboard",
        "visit",
        ["received_on", "matter_kind", "field_code", "is_crowd", "head_count", "deleted_at"],
    ),
    ("ix_petition_dashboard", "petition", ["received_on", "kind", "field_code", "deleted_at"]),
    ("ix_deadline_dashboard", "deadline", ["status", "rule_code", "met_on", "due_on", "petition_id"]),
)
DELETED = sa.text("deleted_at IS NOT NULL")


def upgrade() -> None:
    op.create_index("ix_visit_citizen_live", "visit", ["citizen_id", "deleted_at"])
    op.drop_index("ix_visit_citizen_id", table_name="visit")
    for name, table, columns in DASHBOARD:
        op.create_index(name, table, columns)
    op.create_index("ix_petition_deleted", "petition", ["id"], sqlite_where=DELETED, postgresql_where=DELETED)
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        log.warning("pg_trgm unavailable, text search without an index: %s", exc.orig)
        return
    for name, table, column in INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def downgrade() -> None:
    op.drop_index("ix_petition_deleted", table_name="petition")
    for name, table, _columns in DASHBOARD:
        op.drop_index(name, table_name=table)
    op.create_index("ix_visit_citizen_id", "visit", ["citizen_id"])
    op.drop_index("ix_visit_citizen_live", table_name="visit")
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _table, _column in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
