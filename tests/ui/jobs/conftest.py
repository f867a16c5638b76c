"""Job tests: the real main window, signed in as a real account, driven by keyboard and mouse.

Each test here is one job a clerk or an office lead does in a day, from the first key to what
they would check afterwards (the row in the list, the text of the PDF, the cell of the xlsx, the
line of the audit trail). Only modal boxes are answered by monkeypatching ``feedback``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.security import accounts
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from tests.ui.jobs.helpers import open_desk
from tests.ui.settle import settle

ADMIN_PASSWORD = "Quantri@2026"


@pytest.fixture
def desk_ctx(db: Database) -> Iterator[UiContext]:
    """Signed in as the office's first administrator, created the way the first start does."""
    with db.session() as session:
        admin = accounts.create_first_admin(session, "quantri", "Nguyễn Thị Quản Trị", ADMIN_PASSWORD)
        session.commit()
    yield UiContext(db, accounts.actor_for(admin))
    settle()


@pytest.fixture
def desk(qtbot: QtBot, desk_ctx: UiContext) -> MainWindow:
    """The main window on a 1366×768 screen, on the reception section, as after sign-in."""
    return open_desk(qtbot, desk_ctx)
