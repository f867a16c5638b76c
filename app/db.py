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
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.migrations import HEAD
from app.paths import default_database_url
from app.services.common import changes
from app.services.common.errors import StorageError
from app.services.records import integrity
from app.services.security import crypto, keys

if TYPE_CHECKING:
    from alembic.config import Config

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


WRITE_OPTION = "tiepdan_write"


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # The driver's own implicit BEGIN is switched off: SQLAlchemy's "begin" event below emits
    # BEGIN itself, so that a write transaction can be BEGIN IMMEDIATE.
    dbapi_conn.isolation_level = None
    # WAL + synchronous=FULL: durable across a power cut and still fast (docs/ecosystem.md §5).
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # A write transaction takes the write lock at once (waiting up to busy_timeout for another
    # desk), so that two writers never both read and then collide: the audit chain's "read the
    # last hash, append" is then serialised, and no write fails with a stale snapshot.
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# PostgreSQL: a write transaction first takes this transaction-scoped advisory lock, the server's
# stand-in for SQLite's BEGIN IMMEDIATE. The services were written for one writer at a time (next
# register number = max + 1, the audit chain's last hash): without it, two desks that read at once
# both wait on the unique index and one fails, or the two lock each other (measured on the
# concurrent-desks test). Reads never take it. The key spells "tdwr".
PG_WRITE_LOCK = 0x7464_7772


def _pg_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(WRITE_OPTION, False):
        # psycopg opens the transaction with this statement; the lock lasts until commit/rollback.
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


# The last two are PostgreSQL's (lock_timeout below, and a rare lock cycle between two desks).
_LOCKED = ("database is locked", "database table is locked", "busy", "lock timeout", "deadlock detected")
_FULL = ("database or disk is full", "disk is full", "file too large")
_READONLY = ("readonly database", "read-only", "attempt to write a readonly")
_IO = ("disk i/o error", "unable to open database file")


