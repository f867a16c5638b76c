"""Encrypted online backups, rotation, scheduled runs, and restore that checks first and keeps the current data."""

from __future__ import annotations

import datetime as dt
import io
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.db import Database
from app.models import AuditEntry, Visit
from app.models.enums import Role
from app.services.common import settings
from app.services.common.actor import SYSTEM, Actor
from app.services.common.errors import PermissionDenied, StorageError, ValidationError
from app.services.records import backup, integrity
from tests.helpers import add_visit

LEAD = Actor(user_id=None, username="lanhdao", full_name="Lãnh Đạo", role=Role.LEAD)


def _visits(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Visit)) or 0)


@pytest.mark.sqlite_only
def test_backup_is_encrypted_consistent_and_restorable(db: Database, db_path: Path, tmp_path: Path) -> None:
    with db.session() as session:
        add_visit(session, name="Trương Văn Sao Lưu", id_number="024085001234")
    phases: list[float] = []
    (tmp_path / "usb").mkdir()
    info = backup.backup_database(db, SYSTEM, tmp_path / "usb" / "x.tdbak", progress=lambda _p, f: phases.append(f))
    assert info.path.exists()
    raw = info.path.read_bytes()
    assert raw.startswith(backup.MAGIC) and b"SQLite format 3" not in raw
    assert "Khiếu nại".encode() not in raw  # even ordinary text is encrypted in a backup
    assert phases == sorted(phases) and phases[-1] == 1.0
    assert integrity.last_backup(db_path) == info.path.resolve()
    # Restore brings back the state of the backup and keeps what was there before.
    with db.session() as session:
        add_visit(session, name="Sau Sao Lưu", id_number=None)
    assert _visits(db) == 2
    result = backup.restore(db, SYSTEM, info.path)
    reopened = Database(db.url)
    assert _visits(reopened) == 1
    with reopened.session() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and last.action == "restore"
    # The kept copy holds the two visits.
    backup.restore(reopened, SYSTEM, result.safety_copy)
    again = Database(db.url)
    assert _visits(again) == 2
    again.dispose()
    reopened.dispose()


@pytest.mark.sqlite_only
def test_backup_while_another_connection_writes(db: Database, db_path: Path, tmp_path: Path) -> None:
    with db.session() as session:
        add_visit(session, name="Một", id_number=None)
    other = sqlite3.connect(db_path, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE setting SET value = value")  # another desk is in the middle of a save…
    finishing = threading.Timer(0.5, other.commit)  # …and finishes it half a second later
    finishing.start()
    info = backup.backup_database(db, SYSTEM, tmp_path / "dang-ghi.tdbak")
    finishing.join()
    other.close()
    assert backup.verify_backup(db, info.path).revision is not None


@pytest.mark.sqlite_only
def test_damaged_or_foreign_backups_are_refused_before_anything_changes(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        add_visit(session, name="Một", id_number=None)
    info = backup.backup_database(db, SYSTEM, tmp_path / "a.tdbak")
    truncated = tmp_path / "cut.tdbak"
    truncated.write_bytes(info.path.read_bytes()[:-40])
    flipped = tmp_path / "flip.tdbak"
    data = bytearray(info.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    flipped.write_bytes(bytes(data))
    foreign = tmp_path / "ghi-chu.tdbak"
    foreign.write_text("không phải sao lưu")
    for bad, message in ((truncated, "bị cắt cụt"), (flipped, "bị hỏng"), (foreign, "không phải bản sao lưu")):
        with pytest.raises(StorageError, match=message):
            backup.restore(db, SYSTEM, bad)
    assert _visits(db) == 1


def test_backup_needs_the_right(db: Database, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="sao lưu"):
        backup.backup_database(db, LEAD, tmp_path / "x.tdbak")


@pytest.mark.sqlite_only
def test_folder_backups_rotate_and_schedule(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "usb"
    stamps = iter(dt.datetime(2026, 5, d, 9, tzinfo=dt.UTC) for d in range(1, 20))
    monkeypatch.setattr(backup, "now_local", lambda: next(stamps))
    made = [backup.backup_to_folder(db, SYSTEM, folder, keep=2).path.name for _ in range(4)]
    assert [p.name for p in backup.list_backups(folder)] == [made[3], made[2]]
    (folder / "ghi-chu.txt").write_text("của người dùng")
    backup.rotate(folder, 1)
    assert (folder / "ghi-chu.txt").exists()  # rotation only touches our files
    # Scheduled: due when never run, then not until the interval has passed.
    with db.transaction() as session:
        settings.put(session, backup.FOLDER, str(tmp_path / "auto"))
        settings.put(session, backup.INTERVAL_HOURS, 24)
        settings.put(session, backup.KEEP, 3)
    assert backup.auto_backup_due(db)
    info = backup.run_auto_backup(db, SYSTEM)
    assert info.path.parent == tmp_path / "auto"
    assert not backup.auto_backup_due(db, now=info.created_at + dt.timedelta(hours=23))
    assert backup.auto_backup_due(db, now=info.created_at + dt.timedelta(hours=24))


@pytest.mark.sqlite_only
def test_cli_backup_and_restore_ask_for_confirmation(
    db: Database, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.session() as session:
        add_visit(session, name="Một", id_number=None)
    out = tmp_path / "cli"
    assert main(["backup", "-o", str(out), "--db", str(db_path)]) == 0
    assert "Đã sao lưu" in capsys.readouterr().out
    with db.session() as session:
        add_visit(session, name="Hai", id_number=None)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no answer: refused, nothing changed
    assert main(["restore", str(out) + ".tdbak", "--db", str(db_path)]) == 2
    assert "cần xác nhận" in capsys.readouterr().err
    assert _visits(db) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("co\n"))
    assert main(["restore", str(out) + ".tdbak", "--db", str(db_path)]) == 0
    assert _visits(Database(db.url)) == 1
    assert main(["restore", str(out) + ".tdbak", "--yes", "--db", str(db_path)]) == 0
    assert "Dữ liệu trước khi phục hồi được giữ tại" in capsys.readouterr().out


@pytest.mark.sqlite_only
@pytest.mark.parametrize("target", ["", ".", "\x00"])
def test_a_destination_that_names_no_file_is_refused_plainly(db: Database, target: str) -> None:
    with pytest.raises(ValidationError) as err:
        backup.backup_database(db, SYSTEM, Path(target))
    assert "tên tệp" in err.value.fields["output"]
