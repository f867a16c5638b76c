"""Rail section "Theo dõi": the follow-up board, and the overdue count in the main window."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from app.services.common.errors import AppError
from app.services.deadlines import followup
from app.ui.context import UiContext
from app.ui.followup import update_indicator
from app.ui.live import DEADLINES, LiveUpdates

# How often the status bar's overdue count is refreshed while the window stays open.
REFRESH_MS = 5 * 60 * 1000


def create(ctx: UiContext) -> QWidget:
    # The board's code loads when the section is first opened; the window's start-up needs only
    # the overdue count below.
    from app.ui.followup.board import FollowupPage

    return FollowupPage(ctx)


def install_overdue_indicator(window: QWidget, ctx: UiContext, live: LiveUpdates | None = None) -> QTimer:
    """Show today's overdue count in ``window`` (``set_overdue_count``) now, every few minutes and,
    with ``live``, as soon as another desk changes a deadline."""

    def update() -> None:
        try:
            with ctx.db.session() as session:
                count = followup.overdue_count(session)
        except AppError:
            return  # the status bar stays as it was; the board reports errors when opened
        update_indicator(window, count)

    timer = QTimer(window)
    timer.setObjectName("overdue_timer")
    timer.setInterval(REFRESH_MS)
    timer.timeout.connect(update)
    timer.start()
    if live is not None:
        live.changed.connect(lambda topics: update() if topics & DEADLINES else None)
    update()
    return timer
