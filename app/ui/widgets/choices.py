"""Pickers: a combo over (value, label) pairs, and a type-to-filter combo that ignores tones."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.db import Database
from app.services.common import catalogues
from app.services.common.text import fold
from app.ui.widgets.keys import move_focus

_FOLDED = Qt.ItemDataRole.UserRole + 1
# The platform style draws no visible focus on a closed combo: a clerk moving by Tab or Enter
# lost track of where the keys went. The same blue as a focused line edit's frame.
FOCUS_RING = "QComboBox:focus { border: 2px solid #2f6fb0; border-radius: 3px; padding: 1px 6px; background: white; }"


class ChoiceCombo(QComboBox):
    """A closed list; ``value()`` is the chosen item's value (``None`` for the blank item).

    The values are kept here, not as Qt item data: Qt hands a ``StrEnum`` back as a plain ``str``
    (and an ``IntEnum`` as an ``int``), and the services take the enum itself.
    """

    def __init__(self, items: Iterable[tuple[Any, str]] = (), *, blank: str | None = None) -> None:
        super().__init__()
        self.setStyleSheet(FOCUS_RING)
        self._blank = blank
        self._values: list[Any] = []
        self.set_items(items)

    def set_items(self, items: Iterable[tuple[Any, str]]) -> None:
        self.clear()
        self._values = []
        if self._blank is not None:
            self.addItem(self._blank)
            self._values.append(None)
        for value, text in items:
            self.addItem(text)
            self._values.append(value)

    def value(self) -> Any:
        index = self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def emphasise(self, values: Iterable[Any]) -> None:
        """Show these items in bold (the groups of a two-level list)."""
        for value in values:
            if value in self._values:
                self.setItemData(self._values.index(value), _bold(self.font()), Qt.ItemDataRole.FontRole)

    def set_value(self, value: Any) -> None:
        index = self._values.index(value) if value in self._values else -1
        self.setCurrentIndex(max(index, 0) if self.count() else -1)


class _FoldFilter(QSortFilterProxyModel):
    """Keeps the rows whose folded text contains every folded word typed."""

    def __init__(self) -> None:
        super().__init__()
        self._words: list[str] = []

    def set_query(self, text: str) -> None:
        self.beginFilterChange()
        self._words = fold(text).split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        folded = self.sourceModel().index(row, 0, parent).data(_FOLDED) or ""
        return all(word in folded for word in self._words)


class SearchCombo(QComboBox):
    """An editable combo for long lists (communes): typing ``tu son`` offers “Phường Từ Sơn”.

    ``value()`` is the code of the item whose name matches the text exactly (tones ignored),
    ``None`` when the text is empty; ``text_is_unknown()`` tells the form to complain.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(FOCUS_RING)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self._items = QStandardItemModel(self)
        self.setModel(self._items)
        self._filter = _FoldFilter()
        self._filter.setSourceModel(self._items)
        completer = QCompleter(self._filter, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None
        line.textEdited.connect(self._on_edited)
        # Keys go to the open popup; one Enter there picks the item and, in a form, moves on.
        self.advance_on_enter = True
        popup = completer.popup()
        assert popup is not None
        popup.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        completer = self.completer()
        popup = completer.popup() if completer is not None else None
        if (
            watched is popup
            and popup is not None
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            index = popup.currentIndex()
            popup.hide()
            if index.isValid() and completer is not None:
                # The popup shows the completer's own model, a proxy over the fold filter.
                completion = completer.completionModel()
                assert isinstance(completion, QAbstractProxyModel)
                self.setCurrentIndex(self._filter.mapToSource(completion.mapToSource(index)).row())
            else:
                self.commit_text()
            if self.advance_on_enter:
                move_focus(self)
            return True
        return super().eventFilter(watched, event)

    def set_items(self, items: Iterable[tuple[str, str]]) -> None:
        self._items.clear()
        for code, name in items:
            item = QStandardItem(name)
            item.setData(code, Qt.ItemDataRole.UserRole)
            item.setData(fold(name), _FOLDED)
            self._items.appendRow(item)
        self.setCurrentIndex(-1)
        self.setEditText("")

    def emphasise(self, codes: Iterable[str]) -> None:
        """Show these items in bold (the groups of a two-level list)."""
        wanted = set(codes)
        for row in range(self._items.rowCount()):
            item = self._items.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in wanted:
                item.setFont(_bold(self.font()))

    def _on_edited(self, text: str) -> None:
        self._filter.set_query(text)
        completer = self.completer()
        if text.strip() and completer is not None:
            completer.complete()

    def _find(self, text: str) -> int:
        key = fold(text)
        if not key:
            return -1
        for row in range(self._items.rowCount()):
            if self._items.item(row).data(_FOLDED) == key:
                return row
        return -1

    def value(self) -> str | None:
        row = self._find(self.currentText())
        if row < 0:
            return None
        code = self._items.item(row).data(Qt.ItemDataRole.UserRole)
        return str(code)

    def text_is_unknown(self) -> bool:
        return bool(self.currentText().strip()) and self._find(self.currentText()) < 0

    def set_value(self, code: str | None) -> None:
        index = self.findData(code) if code else -1
        self.setCurrentIndex(index)
        if index < 0:
            self.setEditText("")

    def commit_text(self) -> None:
        """Snap the typed text to the matching item (exact, tones ignored), or to the only candidate left."""
        row = self._find(self.currentText())
        if row < 0 and self.currentText().strip() and self._filter.rowCount() == 1:
            row = self._filter.mapToSource(self._filter.index(0, 0)).row()
        if row >= 0:
            self.setCurrentIndex(row)


def load_communes(db: Database, commune: SearchCombo, province_code: str | None) -> None:
    """The communes of the chosen province in ``commune`` (none while no province is chosen)."""
    items: list[catalogues.Choice] = []
    if province_code:
        with db.session() as session:
            items = catalogues.communes(session, province_code)
    commune.set_items((c.code, c.name) for c in items)


def _bold(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setBold(True)
    return bold


def field_groups(fields: Iterable[catalogues.Choice]) -> list[str]:
    """The codes of the field catalogue's groups, to ``emphasise`` in a picker."""
    return [f.code for f in fields if f.parent is None]


def field_combo(fields: list[catalogues.Choice], blank: str) -> ChoiceCombo:
    """A closed Lĩnh vực picker: the catalogue in order, its groups in bold."""
    combo = ChoiceCombo(((f.code, f.name) for f in fields), blank=blank)
    combo.emphasise(field_groups(fields))
    return combo
