"""The legal time limits (Thời hạn luật định): every rule with its source; an office corrects a
length, a unit or a variant here (points domain.md leaves "to confirm"). New clocks use the change."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import DayUnit
from app.services.common.errors import AppError
from app.services.deadlines import clocks, engine
from app.services.deadlines.engine import Rule
from app.services.security.permissions import Permission, allowed
from app.ui.context import UiContext
from app.ui.feedback import show_error
from app.ui.widgets.choices import ChoiceCombo
from app.ui.widgets.tables import close_box, readonly_table

HEADERS = ["Quy tắc", "Căn cứ", "Thời hạn", "Đơn vị", "Phức tạp", "Vùng sâu, xa", "Cả hai", "Gia hạn", "Ghi chú"]
VARIANTS = ("complicated", "remote", "complicated_remote")
NOTE = QColor("#8a5a00")


def _spin(value: int | None, *, blank: bool) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0 if blank else 1, 999)
    if blank:
        spin.setSpecialValueText("—")  # 0 = no variant: the base length applies
    spin.setValue(value or 0)
    return spin


class RulesDialog(QDialog):
    def __init__(self, parent: QWidget | None, ctx: UiContext) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Thời hạn luật định")
        self.resize(1250, 560)
        widths = (260, 200, 70, 130, 75, 90, 65, 150)
        self.table = readonly_table(HEADERS, dict(enumerate(widths)))
        self.table.setWordWrap(False)  # one line per cell: long notes are in the tooltip and below
        self.table.horizontalHeader().setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)
        self.save_button = QPushButton("&Lưu các thay đổi")
        self.reset_button = QPushButton("&Về mặc định (quy tắc đang chọn)")
        self.message = QLabel(
            "Thay đổi áp dụng cho các thời hạn bắt đầu từ nay; thời hạn đang chạy giữ quy tắc lúc bắt đầu."
        )
        self.message.setWordWrap(True)
        self.message.setObjectName("message")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        close = close_box(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.note = QLabel()
        self.note.setObjectName("note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5a00;")
        layout.insertWidget(1, self.note)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_note(row))
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)
        if not allowed(ctx.actor, Permission.MANAGE_SETTINGS):
            self.save_button.setEnabled(False)
            self.reset_button.setEnabled(False)
            self.message.setText("Chỉ người có quyền thay đổi cấu hình mới sửa được quy tắc thời hạn; bạn đang xem.")
        self.load()

    def load(self) -> None:
        try:
            with self.ctx.db.session() as session:
                self.rules = list(clocks.rules(session).values())
                self.corrected = clocks.overridden(session)
        except AppError as exc:
            show_error(self, exc)
            return
        editable = allowed(self.ctx.actor, Permission.MANAGE_SETTINGS)
        self.table.setRowCount(len(self.rules))
        for row, rule in enumerate(self.rules):
            name = QTableWidgetItem(f"{rule.name}\n{rule.code}")
            name.setToolTip(f"Bắt đầu tính từ {rule.start_event}")
            self.table.setItem(row, 0, name)
            dated = "\n".join(
                f"{version.source}: áp dụng {engine.period_text(since, until)}"
                for version, since, until in rule.versions()
            )
            source = QTableWidgetItem(dated)
            source.setToolTip(dated)
            self.table.setItem(row, 1, source)
            length = _spin(rule.length, blank=False)
            unit = ChoiceCombo([(u, engine.unit_label(u)) for u in DayUnit])
            unit.set_value(rule.unit)
            cells: list[QWidget] = [length, unit]
            cells += [_spin(getattr(rule, v), blank=True) for v in VARIANTS]
            for offset, widget in enumerate(cells):
                widget.setEnabled(editable)
                self.table.setCellWidget(row, 2 + offset, widget)
            extensions = QTableWidgetItem(rule.extensions_text())
            extensions.setToolTip(rule.extensions_text())
            self.table.setItem(row, 7, extensions)
            note = rule.to_confirm or ""
            if rule.code in self.corrected:
                note = f"Cơ quan đã điều chỉnh. {note}".strip()
            item = QTableWidgetItem(note)
            item.setToolTip(note)
            if note:
                item.setForeground(QBrush(NOTE))
            self.table.setItem(row, 8, item)
        self.table.resizeRowsToContents()

    def _show_note(self, row: int) -> None:
        item = self.table.item(row, 8) if 0 <= row < len(self.rules) else None
        rule = self.rules[row] if item is not None else None
        self.note.setText(f"{rule.name}: {item.text()}" if rule is not None and item and item.text() else "")

    def _values(self, row: int) -> dict[str, Any]:
        def spin(column: int) -> int:
            widget = self.table.cellWidget(row, column)
            assert isinstance(widget, QSpinBox)
            return widget.value()

        unit = self.table.cellWidget(row, 3)
        assert isinstance(unit, ChoiceCombo)
        return {
            "length": spin(2),
            "unit": DayUnit(unit.value()).value,
            "variants": {v: (spin(4 + i) or None) for i, v in enumerate(VARIANTS)},
        }

    @staticmethod
    def _current(rule: Rule) -> dict[str, Any]:
        return {
            "length": rule.length,
            "unit": rule.unit.value,
            "variants": {v: getattr(rule, v) for v in VARIANTS},
        }

    def save(self) -> None:
        changed = [
            (rule.code, values)
            for row, rule in enumerate(self.rules)
            if (values := self._values(row)) != self._current(rule)
        ]
        if not changed:
            self.message.setText("Không có thay đổi nào.")
            return
        try:
            with self.ctx.db.transaction() as session:
                for code, values in changed:
                    clocks.save_rule(session, self.ctx.actor, code, values)
        except AppError as exc:
            show_error(self, exc)
            return
        self.load()
        self.message.setText(f"Đã lưu {len(changed)} quy tắc. Các thời hạn bắt đầu từ nay sẽ tính theo quy tắc mới.")

    def reset(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rules):
            self.message.setText("Chọn một quy tắc trong bảng.")
            return
        code = self.rules[row].code
        try:
            with self.ctx.db.transaction() as session:
                rule = clocks.reset_rule(session, self.ctx.actor, code)
        except AppError as exc:
            show_error(self, exc)
            return
        self.load()
        self.message.setText(f"Quy tắc “{rule.name}” đã về mặc định: {rule.length_text()}.")


def edit_rules(parent: QWidget | None, ctx: UiContext) -> None:
    RulesDialog(parent, ctx).exec()
