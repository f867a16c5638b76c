"""``python -m app search`` over demo data: tone-insensitive, one match per line."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import main
from app.db import Database
from app.models import Citizen, Visit
from app.services.common.text import fold


@pytest.fixture
def demo_db(db_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["demo", "--visits", "200", "--seed", "11", "--db", str(db_path)]) == 0
    capsys.readouterr()
    return db_path


def _a_visitor(db_path: Path) -> str:
    """The name of an ordinary (not confidential) citizen who came to the desk."""
    database = Database(f"sqlite:///{db_path}")
    with database.session() as session:
        name = session.scalar(
            select(Citizen.full_name)
            .join(Visit, Visit.citizen_id == Citizen.id)
            .where(Citizen.confidential.is_(False))
            .order_by(Visit.id.desc())
            .limit(1)
        )
    database.dispose()
    assert name is not None
    return name


def test_search_finds_a_demo_citizen_without_tones(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = _a_visitor(demo_db)
    code = main(["search", *fold(name).split(), "--limit", "50", "--db", str(demo_db)])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert any(line.startswith("công dân #") and name in line for line in lines)
    assert any(line.startswith("lượt tiếp #") and name in line for line in lines)
    assert lines[-1].startswith("— ") and "khớp" in lines[-1]


def test_search_accepts_decomposed_and_upper_case_input(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = _a_visitor(demo_db)
    typed = unicodedata.normalize("NFD", name.upper())
    assert main(["search", typed, "--limit", "50", "--db", str(demo_db)]) == 0
    out, _ = capsys.readouterr()
    assert any(line.startswith("công dân #") and name in line for line in out.splitlines())


def test_search_by_a_summary_word_lists_visits(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "thu hoi dat", "--limit", "5", "--db", str(demo_db)]) == 0
    out, _ = capsys.readouterr()
    visit_lines = [line for line in out.splitlines() if line.startswith("lượt tiếp #")]
    assert 1 <= len(visit_lines) <= 5
    assert all("thu hồi đất" in line.lower() or "thu hồi" in line for line in visit_lines)
