"""``python -m app demo`` as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.db import Database
from app.models import Visit
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
