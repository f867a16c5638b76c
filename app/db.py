"""Engine, sessions and migrations: the one place the database is reached from.

The location is one URL. The default is a SQLite file in the user's data folder; a
``postgresql+psycopg://`` URL runs the same code against a server.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.paths import default_database_url
from app.services.errors import StorageError

ENV_VAR = "TIEPDAN_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000


def resolve_url(db: str | None = None) -> str:
    """A ``--db`` value (a path or a URL), else ``$TIEPDAN_DB``, else the per-user default."""
    value = db or os.environ.get(ENV_VAR) or ""
    if not value:
        return default_database_url()
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # WAL + synchronous=FULL: durable across a power cut and still fast (docs/ecosystem.md §5).
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"Không tạo được thư mục dữ liệu {Path(parsed.database).parent}: {exc.strerror}."
                ) from exc
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; refuse a database written by a newer version."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    current = current_revision(engine)
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise StorageError(
            "Cơ sở dữ liệu được tạo bởi phiên bản TiếpDân mới hơn phiên bản đang chạy. "
            "Hãy cài phiên bản mới nhất hoặc mở bản sao lưu trước đó."
        )
    command.upgrade(alembic_config(engine), revision)


class Database:
    """An open, migrated database and its session factory."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate:
            try:
                upgrade(self.engine)
            except (OperationalError, DatabaseError) as exc:
                raise StorageError(
                    f"Không mở được cơ sở dữ liệu ({self.describe()}): {exc.orig}. "
                    "Kiểm tra đường dẫn, quyền ghi và dung lượng ổ đĩa."
                ) from exc

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def describe(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back on any exception."""
        with self._sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(db: str | None = None, *, migrate: bool = True) -> Database:
    return Database(resolve_url(db), migrate=migrate)
