"""What the Quản trị tabs share: their read-only tables and the way they show a moment."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QHeaderView,
    QTableWidget,
)

AUTO_CHECK_MS = 10 * 60 * 1000
AUDIT_PAGE = 500


def read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def moment_text(value: dt.datetime | None, seconds: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:%d/%m/%Y %H:%M:%S}" if seconds else f"{value:%d/%m/%Y %H:%M}"
