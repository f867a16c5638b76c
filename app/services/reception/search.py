"""Tone-insensitive text search. The one module with dialect-specific SQL.

SQLite: FTS5 tables over the folded columns (created in migration 0002), queried with
token prefixes so that ``nguyen van d`` finds ``Nguyễn Văn Dũng`` as the clerk types.
PostgreSQL: the list filters use full-text search (the words of the folded text split like
FTS5, with their first letters as FTS5's prefix indexes hold them: GIN indexes of migration 0023);
the returning-citizen search, which wants the newest few names as the clerk types, a regular
expression served by a trigram index (migration 0019).
Both match each word only at the start of a word of the text (``an`` finds ``An`` but not
``Hoàng``), as FTS5 does, so both databases give the same results.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    text,
    union,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.models import Base, Citizen, Petition, Visit
from app.services.common.text import search_tokens


def fts_query(tokens: list[str]) -> str:
    # Tokens hold only [0-9a-z] (search_tokens), so quoting cannot be escaped from.
    return " ".join(f'"{tok}"*' for tok in tokens)


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _word_prefixes(column: InstrumentedAttribute[str], tokens: list[str]) -> ColumnElement[bool]:
    # FTS5's unicode61 tokenizer splits the folded text at every character that is not a letter or
    # digit and matches a query word as a token prefix: the same as the word following the start of
    # the text or a non-[0-9a-z] character. Tokens hold only [0-9a-z]: nothing to escape.
    return and_(*[column.regexp_match(f"(^|[^0-9a-z]){tok}") for tok in tokens])


# Letters of each word that the PostgreSQL indexes hold as lexemes of their own (migration 0023),
# as FTS5's prefix indexes on SQLite (migration 0002): every prefix of a name's word, short ones of
# the summaries'.
NAME_PREFIXES = 6
SUMMARY_PREFIXES = 3


def _words_match(column: InstrumentedAttribute[str], tokens: list[str], longest: int) -> ColumnElement[bool]:
    """PostgreSQL full-text search over the folded column, split into words as FTS5 splits them.

    The indexed expression (migration 0023) holds every word and its first 1..``longest`` letters:
    a query word that short is one exact lexeme, a longer one a prefix (``tok:*``) of the full
    words. It is written with literals, as in the index, so the planner matches it to the index;
    a match needs no recheck of the text.
    """
    words = func.tiepdan_prefix_words(column, literal_column(str(int(longest))))
    terms = " & ".join(tok if len(tok) <= longest else f"{tok}:*" for tok in tokens)
    query = func.to_tsquery(literal_column("'simple'"), bindparam(None, terms))
    return words.bool_op("@@")(query)


def _fts_ids(fts_table: str, tokens: list[str]) -> Select[tuple[int]]:
    return (
        select(literal_column("rowid", type_=Citizen.id.type))
        .select_from(text(fts_table))
        .where(text(f"{fts_table} MATCH :fts_{fts_table}").bindparams(**{f"fts_{fts_table}": fts_query(tokens)}))
    )


def _either(
    model: type[Visit] | type[Petition],
    summary: InstrumentedAttribute[str],
    citizen_id: InstrumentedAttribute[int | None] | InstrumentedAttribute[int],
    tokens: list[str],
) -> ColumnElement[bool]:
    """The words in the summary or in the person's name, as a union of two index lookups: written as
    ``a OR citizen_id IN (…)`` PostgreSQL reads the whole table (464 ms against 58 ms on SQLite's
    FTS at 200,000 visits); each half alone is answered from its full-text index."""
    names = select(Citizen.id).where(_words_match(Citizen.name_folded, tokens, NAME_PREFIXES))
    by_summary = select(model.id).where(_words_match(summary, tokens, SUMMARY_PREFIXES))
    by_name = select(model.id).where(citizen_id.in_(names))
    return model.id.in_(union(by_summary, by_name))


def citizen_name_matches(session: Session, query: str) -> ColumnElement[bool]:
    """A WHERE clause on ``Citizen`` for every word of ``query`` as a name prefix (or substring)."""
    tokens = search_tokens(query)
    if not tokens:
        return Citizen.id.is_(None)
    if _is_sqlite(session):
        return Citizen.id.in_(_fts_ids("citizen_fts", tokens))
    return _word_prefixes(Citizen.name_folded, tokens)


def newest_citizen_ids(session: Session, query: str, limit: int) -> list[int]:
    """Ids of the ``limit`` newest citizens whose name matches ``query`` (every word a prefix).

    For search as you type: on SQLite the FTS index is read newest-first and stops after
    ``limit`` rows, instead of ``citizen.id IN (every match)``, which for "n" at a million
    citizens first collects most of the table. Callers filter further (deleted records), so
    they ask for a few more than they show.
    """
    tokens = search_tokens(query)
    if not tokens:
        return []
    if _is_sqlite(session):
        rows = session.execute(
            text("SELECT rowid FROM citizen_fts WHERE citizen_fts MATCH :q ORDER BY rowid DESC LIMIT :n"),
            {"q": fts_query(tokens), "n": limit},
        )
        return [int(r[0]) for r in rows]
    stmt = (
        select(Citizen.id).where(_word_prefixes(Citizen.name_folded, tokens)).order_by(Citizen.id.desc()).limit(limit)
    )
    return list(session.scalars(stmt))


def visit_text_matches(session: Session, query: str) -> ColumnElement[bool]:
    """A WHERE clause on ``Visit``: the words appear in the summary or in the citizen's name."""
    tokens = search_tokens(query)
    if not tokens:
        return Visit.id.is_(None)
    if _is_sqlite(session):
        return or_(
            Visit.id.in_(_fts_ids("visit_fts", tokens)),
            Visit.citizen_id.in_(_fts_ids("citizen_fts", tokens)),
        )
    # The name as the visit carries it (citizen_sort, kept by triggers): both halves are indexes of
    # the visit table, which PostgreSQL combines in one bitmap, with no join to the citizens (that
    # join read 110,000 wide citizen rows for "nguyen van" at 1,000,000 visits).
    return or_(
        _words_match(Visit.summary_folded, tokens, SUMMARY_PREFIXES),
        _words_match(Visit.citizen_sort, tokens, NAME_PREFIXES),
    )


