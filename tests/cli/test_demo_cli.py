"""``python -m app demo`` as a user runs it."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import exc, func, select

from app.cli import main
from app.db import Database
from app.models import Visit
from app.services.reception import versions
from tests.helpers import add_visit


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_fills_the_database_and_says_what_it_made(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo", "--visits", "150", "--seed", "3", "--db", str(db_path))
    assert code == 0, err
    assert out.startswith("Đã tạo dữ liệu mẫu: 150 lượt tiếp,") and "công dân" in out and "đơn" in out
    assert "150/150 lượt tiếp (100%)" in err  # progress goes to stderr
    database = Database(f"sqlite:///{db_path}")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 150
    database.dispose()
    # Loaded with a rollback journal (pages written once), and back in WAL mode for the desks.
    assert _journal_mode(db_path) == "wal"


def _journal_mode(path: Path) -> str:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


def test_a_failed_load_leaves_the_file_in_wal_mode_and_empty(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(*_: object, **__: object) -> None:
        # What the driver raises through SQLAlchemy when the disk fills during the load.
        raise exc.OperationalError(
            "INSERT INTO citizen_version …", {}, sqlite3.OperationalError("database or disk is full")
        )

    monkeypatch.setattr(versions, "copy_first", full_disk)
    code, _, err = run(capsys, "demo", "--visits", "50", "--db", str(db_path))
    assert code != 0 and "đầy" in err, err
    assert _journal_mode(db_path) == "wal"
    monkeypatch.undo()
    database = Database(f"sqlite:///{db_path}")
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Visit)) == 0
    database.dispose()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Lỗi: Số lượt tiếp (--visits) phải là số nguyên, không phải “abc”."),
        ("0", "Lỗi: Số lượt tiếp mẫu phải từ 1 đến 5.000.000."),
        ("9000000", "Lỗi: Số lượt tiếp mẫu phải từ 1 đến 5.000.000."),
    ],
)
def test_a_bad_count_is_one_vietnamese_line(
    value: str, message: str, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "demo", "--visits", value, "--db", str(db_path))
    assert code == 2
    assert out == ""
    assert err.strip() == message
    assert not db_path.exists()  # nothing was opened or created


def test_a_bad_seed_is_one_vietnamese_line(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "demo", "--visits", "10", "--seed", "x1", "--db", str(db_path))
    assert code == 2
    assert err.strip() == "Lỗi: Hạt giống (--seed) phải là số nguyên, không phải “x1”."


def test_refuses_real_data_unless_forced(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.session() as session:
        add_visit(session)
    code, _, err = run(capsys, "demo", "--visits", "10", "--db", db.url)
    assert code == 2
    assert err.count("\n") == 1 and "lượt tiếp thật" in err and "Traceback" not in err
    code, out, _ = run(capsys, "demo", "--visits", "10", "--force", "--db", db.url)
    assert code == 0 and "10 lượt tiếp" in out
