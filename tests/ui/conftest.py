"""UI fixtures: a context on the real temporary database, and the reception page on screen."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.common.actor import SYSTEM
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.reception.page import ReceptionPage
from tests.ui.settle import settle


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """A test ends with whatever it left typed: the windows pytest-qt closes now must not ask
    "Còn việc chưa lưu" (nobody would answer offscreen). Tests of that question ask it themselves."""
    from app.ui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow):
            widget.leave_without_asking()
    return (yield)


@pytest.fixture(autouse=True)
def program_errors_fail_the_test(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A defect that would show the clerk "lỗi chương trình" fails the test instead of opening a
    modal box that nobody closes offscreen (the suite would hang, or pass over the crash)."""
    seen: list[str] = []

    def record(parent: Any, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        seen.append("".join(traceback.format_exception(kind, exc, tb)))

    monkeypatch.setattr(feedback, "report_bug", record)
    yield
    assert not seen, "the clerk would see “lỗi chương trình”:\n" + "\n".join(seen)


@pytest.fixture
def ctx(db: Database) -> Iterator[UiContext]:
    yield UiContext(db, SYSTEM)
    settle()


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
