"""A corrupt or newer database is refused with a clear message that names the last backup; ``check`` says the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.cli import main
from app.db import Database, make_engine
from app.services.common.actor import SYSTEM
from app.services.common.errors import StorageError
from app.services.records import backup, integrity
from tests.helpers import add_visit

# Page checks, corruption and file restore are about the SQLite file.
pytestmark = pytest.mark.sqlite_only


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    # Scribble over every page after the first two (the schema survives, the b-trees do not).
    for start in range(2 * page, len(data), page):
        data[start + 8 : start + 200] = b"\xa5" * 192
    path.write_bytes(bytes(data))


def _filled(db: Database, tmp_path: Path) -> Path:
    with db.session() as session:
        for i in range(30):
            add_visit(session, name=f"Người Thứ {i}", id_number=None)
    made = backup.backup_to_folder(db, SYSTEM, tmp_path / "saoluu")
    db.dispose()
    return made.path


def test_corrupt_database_names_the_last_backup(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    last = _filled(db, tmp_path)
    _corrupt(db_path)
    with pytest.raises(StorageError) as caught:
        Database(f"sqlite:///{db_path}")
    message = caught.value.user_message
    assert "bị hỏng" in message and str(last.resolve()) in message and "python -m app restore" in message
    assert main(["check", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "bị hỏng" in err and "Traceback" not in err


def test_restore_repairs_a_corrupt_database(db: Database, db_path: Path, tmp_path: Path) -> None:
    last = _filled(db, tmp_path)
    _corrupt(db_path)
    # The database cannot be opened; restore sets the damaged file aside and puts the backup in place.
    assert main(["restore", str(last), "--yes", "--db", str(db_path)]) == 0
    assert integrity.check_file(db_path, full=True).ok
    assert list(tmp_path.glob("tiepdan.sqlite3.hong-*"))
    reopened = Database(f"sqlite:///{db_path}")
    with reopened.session() as session:
        assert session.scalar(text("SELECT count(*) FROM visit")) == 30
    reopened.dispose()


def test_newer_database_names_the_last_backup(db: Database, db_path: Path, tmp_path: Path) -> None:
    last = _filled(db, tmp_path)
    engine = make_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num='9999_future'"))
    engine.dispose()
    with pytest.raises(StorageError, match="phiên bản TiếpDân mới hơn") as caught:
        Database(f"sqlite:///{db_path}")
    assert last.name in caught.value.user_message
    assert main(["check", "--db", str(db_path)]) == 2


def test_check_passes_on_a_healthy_database(db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db.dispose()
    assert main(["check", "--full", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "integrity_check): ổn" in out and "mới nhất" in out and "Nhật ký toàn vẹn" in out


def test_check_of_a_missing_file_does_not_create_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "khong-co.sqlite3"
    assert main(["check", "--db", str(missing)]) == 2
    assert not missing.exists() and "Không có tệp" in capsys.readouterr().err


def test_check_finds_and_repairs_drifted_first_dates(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The reports read each petition's stored first dates; ``check`` holds them against the events."""
    import datetime as dt

    from app.models import Petition
    from app.models.enums import HandlingAction
    from tests import reports_data as rd

    with db.session() as session:
        pid = rd.petition(session, dt.date(2026, 3, 2), events=[(HandlingAction.ACCEPT, dt.date(2026, 3, 9))])
        session.commit()
    assert main(["check", "--db", str(db_path)]) == 0
    assert "khớp với quá trình xử lý" in capsys.readouterr().out
    with db.session() as session:
        petition = session.get(Petition, pid)
        assert petition is not None
        petition.accepted_on = None  # as if an event had been written behind the service's back
        session.commit()
    assert main(["check", "--db", str(db_path)]) == 1
    assert (
        f"1 đơn có ngày xử lý hoặc ngày thụ lý đầu tiên không khớp (mã đơn {pid})"
        in capsys.readouterr().out.replace(" với quá trình xử lý", "")
    )
    assert main(["check", "--repair", "--db", str(db_path)]) == 0
    with db.session() as session:
        assert session.get(Petition, pid).accepted_on == dt.date(2026, 3, 9)  # type: ignore[union-attr]
    assert main(["check", "--db", str(db_path)]) == 0
