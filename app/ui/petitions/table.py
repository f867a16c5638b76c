"""The list of petitions (Đơn thư): a lazy model over ``petitions.petition_ids`` / ``petition_rows``."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.models.enums import MatterKind, PetitionSource, PetitionStatus
from app.services.casework import petitions
from app.services.casework.petitions import PetitionFilter, PetitionRow
from app.services.common import vocab
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.live import PETITIONS
from app.ui.petitions.assign import AssignDialog, assign_selected
from app.ui.petitions.common import as_enum
from app.ui.widgets.choices import ChoiceCombo
from app.ui.widgets.lazy_table import BackgroundIdModel, Column, RecordTableView
from app.ui.widgets.list_bar import FilteredList, ListSummary, SearchBox

_RIGHT = Qt.AlignmentFlag.AlignRight
# The list's narrow column: the source in a word or two (the full name in the tooltip and filter).
SHORT_SOURCE = {
    PetitionSource.DESK: "Trực tiếp",
    PetitionSource.POST: "Bưu chính",
    PetitionSource.FORWARDED: "Chuyển đến",
    PetitionSource.ONLINE: "Trực tuyến",
}


def _forwards(row: PetitionRow) -> str:
    if not row.forward_count:
        return ""
    return f"{row.forward_count} ⚠" if row.over_forwarded else str(row.forward_count)


COLUMNS: list[Column[PetitionRow]] = [
    Column("Số đơn", lambda r: r.number, "number", _RIGHT),
    Column("Ngày nhận", lambda r: f"{r.received_on:%d/%m/%Y}", "received_on"),
    Column("Nguồn", lambda r: SHORT_SOURCE.get(r.source, r.source_label), "source", tooltip=lambda r: r.source_label),
    Column("Người gửi", lambda r: r.sender, tooltip=lambda r: r.sender),
    Column("Loại đơn", lambda r: r.kind_label, "kind"),
    Column("Lĩnh vực", lambda r: r.field_name, tooltip=lambda r: r.field_name),
    Column("Tóm tắt nội dung", lambda r: " ".join(r.summary.split()), tooltip=lambda r: r.summary),
    Column("Trạng thái", lambda r: r.status_label, "status"),
    Column("Cơ quan giữ đơn", lambda r: r.agency_name, tooltip=lambda r: r.agency_name),
    Column("Cán bộ xử lý", lambda r: r.officer_name, tooltip=lambda r: r.officer_name),
    Column(
        "Chuyển",
        _forwards,
        "forward_count",
        _RIGHT,
        tooltip=lambda r: "Đơn đã chuyển quá số lần cho phép" if r.over_forwarded else "Số lần đã chuyển đơn",
    ),
]
# At 1366×768 every column shows without a horizontal scroll; the summary takes what is left.
_WIDTHS = [84, 84, 96, 140, 76, 130, 0, 110, 130, 100, 56]
_SUMMARY = 6


class PetitionTableModel(BackgroundIdModel[PetitionRow, PetitionFilter]):
    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(
            ctx,
            COLUMNS,
            petitions.petition_rows,
            petitions.petition_ids,
            filter=PetitionFilter(),
            sort_key="received_on",
            parent=parent,
        )


class PetitionTableView(RecordTableView):
    """Read-only, sortable by header click; Enter or double-click asks to open the petition."""

    def __init__(self, model: PetitionTableModel, parent: QWidget | None = None) -> None:
        super().__init__(model, _WIDTHS, parent, stretch=_SUMMARY)
        self.enable_sorting()
        # Several petitions at once: Ctrl/Shift+click, then "Giao cán bộ xử lý".
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def selected_rows(self) -> list[PetitionRow]:
        model = self.model()
        assert isinstance(model, PetitionTableModel)
        rows = (model.row_at(index.row()) for index in self.selectionModel().selectedRows())
        return [row for row in rows if row is not None]


class PetitionList(FilteredList):
    """All petitions with filters (status, kind, source, text); loads when shown after a change."""

    live_topics = PETITIONS

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PetitionTableModel(ctx, self)
        self.view = PetitionTableView(self.model)
        self.view.open_requested.connect(self.open_requested)
        self.status = ChoiceCombo(vocab.choices(PetitionStatus), blank="Mọi trạng thái")
        self.kind = ChoiceCombo(vocab.choices(MatterKind), blank="Mọi loại đơn")
        self.source = ChoiceCombo(vocab.choices(PetitionSource), blank="Mọi nguồn đơn")
        self.text = SearchBox("Tìm theo số đơn, tên người gửi, nội dung (không cần dấu)", self.apply_filter)
        self.summary = ListSummary(ctx, self.model, "petitions", "đơn")
        self.ctx = ctx
        self.assign_button = QPushButton("Giao cán bộ xử lý…")
        self.assign_button.setToolTip("Giao các đơn đang chọn cho một cán bộ xử lý")
        self.assign_button.clicked.connect(self.assign)
        for combo in (self.status, self.kind, self.source):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        bar = QHBoxLayout()
        bar.setSpacing(6)
        for widget in (self.status, self.kind, self.source):
            bar.addWidget(widget)
        bar.addWidget(self.text, 1)
        bar.addWidget(self.summary)
        bar.addWidget(self.assign_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

    def assign(self) -> AssignDialog | None:
        rows = self.view.selected_rows()
        dialog = assign_selected(self, self.ctx, [r.id for r in rows], [r.number for r in rows])
        if dialog is not None:
            dialog.accepted.connect(lambda: self._assigned(dialog.result_text))
        return dialog

    def _assigned(self, text: str) -> None:
        feedback.show_status(self, text)
        self.refresh()

    def current_filter(self) -> PetitionFilter:
        return PetitionFilter(
            status=as_enum(PetitionStatus, self.status.value()),
            kind=as_enum(MatterKind, self.kind.value()),
            source=as_enum(PetitionSource, self.source.value()),
            text=self.text.text(),
        )
