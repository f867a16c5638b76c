"""Rewrite migration 0001 from the current models.

Only while no release has shipped (this is the first development series): once a
database exists in an office, schema changes are new migrations made with
``scripts/new_migration.py``. Writes the file atomically so concurrent runs cannot mix.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from alembic.autogenerate import produce_migrations, render_python_code
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from app.migrations.rendering import render_item
from app.models import Base

TARGET = Path(__file__).resolve().parent.parent / "app" / "migrations" / "versions" / "0001_initial_schema.py"

HEADER = '''"""initial schema

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
'''


def main() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"target_metadata": Base.metadata, "render_as_batch": True, "render_item": render_item}
        )
        script = produce_migrations(ctx, Base.metadata)
    opts = {
        "render_as_batch": True,
        "render_item": render_item,
        "alembic_module_prefix": "op.",
        "sqlalchemy_module_prefix": "sa.",
    }
    up = render_python_code(script.upgrade_ops, **opts)
    down = render_python_code(script.downgrade_ops, **opts)
    body = HEADER + up + "\n\ndef downgrade() -> None:\n" + down + "\n"
    fd, tmp = tempfile.mkstemp(dir=TARGET.parent, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body)
    os.replace(tmp, TARGET)
    print(f"rewrote {TARGET}")


if __name__ == "__main__":
    main()
