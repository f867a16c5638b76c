"""Date and date-time inputs in the Vietnamese order (dd/MM/yyyy), with an optional empty state."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QWidget

from app.models import LOCAL_TZ
from app.services.common.clock import local_today

DATE_FORMAT = "dd/MM/yyyy"
DATETIME_FORMAT = "dd/MM/yyyy HH:mm"
_EMPTY = QDate(1900, 1, 1)


def to_qdatetime(value: dt.datetime) -> QDateTime:
    local = value.astimezone(LOCAL_TZ)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second))


class DateTimeEdit(QDateTimeEdit):
    """A local date-time to the minute, shown dd/MM/yyyy HH:mm, read as an aware datetime.

    After ``set_now`` it follows the clock (a form left open at 08:05 still says the citizen came
    at 10:40 when the clerk starts typing) until the user or the program sets another time.
    """

    FOLLOW_MS = 15_000

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DATETIME_FORMAT)
        self.setCalendarPopup(True)
        self._clock = QTimer(self)
        self._clock.setInterval(self.FOLLOW_MS)
        self._clock.timeout.connect(self._tick)
        self._ticking = False
        self.dateTimeChanged.connect(self._changed)
        self.set_now()

    def set_now(self) -> None:
        self._tick()
        self._clock.start()

    def following_clock(self) -> bool:
        return self._clock.isActive()

    def _tick(self) -> None:
        self._ticking = True
        try:
            self.setDateTime(to_qdatetime(dt.datetime.now(LOCAL_TZ)))
        finally:
            self._ticking = False

    def _changed(self) -> None:
        if not self._ticking:
            self._clock.stop()

    def set_value(self, value: dt.datetime) -> None:
        self.setDateTime(to_qdatetime(value))
        self._clock.stop()

    def value(self) -> dt.datetime:
        d, t = self.date(), self.time()
        return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=LOCAL_TZ)


class OptionalDateEdit(QDateEdit):
    """A date that may be left empty (shown blank): for filters such as "from" and "to"."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DATE_FORMAT)
        self.setCalendarPopup(True)
        self.setMinimumDate(_EMPTY)
        self.setSpecialValueText(placeholder or " ")
        self.setDate(_EMPTY)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        # An empty date would open the calendar on January 1900: show this month instead.
        calendar = self.calendarWidget()
        if self.value() is None and calendar is not None:
            today = local_today()
            calendar.setCurrentPage(today.year, today.month)

    def value(self) -> dt.date | None:
        d = self.date()
        if d == _EMPTY:
            return None
        return dt.date(d.year(), d.month(), d.day())

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(_EMPTY if value is None else QDate(value.year, value.month, value.day))
