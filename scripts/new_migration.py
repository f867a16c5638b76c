"""Autogenerate a migration from the models: ``python scripts/new_migration.py "message"``.

It upgrades a throw-away SQLite database to head, then diffs the models against it.
Afterwards rename the file to the next number (``0003_….py``), set its ``revision`` to that
number, and set ``HEAD`` in ``app/migrations/__init__.py`` (a test checks that they agree).
Released migrations are never edited: a database in an office was made by them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from app.db import alembic_config, make_engine, upgrade


def main() -> None:
    message = sys.argv[1] if len(sys.argv) > 1 else "schema change"
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'gen.sqlite3'}")
        upgrade(engine)
        command.revision(alembic_config(engine), message=message, autogenerate=True)


if __name__ == "__main__":
    main()
