"""The Sổ mật tab: the office's switch, the paired workstation, and the transfers on removable media."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.common.errors import AppError, StorageError
from app.services.secret_register import networked
from app.ui.context import UiContext

PACKAGE_FILTER = "Gói dữ liệu sổ mật (*.tdsm);;Mọi tệp (*)"
PAIRING_FILTER = "Tệp ghép cặp sổ mật (*.json);;Mọi tệp (*)"
EXPLANATION = (
    "Danh tính người tố cáo là bí mật nhà nước (Quyết định 774/QĐ-TTg). Luật Bảo vệ bí mật nhà nước 2025 "
    "(Điều 5 khoản 2) cấm lưu bí mật nhà nước trên máy tính nối mạng, trừ mạng nội bộ độc lập. Khi bật chế độ "
    "sổ mật, danh tính nhập lúc tiếp nhận được chuyển sang máy sổ mật không nối mạng bằng gói dữ liệu niêm phong "
    "trên USB rồi bị xóa khỏi máy này; các máy nối mạng chỉ còn mã tham chiếu (ví dụ TC-2026-004217) và dòng "
    "“Danh tính lưu tại sổ mật”. Văn bản cần họ tên người tố cáo được in trên máy sổ mật."
)


class SecretTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        self.mode = QCheckBox("Bật chế độ sổ mật (danh tính người tố cáo chỉ lưu trên máy sổ mật)")
        self.mode.setObjectName("secret_mode")
        self.state = QLabel()
        self.state.setObjectName("secret_state")
        self.state.setWordWrap(True)
        self.pair_button = QPushButton("Ghép cặp với máy sổ mật…")
        self.export_button = QPushButton("Lập gói chuyển sang sổ mật…")
        self.import_button = QPushButton("Nhập gói xác nhận từ sổ mật…")
        self.pair_button.clicked.connect(self.choose_pairing)
        self.export_button.clicked.connect(self.choose_export)
        self.import_button.clicked.connect(self.choose_import)
        self.status = QLabel()
        self.status.setObjectName("secret_status")
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.pair_button, self.export_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.mode)
        layout.addWidget(self.state)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.refresh()
        self.mode.toggled.connect(self.set_mode)

    def refresh(self) -> None:
        with self.ctx.db.session() as session:
            on = networked.enabled(session)
            station = networked.station_id(session)
            waiting = networked.awaiting_count(session)
        self.mode.blockSignals(True)
        self.mode.setChecked(on)
        self.mode.blockSignals(False)
        paired = f"Đã ghép cặp với sổ mật mã <b>{station}</b>." if station else "Chưa ghép cặp với máy sổ mật."
        self.state.setText(f"{paired} Danh tính người tố cáo còn trên máy này, chờ chuyển: <b>{waiting}</b>.")
        self.export_button.setEnabled(on and station is not None)
        self.import_button.setEnabled(station is not None)

    def _show(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.status.setText(text)

    def set_mode(self, on: bool) -> None:
        try:
            with self.ctx.db.transaction() as session:
                networked.set_enabled(session, self.ctx.actor, on)
        except AppError as exc:
            self._show(exc.user_message, error=True)
            self.refresh()
            return
        self._show("Đã bật chế độ sổ mật." if on else "Đã tắt chế độ sổ mật.")
        self.refresh()

    def pair_with(self, path: Path) -> bool:
        try:
            with self.ctx.db.transaction() as session:
                station = networked.pair(session, self.ctx.actor, path)
        except AppError as exc:
            self._show(exc.user_message, error=True)
            return False
        self._show(f"Đã ghép cặp với sổ mật mã {station}. Hãy xóa tệp ghép cặp {path.name} khỏi USB.")
        self.refresh()
        return True

    def export_to(self, path: Path) -> bool:
        try:
            with self.ctx.db.transaction() as session:
                result = networked.export_to_station(session, self.ctx.actor, path)
            clean = networked.scrub_file(self.ctx.db.engine)
        except AppError as exc:
            self._show(exc.user_message, error=True)
            return False
        note = "" if clean else " Chưa ghi đè được hết tệp dữ liệu (máy khác đang mở): lập lại gói khi các máy đã đóng."
        self._show(
            f"Đã ghi gói {result.package_id} ({len(result.references)} danh tính, {result.documents} văn bản) "
            f"vào {path.name}. Danh tính đã chuyển được xóa khỏi máy này.{note}"
        )
        self.refresh()
        return True

    def import_from(self, path: Path) -> bool:
        try:
            with self.ctx.db.transaction() as session:
                ack = networked.import_from_station(session, self.ctx.actor, path)
        except StorageError as exc:
            with self.ctx.db.transaction() as session:
                networked.record_refusal(session, self.ctx.actor, path, exc.user_message)
            self._show(exc.user_message, error=True)
            return False
        except AppError as exc:
            self._show(exc.user_message, error=True)
            return False
        self._show(f"Đã nhập gói xác nhận {ack.package_id}: sổ mật đã nhận {len(ack.confirmed)} danh tính.")
        self.refresh()
        return True

    def choose_pairing(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Tệp ghép cặp của máy sổ mật", "", PAIRING_FILTER)
        if name:
            self.pair_with(Path(name))

    def choose_export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Lưu gói chuyển sang sổ mật (USB)", "sang-so-mat.tdsm", PACKAGE_FILTER
        )
        if name:
            self.export_to(Path(name))

    def choose_import(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Gói xác nhận từ máy sổ mật", "", PACKAGE_FILTER)
        if name:
            self.import_from(Path(name))
