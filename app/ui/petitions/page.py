"""The "Đơn thư" section: the list of petitions, registering a new one, opening one."""

from __future__ import annotations

from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.ui.context import UiContext
from app.ui.petitions import open_petition
from app.ui.petitions.form import PetitionForm
from app.ui.petitions.table import PetitionList


class RegistrationDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, visit_id: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tiếp nhận đơn")
        self.form = PetitionForm(ctx, self, visit_id=visit_id)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.resize(1150, 720)


class PetitionsPage(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.list = PetitionList(ctx)
        self.list.open_requested.connect(self.open)
        new = QPushButton("Tiếp nhận đơn mới (Ctrl+N)")
        new.clicked.connect(self.register)
        QShortcut(QKeySequence("Ctrl+N"), self, self.register)
        title = QLabel("Đơn thư")
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        top = QHBoxLayout()
        top.addWidget(title)
        top.addStretch(1)
        top.addWidget(new)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.list, 1)
        self.windows: list[QWidget] = []

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        # Petitions are also registered at the desk and handled from the follow-up board: the list
        # reloads when the section is shown again.
        self.list.refresh()

    def register(self) -> RegistrationDialog:
        dialog = RegistrationDialog(self.ctx, self)
        dialog.form.saved.connect(lambda _id: self.list.refresh())
        dialog.show()
        self.windows.append(dialog)
        return dialog

    def open(self, petition_id: int) -> QWidget:
        window = open_petition(self, self.ctx, petition_id)
        changed = getattr(window, "changed", None)
        if changed is not None:
            changed.connect(self.list.refresh)
        self.windows.append(window)
        return window
