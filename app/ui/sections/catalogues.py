"""Rail section "Danh mục": competent bodies, routing rules, fields."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import UiContext
from app.ui.petitions.directory import CataloguesPage


def create(ctx: UiContext) -> QWidget:
    return CataloguesPage(ctx)