def petition_text_matches(session: Session, query: str) -> ColumnElement[bool]:
    """A WHERE clause on ``Petition``: the words appear in the summary or the sender's name."""
    tokens = search_tokens(query)
    if not tokens:
        return Petition.id.is_(None)
    if _is_sqlite(session):
        return or_(
            Petition.id.in_(_fts_ids("petition_fts", tokens)),
            Petition.citizen_id.in_(_fts_ids("citizen_fts", tokens)),
        )
    return _either(Petition, Petition.summary_folded, Petition.citizen_id, tokens)


# ---- bulk loads ------------------------------------------------------------------------------------

# The FTS5 tables of migration 0002 and the folded column each one indexes.
FTS_TABLES = {
    "citizen_fts": ("citizen", "name_folded"),
    "visit_fts": ("visit", "summary_folded"),
    "petition_fts": ("petition", "summary_folded"),
}
# The trigger that copies the citizen's name onto each new visit (migration 0020): dropped during a
# bulk load too, the keys then set in one statement (only where the writer did not give them).
SORT_TRIGGER = "visit_citizen_sort_ai"
CITIZEN_NAME = "coalesce((SELECT name_folded FROM citizen WHERE citizen.id = visit.citizen_id), '')"
# SQLite page cache during a bulk load, in KiB (a negative cache_size is KiB): index pages stay in memory.
BULK_CACHE_KIB = 256 * 1024


