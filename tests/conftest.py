"""Shared fixtures: real SQLite databases in a temp folder, offscreen Qt, safe keyring."""

from __future__ import annotations

import os

# Set before anything imports Qt or keyring: tests never need a display or a real keyring.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
os.environ.pop("TIEPDAN_DB", None)
# A developer's own key file must not change which key store the tests exercise.
os.environ.pop("TIEPDAN_KEY_FILE", None)

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.db import Database
from tests.keyring_memory import MemoryKeyring, memory_keyring


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tiepdan.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{db_path}")
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
