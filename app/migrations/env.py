"""Alembic environment: runs on the engine that app.db hands over."""

from __future__ import annotations

from alembic import context

from app.migrations.rendering import render_item
from app.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
    )
    context.run_migrations()
