"""Live desks: another desk's commit reaches this one unasked, on SQLite and PostgreSQL alike,
and only the tables it changed are reported (so only the lists that show them reload)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.db import Database
from app.models import Visit
from app.services.common import changes
from app.services.common.actor import SYSTEM
from app.services.reception import visits
from app.services.records import drafts
from app.ui.context import UiContext
from app.ui.live import LiveUpdates
from app.ui.reception.page import ReceptionPage
from tests.helpers import visit_input
from tests.reliability.conftest import key_env, saved_ids, spawn  # noqa: F401  (key_env: a fixture)
from tests.ui.jobs.helpers import open_desk, reception_page

WAIT_S = 10.0  # the generous bound of a shared test machine; the note quotes the measured delay


@pytest.fixture
def desk_url(empty_db_url: str, key_env: dict[str, str]) -> Iterator[str]:  # noqa: F811
    """A database both this process and child processes open with the same key file."""
    Database(empty_db_url).dispose()
    yield empty_db_url


def poll_until(watcher: changes.Watcher, wanted: str) -> tuple[set[str], float]:
    start = time.monotonic()
    seen: set[str] = set()
    while wanted not in seen and time.monotonic() - start < WAIT_S:
        seen |= watcher.poll()
        time.sleep(0.02)
    return seen, time.monotonic() - start


def test_a_commit_of_another_desk_names_its_tables_and_nothing_else_does(desk_url: str) -> None:
    here, other = Database(desk_url), Database(desk_url)
    watcher = changes.watch(here.engine, here.url)
    try:
        assert watcher.poll() == set()  # an idle office
        with other.transaction() as session:
            saved = visits.register_visit(session, SYSTEM, visit_input())
        seen, _ = poll_until(watcher, "visit")
        assert {"visit", "citizen"} <= seen and "audit_entry" not in seen
        assert watcher.poll() == set()  # told once

        with pytest.raises(RuntimeError), other.transaction() as session:
            visits.register_visit(session, SYSTEM, visit_input("Trần Thị Bích", id_number=None))
            raise RuntimeError("the clerk's save failed half-way")
        with other.transaction() as session:  # a draft kept every few seconds is not news
            drafts.keep(session, SYSTEM, drafts.VISIT_FORM, {"full_name": "Lê Văn Tám"})
        time.sleep(0.2)
        assert watcher.poll() == set()

        with other.transaction() as session:  # a statement without loaded objects counts too
            session.execute(update(Visit).where(Visit.id == saved.id).values(summary="Đã sửa nội dung"))
        seen, _ = poll_until(watcher, "visit")
        assert seen == {"visit"}
    finally:
        watcher.close()
        here.dispose()
        other.dispose()


def test_a_visit_saved_by_another_process_reaches_the_watcher(desk_url: str, key_env: dict[str, str]) -> None:  # noqa: F811
    here = Database(desk_url)
    watcher = changes.watch(here.engine, here.url)
    try:
        desk = spawn(key_env, "save", desk_url, "1")
        out, err = desk.communicate(timeout=120)
        assert desk.returncode == 0 and len(saved_ids(out)) == 1, err
        seen, delay = poll_until(watcher, "visit")
        assert "visit" in seen, f"nothing seen after {delay:.1f} s"
    finally:
        watcher.close()
        here.dispose()


def test_the_desk_shows_another_desks_visit_without_being_asked(
    qtbot: QtBot,
    desk_url: str,
    key_env: dict[str, str],  # noqa: F811
) -> None:
    db = Database(desk_url)
    ctx = UiContext(db, SYSTEM)
    window = open_desk(qtbot, ctx)
    live = LiveUpdates(db, window)
    page = reception_page(qtbot, window)
    assert isinstance(page, ReceptionPage) and page.board.model.rowCount() == 0
    petitions_list = window.section("petitions")  # built but hidden: reloads only when shown
    window.show_section("reception")

    other = spawn(key_env, "save", desk_url, "2")
    out, err = other.communicate(timeout=120)
    assert other.returncode == 0, err
    saved = saved_ids(out)
    qtbot.waitUntil(lambda: page.board.model.rowCount() == 2, timeout=int(WAIT_S * 1000))
    assert "Hôm nay" in page.board.count.text() and "2 lượt tiếp" in page.board.count.text()
    assert sorted(page.board.model.ids()) == sorted(saved)
    assert petitions_list is not None
    live.stop()
    window.close()
    db.dispose()
