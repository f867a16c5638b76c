"""What the reception desk prints: the register for a day or a period, and a visit's appointment slip.

The receipt goes straight to ``printing_actions.print_visit_receipt`` (it asks for the items itself);
this module adds the two questions the desk asks before printing: which days, and when to come back.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.models import LOCAL_TZ
from app.models.enums import DocumentType, VisitOutcome
from app.services.common import vocab
from app.services.common.clock import local_today
from app.services.common.errors import AppError, RuleViolation
from app.services.reception import visits
from app.services.security.permissions import Permission, require
from app.ui.context import UiContext
from app.ui.feedback import show_error
from app.ui.printing_actions import print_daily_log, print_visit_document
from app.ui.widgets.dates import DATE_FORMAT, DateTimeEdit

APPOINTMENT_HOUR = 8  # a morning slot by default; the clerk adjusts it


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


def _buttons(dialog: QDialog, accept: str) -> QDialogButtonBox:
    box = QDialogButtonBox()
    box.addButton(accept, QDialogButtonBox.ButtonRole.AcceptRole)
    box.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class PeriodDialog(QDialog):
    """One day of the register (today by default), or several days up to an end date."""

    def __init__(self, parent: QWidget | None, day: dt.date) -> None:
        super().__init__(parent)
        self.setWindowTitle("In sổ tiếp công dân")
        self.start = QDateEdit(_qdate(day), self)
        self.several = QCheckBox("Nhiều ngày, đến ngày", self)
        self.end = QDateEdit(_qdate(day), self)
        for edit in (self.start, self.end):
            edit.setDisplayFormat(DATE_FORMAT)
            edit.setCalendarPopup(True)
        self.end.setEnabled(False)
        self.end.setMinimumDate(self.start.date())
        # The end never precedes the start: it follows the start while it would.
        self.start.dateChanged.connect(self.end.setMinimumDate)
        self.several.toggled.connect(self.end.setEnabled)

        row = QHBoxLayout()
        row.addWidget(self.several)
        row.addWidget(self.end, 1)
        form = QFormLayout()
        form.addRow("Ngày", self.start)
        form.addRow("", row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "Xem trước"))

    def period(self) -> tuple[dt.date, dt.date | None]:
        start = _pydate(self.start.date())
        return start, (_pydate(self.end.date()) if self.several.isChecked() else None)


def next_working_morning(now: dt.datetime) -> dt.datetime:
    """08:00 of the next weekday: the usual appointment a clerk then adjusts."""
    day = now.date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, APPOINTMENT_HOUR, tzinfo=LOCAL_TZ)


class AppointmentDialog(QDialog):
    """When and where the citizen comes back, what for, and what to bring."""

    def __init__(self, parent: QWidget | None, note: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Phiếu hẹn")
        self.when = DateTimeEdit(self)
        self.when.set_value(next_working_morning(dt.datetime.now(LOCAL_TZ)))
        self.place = QLineEdit(self)
        self.place.setPlaceholderText("Để trống: trụ sở cơ quan tiếp công dân")
        self.purpose = QLineEdit(note, self)
        self.purpose.setPlaceholderText("Để trống: nội dung công dân đã trình bày")
        self.bring = QLineEdit(self)
        self.bring.setPlaceholderText("Ví dụ: bản chính Giấy chứng nhận quyền sử dụng đất")
        form = QFormLayout()
        form.addRow("Hẹn đến lúc *", self.when)
        form.addRow("Địa điểm", self.place)
        form.addRow("Nội dung làm việc", self.purpose)
        form.addRow("Mang theo", self.bring)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_buttons(self, "Cấp số và in"))
        self.resize(520, self.sizeHint().height())

    def content(self) -> dict[str, object]:
        fields = {"place": self.place.text(), "purpose": self.purpose.text(), "bring": self.bring.text()}
        return {"appointment_at": self.when.value(), **{k: v.strip() for k, v in fields.items() if v.strip()}}


def _refused(parent: QWidget | None, ctx: UiContext, permission: Permission) -> bool:
    """Say so before asking any question, when the user may not print this at all."""
    try:
        require(ctx.actor, permission)
    except AppError as exc:
        show_error(parent, exc)
        return True
    return False


def print_log_for_period(parent: QWidget | None, ctx: UiContext, day: dt.date | None = None) -> None:
    if _refused(parent, ctx, Permission.PRINT_LOG):
        return
    dialog = PeriodDialog(parent, day or local_today())
    if dialog.exec() == QDialog.DialogCode.Accepted:
        print_daily_log(parent, ctx, *dialog.period())


def print_appointment(parent: QWidget | None, ctx: UiContext, visit_id: int) -> bool:
    """Ask for the appointment, issue a numbered slip and preview it; False when nothing was issued."""
    if _refused(parent, ctx, Permission.PRINT_SLIP):
        return False
    try:
        with ctx.db.session() as session:
            data = visits.visit_input(session, ctx.actor, visit_id)
        if data.outcome != VisitOutcome.APPOINTMENT:
            raise RuleViolation(
                f"Lượt tiếp số {visit_id} không có kết quả “{vocab.label(VisitOutcome.APPOINTMENT)}”: chỉ in "
                "phiếu hẹn khi đã hẹn công dân. Sửa kết quả tiếp trước khi in."
            )
    except AppError as exc:
        show_error(parent, exc)
        return False
    dialog = AppointmentDialog(parent, data.outcome_note or "")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return print_visit_document(parent, ctx, visit_id, DocumentType.APPOINTMENT, dialog.content())