class BulkLoad:
    """The rows inserted so far inside :func:`bulk_load`, indexed on demand (SQLite only).

    Tracks, per table, the first id not yet indexed: every call indexes the rows added since the
    previous one, so a loader that writes in chunks of increasing ids can index each chunk as it
    goes (beside drawing the next one) instead of all at the end.
    """

    def __init__(self, conn: Connection | None, dropped: set[str], first_new: dict[str, int]) -> None:
        self._conn = conn
        self._fts = {fts: spec for fts, spec in FTS_TABLES.items() if f"{fts}_ai" in dropped}
        self._sort = SORT_TRIGGER in dropped
        self._next = first_new

    def catch_up(self) -> None:
        """Index the rows written since the last call: full-text entries and the visit's name key."""
        conn = self._conn
        if conn is None:
            return
        last = {
            table: int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar() or 0)
            for table in self._next
        }
        for fts, (table, column) in self._fts.items():
            conn.exec_driver_sql(
                f"INSERT INTO {fts}(rowid, {column}) SELECT id, {column} FROM {table} WHERE id BETWEEN ? AND ?",
                (self._next[table], last[table]),
            )
        if self._sort:
            # Only where the writer did not give the key already (the demo gives it).
            conn.exec_driver_sql(
                f"UPDATE visit SET citizen_sort = {CITIZEN_NAME} "
                f"WHERE id BETWEEN ? AND ? AND citizen_sort IS NOT {CITIZEN_NAME}",
                (self._next["visit"], last["visit"]),
            )
        self._next = {table: last[table] + 1 for table in self._next}


@contextmanager
def bulk_load(session: Session) -> Iterator[BulkLoad]:
    """Speed up inserting many rows in the caller's transaction (demo data, imports).

    On SQLite the FTS insert triggers (and the visit's name-key trigger) are dropped for the
    duration and the new rows are indexed in one ``INSERT … SELECT`` per table at the end (about
    5× cheaper than one trigger call per row), or chunk by chunk through the yielded
    :class:`BulkLoad`; the page cache is enlarged. The triggers are re-created from their own
    stored SQL, inside the same transaction: if the load fails, the rollback restores them
    untouched. Inside the block, insert only, with ids above those already there: rows of the
    indexed tables must not be updated or deleted (their update/delete triggers would remove index
    entries that are not there yet).
    On PostgreSQL, rows inserted with explicit ids do not advance the id sequences: at the end
    every sequence is moved past its table's largest id, or the next ordinary insert would
    collide with a loaded row.
    """
    if not _is_sqlite(session):
        yield BulkLoad(None, set(), {})
        _advance_id_sequences(session)
        return
    conn = session.connection()
    # DDL only joins a transaction that is already open (pysqlite begins one on the first write).
    in_transaction = bool(getattr(conn.connection.driver_connection, "in_transaction", False))
    old_cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    triggers: list[tuple[str, str]] = []
    first_new: dict[str, int] = {}
    if in_transaction:
        names = [*(f"{fts}_ai" for fts in FTS_TABLES), SORT_TRIGGER]
        triggers = [
            (str(name), str(sql))
            for name, sql in conn.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN :names").bindparams(
                    bindparam("names", expanding=True)
                ),
                {"names": names},
            )
        ]
        for table in {table for table, _ in FTS_TABLES.values()}:
            first_new[table] = int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table}").scalar() or 0) + 1
        for name, _ in triggers:
            conn.exec_driver_sql(f"DROP TRIGGER {name}")
    load = BulkLoad(conn, {name for name, _ in triggers}, first_new)
    try:
        yield load
        load.catch_up()
        for _, sql in triggers:
            conn.exec_driver_sql(sql)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(old_cache or -2000)}")


def _advance_id_sequences(session: Session) -> None:
    conn = session.connection()
    for table in Base.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer) or table.autoincrement_column is None:
            continue
        # is_called=false: the next nextval() returns exactly max(id) + 1 (1 on an empty table).
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), coalesce(max({pk[0].name}), 0) + 1, false) "
                f"FROM {table.name}"
            ),
            {"table": table.name, "column": pk[0].name},
        )
