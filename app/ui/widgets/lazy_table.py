"""A table model over an id array that fetches its rows a page at a time.

The model holds every id in display order (an ``array('q')``: 8 MB for a million rows) and
a small LRU cache of fetched pages, so memory stays flat however long the list is.
Filtering and sorting happen in SQL; subclasses say how to fetch ids and rows.
``BackgroundIdModel`` asks for the ids in a worker; ``RecordTableView`` is the read-only list
over either.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.ui import feedback
from app.ui.context import UiContext
from app.ui.widgets.tasks import TaskRunner

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.common.actor import Actor

Row = TypeVar("Row")
Filter = TypeVar("Filter")
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

    def ids(self) -> tuple[int, ...]:
        """Every id the list shows, in its display order."""
        return tuple(self._ids)

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


class BackgroundIdModel(LazyTableModel[Row], Generic[Row, Filter]):
    """A lazy model over a service's pair of queries, its ids loaded in a worker.

    ``ids(session, filter, sort_key, descending)`` filters and sorts in SQL, off the GUI thread in
    a session of its own; the view keeps showing the old rows until the answer arrives.
    ``rows(session, actor, ids)`` fetches one page of rows (masked for the actor) when shown.
    """

    loading = Signal()
    loaded = Signal(int)  # number of matching rows

    def __init__(
        self,
        ctx: UiContext,
        columns: Sequence[Column[Row]],
        rows: Callable[[Session, Actor, array[int]], list[Row]],
        ids: Callable[[Session, Filter, str, bool], array[int]],
        *,
        filter: Filter,
        sort_key: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(columns, self._fetch_rows)
        self.setParent(parent)
        self.ctx = ctx
        self._rows_query = rows
        self._ids_query = ids
        self.filter = filter
        self._default_sort = sort_key
        self.sort_key = sort_key
        self.descending = True
        self._runner = TaskRunner(self)
        self.loaded_once = False

    def _fetch_rows(self, ids: array[int]) -> list[Row]:
        with self.ctx.db.session() as session:
            return self._rows_query(session, self.ctx.actor, ids)

    def reload(self, flt: Filter | None = None) -> None:
        """Ask SQL for the ids again (in a worker), with ``flt`` if given, else the current filter."""
        if flt is not None:
            self.filter = flt
        db, query, flt_now = self.ctx.db, self._ids_query, self.filter
        key, desc = self.sort_key or self._default_sort, self.descending

        def job() -> array[int]:
            with db.session() as session:
                return query(session, flt_now, key, desc)

        self.loading.emit()
        self._runner.submit(job, self._ids_loaded, self._failed)

    def _ids_loaded(self, ids: array[int]) -> None:
        self.loaded_once = True
        self.set_ids(ids)
        self.loaded.emit(len(ids))

    def _failed(self, exc: BaseException) -> None:
        self.loaded.emit(self.rowCount())
        feedback.show_error(None, exc)

    @property
    def is_loading(self) -> bool:
        return self._runner.busy

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort_key
        if key is None:
            return
        self.sort_key = key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()


class RecordTableView(QTableView):
    """A read-only list of records, one per row; Enter or double-click asks to open one."""

    open_requested = Signal(int)

    def __init__(
        self,
        model: BackgroundIdModel[Any, Any],
        widths: Sequence[int],
        parent: QWidget | None = None,
        *,
        stretch: int | None = None,
    ) -> None:
        """``stretch``: the column that takes the width left (the others keep theirs), so that the
        whole row fits the window instead of the last column running off to the right."""
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(24)
        # A fixed row height spares the view from asking every row for its size.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column, width in enumerate(widths):
            header.resizeSection(column, width)
        if stretch is None:
            header.setStretchLastSection(True)
        else:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self.activated.connect(lambda _i: self._open())

    def record_model(self) -> BackgroundIdModel[Any, Any]:
        model = self.model()
        assert isinstance(model, BackgroundIdModel)
        return model

    def _open(self) -> None:
        record_id = self.record_model().id_at(self.currentIndex().row())
        if record_id is not None:
            self.open_requested.emit(record_id)

    def enable_sorting(self) -> None:
        """Header clicks sort in SQL; columns without a sort key keep the current order."""
        header = self.horizontalHeader()
        header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.sortIndicatorChanged.connect(self._sort_clicked)

    def _sort_clicked(self, column: int, order: Qt.SortOrder) -> None:
        model = self.record_model()
        if model.columns[column].sort_key is None:
            current = next(i for i, c in enumerate(model.columns) if c.sort_key == model.sort_key)
            previous = Qt.SortOrder.DescendingOrder if model.descending else Qt.SortOrder.AscendingOrder
            header = self.horizontalHeader()
            with QSignalBlocker(header):
                header.setSortIndicator(current, previous)
            return
        model.sort(column, order)
