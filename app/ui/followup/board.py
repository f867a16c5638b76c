"""The follow-up board: overdue / due today / due soon, forwarded petitions awaiting an answer,
decisions awaiting enforcement; grouped per officer or per competent body."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.services.casework import minutes
from app.services.common.clock import local_today
from app.services.common.errors import AppError
from app.services.deadlines import clocks, followup
from app.services.deadlines.followup import FollowupBoard, FollowupItem
from app.ui.context import UiContext
from app.ui.feedback import show_error
from app.ui.followup import update_indicator
from app.ui.live import DEADLINES

PETITION_ID = Qt.ItemDataRole.UserRole + 1
DEADLINE_ID = Qt.ItemDataRole.UserRole + 2
CONCLUSION_ID = Qt.ItemDataRole.UserRole + 3
LATE = QColor("#b3261e")
TODAY = QColor("#8a5a00")

COLUMNS = ["Số đơn", "Người gửi", "Nội dung", "Việc phải làm", "Hạn", "Tình trạng", "Cán bộ xử lý"]
GROUPINGS = [("officer", "Cán bộ được giao"), ("agency", "Cơ quan có thẩm quyền")]


def due_text(item: FollowupItem) -> str:
    if item.due_on is None:
        return "Chưa có hạn"
    if item.days_late:
        return f"Trễ {item.days_late} ngày"
    if item.days_left == 0:
        return "Đến hạn hôm nay"
    return f"Còn {item.days_left} ngày"


def _to_date(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class GroupTree(QTreeView):
    """One list of the board: a bold row per group, the items under it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model_ = QStandardItemModel(0, len(COLUMNS), self)
        self.model_.setHorizontalHeaderLabels(COLUMNS)
        self.setModel(self.model_)
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 120), (1, 190), (3, 300), (4, 90), (5, 130), (6, 170)):
            self.setColumnWidth(column, width)

    def fill(self, groups: list[followup.Group], *, start_label: str | None = None) -> None:
        self.model_.removeRows(0, self.model_.rowCount())
        bold = QFont()
        bold.setBold(True)
        for group in groups:
            head = QStandardItem(f"{group.title} — {len(group.items)} việc")
            head.setFont(bold)
            head.setSelectable(False)
            row = [head] + [QStandardItem() for _ in COLUMNS[1:]]
            for cell in row[1:]:
                cell.setSelectable(False)
            for item in group.items:
                head.appendRow(self._row(item, start_label))
            self.model_.appendRow(row)
            self.setFirstColumnSpanned(self.model_.rowCount() - 1, QModelIndex(), True)
        self.expandAll()

    def _row(self, item: FollowupItem, start_label: str | None) -> list[QStandardItem]:
        started = start_label and item.start_on
        status = f"{start_label} {item.start_on:%d/%m/%Y}" if started else due_text(item)
        cells = [
            QStandardItem(item.petition_number),
            QStandardItem(item.sender),
            QStandardItem(item.summary),
            QStandardItem(item.rule_name),
            QStandardItem(f"{item.due_on:%d/%m/%Y}" if item.due_on else ""),
            QStandardItem(status),
            QStandardItem(item.officer_name),
        ]
        cells[2].setToolTip(item.summary)
        cells[3].setToolTip(item.rule_name)
        colour = LATE if item.days_late else TODAY if item.days_left == 0 else None
        for cell in cells:
            cell.setData(item.petition_id, PETITION_ID)
            cell.setData(item.deadline_id, DEADLINE_ID)
            cell.setData(item.conclusion_id, CONCLUSION_ID)
            if colour is not None:
                cell.setForeground(QBrush(colour))
        return cells

    def rows(self) -> list[list[str]]:
        """Every item row as displayed (group rows excluded), for tests and checks."""
        out: list[list[str]] = []
        for g in range(self.model_.rowCount()):
            head = self.model_.item(g, 0)
            for r in range(head.rowCount()):
                out.append([head.child(r, c).text() for c in range(len(COLUMNS))])
        return out

    def group_titles(self) -> list[str]:
        return [self.model_.item(g, 0).text() for g in range(self.model_.rowCount())]


