"""The petition's timeline: its events, its legal clocks and the documents issued."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import DeadlineStatus
from app.services.casework.petitions import PetitionDetail
from app.services.common import vocab
from app.ui.petitions.common import fmt

LATE = QColor("#b3261e")


def _table(headers: Sequence[str], widths: Sequence[int]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(True)
    header = table.horizontalHeader()
    for i, width in enumerate(widths):
        header.resizeSection(i, width)
    header.setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], colours: Sequence[QColor | None] = ()) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if r < len(colours) and colours[r] is not None:
                item.setForeground(colours[r])  # type: ignore[arg-type]
            table.setItem(r, c, item)
    table.resizeRowsToContents()


class TimelineView(QWidget):
    document_requested = Signal(int)  # document id: "Xem/In" clicked, or the row activated

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document_ids: list[int] = []
        self.events = _table(
            ["Ngày", "Thao tác", "Người thực hiện", "Cơ quan", "Lý do, ghi chú", "Văn bản"],
            [86, 150, 150, 220, 260, 120],
        )
        self.clocks = _table(
            ["Thời hạn", "Bắt đầu", "Hạn", "Trạng thái", "Còn lại / quá hạn", "Căn cứ"], [260, 86, 86, 110, 120, 200]
        )
        self.documents = _table(["Số, ký hiệu", "Loại văn bản", "Ngày", "Nơi nhận", ""], [120, 200, 86, 300, 80])
        # "Nơi nhận" takes the spare width; the button column keeps its own.
        self.documents.horizontalHeader().setStretchLastSection(False)
        self.documents.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.documents.activated.connect(self._document_activated)
        layout = QVBoxLayout(self)
        for title, table, stretch in (
            ("Diễn biến xử lý", self.events, 3),
            ("Thời hạn theo quy định", self.clocks, 2),
            ("Văn bản đã cấp số", self.documents, 2),
        ):
            label = QLabel(title)
            label.setStyleSheet("font-weight: bold;")
            layout.addWidget(label)
            layout.addWidget(table, stretch)

    def set_detail(self, detail: PetitionDetail) -> None:
        _fill(
            self.events,
            [
                (
                    fmt(e.occurred_on),
                    e.action_label,
                    e.actor_name,
                    e.agency_name,
                    "; ".join(p for p in (e.reason, e.note) if p),
                    ", ".join(e.documents),
                )
                for e in detail.events
            ],
        )
        rows: list[tuple[str, ...]] = []
        colours: list[QColor | None] = []
        for c in detail.clocks:
            running = c.status in (DeadlineStatus.OPEN, DeadlineStatus.SUSPENDED)
            if running and c.days_late:
                left = f"Quá hạn {c.days_late} ngày"
            elif running and c.days_left is not None:
                left = f"Còn {c.days_left} ngày"
            else:
                left = f"Xong {fmt(c.met_on)}" if c.met_on else ""
            rows.append((c.rule_name, fmt(c.start_on), fmt(c.due_on), c.status_label, left, c.legal_source))
            colours.append(LATE if running and c.days_late else None)
        _fill(self.clocks, rows, colours)
        _fill(
            self.documents,
            [(d.symbol, vocab.label(d.doc_type), fmt(d.issued_on), d.recipient or "") for d in detail.documents],
        )
        self.document_ids = [d.id for d in detail.documents]
        for r, document_id in enumerate(self.document_ids):
            button = QPushButton("Xem/In", self.documents)
            button.setToolTip("Xem trước và in văn bản này")
            button.clicked.connect(lambda _c=False, i=document_id: self.document_requested.emit(i))
            self.documents.setCellWidget(r, 4, button)
        for table in (self.events, self.clocks, self.documents):
            table.clearSelection()
        self.events.scrollToBottom()

    def _document_activated(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.document_ids):
            self.document_requested.emit(self.document_ids[index.row()])
