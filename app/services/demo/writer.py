"""Fast inserts: Core bulk inserts with keys assigned here, indexes rebuilt once, garbage collection paused."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator, Sequence
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

    def write(self, rows: Sequence[dict[str, Any]]) -> None:
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
        self.connection.exec_driver_sql(self.sql, params)


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
