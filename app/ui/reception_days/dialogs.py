"""Dialogs of the "Lịch tiếp" section: plan a month, edit a day, register a citizen, the connection
points of an online day, and receiving a booked citizen (the desk's visit form, pre-filled)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import MatterKind
from app.models.reception_days import DayMode
from app.services.common import catalogues, settings, vocab
from app.services.common.errors import ValidationError
from app.services.deadlines import reception_days as frequency
from app.services.deadlines.engine import WEEKDAYS
from app.services.reception import visits
from app.services.reception_days import bookings, days
from app.services.reception_days.bookings import BookingInput, BookingView
from app.services.reception_days.days import DayInput, DayView, PointInput
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.reception.form import FormSetup, VisitForm
from app.ui.widgets.choices import ChoiceCombo, SearchCombo
from app.ui.widgets.fields import Field, FieldMap, line_edit

DATE_FORMAT = "dd/MM/yyyy"


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def _time(edit: QTimeEdit) -> dt.time:
    t = edit.time()
    return dt.time(t.hour(), t.minute())


def date_edit(day: dt.date) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    return edit


def time_edit(value: dt.time | None) -> QTimeEdit:
    value = value or dt.time(8, 0)
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    return edit


def mode_combo() -> ChoiceCombo:
    return ChoiceCombo(list(days.MODE_LABELS.items()))


def duty_combo() -> ChoiceCombo:
    return ChoiceCombo([(d.code, d.name) for d in frequency.duties()])


class _FormDialog(QDialog):
    """A form of fields with Vietnamese messages under each one; ``store`` does the work in one transaction."""

    def __init__(self, ctx: UiContext, title: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.fields = FieldMap()
        self.form = QFormLayout()
        self.general = QLabel()
        self.general.setWordWrap(True)
        self.general.setStyleSheet("color: #b00020;")
        self.general.hide()
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.ok_button.setAutoDefault(False)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)

    def add(self, key: str, text: str, editor: QWidget) -> None:
        self.form.addRow(text, self.fields.add(key, Field(editor)))

    def show_errors(self, errors: dict[str, str]) -> None:
        orphans, first = self.fields.show_errors(errors)
        self.general.setText("\n".join(orphans.values()))
        self.general.setVisible(bool(orphans))
        if first is not None:
            first.setFocus()

    def store(self) -> Any:
        raise NotImplementedError

    def save(self) -> None:
        try:
            self.result_value = self.store()
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        self.accept()


class PlanDialog(_FormDialog):
    """ "Lập lịch tháng": the periodic days a leader owes in a month, on the office's working days."""

    def __init__(
        self, ctx: UiContext, year: int, month: int, leader: tuple[str, str | None] | None, parent: QWidget | None
    ) -> None:
        super().__init__(ctx, f"Lập lịch tiếp định kỳ tháng {month:02d}/{year}", "Lập lịch", parent)
        self.year, self.month = year, month
        self.leader = line_edit("Họ và tên", 120)
        self.title = line_edit("vd. Chủ tịch UBND xã", 120)
        self.duty = duty_combo()
        self.weekday = ChoiceCombo(list(enumerate(WEEKDAYS[:5])), blank="(rải đều)")
        self.start = time_edit(None)
        self.place = line_edit("", 300)
        self.mode = mode_combo()
        for key, text, editor in (
            ("leader_name", "Lãnh đạo chủ trì *", self.leader),
            ("leader_title", "Chức vụ", self.title),
            ("duty_code", "Mức tối thiểu theo", self.duty),
            ("weekday", "Ưu tiên ngày", self.weekday),
            ("start_time", "Giờ bắt đầu", self.start),
            ("place", "Địa điểm", self.place),
            ("mode", "Hình thức", self.mode),
        ):
            self.add(key, text, editor)
        with ctx.db.session() as session:
            self.duty.set_value(days.default_duty_code(session))
            self.place.setText(str(settings.get(session, days.DEFAULT_PLACE)))
        if leader:
            self.leader.setText(leader[0])
            self.title.setText(leader[1] or "")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.form.addRow(self.note)
        self.duty.currentIndexChanged.connect(self._show_rule)
        self._show_rule()

    def _show_rule(self) -> None:
        duty = frequency.duty(str(self.duty.value()))
        first, last = days.month_range(self.year, self.month)
        rule = duty.in_force(last)
        text = rule.text() if rule else ""
        self.note.setText(f"Tháng này cần {duty.required_days(first, last)} ngày tiếp định kỳ ({text}).")

    def store(self) -> days.PlannedMonth:
        with self.ctx.db.transaction() as session:
            return days.plan_month(
                session,
                self.ctx.actor,
                leader_name=self.leader.text(),
                leader_title=self.title.text() or None,
                year=self.year,
                month=self.month,
                duty_code=self.duty.value(),
                weekday=self.weekday.value(),
                start_time=_time(self.start),
                place=self.place.text() or None,
                mode=self.mode.value(),
            )


