"""Quản trị → Sổ mật: the administrator turns the mode on, pairs, exports; lists then show the reference."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Citizen
from app.models.enums import Role
from app.models.mixins import now_local
from app.services.common.actor import SYSTEM, Actor
from app.services.reception import visits
from app.services.secret_register import networked, store
from app.ui.context import UiContext
from app.ui.reception.page import ReceptionPage
from app.ui.sections.admin import AdminPage
from tests.services.test_secret_register import NAME, add_denunciation

ADMIN = Actor(user_id=None, username="quantri", full_name="Quản Trị", role=Role.ADMIN)
CLERK = Actor(user_id=None, username="tiepdan", full_name="Tiếp Dân", role=Role.CLERK)
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def test_admin_turns_on_pairs_and_exports(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        visit_id = add_denunciation(session).id
    station = store.create_store(tmp_path / "so-mat.sqlite3", SYSTEM, tmp_path / "ghep.json")
    station.dispose()
    page = AdminPage(UiContext(db, ADMIN))
    qtbot.addWidget(page)
    page.resize(1100, 520)
    page.show()
    page.setCurrentWidget(page.secret)
    tab = page.secret
    assert "Sổ mật" in [page.tabText(i) for i in range(page.count())]
    assert not tab.mode.isChecked() and not tab.export_button.isEnabled()
    assert "chờ chuyển: <b>1</b>" in tab.state.text()

    tab.mode.setChecked(True)
    with db.session() as session:
        assert networked.enabled(session)
    assert tab.pair_with(tmp_path / "ghep.json")
    assert tab.export_button.isEnabled()
    assert tab.export_to(tmp_path / "sang-so-mat.tdsm")
    assert "1 danh tính" in tab.status.text()
    assert "chờ chuyển: <b>0</b>" in tab.state.text()
    qtbot.wait(20)  # let the wrapped labels take their height
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(SHOTS / "secret_tab.png"))

    # Where the name was, every user now reads the reference and "Danh tính lưu tại sổ mật".
    with db.session() as session:
        citizen = session.scalars(select(Citizen).where(Citizen.confidential.is_(True))).one()
        assert NAME not in citizen.full_name and citizen.full_name.endswith("Danh tính lưu tại sổ mật")
        [row] = visits.visit_rows(session, CLERK, [visit_id])
        assert row.citizen_name == citizen.full_name  # a clerk too: a reference is not an identity


def test_a_bad_pairing_file_is_refused_in_words(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    page = AdminPage(UiContext(db, ADMIN))
    qtbot.addWidget(page)
    bad = tmp_path / "ghep.json"
    bad.write_text("{}", encoding="utf-8")
    assert not page.secret.pair_with(bad)
    assert "không phải tệp ghép cặp sổ mật" in page.secret.status.text()


def test_the_desk_board_shows_the_reference_after_the_transfer(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    with db.transaction() as session:
        add_denunciation(session, now_local().replace(second=0, microsecond=0))
    station = store.create_store(tmp_path / "so-mat.sqlite3", SYSTEM, tmp_path / "ghep.json")
    station.dispose()
    with db.transaction() as session:
        networked.pair(session, SYSTEM, tmp_path / "ghep.json")
        networked.set_enabled(session, SYSTEM, True)
        [reference] = networked.export_to_station(session, SYSTEM, tmp_path / "di.tdsm").references
    ctx = UiContext(db, CLERK)
    page = ReceptionPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 600)
    page.show()
    qtbot.waitUntil(lambda: page.board.model.loaded_once)
    model = page.board.model
    cells = [
        str(model.data(model.index(row, column)) or "")
        for row in range(model.rowCount())
        for column in range(model.columnCount())
    ]
    assert f"{reference} · Danh tính lưu tại sổ mật" in cells
    assert not any(NAME in cell for cell in cells)
    qtbot.wait(20)
    page.grab().save(str(SHOTS / "secret_desk_board.png"))
    QThreadPool.globalInstance().waitForDone(10_000)
