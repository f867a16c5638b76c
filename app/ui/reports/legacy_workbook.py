"""Picking a subordinate unit's hand-filled form workbook to import (no package, no signature).

The dialog asks which declared unit the workbook is from and which file; the period is the one
chosen in the upward window. The import itself is ``app.services.upward.legacy``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.reports.periods import Period
from app.services.upward import legacy
from app.services.upward.units import UnitRow

TITLE = "Nhập bảng tính biểu báo cáo điền tay"


class WorkbookImportDialog(QDialog):
    """Which unit, which file; OK only once both are chosen."""

    def __init__(self, unit_rows: list[UnitRow], period: Period, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.path: Path | None = None
        layout = QVBoxLayout(self)
        note = QLabel(
            f"Bảng tính do đơn vị điền theo mẫu biểu chính thức, kỳ {period.title}. Số liệu được đọc theo định "
            f"nghĩa biểu; ô nào không đọc được được liệt kê và tính là 0. Báo cáo được ghi nhận với ghi chú "
            f"“{legacy.FLAG.lower()}”."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.unit = QComboBox()
        for row in unit_rows:
            self.unit.addItem(f"{row.name} ({row.code})", row.code)
        form.addRow("Đơn vị cấp dưới", self.unit)
        file_row = QHBoxLayout()
        self.file_label = QLabel("(chưa chọn tệp)")
        self.file_button = QPushButton("Chọn tệp…")
        file_row.addWidget(self.file_label, 1)
        file_row.addWidget(self.file_button)
        form.addRow("Bảng tính", file_row)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Nhập")
        ok.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.file_button.clicked.connect(self._pick)
        self.resize(560, self.sizeHint().height())

    def _pick(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn bảng tính biểu báo cáo", "", "Bảng tính Excel (*.xlsx)")
        if chosen:
            self.choose_file(Path(chosen))

    def choose_file(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(path.name)
        self.file_label.setToolTip(str(path))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.unit.count() > 0)

    def unit_code(self) -> str:
        return str(self.unit.currentData() or "")
