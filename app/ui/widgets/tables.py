"""Small read-only record tables (catalogues, calendars): the set-up every such table shares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QTableWidget


def readonly_table(headers: Sequence[str], widths: Mapping[int, int] | None = None) -> QTableWidget:
    """Records one per row: whole-row single selection, no in-place editing, no row numbers."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    for column, width in (widths or {}).items():
        table.setColumnWidth(column, width)
    return table


def close_box(dialog: QDialog) -> QDialogButtonBox:
    """The "Đóng" button row of a dialog that saves as it goes (Esc closes it too)."""
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    box.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
    box.rejected.connect(dialog.reject)
    return box
