"""The reception desk page: form and returning-citizen panel on top, today's board and the list below."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services import citizens, visits
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.reception.dialog import VisitDialog
from app.ui.reception.form import FormSetup, VisitForm
from app.ui.reception.returning import ReturningPanel
from app.ui.reception.visit_table import TodayBoard, VisitList
from app.ui.widgets.fields import WARNING_COLOUR


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
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.save_button)
        form_layout.addLayout(buttons)
        form_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(form_area)

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

        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(top)
        main.addWidget(self.tabs)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 1)
        main.setSizes([450, 290])
        main.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.addWidget(main)
        # Set once all widgets share one window (Qt refuses a tab order across windows).
        QWidget.setTabOrder(self.form.documents, self.save_button)
        QWidget.setTabOrder(self.save_button, self.new_button)

        self.form.citizen_query.connect(self.returning.search)
        self.returning.chosen.connect(self.use_citizen)
        self.board.open_requested.connect(self.open_visit)
        self.list.open_requested.connect(self.open_visit)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence.StandardKey.Save, self, self.save, context=context)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_visit, context=context)
        QShortcut(QKeySequence(Qt.Key.Key_F3), self, self.returning.focus_list, context=context)
        self.board.refresh()
        self.setFocusProxy(self.form.first_input)

    # ---- actions ------------------------------------------------------------------------------
    def save(self) -> None:
        try:
            data = self.form.collect()
            with self.ctx.db.transaction() as session:
                saved = visits.register_visit(session, self.ctx.actor, data)
        except Exception as exc:
            feedback.show_error(self.form, exc)
            return
        message = f"Đã lưu lượt tiếp số {saved.id}"
        self._say(message, saved.warnings)
        feedback.show_status(self, message)
        self.form.reset(keep=True)
        self.returning.clear()
        self.board.refresh()
        self.list.refresh()
        self.form.first_input.setFocus(Qt.FocusReason.OtherFocusReason)

    def new_visit(self) -> None:
        self.form.reset(keep=True)
        self.returning.clear()
        self.status.clear()
        self.form.first_input.setFocus(Qt.FocusReason.OtherFocusReason)

    def use_citizen(self, citizen_id: int) -> None:
        try:
            with self.ctx.db.session() as session:
                person = citizens.citizen_input(session, citizen_id)
        except Exception as exc:
            feedback.show_error(self, exc)
            return
        self.form.fill_citizen(citizen_id, person)
        self.form.id_number.setFocus(Qt.FocusReason.OtherFocusReason)

    def open_visit(self, visit_id: int) -> None:
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

    def _say(self, message: str, warnings: tuple[str, ...]) -> None:
        if warnings:
            self.status.setText(message + ". Lưu ý: " + " ".join(warnings))
            self.status.setStyleSheet(f"color: {WARNING_COLOUR};")
        else:
            self.status.setText(message + ".")
            self.status.setStyleSheet("color: #1b5e20;")