class DayDialog(_FormDialog):
    """One reception day, new or corrected."""

    def __init__(self, ctx: UiContext, day: DayView | None, on: dt.date, parent: QWidget | None) -> None:
        super().__init__(ctx, "Sửa ngày tiếp" if day else "Thêm ngày tiếp", "Lưu ngày tiếp (Ctrl+S)", parent)
        self.day = day
        self.leader = line_edit("Họ và tên", 120)
        self.title = line_edit("vd. Chủ tịch UBND xã", 120)
        self.held_on = date_edit(day.held_on if day else on)
        self.start = time_edit(day.start_time if day else None)
        self.kind = ChoiceCombo(list(days.KIND_LABELS.items()))
        self.mode = mode_combo()
        self.place = line_edit("", 300)
        self.recording = line_edit("Tệp ghi hình, số lưu trữ (tiếp trực tuyến)", 300)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(60)
        for key, text, editor in (
            ("leader_name", "Lãnh đạo chủ trì *", self.leader),
            ("leader_title", "Chức vụ", self.title),
            ("held_on", "Ngày tiếp *", self.held_on),
            ("start_time", "Giờ bắt đầu", self.start),
            ("kind", "Loại tiếp", self.kind),
            ("mode", "Hình thức", self.mode),
            ("place", "Địa điểm", self.place),
            ("recording_ref", "Bản ghi (trực tuyến)", self.recording),
            ("note", "Ghi chú", self.note),
        ):
            self.add(key, text, editor)
        if day:
            self.leader.setText(day.leader_name)
            self.title.setText(day.leader_title or "")
            self.kind.set_value(day.kind)
            self.mode.set_value(day.mode)
            self.place.setText(day.place or "")
            self.recording.setText(day.recording_ref or "")
            self.note.setPlainText(day.note or "")
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self._mode_changed()

    def _mode_changed(self) -> None:
        self.recording.setEnabled(self.mode.value() == DayMode.ONLINE)

    def data(self) -> DayInput:
        return DayInput(
            leader_name=self.leader.text(),
            held_on=_date(self.held_on),
            leader_title=self.title.text() or None,
            duty_code=self.day.duty_code if self.day else None,
            start_time=_time(self.start),
            mode=self.mode.value(),
            place=self.place.text() or None,
            kind=self.kind.value(),
            note=self.note.toPlainText() or None,
            recording_ref=self.recording.text() or None,
        )

    def store(self) -> int:
        with self.ctx.db.transaction() as session:
            if self.day is None:
                return days.create_day(session, self.ctx.actor, self.data())
            days.update_day(session, self.ctx.actor, self.day.id, self.data())
            return self.day.id


