"""Các lô đã nhập: every import of a legacy register, and undoing one batch (asked first).

Undo is the importer's own ``undo_import`` (the one the command line runs): it soft-deletes the
batch's visits and the citizens only it created, and writes one audit entry.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from app.services.common.errors import AppError
from app.services.records import importer
from app.services.security.permissions import Permission, allowed
from app.ui.context import UiContext
from app.ui.feedback import confirm, show_error
from app.ui.widgets.tables import close_box, readonly_table

HEADERS = ["Lô số", "Ngày nhập", "Tệp", "Số dòng đã nhập", "Dòng lỗi", "Người nhập", "Tình trạng"]


def _state(batch: importer.BatchRow) -> str:
    if batch.undone_at is None:
        return "Đang có hiệu lực"
    return f"Đã hoàn tác {batch.undone_at:%d/%m/%Y %H:%M}"


class BatchesDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.batches: list[importer.BatchRow] = []
        self.setWindowTitle("Các lô đã nhập từ Excel")
        self.resize(980, 420)
        self.table = readonly_table(HEADERS, {0: 60, 1: 130, 2: 240, 3: 130, 4: 80, 5: 170})
        self.table.horizontalHeader().setStretchLastSection(True)
        self.undo_button = QPushButton("Hoàn tác lô nhập…")
        self.undo_button.setAutoDefault(False)
        self.status = QLabel("Chọn một lô rồi bấm “Hoàn tác lô nhập” để xóa mọi lượt tiếp lô đó đã tạo.")
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.undo_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(actions)
        layout.addWidget(close_box(self))
        self.may_undo = allowed(ctx.actor, Permission.IMPORT)
        if not self.may_undo:
            self.status.setText("Chỉ người có quyền nhập dữ liệu mới hoàn tác được một lô; bạn đang xem.")
        self.table.currentCellChanged.connect(lambda *_: self._enable())
        self.undo_button.clicked.connect(lambda: self.undo())
        self.load()

    def load(self) -> None:
        with self.ctx.db.session() as session:
            self.batches = importer.list_batches(session)
        self.table.setRowCount(len(self.batches))
        for row, batch in enumerate(self.batches):
            values = (
                str(batch.id),
                f"{batch.created_at:%d/%m/%Y %H:%M}",
                batch.source_name,
                str(batch.imported),
                str(batch.rejected),
                batch.created_by or "(dòng lệnh)",
                _state(batch),
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        if self.batches and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)
        self._enable()

    def select_batch(self, batch_id: int) -> None:
        for row, batch in enumerate(self.batches):
            if batch.id == batch_id:
                self.table.setCurrentCell(row, 0)

    def current(self) -> importer.BatchRow | None:
        row = self.table.currentRow()
        return self.batches[row] if 0 <= row < len(self.batches) else None

    def _enable(self) -> None:
        batch = self.current()
        self.undo_button.setEnabled(self.may_undo and batch is not None and batch.undone_at is None)

    def undo(self) -> bool:
        batch = self.current()
        if batch is None or batch.undone_at is not None:
            return False
        question = (
            f"Hoàn tác lô nhập số {batch.id} (tệp {batch.source_name}, nhập ngày {batch.created_at:%d/%m/%Y})?\n\n"
            f"{batch.imported} lượt tiếp của lô sẽ bị xóa khỏi danh sách và báo cáo, cùng các công dân chỉ lô "
            "này tạo ra. Nhật ký ghi lại việc hoàn tác."
        )
        if not confirm(self, question, yes="Hoàn tác lô", no="Không hoàn tác"):
            return False
        try:
            with self.ctx.db.transaction() as session:
                undone = importer.undo_import(session, self.ctx.actor, batch.id)
        except AppError as exc:
            show_error(self, exc)
            return False
        self.load()
        self.select_batch(batch.id)
        self.status.setText(f"Đã hoàn tác lô số {batch.id}: xóa {undone.visits} lượt tiếp, {undone.citizens} công dân.")
        return True
