"""The data key tab: what the key protects, and its recovery copy exported to or imported from a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.common.errors import AppError
from app.services.security import keys
from app.ui import feedback
from app.ui.context import UiContext

FILE_FILTER = "Khóa khôi phục TiếpDân (*.txt);;Mọi tệp (*)"


def _suggested_name(key_id: str) -> str:
    return f"tiepdan-khoa-khoi-phuc-{key_id}.txt"


class KeyTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        key_id = ctx.db.key.key_id if ctx.db.key is not None else "—"
        where = QLabel(f"Mã khóa của dữ liệu này: <b>{key_id}</b><br>Nơi lưu khóa trên máy: {keys.store_description()}")
        warning = QLabel(keys.RECOVERY_WARNING)
        warning.setObjectName("key_warning")
        warning.setWordWrap(True)
        warning.setStyleSheet(
            "QLabel#key_warning { background: #fff4e5; border: 1px solid #e0a040; padding: 8px; color: #5a3a00; }"
        )
        self.export_button = QPushButton("Xuất khóa khôi phục ra tệp…")
        self.import_button = QPushButton("Nhập khóa khôi phục từ tệp…")
        self.export_button.clicked.connect(self.choose_export)
        self.import_button.clicked.connect(self.choose_import)
        self.status = QLabel()
        self.status.setObjectName("key_status")
        self.status.setWordWrap(True)
        note = QLabel(
            "Nhập khóa khôi phục khi cần đọc bản sao lưu lập trên máy khác, hoặc sau khi cài lại máy "
            "(chương trình cũng tự hỏi tệp khóa khi mở dữ liệu mà không tìm thấy khóa)."
        )
        note.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addWidget(warning)
        layout.addLayout(buttons)
        layout.addWidget(note)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def _show(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.status.setText(text)

    def choose_export(self) -> None:
        key = self.ctx.db.key
        if key is None:
            self._show("Dữ liệu này chưa có khóa.", error=True)
            return
        question = keys.RECOVERY_WARNING + "\n\nChọn nơi ghi (nên là ổ USB sẽ được cất đi, không phải máy này)."
        if not feedback.confirm(self, question, yes="Chọn nơi ghi…", no="Hủy"):
            return
        name, _ = QFileDialog.getSaveFileName(self, "Ghi khóa khôi phục", _suggested_name(key.key_id), FILE_FILTER)
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> bool:
        key = self.ctx.db.key
        assert key is not None
        try:
            with self.ctx.db.transaction() as session:
                written = keys.export_recovery(session, self.ctx.actor, key, path)
        except AppError as exc:
            self._show(exc.user_message, error=True)
            return False
        self._show(f"Đã ghi khóa khôi phục vào {written}. Cất tệp ở nơi an toàn rồi xóa mọi bản còn trên máy này.")
        return True

    def choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Chọn tệp khóa khôi phục", "", FILE_FILTER)
        if name:
            self.import_from(Path(name))

    def import_from(self, path: Path) -> bool:
        try:
            with self.ctx.db.transaction() as session:
                key = keys.import_recovery(session, self.ctx.actor, path)
        except AppError as exc:
            self._show(exc.user_message, error=True)
            return False
        own = self.ctx.db.key is not None and key.key_id == self.ctx.db.key.key_id
        whose = (
            "khóa của chính dữ liệu này" if own else "khóa của dữ liệu khác: dùng để đọc bản sao lưu lập bằng khóa đó"
        )
        self._show(f"Đã nhập khóa {key.key_id} ({whose}) vào {keys.store_description()}.")
        return True
