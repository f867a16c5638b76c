"""The schema is built by migrations, and a database of an older version upgrades in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from app.db import Database, current_revision, head_revision, make_engine, upgrade
from app.services import citizens
from app.services.errors import StorageError


def test_fresh_database_is_at_head_with_catalogues(db: Database) -> None:
    assert current_revision(db.engine) == head_revision(db.engine)
    with db.session() as s:
        assert s.execute(text("SELECT count(*) FROM admin_unit WHERE level='tinh'")).scalar() == 34
        assert s.execute(text("SELECT count(*) FROM admin_unit WHERE level='xa'")).scalar() == 3321
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_database_from_first_migration_upgrades_and_keeps_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO citizen (full_name, name_folded, nationality, confidential, created_at, updated_at) "
                "VALUES ('Đặng Thị Đào', 'dang thi dao', 'Việt Nam', 0, :t, :t)"
            ),
            {"t": dt.datetime(2026, 1, 5, 2, 0)},
        )
    engine.dispose()

    db = Database(url)
    assert current_revision(db.engine) == head_revision(db.engine)
    with db.session() as s:
        found = citizens.find_returning(s, "dang thi")
    assert [m.full_name for m in found] == ["Đặng Thị Đào"]
    db.dispose()


def test_newer_database_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'future.sqlite3'}"
    Database(url).dispose()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num='9999_future'"))
    engine.dispose()
    with pytest.raises(StorageError, match="phiên bản TiếpDân mới hơn"):
        Database(url)


def test_not_a_database_gives_storage_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match="Không mở được"):
        Database(f"sqlite:///{bogus}")


def test_every_model_table_exists(db: Database) -> None:
    from app.models import Base

    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_head_constant_matches_the_migration_scripts() -> None:
    from app.migrations import HEAD

    assert head_revision() == HEAD
