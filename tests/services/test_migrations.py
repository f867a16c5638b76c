"""The schema is built by migrations, and a database of an older version upgrades in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Date, Integer, bindparam, inspect, text

from app.db import Database, current_revision, head_revision, make_engine, upgrade
from app.services.common.actor import SYSTEM
from app.services.common.errors import StorageError
from app.services.reception import citizens, visits


def test_fresh_database_is_at_head_with_catalogues(db: Database) -> None:
    assert current_revision(db.engine) == head_revision(db.engine)
    with db.session() as s:
        assert s.execute(text("SELECT count(*) FROM admin_unit WHERE level='tinh'")).scalar() == 34
        assert s.execute(text("SELECT count(*) FROM admin_unit WHERE level='xa'")).scalar() == 3321
        if db.is_sqlite:
            assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_database_from_first_migration_upgrades_and_keeps_data(empty_db_url: str) -> None:
    url = empty_db_url
    engine = make_engine(url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO citizen (full_name, name_folded, nationality, confidential, created_at, updated_at) "
                "VALUES ('Đặng Thị Đào', 'dang thi dao', 'Việt Nam', :no, :t, :t)"
            ),
            {"t": dt.datetime(2026, 1, 5, 2, 0), "no": False},
        )
    engine.dispose()

    db = Database(url)
    assert current_revision(db.engine) == head_revision(db.engine)
    with db.session() as s:
        found = citizens.find_returning(s, "dang thi")
    assert [m.full_name for m in found] == ["Đặng Thị Đào"]
    db.dispose()


def test_newer_database_is_refused_with_a_clear_message(db_url: str) -> None:
    url = db_url
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


def test_migrations_build_exactly_the_models_schema(db: Database) -> None:
    """Every column and index of the models is made by a migration (the search tables are extra)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from app.models import Base

    with db.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    unexpected = [d for d in diffs if not _search_index(d)]
    assert unexpected == []


_FTS_SUFFIXES = ("_fts", "_fts_data", "_fts_idx", "_fts_config", "_fts_docsize")


def _search_index(diff: tuple[Any, ...]) -> bool:
    """The search structures no model declares: SQLite's FTS5 tables, PostgreSQL's trigram and
    full-text indexes."""
    kind, item = diff[0], diff[1]
    if kind == "remove_table":
        return bool(item.name.endswith(_FTS_SUFFIXES))
    return kind == "remove_index" and bool(item.name.endswith(("_trgm", "_words", "_prefixes")))


def test_petitions_of_an_older_database_get_their_first_dates(empty_db_url: str) -> None:
    """0003 fills the first direction / acceptance dates from the events already recorded."""
    url = empty_db_url
    engine = make_engine(url)
    upgrade(engine, "0002")
    # Typed parameters, so that the same statements store dates and flags on SQLite and PostgreSQL.
    stamp = {"t": dt.datetime(2026, 3, 1, 2, 0), "no": False}
    with engine.begin() as conn:
        for pid, status, result in ((1, "da_thu_ly", None), (2, "da_giai_quyet", "dung")):
            conn.execute(
                text(
                    "INSERT INTO petition (id, reg_year, reg_seq, received_on, source, sender_kind, head_count, "
                    "is_anonymous, is_pseudonymous, summary, summary_folded, kind, is_beyond_level, is_prolonged, "
                    "is_complicated, is_remote_area, status, forward_count, result, created_at, updated_at) "
                    "VALUES (:id, 2026, :id, :received, 'buu_chinh', 'ca_nhan', 1, :no, :no, 'Đơn', 'don', "
                    "'khieu_nai', :no, :no, :no, :no, :status, 0, :result, :t, :t)"
                ).bindparams(bindparam("received", type_=Date())),
                {"id": pid, "status": status, "result": result, "received": dt.date(2026, 2, 2), **stamp},
            )
        events = [
            (1, "phan_loai", "2026-02-03"),
            (1, "thu_ly", "2026-02-10"),
            (2, "chuyen_don", "2026-02-04"),
            (2, "thu_ly", "2026-02-12"),
            (2, "thu_ly", "2026-02-09"),
            (2, "ban_hanh_quyet_dinh", "2026-03-20"),
        ]
        for pid, action, on in events:
            conn.execute(
                text(
                    "INSERT INTO petition_event (petition_id, action, occurred_on, recorded_at) "
                    "VALUES (:pid, :action, :on, :t)"
                ).bindparams(bindparam("on", type_=Date())),
                {"pid": pid, "action": action, "on": dt.date.fromisoformat(on), **stamp},
            )
    engine.dispose()

    db = Database(url)
    with db.session() as s:
        rows = s.execute(
            text("SELECT id, handled_on, accepted_on, decided_on FROM petition ORDER BY id").columns(
                id=Integer(), handled_on=Date(), accepted_on=Date(), decided_on=Date()
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        (1, dt.date(2026, 2, 10), dt.date(2026, 2, 10), None),
        (2, dt.date(2026, 2, 4), dt.date(2026, 2, 9), dt.date(2026, 3, 20)),
    ]
    db.dispose()


def test_visits_of_an_older_database_keep_the_person_they_recorded(empty_db_url: str) -> None:
    """0004 records one version of each citizen and points their visits at it, so a later correction
    of the citizen leaves what those visits showed unchanged."""
    url = empty_db_url
    engine = make_engine(url)
    upgrade(engine, "0003")
    stamp = {"t": dt.datetime(2026, 1, 5, 2, 0), "no": False}
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO citizen (id, full_name, name_folded, nationality, address_detail, confidential, "
                "created_at, updated_at) VALUES (1, 'Đặng Thị Đào', 'dang thi dao', 'Việt Nam', 'Thôn Cũ', :no, :t, :t)"
            ),
            stamp,
        )
        conn.execute(
            text(
                "INSERT INTO visit (id, received_at, received_on, reception_kind, citizen_id, head_count, is_crowd, "
                "summary, summary_folded, matter_kind, outcome, created_at, updated_at) VALUES (1, :t, :on, "
                "'thuong_xuyen', 1, 1, :no, 'Đề nghị', 'de nghi', 'kien_nghi', 'huong_dan', :t, :t)"
            ).bindparams(bindparam("on", type_=Date())),
            {**stamp, "on": dt.date(2026, 1, 5)},
        )
    engine.dispose()

    db = Database(url)
    with db.session() as s:
        versions = s.execute(text("SELECT citizen_id FROM citizen_version")).scalars().all()
        pinned = s.execute(text("SELECT citizen_version_id FROM visit WHERE id = 1")).scalar_one()
    assert versions == [1]
    assert pinned is not None
    with db.transaction() as s:
        s.execute(text("UPDATE citizen SET address_detail = 'Thôn Mới' WHERE id = 1"))
    with db.session() as s:
        row = visits.visit_rows(s, SYSTEM, [1])[0]
    assert row.citizen_name == "Đặng Thị Đào"
    assert "Thôn Cũ" in row.address
    db.dispose()


