"""Alembic migrations. ``HEAD`` names the newest revision, so that opening a database that is
already current needs no Alembic import (a test keeps it equal to the scripts' head)."""

HEAD = "0023"
