"""SQL fragments that more than one migration writes the same way (a migration's text must stay as
it was, so these never change; a different expression gets a new name)."""

from __future__ import annotations


def words(column: str) -> str:
    """A folded column split into words as SQLite's FTS5 splits it, for a PostgreSQL GIN index
    (``app.services.reception.search._words_match`` writes the same expression)."""
    return f"to_tsvector('simple'::regconfig, regexp_replace({column}, '[^0-9a-z]+', ' ', 'g'))"