class BookingDialog(_FormDialog):
    """A citizen registering to be received on the day (đăng ký tiếp), or a correction of that."""

    def __init__(self, ctx: UiContext, day: DayView, booking: BookingView | None, parent: QWidget | None) -> None:
        title = f"Đăng ký tiếp ngày {day.held_on:%d/%m/%Y}"
        super().__init__(ctx, title, "Lưu đăng ký (Ctrl+S)", parent)
        self.day, self.booking = day, booking
        self.full_name = line_edit("Họ và tên công dân hoặc người đại diện", 200)
        self.id_number = line_edit("12 chữ số (CMND cũ: 9)", 20)
        self.phone = line_edit("", 20)
        self.matter_kind = ChoiceCombo(vocab.choices(MatterKind), blank="(chưa rõ)")
        self.matter = QPlainTextEdit()
        self.matter.setTabChangesFocus(True)
        self.matter.setMaximumHeight(80)
        self.matter.setPlaceholderText("Nội dung công dân đăng ký trình bày")
        self.people = QSpinBox()
        self.people.setRange(1, 10_000)
        self.point = ChoiceCombo([(p.id, p.unit_name) for p in day.points], blank="(không)")
        for key, text, editor in (
            ("full_name", "Họ và tên *", self.full_name),
            ("id_number", "Số CCCD", self.id_number),
            ("phone", "Điện thoại", self.phone),
            ("matter_kind", "Loại nội dung", self.matter_kind),
            ("matter", "Nội dung *", self.matter),
            ("delegation_size", "Số người đến", self.people),
            ("connection_point_id", "Điểm cầu", self.point),
        ):
            self.add(key, text, editor)
        self.point.setEnabled(day.mode == DayMode.ONLINE)
        if booking:
            self.full_name.setText(booking.full_name)
            self.id_number.setText(booking.id_number or "")
            self.phone.setText(booking.phone or "")
            self.matter_kind.set_value(booking.matter_kind)
            self.matter.setPlainText(booking.matter)
            self.people.setValue(booking.delegation_size)
            self.point.set_value(booking.connection_point_id)
        self.resize(520, self.sizeHint().height())

    def data(self) -> BookingInput:
        return BookingInput(
            full_name=self.full_name.text(),
            matter=self.matter.toPlainText(),
            phone=self.phone.text() or None,
            id_number=self.id_number.text() or None,
            matter_kind=self.matter_kind.value(),
            citizen_id=self.booking.citizen_id if self.booking else None,
            petition_id=self.booking.petition_id if self.booking else None,
            delegation_size=self.people.value(),
            connection_point_id=self.point.value(),
        )

    def store(self) -> int:
        with self.ctx.db.transaction() as session:
            if self.booking is None:
                return bookings.add_booking(session, self.ctx.actor, self.day.id, self.data())
            bookings.update_booking(session, self.ctx.actor, self.booking.id, self.data())
            return self.booking.id


