"""Fast inserts: Core bulk inserts with keys assigned here, indexes rebuilt once, garbage collection paused."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Connection, Table, func, insert, select
from sqlalchemy.orm import Session

from app.models import (
    Case,
    Citizen,
    Deadline,
    Petition,
    PetitionEvent,
    PetitionParty,
    Visit,
    VisitParticipant,
)

# ---- fast inserts ---------------------------------------------------------------------------------

# (SQL, parameters): a list of row tuples runs as executemany, one tuple as a single statement.
Statements = list[tuple[str, Any]]
# Rows in one multi-row INSERT on SQLite (measured: more gains nothing).
MULTI_ROW_MAX = 500
# Seconds: how soon the drawing thread hands the interpreter lock to the waiting writer.
WRITER_SWITCH_INTERVAL = 0.0002


class _Writer:
    """``executemany`` of an INSERT compiled for the connection's dialect, with the table's own
    column types applied to every value (encryption, UTC times, enum codes).

    The same as ``connection.execute(insert(table), rows)`` minus SQLAlchemy's per-row parameter
    bookkeeping, which measured about half of the demo's run time. Non-text values (dates, enum
    codes, flags) repeat a lot, so their converted form is cached per chunk; plain text is never
    cached (an encrypted column must get a fresh nonce for every value).
    """

    def __init__(self, connection: Connection, table: Table, keys: Sequence[str]) -> None:
        self.connection = connection
        missing_defaults: dict[str, Any] = {}
        for column in table.columns:
            if column.key in keys or column.default is None:
                continue
            if not column.default.is_scalar:
                raise ValueError(f"demo rows for {table.name} must give {column.key} (it has a Python default)")
            missing_defaults[column.key] = getattr(column.default, "arg", None)
        self.defaults = missing_defaults
        all_keys = [*keys, *missing_defaults]
        compiled = insert(table).compile(dialect=connection.dialect, column_keys=all_keys)
        self.sql = str(compiled)
        self.positional = bool(compiled.positional)
        order = list(compiled.positiontup or ()) if self.positional else all_keys
        self.order = order
        dialect = connection.dialect
        # The dialect's own converters, as the ORM uses them: on SQLite dates and times become text
        # here (once per repeated value, thanks to the cache below) instead of one driver adapter
        # call per value, and in the same format as rows saved at the desk.
        processors = [table.c[key].type.dialect_impl(dialect).bind_processor(dialect) for key in order]
        self.processors = processors
        # Columns of the same type share a cache (a row's created_at, updated_at and received_at
        # are one value); each enum type has its own, as equal codes of two enums are equal keys.
        self.cache_keys = [(type(table.c[key].type), getattr(table.c[key].type, "enum_type", None)) for key in order]
        # On SQLite many rows go in one INSERT … VALUES (…), (…): one call into the database per
        # few hundred rows instead of one per row. Besides being cheaper, that lets the writing
        # thread work most of the time without the interpreter lock (executemany takes it back for
        # every row, and waited for it behind the drawing thread: three times slower, measured).
        self.rows_per_statement = 1
        if self.positional and dialect.name == "sqlite":
            driver = cast(Any, connection.connection.driver_connection)
            limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
            self.rows_per_statement = max(1, min(MULTI_ROW_MAX, limit // len(order)))
        head, _, group = self.sql.partition(" VALUES ")
        self.multi_row_sql = f"{head} VALUES {', '.join([group] * self.rows_per_statement)}"

    def execute(self, statements: Statements) -> None:
        for sql, params in statements:
            self.connection.exec_driver_sql(sql, params)

    def prepare(self, rows: Sequence[dict[str, Any]]) -> Statements:
        """The statements that insert ``rows``, with their values converted and encrypted."""
        params = self._converted(rows)
        per = self.rows_per_statement
        if per == 1:
            return [(self.sql, params)]
        whole = len(params) - len(params) % per
        statements: Statements = [
            (self.multi_row_sql, tuple(chain.from_iterable(params[i : i + per]))) for i in range(0, whole, per)
        ]
        if whole < len(params):
            statements.append((self.sql, params[whole:]))
        return statements

    def _converted(self, rows: Sequence[dict[str, Any]]) -> list[Any]:
        """The driver's parameters for ``rows``: converted, encrypted, in the statement's order."""
        # Row by row (measured faster than column by column here); each non-text value is converted
        # once per chunk through a cache shared by the columns of its type. Plain text is never
        # cached: an encrypted column must get a fresh nonce for every value, even for equal values.
        caches: dict[Any, dict[Any, Any]] = {}
        convert = [
            (i, proc, caches.setdefault(key, {}))
            for i, (proc, key) in enumerate(zip(self.processors, self.cache_keys, strict=True))
            if proc is not None
        ]
        given = [key for key in self.order if key not in self.defaults]
        take = itemgetter(*given)
        slots = [given.index(key) if key not in self.defaults else -1 for key in self.order]
        defaults = [self.defaults.get(key) for key in self.order]
        in_order = slots == list(range(len(slots)))
        params: list[Any] = []
        for row in rows:
            picked = take(row)
            values = list(picked) if in_order else [picked[j] if j >= 0 else defaults[i] for i, j in enumerate(slots)]
            for i, proc, cache in convert:
                value = values[i]
                if value is None:
                    continue
                if type(value) is str:  # plain text, maybe encrypted: never cached (StrEnum is cached)
                    values[i] = proc(value)
                else:
                    try:
                        values[i] = cache[value]
                    except KeyError:
                        values[i] = cache[value] = proc(value)
            params.append(tuple(values) if self.positional else dict(zip(self.order, values, strict=True)))
        return params


class _Background:
    """Runs one job at a time on a second thread: the statements of one chunk while the caller
    draws the next.

    The database drivers release the interpreter lock while the database works (sqlite3 around
    each step, psycopg while it waits on the server), so drawing and writing overlap on two cores.
    The caller must not touch the connection while a job runs: ``submit`` and ``wait`` join the
    running job first, and a job's error is raised in the caller at the next of them.
    """

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._switch_interval = sys.getswitchinterval()

    def submit(self, job: Callable[[], None]) -> None:
        self.wait()
        self._thread = threading.Thread(target=self._run, args=(job,), name="demo-writer", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        error, self._error = self._error, None
        if error is not None:
            raise error

    def _run(self, job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as error:  # handed to the caller's thread by wait()
            self._error = error

    def __enter__(self) -> _Background:
        # The writer needs the interpreter lock for a moment between two statements, and waits for
        # the drawing thread to hand it over: at most the switch interval (5 ms by default), which
        # made writing half as fast again (measured at 200,000 visits: 42 s of writing against 56 s).
        sys.setswitchinterval(WRITER_SWITCH_INTERVAL)
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        sys.setswitchinterval(self._switch_interval)
        if kind is None:
            self.wait()
            return
        # The caller failed: let the running job end before the caller's rollback, and keep the
        # caller's error (the job's, if any, is a consequence or a second symptom).
        with contextlib.suppress(BaseException):
            self.wait()


_ID_MODELS = (Citizen, Case, Visit, VisitParticipant, Petition, PetitionParty, PetitionEvent, Deadline)
# Below this many new visits (or fewer than the table holds already) the secondary indexes stay in
# place: rebuilding them over a large table costs more than a small load saves.
REINDEX_MIN_VISITS = 10_000
# Tables whose indexed keys arrive in random order (folded names, identity digests): every row
# lands on another index page. The other tables' keys grow with time or have few values, so their
# rows append to the end of an index, cheaper than the extra table scan a rebuild needs (measured).
_REINDEXED = (Citizen,)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: the load makes millions of short-lived rows and no cycles
    worth collecting, and each full collection walks every object kept so far (measured: a third of
    the run time at 200,000 visits). Reference counting still frees everything as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextlib.contextmanager
def _without_indexes(session: Session, visits: int) -> Iterator[None]:
    """Drop the secondary indexes of the tables with random keys for a large load, and build them again after.

    Building an index once over sorted rows is several times cheaper than updating it row by row
    with random keys (folded names, digests). Names and columns come from the models' metadata, so
    this works on any database; it all happens in the caller's transaction, so a failed load rolls
    the indexes back with the rows. Unique constraints stay (they are not ``Index`` objects).
    """
    existing = int(session.scalar(select(func.count()).select_from(Visit)) or 0)
    if visits < max(REINDEX_MIN_VISITS, existing):
        yield
        return
    connection = session.connection()
    indexes = [index for model in _REINDEXED for index in cast(Table, model.__table__).indexes]
    for index in indexes:
        index.drop(connection, checkfirst=True)
    yield
    for index in indexes:
        index.create(connection)


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = (dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last))
