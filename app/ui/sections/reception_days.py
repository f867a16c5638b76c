"""Rail section "Lịch tiếp": leaders' reception days, bookings and the day's programme."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import UiContext
from app.ui.reception_days.page import ReceptionDaysPage


def create(ctx: UiContext) -> QWidget:
    return ReceptionDaysPage(ctx)
