"""The reception desk page: form and returning-citizen panel on top, today's board and the list below.

Printing sits beside the board's tabs (and in the lists' context menu): the receipt and the
appointment slip of the selected visit, and the register of a day or a period.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models import LOCAL_TZ
from app.models.enums import VisitOutcome
from app.services.reception import citizens, visits
from app.services.reception.visits import VisitRow
from app.services.records import drafts
from app.ui import feedback, same_person
from app.ui.context import UiContext
from app.ui.drafts import DraftKeeper, restored_message
from app.ui.reception import queue_panel, to_petition
from app.ui.reception.form import FormSetup, VisitForm
from app.ui.reception.returning import ReturningPanel
from app.ui.reception.visit_table import TodayBoard, VisitList, VisitTableView
from app.ui.widgets.fields import ERROR_COLOUR, WARNING_COLOUR


class ReceptionPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setup = FormSetup.load(ctx)
        self.form = VisitForm(ctx, self.setup)
        self.returning = ReturningPanel(ctx)
        self.board = TodayBoard(ctx)
        self.list = VisitList(ctx)

        self.save_button = QPushButton("Lưu lượt tiếp (Ctrl+S)")
        self.new_button = QPushButton("Lượt tiếp mới (Ctrl+N)")
        self.status = QLabel()
        self._form_notice = ""  # the form's last message on the status line (see ``_notice``)
        self.status.setWordWrap(True)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new_visit)
        for widget in (self.save_button, self.new_button):
            widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        # Enter through the last field lands on "Lưu"; Enter there saves.
        self.save_button.setAutoDefault(True)

        form_area = QWidget()
        form_layout = QVBoxLayout(form_area)
        form_layout.setContentsMargins(0, 0, 6, 0)
        form_layout.addWidget(self.form)
        self.form.action_row.addWidget(self.new_button)
        self.form.action_row.addWidget(self.save_button)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form_area)
        # The form narrows with the window instead of scrolling sideways: a horizontal bar would
        # also eat the height of the buttons' row.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(scroll)
        top.addWidget(self.returning)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 1)
        top.setSizes([900, 300])
        top.setChildrenCollapsible(False)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.board, "Hôm nay")
        self.tabs.addTab(self.list, "Tất cả lượt tiếp")
        self.tabs.setDocumentMode(True)
        self.tabs.setCornerWidget(self._print_bar(), Qt.Corner.TopRightCorner)
        self.petition_button = to_petition.install(self)
        self.minutes_button = self._minutes_button()
        self.queue = queue_panel.install(self)  # the shared waiting queue (hàng chờ)
        # After a save, the new visit is selected once the lists have reloaded: Ctrl+P prints its receipt.
        self._select_when_loaded: dict[VisitTableView, int] = {}

        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(top)
        # The message line sits above the lists, outside the form's scroll area: a long message
        # (a restored draft, warnings) wraps there instead of pushing the form into a scroll.
        lists = QWidget()
        lists_layout = QVBoxLayout(lists)
        lists_layout.setContentsMargins(0, 0, 0, 0)
        lists_layout.setSpacing(2)
        lists_layout.addWidget(self.status)
        lists_layout.addWidget(self.tabs, 1)
        main.addWidget(lists)
        main.setStretchFactor(0, 0)
        main.setStretchFactor(1, 1)
        # The form takes the height it needs and no more: every spare pixel shows more visits
        # (at 1366×768 the list showed 8 rows with a fixed split).
        main.setSizes([form_area.sizeHint().height() + 4, 10_000])
        main.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addWidget(main)
        # Set once all widgets share one window (Qt refuses a tab order across windows).
        QWidget.setTabOrder(self.form.documents, self.save_button)
        QWidget.setTabOrder(self.save_button, self.new_button)

        self.form.citizen_query.connect(self.returning.search)
        self.form.notify = self._notice
        self.returning.chosen.connect(self.use_citizen)
        self.board.open_requested.connect(self.open_visit)
        self.list.open_requested.connect(self.open_visit)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.Save, self, self.save, context=context)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_visit, context=context)
        QShortcut(QKeySequence(Qt.Key.Key_F3), self, self.returning.focus_list, context=context)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_receipt, context=context)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, self.print_log, context=context)
        for table in (self.board, self.list):
            view = table.view
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self._visit_menu(v, pos))
            view.selectionModel().selectionChanged.connect(self._update_print_buttons)
            table.model.modelReset.connect(self._update_print_buttons)
            table.model.loaded.connect(lambda _n, v=view: self._select_pending(v))
        self.tabs.currentChanged.connect(self._update_print_buttons)
        self._update_print_buttons()
        self.board.refresh()
        self.setFocusProxy(self.form.first_input)
        self._lists_stale = False
        self.drafts = DraftKeeper(ctx, drafts.VISIT_FORM, self._draft_state, self)
        self._offer_draft()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        # Visits also arrive from elsewhere (an import, its undo, a correction from a report's
        # list): when the desk is shown again its lists are read afresh.
        self._lists_stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._lists_stale:
            self._lists_stale = False
            self.board.refresh()
            self.list.refresh()

    # ---- unsaved work -------------------------------------------------------------------------
    def _draft_state(self) -> dict[str, object] | None:
        return self.form.draft_state() if self.form.is_dirty() else None

    def _offer_draft(self) -> None:
        """A visit half-typed when the program last stopped (a crash, a power cut) comes back."""
        found = self.drafts.pending()
        if found is None:
            return
        self.form.restore_draft(found.state)
        self.status.setText(restored_message("lượt tiếp", found))
        self.status.setStyleSheet(f"color: {WARNING_COLOUR};")

    def unsaved_work(self) -> str | None:
        """What closing the window would lose (the main window asks before it closes)."""
        if self.form.is_dirty():
            return "một lượt tiếp đang nhập dở, chưa lưu"
        if to_petition.open_registrations(self):  # a petition opened from a visit row
            return "một đơn đang nhập dở, chưa lưu"
        return None

    def discard_unsaved(self) -> None:
        """The user chose to leave without saving: the drafts are not offered back next time."""
        self.drafts.drop()
        for dialog in to_petition.open_registrations(self):
            dialog.discard()

    # ---- actions ------------------------------------------------------------------------------
    def save(self) -> None:
        try:
            saved = self._register(self.form.collect())
        except Exception as exc:
            # The line still saying "Đã lưu lượt tiếp số …" of the previous citizen would read as if
            # this one were saved too.
            self.status.clear()
            self.status.setStyleSheet("")
            # A conflict the clerk did not confirm is shown beside the CCCD, to be corrected.
            feedback.show_error(self.form, exc)
            return
        self._select_when_loaded = {self.board.view: saved.id, self.list.view: saved.id}
        message = f"Đã lưu lượt tiếp số {saved.id}"
        self._say(message, saved.warnings)
        feedback.show_status(self, message)
        self.form.reset(keep=True)
        self.drafts.drop()
        self.returning.clear()
        self.board.refresh()
        self.list.refresh()
        self.form.first_input.setFocus(Qt.FocusReason.OtherFocusReason)
        to_petition.offer_after_save(self, saved.id)

    def _register(self, data: visits.VisitInput) -> visits.SavedVisit:
        return same_person.save_asking(self.form, self.form.full_name.text(), self._store, data)

    def _store(self, data: visits.VisitInput) -> visits.SavedVisit:
        with self.ctx.db.transaction() as session:
            saved = visits.register_visit(session, self.ctx.actor, data)
            self.queue.visit_saved(session, saved.id)  # the called ticket is served by this visit
            return saved

    def new_visit(self) -> None:
        if self.form.is_dirty() and not self._may_discard():
            return
        self.form.reset(keep=True)
        self.drafts.drop()
        self.returning.clear()
        self.status.clear()
        self.form.first_input.setFocus(Qt.FocusReason.OtherFocusReason)

    def _may_discard(self) -> bool:
        answer = feedback.choose(
            self,
            "Lượt tiếp đang nhập chưa được lưu. Bỏ những gì đã nhập để nhập lượt mới?",
            ["Bỏ, nhập lượt mới"],
            cancel="Tiếp tục nhập",
        )
        return answer == 0

    def use_citizen(self, citizen_id: int) -> None:
        try:
            with self.ctx.db.session() as session:
                person = citizens.citizen_input(session, citizen_id)
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        self.form.fill_citizen(citizen_id, person)
        self.form.first_empty_required().setFocus(Qt.FocusReason.OtherFocusReason)

    def open_visit(self, visit_id: int) -> None:
        from app.ui.reception.dialog import VisitDialog  # loads on first use, not with the desk

        try:
            dialog = VisitDialog(self.ctx, visit_id, self.setup, self)
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._visit_changed)
        dialog.open()

    def _visit_changed(self, visit_id: int) -> None:
        self._say(f"Đã cập nhật lượt tiếp số {visit_id}", ())
        feedback.show_status(self, f"Đã cập nhật lượt tiếp số {visit_id}")
        self.board.refresh()
        self.list.refresh()

    # ---- printing -----------------------------------------------------------------------------
    def _print_bar(self) -> QWidget:
        bar = QWidget(self)
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 2)
        self.receipt_button = QPushButton("In giấy biên nhận (Ctrl+P)", bar)
        self.appointment_button = QPushButton("In phiếu hẹn", bar)
        self.log_button = QPushButton("In sổ tiếp công dân… (Ctrl+Shift+P)", bar)
        self.receipt_button.setToolTip("Giấy biên nhận tài liệu của lượt tiếp đang chọn")
        self.appointment_button.setToolTip("Phiếu hẹn của lượt tiếp đang chọn (kết quả “Hẹn làm việc lại”)")
        self.log_button.setToolTip("Sổ tiếp công dân của một ngày hoặc nhiều ngày")
        self.receipt_button.clicked.connect(self.print_receipt)
        self.appointment_button.clicked.connect(self.print_appointment)
        self.log_button.clicked.connect(lambda: self.print_log())
        for button in (self.receipt_button, self.appointment_button, self.log_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            row.addWidget(button)
        return bar

    def _minutes_button(self) -> QPushButton:
        """ "Kết luận…": the leader's conclusions for the selected visit (periodic or ad hoc reception)."""
        button = QPushButton("Kết luận tiếp công dân…")
        button.setToolTip("Biên bản / thông báo kết luận của lãnh đạo cho lượt tiếp đang chọn, với hạn báo cáo")
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(self.write_minutes)
        bar = self.tabs.cornerWidget(Qt.Corner.TopRightCorner)
        layout = bar.layout() if bar is not None else None
        if layout is not None:
            layout.addWidget(button)
        return button

    def write_minutes(self) -> None:
        row = self._selected_or_ask("biên bản, thông báo kết luận")
        if row is not None:
            self.open_minutes(row.id)

    def open_minutes(self, visit_id: int) -> None:
        from app.ui.reception.minutes_dialog import open_minutes  # loads on first use, not with the desk

        open_minutes(self, self.ctx, visit_id)

    def current_view(self) -> VisitTableView:
        return self.list.view if self.tabs.currentWidget() is self.list else self.board.view

    def selected_visit(self) -> VisitRow | None:
        view = self.current_view()
        rows = view.selectionModel().selectedRows()
        return view.visit_model().row_at(rows[0].row()) if rows else None

    def _update_print_buttons(self) -> None:
        row = self.selected_visit()
        self.receipt_button.setEnabled(row is not None)
        self.minutes_button.setEnabled(row is not None)
        self.appointment_button.setEnabled(row is not None and row.outcome == VisitOutcome.APPOINTMENT)

    def _select_pending(self, view: VisitTableView) -> None:
        visit_id = self._select_when_loaded.pop(view, None)
        row = view.visit_model().row_of(visit_id) if visit_id is not None else -1
        if row >= 0:
            view.selectRow(row)

    def _selected_or_ask(self, what: str) -> VisitRow | None:
        row = self.selected_visit()
        if row is None:
            self.status.setText(f"Chọn một lượt tiếp trong danh sách bên dưới để in {what}.")
            self.status.setStyleSheet("")
        return row

    # The printing code (forms, PDF, the preview) loads on the first print, not with the desk.
    def print_receipt(self) -> None:
        row = self._selected_or_ask("giấy biên nhận")
        if row is not None:
            self.print_receipt_of(row.id)

    def print_receipt_of(self, visit_id: int) -> None:
        from app.ui.printing_actions import print_visit_receipt

        print_visit_receipt(self, self.ctx, visit_id)

    def print_appointment(self) -> None:
        row = self._selected_or_ask("phiếu hẹn")
        if row is not None:
            self.print_appointment_of(row.id)

    def print_appointment_of(self, visit_id: int) -> None:
        from app.ui.reception.desk_printing import print_appointment

        print_appointment(self, self.ctx, visit_id)

    def print_log(self, day: dt.date | None = None) -> None:
        from app.ui.reception.desk_printing import print_log_for_period

        print_log_for_period(self, self.ctx, day)

    def _visit_menu(self, view: VisitTableView, pos: QPoint) -> None:
        index = view.indexAt(pos)
        row = view.visit_model().row_at(index.row()) if index.isValid() else None
        menu = QMenu(view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if row is not None:
            view.selectRow(index.row())
            menu.addAction("Mở lượt tiếp", lambda: self.open_visit(row.id))
            menu.addAction("Lập đơn từ lượt tiếp này…", lambda: to_petition.register_from_visit(self, self.ctx, row.id))
            menu.addAction("Kết luận tiếp công dân…", lambda: self.open_minutes(row.id))
            menu.addSeparator()
            menu.addAction("In giấy biên nhận", lambda: self.print_receipt_of(row.id))
            appointment = menu.addAction("In phiếu hẹn", lambda: self.print_appointment_of(row.id))
            appointment.setEnabled(row.outcome == VisitOutcome.APPOINTMENT)
            day = row.received_at.astimezone(LOCAL_TZ).date()
            menu.addAction(f"In sổ tiếp công dân ngày {day:%d/%m/%Y}…", lambda: self.print_log(day))
        else:
            menu.addAction("In sổ tiếp công dân…", lambda: self.print_log())
        menu.popup(view.viewport().mapToGlobal(pos))

    def _notice(self, message: str, error: bool) -> None:
        """A message of the form's own (a CCCD scan read or refused, the delegation ban) on the status line,
        always in view; an empty one withdraws the form's last message if the line still shows it."""
        if not message:
            if self.status.text() == self._form_notice:
                self.status.clear()
            return
        self._form_notice = message
        self.status.setText(message)
        self.status.setStyleSheet(f"color: {ERROR_COLOUR if error else WARNING_COLOUR};")

    def _say(self, message: str, warnings: tuple[str, ...]) -> None:
        if warnings:
            self.status.setText(message + ". Lưu ý: " + " ".join(warnings))
            self.status.setStyleSheet(f"color: {WARNING_COLOUR};")
        else:
            self.status.setText(message + ".")
            self.status.setStyleSheet("color: #1b5e20;")