class PointsDialog(QDialog):
    """The connection points (điểm cầu) of an online day: communes picked from the directory."""

    COLUMNS = ("Mã", "Điểm cầu", "Người phụ trách")

    def __init__(self, ctx: UiContext, day: DayView, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx, self.day = ctx, day
        self.setWindowTitle(f"Điểm cầu trực tuyến ngày {day.held_on:%d/%m/%Y}")
        self.commune = SearchCombo()
        with ctx.db.session() as session:
            province = str(settings.get(session, settings.OFFICE_PROVINCE) or "")
            self.commune.set_items((c.code, c.name) for c in catalogues.communes(session, province))
        self.contact = line_edit("Họ tên, chức vụ người phụ trách điểm cầu", 200)
        self.add_button = QPushButton("Thêm điểm cầu")
        self.remove_button = QPushButton("Xóa điểm cầu đã chọn")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(1, 220)
        self.table.verticalHeader().hide()
        for point in day.points:
            self._append(point.unit_code, point.unit_name, point.contact_person or "")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Lưu điểm cầu (Ctrl+S)", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.add_button.clicked.connect(self.add_point)
        self.remove_button.clicked.connect(self.remove_point)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        pick = QHBoxLayout()
        pick.addWidget(QLabel("Xã, phường"))
        pick.addWidget(self.commune, 1)
        pick.addWidget(QLabel("Người phụ trách"))
        pick.addWidget(self.contact, 1)
        pick.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(pick)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(820, 420)

    def _append(self, code: str | None, name: str, contact: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in enumerate((code or "", name, contact)):
            item = QTableWidgetItem(text)
            if col < 2:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, col, item)

    def add_point(self) -> None:
        self.commune.commit_text()
        code = self.commune.value()
        if not code:
            self._say("Chọn xã, phường trong danh mục (gõ vài chữ của tên rồi Enter).")
            return
        self._append(code, self.commune.currentText(), self.contact.text())
        self.contact.clear()
        self.commune.set_value(None)
        self.message.hide()

    def remove_point(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def points(self) -> list[PointInput]:
        def cell(row: int, col: int) -> str:
            item = self.table.item(row, col)
            return item.text() if item else ""

        return [
            PointInput(unit_code=cell(r, 0) or None, unit_name=cell(r, 1), contact_person=cell(r, 2) or None)
            for r in range(self.table.rowCount())
        ]

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def show_errors(self, errors: dict[str, str]) -> None:
        self._say("\n".join(errors.values()))

    def save(self) -> None:
        try:
            with self.ctx.db.transaction() as session:
                days.set_connection_points(session, self.ctx.actor, self.day.id, self.points())
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        self.accept()


class HoldDialog(QDialog):
    """ "Tiếp công dân": the desk's visit form (app/ui/reception/form.py), filled from the booking and its
    day; saving registers the visit as a reception of the day (``bookings.hold_booking``)."""

    def __init__(
        self,
        ctx: UiContext,
        booking: BookingView,
        day: DayView,
        setup: FormSetup | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.booking, self.day = ctx, booking, day
        self.setWindowTitle(f"Tiếp công dân {booking.full_name} — {day.kind_label.lower()}, {day.leader_text}")
        with ctx.db.session() as session:
            data = bookings.booking_visit_input(session, booking.id)
        self.form = VisitForm(ctx, setup)
        self.form.fill(data)
        self.form.escape_unused.connect(self.reject)
        # The day decides these: the form shows them, the service sets them.
        for widget in (self.form.kind, self.form.leader, self.form.in_person, self.form.online):
            widget.setEnabled(False)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Lưu lượt tiếp (Ctrl+S)", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        layout = QVBoxLayout(self)
        heading = QLabel(f"Đăng ký: {booking.matter}")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(1000, 680)
        self.saved: visits.SavedVisit | None = None

    def save(self) -> None:
        try:
            data = self.form.collect()
            with self.ctx.db.transaction() as session:
                self.saved = bookings.hold_booking(session, self.ctx.actor, self.booking.id, data)
        except ValidationError as exc:
            self.form.show_errors(exc.fields)
            return
        except Exception as exc:
            feedback.show_error(self.form, exc)
            return
        self.accept()


class AdHocDialog(_FormDialog):
    """ "Tiếp đột xuất": a crowd delegation received at the desk today is taken by a leader; an ad hoc
    reception day is opened for it and the visit filed under it (``days.open_ad_hoc_day``)."""

    def __init__(self, ctx: UiContext, crowds: list[days.CrowdVisit], parent: QWidget | None) -> None:
        super().__init__(ctx, "Tiếp đột xuất đoàn đông người", "Mở buổi tiếp đột xuất", parent)
        self.crowds = crowds
        self.visit = ChoiceCombo([(c.id, c.text()) for c in crowds])
        self.leader = line_edit("Họ và tên lãnh đạo tiếp đoàn", 120)
        self.title = line_edit("vd. Chủ tịch UBND xã", 120)
        self.place = line_edit("", 300)
        for key, text, editor in (
            ("visit", "Đoàn đông người *", self.visit),
            ("leader_name", "Lãnh đạo tiếp *", self.leader),
            ("leader_title", "Chức vụ", self.title),
            ("place", "Địa điểm", self.place),
        ):
            self.add(key, text, editor)
        self.visit.currentIndexChanged.connect(self._visit_changed)
        self._visit_changed()
        self.resize(640, self.sizeHint().height())

    def _visit_changed(self) -> None:
        chosen = next((c for c in self.crowds if c.id == self.visit.value()), None)
        if chosen is not None and chosen.leader_name and not self.leader.text():
            self.leader.setText(chosen.leader_name)

    def store(self) -> int:
        if self.visit.value() is None:
            raise ValidationError({"visit": "Hôm nay chưa có lượt tiếp đoàn đông người nào để mở buổi tiếp đột xuất."})
        with self.ctx.db.transaction() as session:
            return days.open_ad_hoc_day(
                session,
                self.ctx.actor,
                int(self.visit.value()),
                leader_name=self.leader.text(),
                leader_title=self.title.text() or None,
                place=self.place.text() or None,
            )
