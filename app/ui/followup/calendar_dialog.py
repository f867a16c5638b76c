"""The office calendar (Lịch nghỉ lễ, làm bù): see a year, add or change a day, remove one.

Every change recomputes the due dates of open clocks; the dialog says how many moved.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import CalendarDayKind
from app.services.common.clock import local_today
from app.services.common.errors import AppError
from app.services.deadlines import calendar, calendar_edits
from app.services.deadlines.calendar_edits import CalendarChange
from app.services.security.permissions import Permission, allowed
from app.ui.context import UiContext
from app.ui.feedback import confirm, show_error
from app.ui.widgets.choices import ChoiceCombo
from app.ui.widgets.tables import close_box, readonly_table

SOURCES = {calendar.SOURCE_PACKAGE: "Theo quy định chung", calendar.SOURCE_OFFICE: "Cơ quan nhập"}
HEADERS = ["Ngày", "Thứ", "Loại", "Tên ngày", "Nguồn", "Căn cứ (số quyết định)"]


class CalendarDialog(QDialog):
    def __init__(self, parent: QWidget | None, ctx: UiContext, year: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False
        self.setWindowTitle("Lịch nghỉ lễ, nghỉ bù và ngày làm việc bù")
        self.resize(900, 600)

        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(year or local_today().year)
        self.table = readonly_table(HEADERS, {0: 95, 1: 80, 2: 130, 4: 170, 5: 180})
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.day = QDateEdit(QDate(local_today()))
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setCalendarPopup(True)
        self.kind = ChoiceCombo([(k, label) for k, label in calendar.KIND_LABELS.items()])
        self.name = QLineEdit()
        self.name.setPlaceholderText("Ví dụ: Nghỉ bù Quốc khánh; Làm việc bù cho ngày 31/08")
        self.decision = QLineEdit()
        self.decision.setPlaceholderText("Ví dụ: Thông báo 6150/TB-BNV")
        self.save_button = QPushButton("&Ghi ngày này")
        self.remove_button = QPushButton("&Xóa ngày đã chọn")
        self.restore_button = QPushButton("&Khôi phục ngày nghỉ theo quy định chung")
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        year_label = QLabel("&Năm:")
        year_label.setBuddy(self.year)
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.restore_button)
        form = QFormLayout()
        form.addRow("Ngà&y:", self.day)
        form.addRow("&Loại:", self.kind)
        form.addRow("&Tên ngày:", self.name)
        form.addRow("&Căn cứ:", self.decision)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.remove_button)
        actions.addStretch(1)
        close = close_box(self)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(close)

        self.year.valueChanged.connect(lambda _y: self.load())
        self.table.currentCellChanged.connect(lambda row, *_: self._pick(row))
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.restore_button.clicked.connect(self.restore)
        if not allowed(ctx.actor, Permission.MANAGE_CATALOGUES):
            for widget in (self.save_button, self.remove_button, self.restore_button):
                widget.setEnabled(False)
            self.message.setText("Chỉ người có quyền sửa danh mục mới thay đổi được lịch; bạn đang xem.")
        self.load()

    # ---- reading ------------------------------------------------------------------------------
    def load(self) -> None:
        try:
            with self.ctx.db.transaction() as session:  # seeding a new year is a write
                entries = calendar.entries(session, self.year.value())
        except AppError as exc:
            show_error(self, exc)
            return
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            cells = [
                f"{entry.day:%d/%m/%Y}",
                entry.weekday_label,
                entry.kind_label,
                entry.name,
                SOURCES.get(entry.source, entry.source),
                entry.decision_ref or "",
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.day.isoformat())
                self.table.setItem(row, column, item)

    def _pick(self, row: int) -> None:
        if not 0 <= row < len(self.entries):
            return
        entry = self.entries[row]
        self.day.setDate(QDate(entry.day.year, entry.day.month, entry.day.day))
        self.kind.set_value(entry.kind)
        self.name.setText(entry.name)
        self.decision.setText(entry.decision_ref or "")

    def selected_day(self) -> dt.date | None:
        row = self.table.currentRow()
        return self.entries[row].day if 0 <= row < len(self.entries) else None

    def chosen_day(self) -> dt.date:
        value = self.day.date()
        return dt.date(value.year(), value.month(), value.day())

    # ---- changes ------------------------------------------------------------------------------
    def save(self) -> None:
        day = self.chosen_day()
        kind: CalendarDayKind = self.kind.value()
        try:
            with self.ctx.db.transaction() as session:
                change = calendar_edits.set_day(
                    session, self.ctx.actor, day, kind, self.name.text(), decision_ref=self.decision.text()
                )
        except AppError as exc:
            show_error(self, exc)
            return
        self._done(f"Đã ghi ngày {day:%d/%m/%Y}.", change, day.year)

    def remove(self) -> None:
        day = self.selected_day()
        if day is None:
            self.message.setText("Chọn một ngày trong bảng để xóa.")
            return
        if not confirm(self, f"Xóa ngày {day:%d/%m/%Y} khỏi lịch? Ngày này sẽ tính như ngày thường trong tuần."):
            return
        try:
            with self.ctx.db.transaction() as session:
                change = calendar_edits.remove_day(
                    session, self.ctx.actor, day, reason="Xóa trên màn hình lịch nghỉ lễ"
                )
        except AppError as exc:
            show_error(self, exc)
            return
        self._done(f"Đã xóa ngày {day:%d/%m/%Y}.", change, day.year)

    def restore(self) -> None:
        year = self.year.value()
        try:
            with self.ctx.db.transaction() as session:
                change = calendar_edits.restore_year(session, self.ctx.actor, year)
        except AppError as exc:
            show_error(self, exc)
            return
        self._done(f"Đã khôi phục {change.added} ngày của năm {year}.", change, year)

    def _done(self, text: str, change: CalendarChange, year: int) -> None:
        self.changed = True
        moved = f" {change.moved} thời hạn đang chạy đã được tính lại hạn." if change.moved else ""
        self.message.setText(text + moved)
        if self.year.value() != year:
            self.year.setValue(year)  # reloads
        else:
            self.load()


def edit_calendar(parent: QWidget | None, ctx: UiContext, year: int | None = None) -> bool:
    """Open the dialog; True when the calendar changed (the caller refreshes its lists)."""
    dialog = CalendarDialog(parent, ctx, year)
    dialog.exec()
    return dialog.changed
