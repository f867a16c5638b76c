"""An input with its message underneath: red for an error that blocks, amber for a warning.

Forms map the service's ``ValidationError`` keys (``citizen.id_number``, ``summary`` …) to
``Field`` objects through a ``FieldMap`` and show every message beside its input.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

ERROR_COLOUR = "#b3261e"
WARNING_COLOUR = "#8a5a00"
_ERROR_BORDER = f"border: 1px solid {ERROR_COLOUR};"


class Field(QWidget):
    """``editor`` plus a word-wrapped message label shown only when there is something to say."""

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(editor)
        layout.addWidget(self.message)
        self.setFocusProxy(editor)
        self.error: str | None = None
        self._warnings: list[str] = []

    def set_error(self, text: str | None) -> None:
        self.error = text
        self.editor.setStyleSheet(_ERROR_BORDER if text else "")
        self._refresh()

    def set_warnings(self, texts: Iterable[str]) -> None:
        self._warnings = list(texts)
        self._refresh()

    def clear(self) -> None:
        self._warnings = []
        self.set_error(None)

    def _refresh(self) -> None:
        if self.error:
            self.message.setText(self.error)
            self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
            self.message.show()
        elif self._warnings:
            self.message.setText("\n".join(f"⚠ {w}" for w in self._warnings))
            self.message.setStyleSheet(f"color: {WARNING_COLOUR};")
            self.message.show()
        else:
            self.message.clear()
            self.message.hide()


class FieldMap:
    """Service error keys → fields; unknown keys fall back to the longest known prefix."""

    def __init__(self) -> None:
        self._fields: dict[str, Field] = {}
        self.order: list[str] = []

    def add(self, key: str, field: Field) -> Field:
        self._fields[key] = field
        self.order.append(key)
        return field

    def get(self, key: str) -> Field | None:
        while key:
            if key in self._fields:
                return self._fields[key]
            key = key.rpartition(".")[0]
        return None

    def clear(self) -> None:
        for field in self._fields.values():
            field.clear()

    def clear_errors(self) -> None:
        for field in self._fields.values():
            field.set_error(None)

    def show_errors(self, errors: dict[str, str]) -> tuple[dict[str, str], Field | None]:
        """Put each message under its field; returns (messages with no field, first bad field in form order)."""
        self.clear_errors()
        grouped: dict[Field, list[str]] = {}
        orphans: dict[str, str] = {}
        for key, message in errors.items():
            field = self.get(key)
            if field is None:
                orphans[key] = message
            else:
                grouped.setdefault(field, []).append(message)
        for field, messages in grouped.items():
            field.set_error("\n".join(dict.fromkeys(messages)))
        first = next((self._fields[k] for k in self.order if self._fields[k] in grouped), None)
        return orphans, first


def line_edit(placeholder: str = "", max_length: int = 200) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(max_length)
    edit.setClearButtonEnabled(False)
    return edit
