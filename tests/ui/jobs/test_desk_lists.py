"""The desk's lists follow what happened elsewhere: visits imported (or undone) while the clerk was
in another section are on the lists when the desk is shown again, without searching."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from app.models import LOCAL_TZ
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.reception.page import ReceptionPage
from tests.helpers import add_visit


def test_visits_added_elsewhere_show_when_the_desk_comes_back(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext
) -> None:
    page = desk.section("reception")
    assert isinstance(page, ReceptionPage)
    page.tabs.setCurrentWidget(page.list)
    qtbot.waitUntil(lambda: page.list.model.loaded_once)
    assert page.list.model.rowCount() == 0 and page.board.model.rowCount() == 0

    desk.show_section("reports")  # e.g. the import wizard lives there
    now = dt.datetime.now(LOCAL_TZ)
    with desk_ctx.db.session() as session:
        add_visit(session, name="Tạ Thị Xuân", id_number="024185007001", received_at=now)
        add_visit(session, name="Mạc Văn Khải", id_number="024085007002", received_at=now - dt.timedelta(days=3))

    desk.show_section("reception")
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 2)
    page.tabs.setCurrentWidget(page.board)
    qtbot.waitUntil(lambda: page.board.model.rowCount() == 1)
    names = {page.list.model.index(r, 2).data() for r in range(2)}
    assert names == {"Tạ Thị Xuân", "Mạc Văn Khải"}
