"""Two desks on one SQLite file: concurrent saves lose nothing and keep one audit chain; a lock waits, then says so."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app import db as app_db
from app.db import Database
from app.models import Visit
from app.services.common.actor import SYSTEM
from app.services.common.errors import StorageError
from app.services.reception import visits
from app.services.security import audit
from tests.helpers import visit_input
from tests.reliability.conftest import saved_ids, spawn

PER_DESK = 40


def test_two_processes_writing_at_once_lose_nothing(shared_db: Path, key_env: dict[str, str]) -> None:
    desks = [spawn(key_env, "save", str(shared_db), str(PER_DESK)) for _ in range(2)]
    outputs = [desk.communicate(timeout=120) for desk in desks]
    for desk, (out, err) in zip(desks, outputs, strict=True):
        assert desk.returncode == 0, err
        assert "refused" not in out
    ids = [saved_ids(out) for out, _ in outputs]
    assert len(ids[0]) == len(ids[1]) == PER_DESK
    assert not set(ids[0]) & set(ids[1])
    raw = sqlite3.connect(shared_db)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()
    db = Database(f"sqlite:///{shared_db}")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 2 * PER_DESK
        # Both desks appended to one chain without forking it.
        report = audit.verify_chain(session)
        assert report.broken_at is None and report.checked >= 2 * PER_DESK
    db.dispose()


def _hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    other = sqlite3.connect(path, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another desk in the middle of a long save
    release = threading.Timer(seconds, lambda: (other.commit(), other.close()))
    release.start()
    return release


@pytest.mark.sqlite_only  # holds the SQLite file lock itself
def test_a_save_meeting_a_lock_waits_for_it(db: Database, db_path: Path) -> None:
    release = _hold_write_lock(db_path, 0.5)
    with db.transaction() as session:
        visits.register_visit(session, SYSTEM, visit_input())
    release.join()
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 1


def test_a_lock_that_outlasts_the_wait_gives_a_clear_message(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_db, "BUSY_TIMEOUT_MS", 300)
    db = Database(f"sqlite:///{db_path}")
    release = _hold_write_lock(db_path, 2.0)
    with pytest.raises(StorageError, match="Cơ sở dữ liệu đang bận") as caught, db.transaction() as session:
        visits.register_visit(session, SYSTEM, visit_input())
    assert "chưa được lưu" in caught.value.user_message
    release.join()
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 0  # nothing half-written
    db.dispose()
