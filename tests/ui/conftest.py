"""UI fixtures: a context on the real temporary database, and the reception page on screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.common.actor import SYSTEM
from app.ui.context import UiContext
from app.ui.reception.page import ReceptionPage


@pytest.fixture
def ctx(db: Database) -> Iterator[UiContext]:
    yield UiContext(db, SYSTEM)
    # Background reads hold sessions: let them end before the database is closed.
    QThreadPool.globalInstance().waitForDone(10_000)


@pytest.fixture
def page(qtbot: QtBot, ctx: UiContext) -> ReceptionPage:
    widget = ReceptionPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: widget.board.model.loaded_once)
    return widget
