"""SQL fragments that more than one migration writes the same way (a migration's text must stay as
it was, so these never change; a different expression gets a new name)."""

from __future__ import annotations


def words(column: str) -> str:
    """A folded column split into words as SQLite's FTS5 splits it, for a PostgreSQL GIN index
    (``app.services.reception.search._words_match`` writes the same expression)."""
    return f"to_tsvector('simple'::regconfig, regexp_replace({column}, '[^0-9a-z]+', ' ', 'g'))"


# The function behind ``prefix_words`` (migration 0023): the words of a folded text as FTS5 splits
# them (runs of [0-9a-z]), each with its first 1..``longest`` letters as lexemes of their own, like
# FTS5's prefix indexes. A query word up to ``longest`` letters is then one exact lexeme: GIN reads
# one posting list instead of merging those of every word that starts with it (``thi:*`` merges
# thi, thiet, thieu, thinh, … before intersecting).
PREFIX_WORDS_FUNCTION = """
CREATE OR REPLACE FUNCTION tiepdan_prefix_words(folded text, longest integer) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_to_tsvector(coalesce(array_agg(DISTINCT piece), '{}'::text[]))
    FROM (
        SELECT left(word, n) AS piece
        FROM unnest(regexp_split_to_array(folded, '[^0-9a-z]+')) AS word,
             generate_series(1, least(length(word), longest)) AS n
        WHERE word <> ''
        UNION ALL
        SELECT word FROM unnest(regexp_split_to_array(folded, '[^0-9a-z]+')) AS word WHERE word <> ''
    ) AS pieces
$$
"""


def prefix_words(column: str, longest: int) -> str:
    """The lexemes of ``tiepdan_prefix_words`` for a GIN index (``search._words_match`` writes the same)."""
    return f"tiepdan_prefix_words({column}, {longest})"