def storage_error(exc: BaseException, where: str = "") -> StorageError:
    """A driver error as a Vietnamese message the user can act on (lock, full disk, read-only, corrupt)."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    place = f" ({where})" if where else ""
    if any(k in text for k in _LOCKED):
        return StorageError(
            f"Cơ sở dữ liệu đang bận{place}: một máy hoặc cửa sổ khác đang ghi và chưa xong sau "
            f"{BUSY_TIMEOUT_MS // 1000} giây. Dữ liệu vừa nhập chưa được lưu; chờ một lát rồi bấm lưu lại."
        )
    if any(k in text for k in _FULL):
        return StorageError(
            f"Ổ đĩa đã đầy{place}, không ghi thêm được. Dữ liệu vừa nhập chưa được lưu; dữ liệu đã lưu trước đó "
            "vẫn nguyên vẹn. Giải phóng dung lượng ổ đĩa rồi lưu lại."
        )
    if any(k in text for k in _READONLY):
        return StorageError(
            f"Không ghi được vào cơ sở dữ liệu{place}: tệp hoặc thư mục chỉ cho đọc. Dữ liệu vừa nhập chưa được "
            "lưu. Kiểm tra quyền ghi của thư mục dữ liệu (hoặc ổ USB bị khóa ghi)."
        )
    if any(k in text for k in _IO):
        return StorageError(
            f"Lỗi ghi ổ đĩa{place}: ổ đĩa có thể đã đầy, bị rút ra hoặc bị hỏng. Dữ liệu vừa nhập chưa được lưu; "
            "dữ liệu đã lưu trước đó vẫn nguyên vẹn. Giải phóng dung lượng, kiểm tra ổ đĩa rồi lưu lại."
        )
    return StorageError(f"Lỗi cơ sở dữ liệu{place}: {text}. Dữ liệu vừa nhập chưa được lưu.")


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
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() != "postgresql":
        return create_engine(url, pool_pre_ping=True)
    # As SQLite's busy_timeout: a lock wait (another desk's write) gives up after the same time
    # with "lock timeout", which storage_error turns into the "database busy" message. Options
    # given in the URL are kept (connect_args would replace them).
    # No JIT compilation: the desk's queries are short, and compiling the list's text filter cost
    # 0.1 s of its 1.3 s at 1,000,000 visits. Before the URL's options, so a server's admin can
    # turn it back on there.
    given = parsed.query.get("options")
    from_url = given.strip() if isinstance(given, str) else ""
    options = " ".join(part for part in ("-c jit=off", from_url, f"-c lock_timeout={BUSY_TIMEOUT_MS}") if part)
    engine = create_engine(url, pool_pre_ping=True, connect_args={"options": options})
    event.listen(engine, "begin", _pg_begin)
    return engine


# Alembic is imported only when a schema change is due: importing it costs a noticeable part of
# start-up, and almost every start finds the database already at HEAD.


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine | None = None) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine or create_engine("sqlite://"))).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database (None for an empty one)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if value is None else str(value)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; refuse a database written by a newer version."""
    current = current_revision(engine)
    if revision == "head" and current == HEAD:
        return
    if current is not None and current not in known_revisions():
        raise StorageError(
            "Cơ sở dữ liệu được tạo bởi phiên bản TiếpDân mới hơn phiên bản đang chạy. "
            "Hãy cài phiên bản mới nhất hoặc mở bản sao lưu trước đó."
        )
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def known_revisions(engine: Engine | None = None) -> frozenset[str]:
    """The schema revisions this version of TiếpDân understands."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(engine or create_engine("sqlite://")))
    return frozenset(rev.revision for rev in script.walk_revisions())


class Database:
    """An open, migrated and unlocked database and its session factories.

    Opening checks the file (``PRAGMA quick_check``), brings the schema up to date and loads
    the data key (``app.services.security.keys``) that encrypts identity fields; a corrupt or newer
    database, or a missing key, raises ``StorageError`` with what to do.

    ``check="deferred"`` (the window) only checks at open that the file is a readable TiếpDân
    database; the caller runs the page scan (``integrity.quick_check_or_raise``) in the
    background, because on a large register it takes seconds.
    """

    def __init__(
        self,
        url: str,
        *,
        migrate: bool = True,
        unlock: bool = True,
        check: Literal["quick", "deferred"] = "quick",
    ) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
        self._writer = sessionmaker(self._write_engine, expire_on_commit=False)
        self.key: crypto.DataKey | None = None
        try:
            self._open(migrate=migrate, unlock=unlock, pages=check == "quick")
        except BaseException:
            self.engine.dispose()
            raise
        if migrate:  # at head, so the counters' table exists
            changes.track(self._sessions)
            changes.track(self._writer)

    def _open(self, *, migrate: bool, unlock: bool, pages: bool) -> None:
        hint = integrity.backup_hint(self.file) if self.file is not None else ""
        if self.file is not None:
            integrity.quick_check_or_raise(self.file, pages=pages)  # its message names the last backup
        try:
            if migrate:
                try:
                    upgrade(self.engine)
                except StorageError as exc:  # a newer version's database: offer the last backup
                    raise StorageError(f"{exc.user_message} {hint}".strip()) from exc
            if unlock:
                self.key = keys.unlock(self._write_engine)
                crypto.attach(self.engine.dialect, self.key)
        except (OperationalError, DatabaseError) as exc:
            raise StorageError(
                f"Không mở được cơ sở dữ liệu ({self.describe()}): {exc.orig}. "
                f"Kiểm tra đường dẫn, quyền ghi và dung lượng ổ đĩa. {hint}".strip()
            ) from exc

    @property
    def file(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
            return None
        return Path(parsed.database)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def describe(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def session(self) -> Session:
        """A session for reading (and for callers that commit themselves)."""
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commits when the block ends normally, rolls back on any exception.

        On SQLite it takes the write lock at once (BEGIN IMMEDIATE), waiting for another desk's
        write to finish; a lock, a full disk or a read-only file becomes a ``StorageError``.
        """
        try:
            with self._writer() as session, session.begin():
                yield session
        except IntegrityError:
            raise  # a constraint the services should have checked: a bug, not a storage problem
        except DatabaseError as exc:  # locked, full, read-only, I/O, malformed
            raise storage_error(exc) from exc

    @contextmanager
    def rollback_journal(self) -> Iterator[None]:
        """A SQLite file in rollback-journal mode for one large load, in WAL mode again after.

        In WAL mode every page of a large transaction is written twice: into the log as the cache
        spills, then into the file at the checkpoint after the commit (37 s of the 1,000,000-visit
        demo, measured). With a rollback journal new pages go to the file once and only the pages
        that existed are journaled; it is as safe across a power cut. Other desks cannot read
        while it lasts. When another connection has the file open the mode cannot change and the
        load runs in WAL mode as before.
        """
        if not self.is_sqlite:
            yield
            return
        if not self._journal_mode("DELETE"):
            yield
            return
        try:
            yield
        finally:
            # If this fails too, the next connection opened sets WAL mode again (_sqlite_pragmas).
            self._journal_mode("WAL")

    def _journal_mode(self, mode: str) -> bool:
        # On the driver's connection: SQLAlchemy's would begin a transaction, inside which SQLite
        # refuses to change the mode. Another connection holding the file makes it "locked".
        raw = self.engine.raw_connection()
        try:
            row = raw.cursor().execute(f"PRAGMA journal_mode={mode}").fetchone()
        except sqlite3.OperationalError:
            return False
        finally:
            raw.close()
        return bool(row) and str(row[0]).upper() == mode

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(
    db: str | None = None, *, migrate: bool = True, check: Literal["quick", "deferred"] = "quick"
) -> Database:
    return Database(resolve_url(db), migrate=migrate, check=check)
