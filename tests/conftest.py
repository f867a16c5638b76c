"""Shared fixtures: real SQLite databases in a temp folder, offscreen Qt, safe keyring.

With ``TIEPDAN_TEST_PG_URL`` set (``make test-pg`` starts a throw-away server and sets it), the
``db`` and ``session`` fixtures use a fresh PostgreSQL database per test instead, cloned from a
template migrated once per run; tests marked ``sqlite_only`` are skipped.
"""

from __future__ import annotations

import os

# Set before anything imports Qt or keyring: tests never need a display or a real keyring.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
os.environ.pop("TIEPDAN_DB", None)
# A developer's own key file must not change which key store the tests exercise.
os.environ.pop("TIEPDAN_KEY_FILE", None)

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db import Database
from tests.keyring_memory import MemoryKeyring, memory_keyring

PG_URL_VAR = "TIEPDAN_TEST_PG_URL"
PG_URL = os.environ.get(PG_URL_VAR, "").strip()

SQLITE_ONLY = (
    "sqlite_only: exercises the SQLite file itself (corruption, WAL, PRAGMA, file backup, FTS5); "
    f"skipped when {PG_URL_VAR} runs the suite on PostgreSQL"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", SQLITE_ONLY)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not PG_URL:
        return
    skip = pytest.mark.skip(reason="SQLite only (the suite runs on PostgreSQL)")
    for item in items:
        if item.get_closest_marker("sqlite_only"):
            item.add_marker(skip)


def pytest_report_header(config: pytest.Config) -> str:
    if not PG_URL:
        return "database: SQLite"
    return f"database: PostgreSQL {make_url(PG_URL).render_as_string(hide_password=True)}"


class PgDatabases:
    """Hands out one fresh, migrated PostgreSQL database per test.

    Migrating costs far more than copying, so the schema is built once in a template database
    and every test gets ``CREATE DATABASE … TEMPLATE`` of it. The template holds no data key:
    each test's ``Database`` makes its own, in that test's in-memory keyring.
    """

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.admin: Engine = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.prefix = f"tiepdan_t{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self._numbers = itertools.count(1)
        # FILE_COPY (PostgreSQL 15+) copies the few small files at once: about 7x faster here than
        # the default WAL_LOG, whose durability a throw-away test database does not need.
        with self.admin.connect() as conn:
            version = int(conn.execute(text("SHOW server_version_num")).scalar_one())
        self._strategy = " STRATEGY FILE_COPY" if version >= 150000 else ""
        self._execute(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        self._execute(f"CREATE DATABASE {self.template}")
        Database(self.url_of(self.template), unlock=False).dispose()

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, *, empty: bool = False) -> str:
        """A new database: a copy of the migrated template, or ``empty`` (no schema at all)."""
        name = f"{self.prefix}_{next(self._numbers)}"
        source = "template0" if empty else self.template
        self._execute(f"CREATE DATABASE {name} TEMPLATE {source}{self._strategy}")
        return name

    def drop(self, name: str) -> None:
        # FORCE: a test may leave a second Database on the same URL undisposed.
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        self.drop(self.template)
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[PgDatabases | None]:
    if not PG_URL:
        yield None
        return
    databases = PgDatabases(PG_URL)
    yield databases
    databases.close()


@pytest.fixture
def db_path(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """The SQLite file behind ``db`` (a test using both is about the file: mark it ``sqlite_only``)."""
    if PG_URL and "db" in request.fixturenames:
        pytest.fail("db_path with db under PostgreSQL: mark the test sqlite_only, or use db.url / db_url")
    return tmp_path / "tiepdan.sqlite3"


@pytest.fixture
def db_url(request: pytest.FixtureRequest, pg_databases: PgDatabases | None) -> Iterator[str]:
    """This test's own database: a new SQLite file, or a fresh PostgreSQL database already at head."""
    if pg_databases is None:
        # Looked up here rather than declared: under PostgreSQL, db_path then means "about the file".
        yield f"sqlite:///{request.getfixturevalue('db_path')}"
        return
    name = pg_databases.create()
    yield pg_databases.url_of(name)
    pg_databases.drop(name)


@pytest.fixture
def empty_db_url(tmp_path: Path, pg_databases: PgDatabases | None) -> Iterator[str]:
    """The URL of a database with no schema yet (for migrating it step by step)."""
    if pg_databases is None:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = pg_databases.create(empty=True)
    yield pg_databases.url_of(name)
    pg_databases.drop(name)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        yield s


@pytest.fixture(autouse=True)
def _isolated_user_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the developer's real data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))


@pytest.fixture(autouse=True)
def _memory_keyring() -> Iterator[MemoryKeyring]:
    """Every test gets an empty in-memory credential store (the data key of each database lands there)."""
    with memory_keyring() as backend:
        yield backend
