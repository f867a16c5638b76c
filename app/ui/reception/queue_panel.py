"""Hàng chờ on the reception desk: the day's numbered tickets, "Mời người tiếp theo", "Đã tiếp",
"Bỏ về", and the entrance window "Tiếp đón" where citizens are checked in and get their slip.

Calling the next citizen takes the first waiting ticket for this desk (never the same one as
another desk) and fills the visit form with the name, CCCD, phone, what they came about and how
many came; saving that visit marks the ticket served and links it to the visit, in the same
transaction. Other desks' check-ins and calls arrive through the live-desk topic ``queue``.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from app.models.mixins import now_local
from app.models.waiting_queue import TicketStatus
from app.services.reception import queue
from app.services.reception.queue import TicketView
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.widgets.fields import Field, FieldMap, line_edit

if TYPE_CHECKING:
    from app.ui.reception.page import ReceptionPage

TAB_TITLE = "Hàng chờ"
NEXT_SHORTCUT = "F6"
COLUMNS = ("Số", "Họ và tên", "Nội dung", "Số người", "Lấy số lúc", "Thời gian chờ", "Trạng thái", "Bàn")
LIVE_TOPICS = frozenset({queue.QUEUE_TOPIC, "queue_ticket"})


def _print_slip(parent: QWidget, ctx: UiContext, ticket_id: int) -> None:
    from app.services.printing import queue_ticket
    from app.ui.print_preview import show_preview

    try:
        with ctx.db.transaction() as session:
            pdf = queue_ticket.ticket_pdf(session, ctx.actor, ticket_id)
            ticket = queue.get_ticket(session, ticket_id)
    except Exception as exc:
        feedback.show_error(parent, exc)
        return
    name = f"so-thu-tu-{ticket.label}-{ticket.day:%d-%m-%Y}.pdf"
    show_preview(parent, pdf, f"Phiếu số thứ tự {ticket.label}", name)


class EntranceDialog(QDialog):
    """Tiếp đón: check a citizen in, print the slip, and stay open for the next one."""

    checked_in = Signal(int)  # the ticket's id

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Tiếp đón công dân — lấy số thứ tự")
        self.fields = FieldMap()
        self.full_name = line_edit("Họ và tên công dân hoặc người đại diện", 200)
        self.id_number = line_edit("12 chữ số (không bắt buộc)", 20)
        self.phone = line_edit("", 20)
        self.matter = line_edit("Vài chữ: việc công dân đến trình bày", queue.MATTER_MAX)
        self.people = QSpinBox()
        self.people.setRange(1, queue.CROWD_MAX)
        self.people.setSuffix(" người")
        self.print_slip = QCheckBox("In phiếu số thứ tự sau khi lấy số")
        self.print_slip.setChecked(True)
        self.last = QLabel()
        self.last.setWordWrap(True)
        form = QFormLayout()
        for key, text, editor in (
            ("full_name", "Họ và tên *", self.full_name),
            ("id_number", "Số CCCD", self.id_number),
            ("phone", "Điện thoại", self.phone),
            ("matter", "Việc cần trình bày *", self.matter),
            ("crowd_size", "Số người đến", self.people),
        ):
            form.addRow(text, self.fields.add(key, Field(editor)))
        form.addRow("", self.print_slip)
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("Lấy số (Ctrl+S)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok_button.setAutoDefault(False)
        self.ok_button.clicked.connect(self.check_in)
        self.buttons.rejected.connect(self.reject)
        self.matter.returnPressed.connect(self.check_in)
        QShortcut(QKeySequence.StandardKey.Save, self, self.check_in)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.last)
        layout.addWidget(self.buttons)
        self.resize(480, self.sizeHint().height())

    def show_errors(self, errors: dict[str, str]) -> None:
        orphans, first = self.fields.show_errors(errors)
        if orphans:  # else the line keeps saying which number was last given
            self.last.setText("\n".join(orphans.values()))
        if first is not None:
            first.setFocus()

    def entry(self) -> queue.CheckIn:
        return queue.CheckIn(
            full_name=self.full_name.text(),
            matter=self.matter.text(),
            phone=self.phone.text() or None,
            id_number=self.id_number.text() or None,
            crowd_size=self.people.value(),
        )

    def check_in(self) -> None:
        try:
            with self.ctx.db.transaction() as session:
                ticket = queue.check_in(session, self.ctx.actor, self.entry())
        except Exception as exc:
            feedback.show_error(self, exc)  # the typed entry stays, with the messages under it
            return
        self.fields.clear()
        for edit in (self.full_name, self.id_number, self.phone, self.matter):
            edit.clear()
        self.people.setValue(1)
        self.last.setText(f"Đã cấp số {ticket.label} cho {ticket.full_name}.")
        self.checked_in.emit(ticket.id)
        if self.print_slip.isChecked():
            _print_slip(self, self.ctx, ticket.id)
            self.activateWindow()  # back from the preview, ready for the next citizen
        self.full_name.setFocus(Qt.FocusReason.OtherFocusReason)


class QueuePanel(QWidget):
    """The day's queue beside the desk's lists; this desk calls, serves and closes its tickets."""

    live_topics = LIVE_TOPICS
    counted = Signal(int)  # how many are waiting, after each refresh

    def __init__(self, page: ReceptionPage) -> None:
        super().__init__()
        self.page = page
        self.ctx = page.ctx
        self.tickets: list[TicketView] = []
        self.current: TicketView | None = None  # the ticket this desk called and is receiving
        self.entrance: EntranceDialog | None = None
        self.desk = QLineEdit(self.ctx.actor.full_name)
        self.desk.setMaxLength(queue.DESK_MAX)
        self.desk.setPlaceholderText("Tên bàn tiếp, ví dụ “Bàn 2”")
        self.desk.setMaximumWidth(220)
        self.next_button = QPushButton(f"Mời người tiếp theo ({NEXT_SHORTCUT})")
        self.served_button = QPushButton("Đã tiếp")
        self.left_button = QPushButton("Bỏ về")
        self.entrance_button = QPushButton("Tiếp đón…")
        self.entrance_button.setToolTip("Cửa sổ tiếp đón: ghi công dân mới đến, cấp và in phiếu số thứ tự")
        self.reprint_button = QPushButton("In lại phiếu")
        self.serving = QLabel()
        self.serving.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Bàn:"))
        bar.addWidget(self.desk)
        for button in (self.next_button, self.served_button, self.left_button, self.reprint_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.entrance_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.serving)
        layout.addWidget(self.table, 1)

        for widget in (self.next_button, self.served_button, self.left_button, self.entrance_button):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.next_button.clicked.connect(self.call_next)
        self.served_button.clicked.connect(self.serve_selected)
        self.left_button.clicked.connect(self.leave_selected)
        self.entrance_button.clicked.connect(self.open_entrance)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._show_serving()

    # ---- reading -------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Read today's queue afresh (also called by the live desks when another desk changed it)."""
        selected = self.selected()
        try:
            with self.ctx.db.session() as session:
                self.tickets = queue.tickets_of_day(session)
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        if self.current is not None:
            self.current = next((t for t in self.tickets if t.id == self.current.id), None)
            if self.current is not None and self.current.status != TicketStatus.CALLED:
                self.current = None
        now = now_local()
        self.table.setRowCount(len(self.tickets))
        for row, ticket in enumerate(self.tickets):
            desk = ticket.desk or ""
            cells = (
                ticket.label,
                ticket.full_name,
                ticket.matter,
                str(ticket.crowd_size),
                f"{ticket.checked_in_at:%H:%M}",
                queue.waited_text(ticket.waited(now)),
                ticket.status_label,
                desk,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if ticket.status in (TicketStatus.SERVED, TicketStatus.LEFT):
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
            if selected is not None and ticket.id == selected.id:
                self.table.selectRow(row)
        self._show_serving()
        self._update_buttons()
        self.counted.emit(sum(1 for t in self.tickets if t.status == TicketStatus.WAITING))

    def selected(self) -> TicketView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].row()
        return self.tickets[row] if row < len(self.tickets) else None

    def row_of(self, ticket_id: int) -> dict[str, str]:
        """The row of a ticket as the clerk reads it (column title → text)."""
        row = next(i for i, t in enumerate(self.tickets) if t.id == ticket_id)
        items = [self.table.item(row, c) for c in range(len(COLUMNS))]
        return {title: item.text() if item is not None else "" for title, item in zip(COLUMNS, items, strict=True)}

    def _target(self) -> TicketView | None:
        return self.selected() or self.current

    def _show_serving(self) -> None:
        waiting = sum(1 for t in self.tickets if t.status == TicketStatus.WAITING)
        if self.current is None:
            self.serving.setText(f"Đang chờ: {waiting} người.")
        else:
            self.serving.setText(
                f"Đang tiếp số <b>{self.current.label}</b> — {escape(self.current.full_name)}. "
                f"Còn {waiting} người đang chờ."
            )

    def _update_buttons(self) -> None:
        target = self._target()
        open_ticket = target is not None and target.status in queue.OPEN
        self.served_button.setEnabled(open_ticket)
        self.left_button.setEnabled(open_ticket)
        self.reprint_button.setEnabled(self.selected() is not None)

    # ---- acting --------------------------------------------------------------------------------
    def call_next(self) -> None:
        form = self.page.form
        if form.is_dirty() and not feedback.confirm(
            self,
            "Lượt tiếp đang nhập chưa được lưu. Bỏ những gì đã nhập để mời người tiếp theo?",
            yes="Bỏ, mời người tiếp theo",
            no="Tiếp tục nhập",
        ):
            return
        try:
            with self.ctx.db.transaction() as session:
                ticket = queue.take_next(session, self.ctx.actor, self.desk.text())
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        if ticket is None:
            self.serving.setText("Không còn ai đang chờ.")
            return
        self.current = ticket
        form.reset(keep=True)
        form.fill_citizen(None, queue.visit_prefill(ticket), note=False)
        form.summary.setPlainText(ticket.matter)
        form.head_count.setValue(ticket.crowd_size)
        # A citizen who came before shows beside the form, with their earlier visits and open cases.
        self.page.returning.search(ticket.id_number or ticket.full_name)
        feedback.show_status(self, f"Mời số {ticket.label} — {ticket.full_name} đến {ticket.desk}")
        self.refresh()
        form.first_empty_required().setFocus(Qt.FocusReason.OtherFocusReason)

    def visit_saved(self, session: Session, visit_id: int) -> None:
        """Inside the desk's save: the citizen this desk called is served by the visit just saved."""
        if self.current is None:
            return
        current = queue.get_ticket(session, self.current.id)
        if current.status in queue.OPEN:
            queue.mark_served(session, self.ctx.actor, current.id, visit_id)
        QTimer.singleShot(0, self.refresh)  # after the commit: the ticket then shows "Đã tiếp"

    def serve_selected(self) -> None:
        self._close(self._target(), served=True)

    def leave_selected(self) -> None:
        self._close(self._target(), served=False)

    def _close(self, ticket: TicketView | None, *, served: bool) -> None:
        if ticket is None:
            return
        try:
            with self.ctx.db.transaction() as session:
                if served:
                    queue.mark_served(session, self.ctx.actor, ticket.id)
                else:
                    queue.mark_left(session, self.ctx.actor, ticket.id)
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        feedback.show_status(self, f"Số {ticket.label}: {'đã tiếp' if served else 'công dân đã bỏ về'}")
        leaving_desk = not served and self.current is not None and self.current.id == ticket.id
        self.refresh()
        if leaving_desk:
            self.page.new_visit()  # the form held this citizen: empty it (asking first if anything was typed)

    def reprint_selected(self) -> None:
        ticket = self.selected()
        if ticket is not None:
            _print_slip(self, self.ctx, ticket.id)

    def open_entrance(self) -> EntranceDialog:
        if self.entrance is None:
            self.entrance = EntranceDialog(self.ctx, self.window())
            self.entrance.checked_in.connect(lambda _id: self.refresh())
        self.entrance.show()
        self.entrance.raise_()
        self.entrance.activateWindow()
        self.entrance.full_name.setFocus(Qt.FocusReason.OtherFocusReason)
        return self.entrance


def install(page: ReceptionPage) -> QueuePanel:
    """The "Hàng chờ" tab beside the desk's lists (its title counts who is waiting), and F6."""
    panel = QueuePanel(page)
    index = page.tabs.addTab(panel, TAB_TITLE)

    def count(waiting: int) -> None:
        page.tabs.setTabText(index, f"{TAB_TITLE} ({waiting})" if waiting else TAB_TITLE)

    panel.counted.connect(count)
    QShortcut(
        QKeySequence(NEXT_SHORTCUT),
        page,
        panel.call_next,
        context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
    )
    panel.refresh()
    return panel
