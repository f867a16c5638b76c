"""Full-text search tables and the seed catalogues (administrative units, fields).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

from app.paths import resource
from app.services.common.text import fold

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _seed_admin_units() -> None:
    data = json.loads(resource("seeds", "admin_units.json").read_text(encoding="utf-8"))
    valid_from = dt.date.fromisoformat(data["valid_from"])
    table = sa.table(
        "admin_unit",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("name_folded", sa.String),
        sa.column("division_type", sa.String),
        sa.column("level", sa.String),
        sa.column("parent_code", sa.String),
        sa.column("valid_from", sa.Date),
    )
    rows = [
        {
            "code": p["code"],
            "name": p["name"],
            "name_folded": fold(p["name"]),
            "division_type": p["division_type"],
            "level": "tinh",
            "parent_code": None,
            "valid_from": valid_from,
        }
        for p in data["provinces"]
    ] + [
        {
            "code": c["code"],
            "name": c["name"],
            "name_folded": fold(c["name"]),
            "division_type": c["division_type"],
            "level": "xa",
            "parent_code": c["province_code"],
            "valid_from": valid_from,
        }
        for c in data["communes"]
    ]
    op.bulk_insert(table, rows)


def _seed_fields() -> None:
    data = json.loads(resource("seeds", "fields.json").read_text(encoding="utf-8"))
    table = sa.table(
        "field_category",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("parent_code", sa.String),
        sa.column("applies_to", sa.String),
        sa.column("sort_order", sa.Integer),
        sa.column("active", sa.Boolean),
    )
    op.bulk_insert(
        table,
        [
            {
                "code": f["code"],
                "name": f["name"],
                "parent_code": f["parent"],
                "applies_to": f["applies_to"],
                "sort_order": f["order"],
                "active": True,
            }
            for f in data["fields"]
        ],
    )


# SQLite only: FTS5 over the folded columns (remove_diacritics 2 folds letters with two
# marks such as ễ; đ is already folded to d in the column). PostgreSQL searches the
# same folded columns with LIKE (app.services.reception.search).
# Prefix indexes: names are searched as the clerk types, so every prefix length a word of a
# Vietnamese name can have ("nguyen" = 6) is indexed; long summaries keep short prefixes only.
FTS_TABLES = {
    "citizen_fts": ("citizen", "name_folded", "1 2 3 4 5 6"),
    "visit_fts": ("visit", "summary_folded", "1 2 3"),
    "petition_fts": ("petition", "summary_folded", "1 2 3"),
}


def _create_fts() -> None:
    for fts, (table, column, prefixes) in FTS_TABLES.items():
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', content_rowid='id', "
            f"tokenize='unicode61 remove_diacritics 2', prefix='{prefixes}')"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
            f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END"
        )
        # Rows written by an older schema are indexed now.
        op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _drop_fts() -> None:
    for fts in FTS_TABLES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {fts}")


def upgrade() -> None:
    _seed_admin_units()
    _seed_fields()
    if op.get_bind().dialect.name == "sqlite":
        _create_fts()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _drop_fts()
    op.execute("DELETE FROM field_category")
    op.execute("DELETE FROM admin_unit")
