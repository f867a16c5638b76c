"""Export dialog: visits or petitions of a period, columns chosen and ordered, named profiles.

The export runs in a worker thread with a progress bar and a cancel button; a cancelled export
leaves no file (the service writes to a temporary name and renames at the end).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import AppError
from app.services.records import export
from app.ui.context import UiContext
from app.ui.feedback import show_error
from app.ui.reports.worker import JobThread
from app.ui.widgets.dates import OptionalDateEdit

ENTITY_LABELS = {"visits": "Sổ tiếp công dân (lượt tiếp)", "petitions": "Sổ theo dõi đơn"}
KEY = Qt.ItemDataRole.UserRole


class ExportDialog(QDialog):
    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        ids: tuple[int, ...] | None = None,
        entity: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ids = ids  # the current filtered list, when opened from a list
        self.job: JobThread | None = None
        self.export_result: export.ExportResult | None = None
        self.setWindowTitle("Xuất Excel theo cột")
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        top = QGridLayout()
        self.entity = QComboBox()
        for key, text in ENTITY_LABELS.items():
            self.entity.addItem(text, key)
        if entity is not None:  # opened from a list: its rows, not a choice
            self.entity.setCurrentIndex(self.entity.findData(entity))
            self.entity.setEnabled(False)
        self.date_from = OptionalDateEdit("từ ngày")
        self.date_to = OptionalDateEdit("đến ngày")
        self.profile = QComboBox()
        self.save_profile_button = QPushButton("Lưu mẫu…")
        self.delete_profile_button = QPushButton("Xóa mẫu")
        top.addWidget(QLabel("Dữ liệu:"), 0, 0)
        top.addWidget(self.entity, 0, 1, 1, 3)
        top.addWidget(QLabel("Thời gian:"), 1, 0)
        top.addWidget(self.date_from, 1, 1)
        top.addWidget(self.date_to, 1, 2)
        top.addWidget(QLabel("Mẫu xuất:"), 2, 0)
        top.addWidget(self.profile, 2, 1)
        top.addWidget(self.save_profile_button, 2, 2)
        top.addWidget(self.delete_profile_button, 2, 3)
        if ids is not None:
            self.date_from.setEnabled(False)
            self.date_to.setEnabled(False)
            top.addWidget(QLabel(f"Xuất {len(ids):,} dòng của danh sách đang lọc.".replace(",", ".")), 1, 3)
        layout.addLayout(top)
        lists = QHBoxLayout()
        self.available = QListWidget()
        self.chosen = QListWidget()
        self.chosen.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        buttons = QVBoxLayout()
        self.add_button = QPushButton("Thêm →")
        self.remove_button = QPushButton("← Bỏ")
        self.up_button = QPushButton("Lên")
        self.down_button = QPushButton("Xuống")
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(QLabel("Các cột có thể xuất"))
        left.addWidget(self.available)
        right.addWidget(QLabel("Cột sẽ xuất (theo thứ tự)"))
        right.addWidget(self.chosen)
        lists.addLayout(left)
        lists.addLayout(buttons)
        lists.addLayout(right)
        layout.addLayout(lists, 1)
        out = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText("Tệp Excel kết quả (.xlsx)")
        browse = QPushButton("Chọn…")
        out.addWidget(self.path, 1)
        out.addWidget(browse)
        layout.addLayout(out)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel("")
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.export_button = QPushButton("Xuất")
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton("Hủy xuất")
        self.cancel_button.setEnabled(False)
        close = QPushButton("Đóng")
        for b in (self.export_button, self.cancel_button, close):
            actions.addWidget(b)
        layout.addLayout(actions)
        self.entity.currentIndexChanged.connect(self._entity_changed)
        self.profile.activated.connect(self._profile_chosen)
        self.save_profile_button.clicked.connect(self._save_profile)
        self.delete_profile_button.clicked.connect(self._delete_profile)
        self.add_button.clicked.connect(self.add_selected)
        self.remove_button.clicked.connect(self._remove_selected)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.available.itemDoubleClicked.connect(lambda _i: self.add_selected())
        browse.clicked.connect(self._browse)
        self.export_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        close.clicked.connect(self.reject)
        self._entity_changed()

    # ---- columns and profiles ----
    @property
    def entity_key(self) -> str:
        return str(self.entity.currentData())

    def _entity_changed(self) -> None:
        self.set_columns(export.DEFAULT_COLUMNS[self.entity_key])
        self._load_profiles()

    def _load_profiles(self, select: str | None = None) -> None:
        self.profile.clear()
        self.profile.addItem("(mặc định)", None)
        with self.ctx.db.session() as session:
            for p in export.list_profiles(session, self.entity_key):
                self.profile.addItem(p.name, p.columns)
        if select:
            self.profile.setCurrentIndex(self.profile.findText(select))

    def _profile_chosen(self, _index: int) -> None:
        columns = self.profile.currentData()
        self.set_columns(columns or export.DEFAULT_COLUMNS[self.entity_key])

    def set_columns(self, keys: tuple[str, ...] | list[str]) -> None:
        catalogue = {c.key: c.header for c in export.available_columns(self.entity_key)}
        self.available.clear()
        self.chosen.clear()
        for key in keys:
            self.chosen.addItem(self._item(key, catalogue[key]))
        for key, header in catalogue.items():
            if key not in keys:
                self.available.addItem(self._item(key, header))

    @staticmethod
    def _item(key: str, header: str) -> QListWidgetItem:
        item = QListWidgetItem(header)
        item.setData(KEY, key)
        return item

    def columns(self) -> tuple[str, ...]:
        return tuple(str(self.chosen.item(i).data(KEY)) for i in range(self.chosen.count()))

    def add_selected(self) -> None:
        for item in self.available.selectedItems():
            self.chosen.addItem(self.available.takeItem(self.available.row(item)))

    def _remove_selected(self) -> None:
        for item in self.chosen.selectedItems():
            self.available.addItem(self.chosen.takeItem(self.chosen.row(item)))

    def _move(self, step: int) -> None:
        row = self.chosen.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.chosen.count():
            return
        item = self.chosen.takeItem(row)
        self.chosen.insertItem(target, item)
        self.chosen.setCurrentRow(target)

    def _save_profile(self) -> None:
        name, ok = QInputDialog.getText(self, "Lưu mẫu xuất", "Tên mẫu:", text=self.profile.currentText())
        if ok and name.strip():
            self.save_profile(name)

    def save_profile(self, name: str) -> None:
        try:
            with self.ctx.db.transaction() as session:
                export.save_profile(session, self.ctx.actor, name, self.entity_key, self.columns())
        except AppError as exc:
            show_error(self, exc)
            return
        self._load_profiles(select=name.strip())

    def _delete_profile(self) -> None:
        if self.profile.currentData() is None:
            return
        try:
            with self.ctx.db.transaction() as session:
                export.delete_profile(session, self.ctx.actor, self.profile.currentText())
        except AppError as exc:
            show_error(self, exc)
        self._load_profiles()

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.date_from.set_value(start)
        self.date_to.set_value(end)

    def _browse(self) -> None:
        name = "SoTiepCongDan.xlsx" if self.entity_key == "visits" else "SoTheoDoiDon.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(self, "Lưu tệp Excel", name, "Excel (*.xlsx)")
        if chosen:
            self.path.setText(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")

    # ---- running ----
    def start(self) -> None:
        if not self.path.text().strip():
            show_error(self, AppError("Chọn tệp Excel kết quả."))
            return
        spec = export.ExportSpec(
            self.entity_key,
            self.columns(),
            None if self.ids is not None else self.date_from.value(),
            None if self.ids is not None else self.date_to.value(),
            self.ids,
        )
        path = Path(self.path.text().strip())
        ctx = self.ctx

        def job(progress: Any, cancelled: Any) -> export.ExportResult:
            with ctx.db.transaction() as session:
                return export.export(session, ctx.actor, spec, path, progress=progress, cancelled=cancelled)

        self.export_result = None
        self.job = JobThread(job, self)
        self.job.progressed.connect(self._progress)
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText("Đang xuất…")
        self.job.start()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText("Đang hủy…")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"Đã ghi {done:,} / {total:,} dòng".replace(",", "."))

    def _finish(self) -> None:
        self.export_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.setVisible(False)

    def _done(self, result: export.ExportResult) -> None:
        self._finish()
        self.export_result = result
        self.status.setText(f"Đã xuất {result.rows:,} dòng vào {result.path}".replace(",", "."))

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, export.ExportCancelled):
            self.status.setText(exc.user_message)
            return
        self.status.setText("")
        show_error(self, exc)

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.isRunning()
