"""The "Lịch tiếp" page: a month of leaders' reception days with the shortfall warning, and the chosen day's
bookings, from registering a citizen to receiving them and printing the list and the programme."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import ReceptionKind
from app.models.reception_days import BookingStatus, DayMode, DayStatus
from app.services import printing
from app.services.common.clock import local_today
from app.services.common.errors import AppError
from app.services.reception_days import bookings, days
from app.services.reception_days.bookings import BookingView
from app.services.reception_days.days import DayView
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.print_preview import show_preview
from app.ui.reception.form import FormSetup
from app.ui.reception_days.dialogs import (
    AdHocDialog,
    BookingDialog,
    DayDialog,
    HoldDialog,
    PlanDialog,
    PointsDialog,
)
from app.ui.widgets.choices import ChoiceCombo
from app.ui.widgets.fields import WARNING_COLOUR
from app.ui.widgets.tables import readonly_table

DAY_COLUMNS = ("Ngày", "Thứ", "Giờ", "Lãnh đạo chủ trì", "Loại", "Hình thức", "Trạng thái", "Đăng ký", "Đã tiếp")
BOOKING_COLUMNS = ("STT", "Họ và tên", "Nội dung đăng ký", "Số người", "Điểm cầu", "Trạng thái", "Lượt tiếp")
ALL_LEADERS = "(tất cả lãnh đạo)"


def _cells(table: QTableWidget, rows: list[tuple[object, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem("" if value is None else str(value))
            if isinstance(value, int):
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            table.setItem(r, c, item)


class ReceptionDaysPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        today = local_today()
        self.year, self.month = today.year, today.month
        self.days: list[DayView] = []
        self.bookings: list[BookingView] = []
        self._setup: FormSetup | None = None

        self.prev_button = QPushButton("◀ Tháng trước")
        self.next_button = QPushButton("Tháng sau ▶")
        self.month_label = QLabel()
        self.month_label.setStyleSheet("font-weight: bold; font-size: 15px;")
        self.leader_filter = ChoiceCombo(blank=ALL_LEADERS)
        self.plan_button = QPushButton("Lập lịch tháng…")
        self.add_day_button = QPushButton("Thêm ngày tiếp…")
        self.ad_hoc_button = QPushButton("Tiếp đột xuất đoàn đông người…")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.warning.hide()
        self.days_table = readonly_table(DAY_COLUMNS, {0: 90, 1: 70, 2: 50, 3: 200, 4: 75, 5: 85, 6: 75, 7: 65})

        self.day_label = QLabel("Chọn một ngày tiếp trong danh sách.")
        self.day_label.setWordWrap(True)
        self.edit_day_button = QPushButton("Sửa ngày tiếp…")
        self.points_button = QPushButton("Điểm cầu trực tuyến…")
        self.cancel_day_button = QPushButton("Hủy ngày tiếp…")
        self.finish_button = QPushButton("Kết thúc buổi tiếp")
        self.print_list_button = QPushButton("In danh sách đăng ký")
        self.print_agenda_button = QPushButton("In chương trình buổi tiếp")
        self.bookings_table = readonly_table(BOOKING_COLUMNS, {0: 40, 1: 170, 2: 260, 3: 65, 4: 130, 5: 90})
        self.add_booking_button = QPushButton("Đăng ký tiếp…")
        self.edit_booking_button = QPushButton("Sửa đăng ký…")
        self.absent_button = QPushButton("Vắng mặt")
        self.hold_button = QPushButton("Tiếp công dân…")
        self.hold_button.setStyleSheet("font-weight: bold;")
        self.leader_filter.setMinimumWidth(240)
        self.days_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.bookings_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self._layout()
        self._wire()
        self.refresh()

    def _layout(self) -> None:
        top = QHBoxLayout()
        for widget in (self.prev_button, self.month_label, self.next_button):
            top.addWidget(widget)
        top.addSpacing(16)
        top.addWidget(QLabel("Lãnh đạo"))
        top.addWidget(self.leader_filter)
        top.addStretch(1)
        top.addWidget(self.plan_button)
        top.addWidget(self.add_day_button)
        top.addWidget(self.ad_hoc_button)

        month = QWidget()
        month_layout = QVBoxLayout(month)
        month_layout.setContentsMargins(0, 0, 0, 0)
        month_layout.addWidget(self.warning)
        month_layout.addWidget(self.days_table, 1)

        detail = QGroupBox("Ngày tiếp đã chọn")
        day_buttons = QHBoxLayout()
        for button in (
            self.edit_day_button,
            self.points_button,
            self.cancel_day_button,
            self.finish_button,
            self.print_list_button,
            self.print_agenda_button,
        ):
            day_buttons.addWidget(button)
        day_buttons.addStretch(1)
        booking_buttons = QHBoxLayout()
        for button in (self.add_booking_button, self.edit_booking_button, self.absent_button, self.hold_button):
            booking_buttons.addWidget(button)
        booking_buttons.addStretch(1)
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.day_label)
        detail_layout.addLayout(day_buttons)
        detail_layout.addWidget(self.bookings_table, 1)
        detail_layout.addLayout(booking_buttons)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(month)
        split.addWidget(detail)
        split.setSizes([300, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def _wire(self) -> None:
        self.prev_button.clicked.connect(lambda: self.move_month(-1))
        self.next_button.clicked.connect(lambda: self.move_month(1))
        self.leader_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.plan_button.clicked.connect(self.plan)
        self.add_day_button.clicked.connect(self.add_day)
        self.ad_hoc_button.clicked.connect(self.ad_hoc)
        self.days_table.itemSelectionChanged.connect(self._show_day)
        self.days_table.doubleClicked.connect(lambda _i: self.edit_day())
        self.edit_day_button.clicked.connect(self.edit_day)
        self.points_button.clicked.connect(self.edit_points)
        self.cancel_day_button.clicked.connect(self.cancel_day)
        self.finish_button.clicked.connect(self.finish_day)
        self.print_list_button.clicked.connect(lambda: self.print_day("list"))
        self.print_agenda_button.clicked.connect(lambda: self.print_day("agenda"))
        self.bookings_table.itemSelectionChanged.connect(self._enable)
        self.bookings_table.doubleClicked.connect(lambda _i: self.hold())
        self.add_booking_button.clicked.connect(self.add_booking)
        self.edit_booking_button.clicked.connect(self.edit_booking)
        self.absent_button.clicked.connect(self.mark_absent)
        self.hold_button.clicked.connect(self.hold)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    # ---- the month -------------------------------------------------------------------------------
    def move_month(self, step: int) -> None:
        index = self.year * 12 + self.month - 1 + step
        self.year, self.month = divmod(index, 12)
        self.month += 1
        self.refresh()

    def leader(self) -> str | None:
        value = self.leader_filter.value()
        return str(value) if value else None

    def refresh(self, select_id: int | None = None) -> None:
        shown = self.current_day()
        keep = select_id or (shown.id if shown else None)
        first, last = days.month_range(self.year, self.month)
        self.month_label.setText(f"Tháng {self.month:02d}/{self.year}")
        try:
            with self.ctx.db.session() as session:
                known = days.leaders(session)
                chosen = self.leader()
                self.days = days.list_days(session, first, last, leader_name=chosen)
                names = (
                    [chosen]
                    if chosen
                    else sorted({d.leader_name for d in self.days if d.kind == ReceptionKind.PERIODIC})
                )
                warnings = [text for name in names if (text := days.shortfall(session, name, first, last))]
        except AppError as exc:
            feedback.show_error(self, exc)
            return
        self._fill_leaders(known, chosen)
        self.warning.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warning.setVisible(bool(warnings))
        _cells(
            self.days_table,
            [
                (
                    f"{d.held_on:%d/%m/%Y}",
                    d.weekday,
                    f"{d.start_time:%H:%M}" if d.start_time else "",
                    d.leader_text,
                    d.kind_label,
                    d.mode_label,
                    d.status_label,
                    d.bookings,
                    d.received,
                )
                for d in self.days
            ],
        )
        ids = [d.id for d in self.days]
        if keep in ids:
            self.days_table.selectRow(ids.index(keep))
        self._show_day()

    def _fill_leaders(self, known: list[tuple[str, str | None]], chosen: str | None) -> None:
        names = [name for name, _title in known]
        current = [self.leader_filter.itemText(i) for i in range(1, self.leader_filter.count())]
        if names != current:
            self.leader_filter.blockSignals(True)
            self.leader_filter.set_items((n, n) for n in names)
            self.leader_filter.set_value(chosen if chosen in names else None)
            self.leader_filter.blockSignals(False)

    def plan(self) -> None:
        chosen = self.leader()
        with self.ctx.db.session() as session:
            titled = next((pair for pair in days.leaders(session) if pair[0] == chosen), None)
        dialog = PlanDialog(self.ctx, self.year, self.month, titled, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        planned: days.PlannedMonth = dialog.result_value
        feedback.show_status(
            self, f"Đã lập {len(planned.created)} ngày tiếp (cần {planned.required} ngày trong tháng)."
        )
        self.refresh(planned.created[0] if planned.created else None)

    def add_day(self) -> None:
        first, _last = days.month_range(self.year, self.month)
        today = local_today()
        on = today if (today.year, today.month) == (self.year, self.month) else first
        dialog = DayDialog(self.ctx, None, on, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh(dialog.result_value)

    def ad_hoc(self) -> None:
        today = local_today()
        with self.ctx.db.session() as session:
            crowds = days.crowd_visits(session, self.ctx.actor, today)
        if not crowds:
            feedback.show_info(
                self, f"Ngày {today:%d/%m/%Y} chưa có lượt tiếp đoàn đông người nào chưa thuộc buổi tiếp của lãnh đạo."
            )
            return
        dialog = AdHocDialog(self.ctx, crowds, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.year, self.month = today.year, today.month
            self.refresh(dialog.result_value)

    # ---- the chosen day ----------------------------------------------------------------------------
    def current_day(self) -> DayView | None:
        rows = self.days_table.selectionModel().selectedRows() if self.days_table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.days):
            return None
        return self.days[rows[0].row()]

    def select_day(self, held_on: dt.date, leader: str | None = None) -> DayView:
        for row, d in enumerate(self.days):
            if d.held_on == held_on and (leader is None or d.leader_name == leader):
                self.days_table.selectRow(row)
                return d
        raise LookupError(held_on)

    def _show_day(self) -> None:
        day = self.current_day()
        if day is None:
            self.day_label.setText("Chọn một ngày tiếp trong danh sách.")
            self.bookings = []
        else:
            with self.ctx.db.session() as session:
                day = days.day_view(session, day.id)
                self.bookings = bookings.bookings_of(session, day.id)
            lines = [
                f"<b>{day.when_text().capitalize()}</b> — {day.leader_text} — tiếp {day.kind_label.lower()}, "
                f"{day.mode_label.lower()} — {day.status_label}",
                f"Địa điểm: {day.place or '…'}",
            ]
            if day.mode == DayMode.ONLINE:
                points = ", ".join(p.unit_name for p in day.points) or "chưa có"
                lines.append(f"Điểm cầu ({len(day.points)}): {points}")
                if day.recording_ref:
                    lines.append(f"Bản ghi: {day.recording_ref}")
            self.day_label.setText("<br/>".join(lines))
        _cells(
            self.bookings_table,
            [
                (
                    b.position,
                    b.full_name,
                    b.matter,
                    b.delegation_size,
                    b.connection_point,
                    b.status_label,
                    f"Số {b.visit_id}" if b.visit_id else "",
                )
                for b in self.bookings
            ],
        )
        self._enable()

    def _enable(self) -> None:
        day = self.current_day()
        booking = self.current_booking()
        open_day = day is not None and day.status != DayStatus.CANCELLED
        for button in (self.edit_day_button, self.print_list_button, self.print_agenda_button):
            button.setEnabled(day is not None)
        self.points_button.setEnabled(day is not None and day.mode == DayMode.ONLINE)
        self.cancel_day_button.setEnabled(open_day and day is not None and day.received == 0)
        self.finish_button.setEnabled(open_day)
        self.add_booking_button.setEnabled(open_day)
        waiting = booking is not None and booking.status != BookingStatus.RECEIVED
        self.edit_booking_button.setEnabled(open_day and waiting)
        self.absent_button.setEnabled(open_day and waiting)
        self.hold_button.setEnabled(open_day and waiting and day is not None and day.held_on <= local_today())
        if booking is not None and booking.status == BookingStatus.ABSENT:
            self.absent_button.setText("Có mặt")
        else:
            self.absent_button.setText("Vắng mặt")

    def edit_day(self) -> None:
        day = self.current_day()
        if day is None:
            return
        with self.ctx.db.session() as session:
            day = days.day_view(session, day.id)
        dialog = DayDialog(self.ctx, day, day.held_on, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh(day.id)

    def edit_points(self) -> None:
        day = self.current_day()
        if day is None:
            return
        with self.ctx.db.session() as session:
            day = days.day_view(session, day.id)
        if PointsDialog(self.ctx, day, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh(day.id)

    def cancel_day(self) -> None:
        day = self.current_day()
        if day is None:
            return
        reason, ok = QInputDialog.getText(self, "Hủy ngày tiếp", f"Lý do hủy ngày tiếp {day.held_on:%d/%m/%Y}:")
        if not ok:
            return
        self._run(lambda s: days.set_status(s, self.ctx.actor, day.id, DayStatus.CANCELLED, reason), day.id)

    def finish_day(self) -> None:
        day = self.current_day()
        if day is None:
            return
        waiting = sum(1 for b in self.bookings if b.status == BookingStatus.BOOKED)
        if waiting and not feedback.confirm(
            self, f"Còn {waiting} công dân đăng ký chưa được tiếp: ghi là vắng mặt và kết thúc buổi tiếp?"
        ):
            return
        self._run(lambda s: bookings.hold_day(s, self.ctx.actor, day.id), day.id)

    def _run(self, action: object, day_id: int) -> None:
        try:
            with self.ctx.db.transaction() as session:
                action(session)  # type: ignore[operator]
        except Exception as exc:
            feedback.show_error(self, exc)
        self.refresh(day_id)

    def print_day(self, what: str) -> None:
        day = self.current_day()
        if day is None:
            return
        try:
            with self.ctx.db.transaction() as session:
                if what == "list":
                    pdf = printing.render_booking_list(session, self.ctx.actor, day.id)
                else:
                    pdf = printing.render_agenda(session, self.ctx.actor, day.id)
        except AppError as exc:
            feedback.show_error(self, exc)
            return
        if what == "list":
            title, name = "Danh sách công dân đăng ký tiếp", "danh-sach-dang-ky-tiep"
        else:
            title, name = "Chương trình buổi tiếp", "chuong-trinh-buoi-tiep"
        show_preview(self, pdf, f"{title} {day.held_on:%d/%m/%Y}", f"{name}-{day.held_on:%Y-%m-%d}.pdf")

    # ---- bookings -------------------------------------------------------------------------------------
    def current_booking(self) -> BookingView | None:
        model = self.bookings_table.selectionModel()
        rows = model.selectedRows() if model else []
        if not rows or rows[0].row() >= len(self.bookings):
            return None
        return self.bookings[rows[0].row()]

    def _day_now(self) -> DayView | None:
        day = self.current_day()
        if day is None:
            return None
        with self.ctx.db.session() as session:
            return days.day_view(session, day.id)

    def add_booking(self) -> None:
        day = self._day_now()
        if day is not None and BookingDialog(self.ctx, day, None, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh(day.id)

    def edit_booking(self) -> None:
        day, booking = self._day_now(), self.current_booking()
        if day is None or booking is None:
            return
        if BookingDialog(self.ctx, day, booking, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh(day.id)

    def mark_absent(self) -> None:
        day, booking = self.current_day(), self.current_booking()
        if day is None or booking is None:
            return
        absent = booking.status != BookingStatus.ABSENT
        self._run(lambda s: bookings.mark_absent(s, self.ctx.actor, booking.id, absent), day.id)

    def hold(self) -> None:
        day, booking = self._day_now(), self.current_booking()
        if day is None or booking is None or booking.status == BookingStatus.RECEIVED:
            return
        if self._setup is None:
            self._setup = FormSetup.load(self.ctx)
        dialog = HoldDialog(self.ctx, booking, day, self._setup, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            feedback.show_status(self, f"Đã lưu lượt tiếp số {dialog.saved.id} ({booking.full_name}).")
        self.refresh(day.id)
