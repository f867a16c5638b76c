"""A table model over an id array that fetches its rows a page at a time.

The model holds every id in display order (an ``array('q')``: 8 MB for a million rows) and
a small LRU cache of fetched pages, so memory stays flat however long the list is.
Filtering and sorting happen in SQL; subclasses say how to fetch ids and rows.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    sort_key: str | None = None
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
    tooltip: Callable[[Row], str] | None = None


class LazyTableModel(QAbstractTableModel, Generic[Row]):
    PAGE_SIZE = 200
    MAX_PAGES = 6

    def __init__(self, columns: Sequence[Column[Row]], fetch: Callable[[array[int]], list[Row]]) -> None:
        super().__init__()
        self.columns = list(columns)
        self._fetch = fetch
        self._ids: array[int] = array("q")
        self._pages: OrderedDict[int, dict[int, Row]] = OrderedDict()
        self.sort_key: str | None = None
        self.descending = True

    # ---- data the view asks for -----------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.align | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(row) if column.tooltip else None
        return column.text(row)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else Qt.ItemFlag.NoItemFlags

    # ---- ids and pages --------------------------------------------------------------------
    def set_ids(self, ids: array[int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, item_id: int) -> int:
        try:
            return self._ids.index(item_id)
        except ValueError:
            return -1

    def row_at(self, row: int) -> Row | None:
        if not 0 <= row < len(self._ids):
            return None
        number = row // self.PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            page = self._load_page(number)
        else:
            self._pages.move_to_end(number)
        return page.get(self._ids[row])

    def _load_page(self, number: int) -> dict[int, Row]:
        start = number * self.PAGE_SIZE
        ids = self._ids[start : start + self.PAGE_SIZE]
        page = {self._row_id(r): r for r in self._fetch(ids)}
        self._pages[number] = page
        while len(self._pages) > self.MAX_PAGES:
            self._pages.popitem(last=False)
        return page

    def _row_id(self, row: Row) -> int:
        return int(row.id)  # type: ignore[attr-defined]

    def cached_pages(self) -> int:
        return len(self._pages)

    def invalidate_rows(self) -> None:
        """Forget the fetched pages (rows were edited) but keep the ids and the scroll position."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))
