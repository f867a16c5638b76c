"""Live desks: every commit says which tables it changed, and a watcher tells a desk what other
desks changed since it last looked.

A commit raises one counter per changed table (``change_topic``) in the same transaction, so the
counters never announce work that was rolled back. On PostgreSQL the commit also sends
``NOTIFY tiepdan_changes`` with the table names, and a watcher listens on its own connection. On
SQLite a watcher reads ``PRAGMA data_version`` on its own connection: the number moves only when
another connection committed, so an idle office costs one pragma per poll and the counters are
read only after a commit.

Topics are table names (``visit``, ``petition``, ``deadline``…): a page reloads only for the tables
it shows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import Engine, event, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from app.models import ChangeTopic

CHANNEL = "tiepdan_changes"
_PENDING = "changed_tables"
# Bookkeeping that no screen lists: writing it must not make every desk reload.
QUIET_TABLES = frozenset({"change_topic", "audit_entry", "cli_session", "form_draft"})


def track(factory: sessionmaker[Session]) -> None:
    """Make every commit of ``factory``'s sessions raise the counters of the tables it changed."""
    event.listen(factory, "after_flush", _collect)
    event.listen(factory, "do_orm_execute", _collect_statement)
    event.listen(factory, "before_commit", _announce)


def _collect(session: Session, _context: Any) -> None:
    changed: set[str] = session.info.setdefault(_PENDING, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(obj, "__tablename__", None)
        if table and table not in QUIET_TABLES:
            changed.add(table)


def _collect_statement(state: ORMExecuteState) -> None:
    """``session.execute(update(…))`` and the like change rows without loading objects."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name and name not in QUIET_TABLES:
        state.session.info.setdefault(_PENDING, set()).add(name)


def _announce(session: Session) -> None:
    session.flush()  # objects still pending at commit are part of it
    topics = sorted(session.info.pop(_PENDING, set()))
    if not topics:
        return
    bump(session, topics)


def bump(session: Session, topics: Iterable[str]) -> None:
    """Raise the counters of ``topics`` (also for writes done in SQL, without the ORM)."""
    names = sorted(set(topics))
    if not names:
        return
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(ChangeTopic).values([{"topic": name, "version": 1} for name in names])
    statement = statement.on_conflict_do_update(
        index_elements=[ChangeTopic.topic], set_={"version": ChangeTopic.version + 1}
    )
    session.execute(statement)
    if dialect == "postgresql":
        # Delivered to the listeners when (and only if) this transaction commits.
        session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": ",".join(names)})


def versions(session: Session) -> dict[str, int]:
    return {topic: version for topic, version in session.execute(select(ChangeTopic.topic, ChangeTopic.version))}


class Watcher(Protocol):
    def poll(self) -> set[str]:
        """The tables other desks changed since the last call (empty when nothing happened)."""
        ...

    def close(self) -> None: ...


class _CounterWatcher:
    """Compares the counters with the last ones seen; ``changed`` says whether to read them."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._seen = self._read()

    def _read(self) -> dict[str, int]:
        with Session(self._engine) as session:
            return versions(session)

    def _diff(self) -> set[str]:
        now = self._read()
        topics = {topic for topic, version in now.items() if self._seen.get(topic) != version}
        self._seen = now
        return topics

    def changed(self) -> bool:
        return True

    def poll(self) -> set[str]:
        return self._diff() if self.changed() else set()

    def close(self) -> None:
        pass


class _SqliteWatcher(_CounterWatcher):
    def __init__(self, engine: Engine, file: str) -> None:
        # Its own connection: data_version moves for commits made by any other connection,
        # this desk's own included (they go through the engine's pool).
        self._probe = sqlite3.connect(file, check_same_thread=False)
        self._version = self._data_version()
        super().__init__(engine)

    def _data_version(self) -> int:
        return int(self._probe.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        version = self._data_version()
        moved, self._version = version != self._version, version
        return moved

    def close(self) -> None:
        self._probe.close()


class _PostgresWatcher:
    def __init__(self, url: str) -> None:
        import psycopg  # only a server office has it

        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn = psycopg.connect(conninfo, autocommit=True)
        self._conn.execute(f"LISTEN {CHANNEL}")

    def poll(self) -> set[str]:
        topics: set[str] = set()
        for note in self._conn.notifies(timeout=0):
            topics.update(name for name in note.payload.split(",") if name)
        return topics

    def close(self) -> None:
        self._conn.close()


def watch(engine: Engine, url: str) -> Watcher:
    """A watcher for the database at ``url`` (``engine`` is the desk's own)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return _PostgresWatcher(url)
    if parsed.database and parsed.database != ":memory:":
        return _SqliteWatcher(engine, parsed.database)
    return _CounterWatcher(engine)  # an in-memory database: only this process writes to it
