"""One writer at a time on every database: a save waits for another desk's write, then says it is busy."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from app import db as app_db
from app.db import Database
from app.models import Visit
from app.services.common.actor import SYSTEM
from app.services.common.errors import StorageError
from app.services.reception import visits
from tests.helpers import visit_input


@contextmanager
def _other_desk_writing(url: str) -> Iterator[None]:
    """Another desk inside a write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: the write lock)."""
    other = Database(url)
    started, finish = threading.Event(), threading.Event()

    def desk() -> None:
        with other.transaction() as session:
            session.connection()  # the transaction (and its lock) begins here
            started.set()
            finish.wait(10)

    thread = threading.Thread(target=desk)
    thread.start()
    started.wait(10)
    try:
        yield
    finally:
        finish.set()
        thread.join()
        other.dispose()


def test_a_write_lock_that_outlasts_the_wait_gives_the_busy_message(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_db, "BUSY_TIMEOUT_MS", 300)
    db = Database(db_url)
    with _other_desk_writing(db_url):
        with pytest.raises(StorageError, match="Cơ sở dữ liệu đang bận") as caught, db.transaction() as session:
            visits.register_visit(session, SYSTEM, visit_input())
        assert "chưa được lưu" in caught.value.user_message
        with db.session() as session:  # reading never waits for the writer
            assert session.scalar(select(func.count()).select_from(Visit)) == 0
    with db.transaction() as session:
        visits.register_visit(session, SYSTEM, visit_input())
    db.dispose()
