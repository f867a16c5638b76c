"""A report form on screen: merged multi-level headers, the numbered row, figures that open their records.

The headers are rows of the table itself (QHeaderView has no multi-level headers), merged with
``setSpan`` exactly like the xlsx; clicking a figure emits ``figure_clicked(row, col)`` in the
grid's own coordinates.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.services.reports.engine import ReportGrid

LEAD = ("STT", "Đơn vị")
Index = QModelIndex | QPersistentModelIndex


def format_number(value: float | int) -> str:
    """Vietnamese grouping: 1.234.567 and a decimal comma."""
    text = f"{value:,.1f}" if isinstance(value, float) and not value.is_integer() else f"{int(value):,}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


class ReportModel(QAbstractTableModel):
    def __init__(self, grid: ReportGrid, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid = grid
        self.top = grid.header_rows + 1  # header rows + the numbered row
        self._text: dict[tuple[int, int], str] = {}
        for cell in grid.header:
            self._text[(cell.row, cell.col + len(LEAD))] = cell.text
        for col, text in enumerate(LEAD):
            self._text[(0, col)] = text
        self._text[(grid.header_rows, 0)] = "A"
        self._text[(grid.header_rows, 1)] = "B"
        for i in range(len(grid.leaves)):
            self._text[(grid.header_rows, len(LEAD) + i)] = str(i + 1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.top + len(self.grid.row_labels)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(LEAD) + len(self.grid.leaves)

    def figure_at(self, index: Index) -> tuple[int, int] | None:
        """The (row, col) of the figure at ``index`` in the grid, or None for headers and labels."""
        if not index.isValid() or index.row() < self.top or index.column() < len(LEAD):
            return None
        return index.row() - self.top, index.column() - len(LEAD)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        figure = self.figure_at(index)
        if role == Qt.ItemDataRole.DisplayRole:
            if figure is not None:
                return format_number(self.grid.value(*figure))
            if r >= self.top:
                return str(r - self.top + 1) if c == 0 else self.grid.row_labels[r - self.top]
            return self._text.get((r, c), "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if r >= self.top and c == 1:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole and r < self.top:
            font = QFont()
            font.setBold(r < self.grid.header_rows)
            font.setItalic(r == self.grid.header_rows)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and r < self.grid.header_rows:
            return QBrush(QColor("#eef3fb"))
        if role == Qt.ItemDataRole.ToolTipRole and figure is not None:
            leaf = self.grid.leaves[figure[1]]
            return " › ".join(leaf.path) + "\nBấm đúp (hoặc Enter) để xem danh sách hồ sơ tạo nên số liệu này."
        return None

    def spans(self) -> list[tuple[int, int, int, int]]:
        spans = [(0, col, self.grid.header_rows, 1) for col in range(len(LEAD))]
        spans += [
            (cell.row, cell.col + len(LEAD), cell.rowspan, cell.colspan)
            for cell in self.grid.header
            if cell.rowspan > 1 or cell.colspan > 1
        ]
        return spans


class ReportView(QTableView):
    figure_clicked = Signal(int, int)

    def __init__(self, grid: ReportGrid, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report_model = ReportModel(grid, self)
        self.setModel(self.report_model)
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, col, rows, cols in self.report_model.spans():
            self.setSpan(row, col, rows, cols)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(0, 40)
        self.setColumnWidth(1, 200)
        for col in range(len(LEAD), self.report_model.columnCount()):
            self.setColumnWidth(col, 92)
        for row in range(grid.header_rows):
            self.setRowHeight(row, 48)
        # Qt's "open this item": a double-click, or Enter on the current figure (keyboard users too).
        self.activated.connect(self._clicked)

    def _clicked(self, index: QModelIndex) -> None:
        figure = self.report_model.figure_at(index)
        if figure is not None:
            self.figure_clicked.emit(*figure)
