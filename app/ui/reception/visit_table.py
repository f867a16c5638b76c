"""Visit lists: today's board and the list of all visits, over one lazy model.

The model keeps the matching ids (filtered and sorted in SQL, loaded in a worker) and fetches
the rows a page at a time with ``visits.visit_rows``; denouncers are masked by the service.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.models import LOCAL_TZ
from app.models.enums import MatterKind, ReceptionKind
from app.services.common import vocab
from app.services.common.clock import local_today
from app.services.reception import visits
from app.services.reception.visits import VisitFilter, VisitRow
from app.ui.context import UiContext
from app.ui.live import VISITS
from app.ui.widgets.choices import ChoiceCombo
from app.ui.widgets.dates import OptionalDateEdit
from app.ui.widgets.lazy_table import BackgroundIdModel, Column, RecordTableView
from app.ui.widgets.list_bar import FilteredList, ListSummary, SearchBox

_RIGHT = Qt.AlignmentFlag.AlignRight


def _time(row: VisitRow) -> str:
    return f"{row.received_at.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}"


def _people(row: VisitRow) -> str:
    return f"{row.head_count} (đoàn)" if row.is_crowd else str(row.head_count)


COLUMNS: list[Column[VisitRow]] = [
    Column("Số", lambda r: str(r.id), None, _RIGHT),
    Column("Thời gian", _time, "received_at"),
    Column("Công dân", lambda r: r.citizen_name, "citizen"),
    Column("CCCD/CMND", lambda r: r.id_number or ""),
    Column("Địa chỉ", lambda r: r.address, tooltip=lambda r: r.address),
    Column("Hình thức", lambda r: r.reception_kind_label, "reception_kind"),
    Column("Số người", _people, "head_count", _RIGHT),
    Column("Loại", lambda r: r.matter_kind_label, "matter_kind"),
    Column("Tóm tắt nội dung", lambda r: " ".join(r.summary.split()), tooltip=lambda r: r.summary),
    Column("Kết quả", lambda r: r.outcome_label, "outcome"),
    Column("Cán bộ tiếp", lambda r: r.officer_name or ""),
]
_WIDTHS = [64, 132, 170, 110, 220, 104, 74, 86, 320, 200, 140]


class VisitTableModel(BackgroundIdModel[VisitRow, VisitFilter]):
    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(
            ctx,
            COLUMNS,
            visits.visit_rows,
            visits.visit_ids,
            filter=VisitFilter(),
            sort_key="received_at",
            parent=parent,
        )


class VisitTableView(RecordTableView):
    """A read-only list of visits; Enter or double-click asks to open one."""

    def __init__(self, model: VisitTableModel, parent: QWidget | None = None) -> None:
        super().__init__(model, _WIDTHS, parent)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def visit_model(self) -> VisitTableModel:
        model = self.model()
        assert isinstance(model, VisitTableModel)
        return model


class TodayBoard(QWidget):
    """The day's visits, newest first."""

    live_topics = VISITS  # another desk's visit appears here unasked

    open_requested = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = VisitTableModel(ctx, self)
        self.view = VisitTableView(self.model)
        self.view.open_requested.connect(self.open_requested)
        self.count = QLabel()
        self.model.loaded.connect(self._loaded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)

    def refresh(self) -> None:
        today = local_today()
        self.model.reload(VisitFilter(date_from=today, date_to=today))

    def _loaded(self, n: int) -> None:
        self.count.setText(
            f"Hôm nay {local_today():%d/%m/%Y}: {n} lượt tiếp." if n else "Hôm nay chưa có lượt tiếp nào."
        )


class VisitList(FilteredList):
    """All visits with filters; loads when first shown, refreshes when shown after a change."""

    live_topics = VISITS

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = VisitTableModel(ctx, self)
        self.view = VisitTableView(self.model)
        self.view.enable_sorting()
        self.view.open_requested.connect(self.open_requested)

        self.date_from = OptionalDateEdit("từ đầu")
        self.date_to = OptionalDateEdit("đến nay")
        self.kind = ChoiceCombo(vocab.choices(ReceptionKind), blank="Mọi hình thức")
        self.matter = ChoiceCombo(vocab.choices(MatterKind), blank="Mọi loại nội dung")
        self.text = SearchBox("Tìm theo tên, số CCCD, nội dung (không cần dấu)", self.apply_filter)
        self.summary = ListSummary(ctx, self.model, "visits", "lượt tiếp")
        for combo in (self.kind, self.matter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.apply_filter())

        bar = QHBoxLayout()
        bar.setSpacing(6)
        bar.addWidget(QLabel("Từ ngày"))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("đến"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.kind)
        bar.addWidget(self.matter)
        bar.addWidget(self.text, 1)
        bar.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        bar.setContentsMargins(0, 0, 6, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def current_filter(self) -> VisitFilter:
        return VisitFilter(
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            reception_kind=self.kind.value(),
            matter_kind=self.matter.value(),
            text=self.text.text(),
        )
