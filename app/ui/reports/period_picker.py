"""The reporting period a form or a consolidation is for: a kind the office reports on, its number
and year, or a free range."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QHBoxLayout, QLabel, QSpinBox, QWidget

from app.services.common.errors import AppError
from app.services.reports import periods
from app.services.reports.periods import Period, PeriodKind
from app.ui.widgets.choices import ChoiceCombo
from app.ui.widgets.dates import OptionalDateEdit

KIND_LABELS: dict[PeriodKind, str] = {
    PeriodKind.MONTH: "Tháng",
    PeriodKind.QUARTER: "Quý",
    PeriodKind.HALF: "6 tháng",
    PeriodKind.NINE: "9 tháng",
    PeriodKind.YEAR: "Năm",
    PeriodKind.CUSTOM: "Từ ngày … đến ngày",
}


class PeriodPicker(QWidget):
    """Kind of period (those the office reports on), year and number, or a free from–to range."""

    def __init__(self, default: Period, kinds: list[PeriodKind] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kind = ChoiceCombo([(k, KIND_LABELS[k]) for k in (kinds or list(KIND_LABELS))])
        self.number = QSpinBox()
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.date_from = OptionalDateEdit("từ ngày")
        self.date_to = OptionalDateEdit("đến ngày")
        layout.addWidget(QLabel("Kỳ báo cáo:"))
        for w in (self.kind, self.number, self.year, self.date_from, self.date_to):
            layout.addWidget(w)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.year.setValue(default.end.year)
        self.kind.set_value(default.kind)
        self._kind_changed()
        month = default.end.month
        self.number.setValue(month if default.kind == PeriodKind.MONTH else (month - 1) // 3 + 1)

    def _kind_changed(self) -> None:
        kind = self.kind.value()
        self.number.setVisible(kind in (PeriodKind.MONTH, PeriodKind.QUARTER))
        self.number.setRange(1, 12 if kind == PeriodKind.MONTH else 4)
        self.number.setPrefix("tháng " if kind == PeriodKind.MONTH else "quý ")
        self.year.setVisible(kind != PeriodKind.CUSTOM)
        self.date_from.setVisible(kind == PeriodKind.CUSTOM)
        self.date_to.setVisible(kind == PeriodKind.CUSTOM)

    def set_custom(self, start: dt.date, end: dt.date) -> None:
        self.kind.set_value(PeriodKind.CUSTOM)
        self.date_from.set_value(start)
        self.date_to.set_value(end)

    def period(self) -> Period:
        kind = self.kind.value()
        if kind == PeriodKind.CUSTOM:
            start, end = self.date_from.value(), self.date_to.value()
            if start is None or end is None:
                raise AppError("Chọn cả ngày bắt đầu và ngày kết thúc của kỳ báo cáo.")
            return periods.custom(start, end)
        return periods.of_kind(kind, self.year.value(), self.number.value())
