"""Rail section "Báo cáo": periodic report forms, register export and legacy register import."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import UiContext
from app.ui.reports.page import ReportsPage


def create(ctx: UiContext) -> QWidget:
    return ReportsPage(ctx)