def test_respondents_of_an_older_database_are_folded(empty_db_url: str) -> None:
    """0007 stores the folded respondent of every petition already recorded."""
    engine = make_engine(empty_db_url)
    upgrade(engine, "0006")
    stamp = {"t": dt.datetime(2026, 3, 1, 2, 0), "no": False}
    with engine.begin() as conn:
        for pid, respondent in ((1, "Ông Đỗ Văn Đức"), (2, None)):
            conn.execute(
                text(
                    "INSERT INTO petition (id, reg_year, reg_seq, received_on, source, sender_kind, head_count, "
                    "is_anonymous, is_pseudonymous, respondent_name, summary, summary_folded, kind, "
                    "is_beyond_level, is_prolonged, is_complicated, is_remote_area, status, forward_count, "
                    "created_at, updated_at) "
                    "VALUES (:id, 2026, :id, :received, 'buu_chinh', 'ca_nhan', 1, :no, :no, :respondent, 'Đơn', "
                    "'don', 'to_cao', :no, :no, :no, :no, 'moi_nhan', 0, :t, :t)"
                ).bindparams(bindparam("received", type_=Date())),
                {"id": pid, "respondent": respondent, "received": dt.date(2026, 2, 2), **stamp},
            )
    engine.dispose()

    db = Database(empty_db_url)
    with db.session() as s:
        rows = s.execute(text("SELECT id, respondent_folded FROM petition ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, "ong do van duc"), (2, None)]
    db.dispose()


def test_visits_of_an_older_database_get_their_name_sort_key(empty_db_url: str) -> None:
    """0020 copies each person's folded name onto their visits, then triggers keep it."""
    engine = make_engine(empty_db_url)
    upgrade(engine, "0019")
    stamp = {"t": dt.datetime(2026, 1, 5, 2, 0), "no": False, "on": dt.date(2026, 1, 5)}
    with engine.begin() as conn:
        for cid, name, folded in ((1, "Trần Thị Lan", "tran thi lan"), (2, "Đỗ Văn An", "do van an")):
            conn.execute(
                text(
                    "INSERT INTO citizen (id, full_name, name_folded, nationality, confidential, created_at, "
                    "updated_at) VALUES (:id, :name, :folded, 'Việt Nam', :no, :t, :t)"
                ),
                {**stamp, "id": cid, "name": name, "folded": folded},
            )
            conn.execute(
                text(
                    "INSERT INTO visit (id, received_at, received_on, reception_kind, citizen_id, head_count, "
                    "is_crowd, summary, summary_folded, matter_kind, outcome, created_at, updated_at) VALUES (:id, "
                    ":t, :on, 'thuong_xuyen', :id, 1, :no, 'Đề nghị', 'de nghi', 'kien_nghi', 'huong_dan', :t, :t)"
                ).bindparams(bindparam("on", type_=Date())),
                {**stamp, "id": cid},
            )
    engine.dispose()

    db = Database(empty_db_url)
    with db.session() as s:
        assert list(visits.visit_ids(s, visits.VisitFilter(), sort="citizen", descending=False)) == [2, 1]
    with db.transaction() as s:  # a rename after the upgrade: the trigger follows it
        s.execute(text("UPDATE citizen SET name_folded = 'au thi lan' WHERE id = 1"))
    with db.session() as s:
        assert list(visits.visit_ids(s, visits.VisitFilter(), sort="citizen", descending=False)) == [1, 2]
    db.dispose()
