"""Rail section "Đơn thư": petitions."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import UiContext
from app.ui.petitions.page import PetitionsPage


def create(ctx: UiContext) -> QWidget:
    return PetitionsPage(ctx)
