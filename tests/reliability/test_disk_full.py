"""A full disk or a read-only folder during a save or a backup: a clear message, and nothing already saved is lost.

The full disk is a file-size limit (RLIMIT_FSIZE) in a child process: writes past it fail
as on a full disk, and it works when the tests run as root (chmod does not stop root).
The read-only folder is /sys, which refuses new files even to root.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import Database
from app.models import Visit
from app.services.common.actor import SYSTEM
from app.services.common.errors import StorageError
from app.services.records import backup
from tests.helpers import add_visit
from tests.reliability.conftest import saved_ids, spawn


def _refusal(out: str) -> str:
    lines = [line for line in out.splitlines() if line.startswith("refused ")]
    assert lines, out
    return lines[0]


def test_disk_full_during_saves(shared_db: Path, key_env: dict[str, str]) -> None:
    child = spawn(key_env, "full", str(shared_db), str(shared_db.stat().st_size + 150_000))
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    refusal = _refusal(out)
    assert "đầy" in refusal and "vẫn nguyên vẹn" in refusal
    assert "chưa được lưu" in refusal and "Traceback" not in err
    saved = saved_ids(out)
    assert saved  # some saves fitted before the disk was full
    raw = sqlite3.connect(shared_db)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()
    db = Database(f"sqlite:///{shared_db}")
    with db.session() as session:
        assert set(saved) == set(session.scalars(select(Visit.id)))
    db.dispose()


def test_disk_full_during_backup(shared_db: Path, key_env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    child = spawn(key_env, "backup-full", str(shared_db), "200000", str(folder))
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert "đầy" in _refusal(out) and "vẫn nguyên vẹn" in _refusal(out)
    assert not list(folder.glob("*")), "no partial backup is left behind"
    assert not list(shared_db.parent.glob(".tiepdan-tmp-*")), "no plaintext copy is left behind"


@pytest.mark.sqlite_only
def test_read_only_backup_folder(db: Database, db_path: Path, tmp_path: Path) -> None:
    with db.session() as session:
        add_visit(session)
    read_only = Path("/sys")
    if not read_only.is_dir():
        pytest.skip("no /sys on this system")
    with pytest.raises(StorageError, match="Không ghi được vào /sys") as caught:
        backup.backup_to_folder(db, SYSTEM, read_only)
    assert "vẫn nguyên vẹn" in caught.value.user_message
    with pytest.raises(StorageError, match="không tồn tại"):
        backup.backup_database(db, SYSTEM, tmp_path / "o-usb-da-rut" / "x.tdbak")
    assert not list(db_path.parent.glob(".tiepdan-tmp-*"))
    with db.session() as session:
        assert len(session.scalars(select(Visit.id)).all()) == 1
