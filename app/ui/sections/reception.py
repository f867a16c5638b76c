"""Rail section "Tiếp công dân": the reception desk."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import UiContext
from app.ui.reception.page import ReceptionPage


def create(ctx: UiContext) -> QWidget:
    return ReceptionPage(ctx)
