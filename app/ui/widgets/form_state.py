"""The plain state of a form's inputs: to tell whether anything was typed, and to keep it as a draft.

``capture`` reads every input into JSON-ready values (texts, the chosen item's label, numbers,
ISO dates, table cells); ``restore`` puts such values back. Pickers are kept by their shown label,
not by their position, so that a draft stays right when a list gains an item. Inputs are restored
in the order given: a province before its commune (choosing the province loads the communes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.ui.widgets.choices import SearchCombo

State = dict[str, Any]
ISO = Qt.DateFormat.ISODate


def capture(inputs: Mapping[str, QWidget]) -> State:
    return {key: _read(widget) for key, widget in inputs.items()}


def restore(inputs: Mapping[str, QWidget], state: Mapping[str, Any]) -> None:
    """Put back what ``capture`` read; keys the form no longer has, or values of another shape, are skipped."""
    for key, widget in inputs.items():
        if key in state:
            _write(widget, state[key])


def differs(inputs: Mapping[str, QWidget], pristine: State, *, ignore: frozenset[str] = frozenset()) -> bool:
    """Whether anything but the ``ignore``d inputs changed since ``pristine`` was captured."""
    now = capture(inputs)
    return any(now.get(key) != pristine.get(key) for key in now if key not in ignore)


def _read(widget: QWidget) -> Any:
    # QDateEdit before QDateTimeEdit: in Qt's class tree a date edit is a date-time edit.
    if isinstance(widget, QDateEdit):
        return widget.date().toString(ISO)
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString(ISO)
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    if isinstance(widget, QTableWidget):
        return [[_cell(widget, row, col) for col in range(widget.columnCount())] for row in range(widget.rowCount())]
    raise TypeError(f"form_state cannot read a {type(widget).__name__}")


def _write(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QDateEdit) and isinstance(value, str):
        date = QDate.fromString(value, ISO)
        if date.isValid():
            widget.setDate(date)
    elif isinstance(widget, QDateTimeEdit) and isinstance(value, str):
        moment = QDateTime.fromString(value, ISO)
        if moment.isValid():
            widget.setDateTime(moment)
    elif isinstance(widget, SearchCombo) and isinstance(value, str):
        index = widget.findText(value)
        if index >= 0:
            widget.setCurrentIndex(index)
        else:
            widget.setEditText(value)  # an unknown text stays, and gets its message on save
    elif isinstance(widget, QComboBox) and isinstance(value, str):
        index = widget.findText(value)
        if index >= 0:
            widget.setCurrentIndex(index)
    elif isinstance(widget, QLineEdit) and isinstance(value, str):
        widget.setText(value)
    elif isinstance(widget, QPlainTextEdit) and isinstance(value, str):
        widget.setPlainText(value)
    elif isinstance(widget, QSpinBox) and isinstance(value, int):
        widget.setValue(value)
    elif isinstance(widget, QAbstractButton) and isinstance(value, bool):
        widget.setChecked(value)
    elif isinstance(widget, QTableWidget) and isinstance(value, list):
        _write_table(widget, value)


def _cell(table: QTableWidget, row: int, col: int) -> str:
    # Read through the model: ``QTableWidget.item`` returning None for an empty cell, called every
    # few seconds, wore down None's reference count in PySide6 6.x until the process aborted.
    value = table.model().index(row, col).data()
    return value if isinstance(value, str) else ""


def _write_table(table: QTableWidget, rows: list[Any]) -> None:
    table.clearContents()
    for r, cells in enumerate(rows[: table.rowCount()]):
        if not isinstance(cells, list):
            continue
        for c, text in enumerate(cells[: table.columnCount()]):
            if isinstance(text, str) and text:
                table.setItem(r, c, QTableWidgetItem(text))