class FollowupPage(QWidget):
    """The "Theo dõi" section."""

    live_topics = DEADLINES  # another desk's action moves a deadline: the board follows

    refreshed = Signal(object)  # the FollowupBoard just shown

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.board: FollowupBoard | None = None

        self.as_of = QDateEdit(QDate(local_today()))
        self.as_of.setDisplayFormat("dd/MM/yyyy")
        self.as_of.setCalendarPopup(True)
        self.as_of.setObjectName("as_of")
        self.grouping = QComboBox()
        for key, label in GROUPINGS:
            self.grouping.addItem(label, key)
        self.refresh_button = QPushButton("&Làm mới")
        self.today_button = QPushButton("&Hôm nay")
        self.calendar_button = QPushButton("Lị&ch nghỉ lễ…")
        self.calendar_button.setToolTip("Ngày nghỉ lễ, nghỉ bù, làm việc bù dùng để tính thời hạn")
        self.rules_button = QPushButton("Thời hạn l&uật định…")
        self.rules_button.setToolTip("Các quy tắc thời hạn với căn cứ pháp lý; cơ quan điều chỉnh điểm cần xác nhận")
        self.summary = QLabel()
        self.summary.setObjectName("summary")

        bar = QHBoxLayout()
        as_of_label = QLabel("Tính đến &ngày:")
        as_of_label.setBuddy(self.as_of)
        bar.addWidget(as_of_label)
        bar.addWidget(self.as_of)
        bar.addWidget(self.today_button)
        bar.addSpacing(12)
        group_label = QLabel("Nhóm &theo:")
        group_label.setBuddy(self.grouping)
        bar.addWidget(group_label)
        bar.addWidget(self.grouping)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.rules_button)
        bar.addWidget(self.calendar_button)
        self.brief_button = self._brief_button()
        if self.brief_button is not None:
            bar.addWidget(self.brief_button)

        self.tabs = QTabWidget()
        self.overdue = GroupTree()
        self.today = GroupTree()
        self.soon = GroupTree()
        self.waiting = GroupTree()
        self.enforcement = GroupTree()
        for tree in (self.overdue, self.today, self.soon, self.waiting, self.enforcement):
            self.tabs.addTab(tree, "")
            tree.activated.connect(self._open)
            tree.selectionModel().currentChanged.connect(self._show_detail)

        self.detail = QTextBrowser()
        self.detail.setObjectName("detail")
        self.detail.setPlaceholderText("Chọn một việc để xem cách tính thời hạn.")
        # A leader's conclusion closes when the assigned body reports: recorded from here.
        self.report_button = QPushButton("Ghi nhận cơ quan đã báo cáo kết quả…")
        self.report_button.setToolTip("Kết luận tiếp công dân đang chọn: cơ quan được giao đã báo cáo kết quả")
        self.report_button.setEnabled(False)
        self.report_button.clicked.connect(self.record_report)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail, 1)
        lower_layout.addWidget(self.report_button, 0, Qt.AlignmentFlag.AlignRight)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tabs)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([420, 260])

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

        self.tabs.currentChanged.connect(self._tab_changed)
        self.refresh_button.clicked.connect(self.refresh)
        self.calendar_button.clicked.connect(self.edit_calendar)
        self.rules_button.clicked.connect(self.show_rules)
        self.today_button.clicked.connect(lambda: self.set_as_of(local_today()))
        self.as_of.dateChanged.connect(lambda _d: self.refresh())
        self.grouping.currentIndexChanged.connect(lambda _i: self._show())
        self.refresh()

    # ---- data ---------------------------------------------------------------------------------
    def as_of_date(self) -> dt.date:
        return _to_date(self.as_of.date())

    def set_as_of(self, day: dt.date) -> None:
        self.as_of.setDate(QDate(day.year, day.month, day.day))  # refreshes through dateChanged

    def refresh(self) -> None:
        try:
            with self.ctx.db.transaction() as session:  # may seed a calendar year: a write
                self.board = followup.board(session, self.ctx.actor, self.as_of_date())
                today_count = followup.overdue_count(session)
        except AppError as exc:
            show_error(self, exc)
            return
        self._show()
        update_indicator(self.window(), today_count)
        self.refreshed.emit(self.board)

    def _show(self) -> None:
        board = self.board
        if board is None:
            return
        by = str(self.grouping.currentData())
        self.overdue.fill(followup.group(board.overdue, by))
        self.today.fill(followup.group(board.due_today, by))
        self.soon.fill(followup.group(board.due_soon, by))
        self.waiting.fill(followup.group(board.awaiting_answer, "agency"), start_label=None)
        self.enforcement.fill(followup.group(board.awaiting_enforcement, by), start_label="Ban hành ngày")
        titles = [
            f"Quá hạn ({len(board.overdue)})",
            f"Đến hạn hôm nay ({len(board.due_today)})",
            f"Trong {board.horizon_days} ngày tới ({len(board.due_soon)})",
            f"Chờ kết quả đơn đã chuyển ({len(board.awaiting_answer)})",
            f"Quyết định chờ thi hành ({len(board.awaiting_enforcement)})",
        ]
        for index, title in enumerate(titles):
            self.tabs.setTabText(index, title)
        self.tabs.tabBar().setTabTextColor(0, LATE if board.overdue else QColor())
        self.summary.setText(
            f"Tính đến ngày {board.as_of:%d/%m/%Y}: {len(board.overdue)} việc quá hạn, "
            f"{len(board.due_today)} việc đến hạn hôm nay, {len(board.due_soon)} việc đến hạn đến "
            f"{board.horizon_end:%d/%m/%Y}."
        )
        self.detail.clear()

    def edit_calendar(self) -> None:
        from app.ui.followup.calendar_dialog import edit_calendar

        if edit_calendar(self, self.ctx, self.as_of_date().year):
            self.refresh()  # due dates may have moved

    def show_rules(self) -> None:
        from app.ui.followup.rules_dialog import edit_rules

        edit_rules(self, self.ctx)

    # ---- details and opening ------------------------------------------------------------------
    def _show_detail(self, index: QModelIndex, _previous: QModelIndex | None = None) -> None:
        petition_id = index.data(PETITION_ID)
        conclusion_id = index.data(CONCLUSION_ID)
        self.report_button.setEnabled(conclusion_id is not None)
        if petition_id is None and conclusion_id is None:
            self.detail.clear()
            return
        cells = [index.sibling(index.row(), c).data() or "" for c in range(len(COLUMNS))]
        lines = [
            f"<b>{'Đơn ' if petition_id is not None else ''}{cells[0]}</b> — {cells[1]}",
            f"{cells[2]}",
            f"<b>{cells[3]}</b>: {cells[5]}" + (f" (hạn {cells[4]})" if cells[4] else ""),
            f"Cán bộ xử lý: {cells[6]}",
        ]
        deadline_id = index.data(DEADLINE_ID)
        if deadline_id is not None:
            try:
                with self.ctx.db.transaction() as session:
                    steps = clocks.explain(session, int(deadline_id)).steps
            except AppError as exc:
                steps = [exc.user_message]
            lines.append("<b>Cách tính thời hạn:</b><ul>" + "".join(f"<li>{s}</li>" for s in steps) + "</ul>")
        self.detail.setHtml("<br>".join(lines))

    def record_report(self) -> None:
        tree = self.tabs.currentWidget()
        index = tree.currentIndex() if isinstance(tree, GroupTree) else QModelIndex()
        conclusion_id = index.data(CONCLUSION_ID)
        if conclusion_id is None:
            return
        note, ok = QInputDialog.getText(
            self, "Ghi nhận báo cáo kết quả", "Kết quả cơ quan được giao đã báo cáo (không bắt buộc):"
        )
        if not ok:
            return
        try:
            with self.ctx.db.transaction() as session:
                minutes.record_report(session, self.ctx.actor, int(conclusion_id), None, note or None)
        except AppError as exc:
            show_error(self, exc)
            return
        self.refresh()

    def _tab_changed(self, _index: int) -> None:
        tree = self.tabs.currentWidget()
        if isinstance(tree, GroupTree):
            self._show_detail(tree.currentIndex())

    def _open(self, index: QModelIndex) -> None:
        petition_id = index.data(PETITION_ID)
        if petition_id is None:
            return
        opener = petition_opener()
        if opener is None:
            self._show_detail(index)  # no petition screen: the details stay here
            self.detail.setFocus()
            return
        window = opener(self, self.ctx, int(petition_id))
        finished = getattr(window, "finished", None)
        if finished is not None:
            finished.connect(lambda *_: self.refresh())  # an action there may have met or moved a clock

    # ---- the morning brief --------------------------------------------------------------------
    def _brief_button(self) -> QPushButton | None:
        """ "In bản tin sáng" only when the printing service can render it; no button otherwise."""
        if morning_brief_renderer() is None:
            return None
        button = QPushButton("&In bản tin sáng")
        button.setToolTip("Bản tin sáng: việc quá hạn, đến hạn, chờ kết quả, chờ thi hành (PDF)")
        button.clicked.connect(self.print_brief)
        return button

    def print_brief(self) -> None:
        render = morning_brief_renderer()
        if render is None:
            return
        from app.ui.print_preview import show_preview  # Qt PDF modules load only when printing

        day = self.as_of_date()
        try:
            with self.ctx.db.transaction() as session:
                pdf = render(session, self.ctx.actor, day)
        except AppError as exc:
            show_error(self, exc)
            return
        show_preview(self, pdf, f"Bản tin sáng ngày {day:%d/%m/%Y}", f"ban-tin-sang-{day:%Y-%m-%d}.pdf")


def petition_opener() -> Callable[[QWidget, UiContext, int], Any] | None:
    """``app.ui.petitions.open_petition`` when the petitions screens provide it."""
    if importlib.util.find_spec("app.ui.petitions") is None:
        return None
    module = importlib.import_module("app.ui.petitions")
    opener = getattr(module, "open_petition", None)
    return opener if callable(opener) else None


def morning_brief_renderer() -> Callable[..., bytes] | None:
    """``app.services.printing.render_morning_brief(session, actor, as_of) -> bytes`` when it exists."""
    if importlib.util.find_spec("app.services.printing") is None:
        return None
    module = importlib.import_module("app.services.printing")
    render = getattr(module, "render_morning_brief", None)
    return render if callable(render) else None
