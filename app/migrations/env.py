"""Alembic environment: runs on the engine that app.db hands over."""

from __future__ import annotations

from alembic import context

from app.db import PG_WRITE_LOCK
from app.migrations.rendering import render_item
from app.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    if connection.dialect.name == "postgresql":
        # Two desks starting a new version at once: the second waits here, then finds the schema
        # already upgraded (SQLite serialises the same way through its write lock).
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
    )
    context.run_migrations()
