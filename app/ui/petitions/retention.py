"""Đơn lưu hết hạn: filed petitions past their retention, their export, and the record of their disposal.

The rule (how long, on what basis) and every check live in ``app.services.records.retention``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.common.clock import local_today
from app.services.records import retention
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.widgets.fields import Field, FieldMap, line_edit

COLUMNS = ("Số đơn", "Ngày nhận", "Ngày lưu", "Lưu đến hết ngày", "Loại đơn", "Người gửi", "Nội dung", "Lý do lưu")


def _date_edit(value: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(value.year, value.month, value.day))
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    return edit


def _day(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class RetentionDialog(QDialog):
    """Lists the filed petitions whose retention has passed as of a day; exports them; records a disposal."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[retention.ExpiredPetition] = []
        self.setWindowTitle("Đơn lưu hết hạn")
        self.fields = FieldMap()
        self.rule_line = QLabel()
        self.rule_line.setWordWrap(True)
        self.as_of = _date_edit(local_today())
        self.as_of.dateChanged.connect(self.refresh)
        self.count_line = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.export_button = QPushButton("Xuất Excel…")
        self.export_button.clicked.connect(self.export)

        top = QHBoxLayout()
        top.addWidget(QLabel("Tính đến ngày"))
        top.addWidget(self.as_of)
        top.addSpacing(12)
        top.addWidget(self.count_line, 1)
        top.addWidget(self.export_button)

        # Recording the disposal: the day and the minutes of the office's disposal board.
        box = QGroupBox("Ghi nhận đã tiêu hủy các đơn đang chọn")
        form = QFormLayout(box)
        self.disposed_on = _date_edit(local_today())
        self.minutes = line_edit("vd. Biên bản số 03/BB-HĐ ngày 05/12/2026", retention.MINUTES_MAX)
        self.note = line_edit("Ghi chú (nếu có)", 500)
        form.addRow("Ngày tiêu hủy", self.fields.add("disposed_on", Field(self.disposed_on)))
        form.addRow("Biên bản tiêu hủy *", self.fields.add("minutes_ref", Field(self.minutes)))
        form.addRow("Ghi chú", self.note)
        hint = QLabel("Chọn các dòng trong danh sách (Ctrl+chuột).")
        self.selection_field = self.fields.add("petitions", Field(hint))
        form.addRow("", self.selection_field)
        self.dispose_button = QPushButton("Ghi nhận đã tiêu hủy")
        self.dispose_button.clicked.connect(self.dispose)
        form.addRow("", self.dispose_button)
        explain = QLabel(
            "Chỉ ghi nhận việc đã tiêu hủy bản giấy theo biên bản; đơn vẫn còn trong sổ và trong báo cáo các kỳ trước."
        )
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #555;")
        form.addRow("", explain)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rule_line)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(box)
        layout.addWidget(buttons)
        self.resize(1100, 620)
        self.refresh()

    # ---- reading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            with self.ctx.db.session() as session:
                rule = retention.rule(session)
                self.rows = retention.expired(session, self.ctx.actor, _day(self.as_of))
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        unconfirmed = ""
        if rule.to_confirm:  # in the application only, never printed or exported
            unconfirmed = f" <span style='color:#8a6d00'>(Cần xác nhận: {rule.to_confirm})</span>"
        self.rule_line.setText(rule.text() + unconfirmed)
        self.count_line.setText(f"{len(self.rows)} đơn lưu đã hết thời hạn lưu.")
        self.table.setRowCount(len(self.rows))
        for line, r in enumerate(self.rows):
            for col, text in enumerate(r.cells()):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                self.table.setItem(line, col, item)
        self.export_button.setEnabled(bool(self.rows))
        self.dispose_button.setEnabled(bool(self.rows))

    def selected_ids(self) -> list[int]:
        lines = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[line].id for line in lines]

    # ---- actions ------------------------------------------------------------------------------
    def export(self) -> None:
        day = _day(self.as_of)
        suggested = f"DonLuuHetHan_{day:%Y%m%d}.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(self, "Lưu danh sách đơn lưu hết hạn", suggested, "Excel (*.xlsx)")
        if not chosen:
            return
        target = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
        try:
            with self.ctx.db.transaction() as session:
                count = retention.export_xlsx(session, self.ctx.actor, target, day)
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        self.count_line.setText(f"Đã xuất {count} đơn ra {target.name}.")

    def dispose(self) -> None:
        self.fields.clear_errors()
        ids = self.selected_ids()
        if (
            ids
            and self.minutes.text().strip()
            and not feedback.confirm(
                self,
                f"Ghi nhận đã tiêu hủy bản giấy của {len(ids)} đơn theo “{self.minutes.text().strip()}”? "
                "Việc ghi nhận được lưu vào nhật ký hệ thống.",
                yes="Ghi nhận",
                no="Quay lại",
            )
        ):
            return
        try:
            with self.ctx.db.transaction() as session:
                count = retention.mark_disposed(
                    session,
                    self.ctx.actor,
                    ids,
                    disposed_on=_day(self.disposed_on),
                    minutes_ref=self.minutes.text(),
                    note=self.note.text(),
                )
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        self.minutes.clear()
        self.note.clear()
        self.refresh()
        self.count_line.setText(f"Đã ghi nhận tiêu hủy {count} đơn. " + self.count_line.text())

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message under its field (the service's keys); nothing typed is lost."""
        orphans, first = self.fields.show_errors(errors)
        if orphans:
            self.count_line.setText("\n".join(orphans.values()))
        if first is not None:
            first.editor.setFocus(Qt.FocusReason.OtherFocusReason)
