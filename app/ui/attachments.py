"""The files a citizen handed in, attached to a petition or a visit: add, open, remove."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import AppError, ValidationError
from app.services.records import attachments
from app.services.records.attachments import AttachmentRow
from app.ui.context import UiContext
from app.ui.feedback import confirm
from app.ui.petitions.common import MessageLine

FILE_FILTER = "Bản quét, ảnh chụp (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"
ROLE_ID = Qt.ItemDataRole.UserRole


def describe(row: AttachmentRow) -> str:
    pages = f"{row.page_count} trang, " if row.media_type == "application/pdf" else ""
    secret = " — bảo mật" if row.encrypted else ""
    return f"{row.file_name} ({pages}{row.size_text}){secret}"


class AttachmentsPanel(QWidget):
    """ "Tệp đính kèm" of one petition (with its visit's files) or one visit."""

    changed = Signal()

    def __init__(
        self,
        ctx: UiContext,
        *,
        petition_id: int | None = None,
        visit_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.petition_id = petition_id
        self.visit_id = visit_id
        self.opened: list[Path] = []  # temp copies handed to the viewer, for the record of a session
        self.list = QListWidget()
        self.list.setAccessibleName("Tệp đính kèm")
        self.list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.list.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.add_button = QPushButton("Thêm tệp…")
        self.open_button = QPushButton("Mở")
        self.remove_button = QPushButton("Xóa")
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.message = MessageLine()
        buttons = QHBoxLayout()
        for button in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Tệp đính kèm (bản quét, ảnh chụp giấy tờ công dân nộp):"))
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.reload()

    def rows(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def reload(self) -> None:
        with self.ctx.db.session() as session:
            found = attachments.list_attachments(session, petition_id=self.petition_id, visit_id=self.visit_id)
        self.list.clear()
        for row in found:
            item = QListWidgetItem(describe(row))
            item.setData(ROLE_ID, row.id)
            self.list.addItem(item)
        if found:
            self.list.setCurrentRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.list.currentItem() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _selected_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(ROLE_ID)) if item is not None else None

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Chọn tệp đính kèm", "", FILE_FILTER)
        if names:
            self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path]) -> None:
        added: list[str] = []
        refused: list[str] = []
        for path in paths:
            try:
                with self.ctx.db.transaction() as session:
                    row = attachments.add_file(
                        session, self.ctx.actor, path, petition_id=self.petition_id, visit_id=self.visit_id
                    )
                added.append(row.file_name)
            except ValidationError as exc:
                refused.extend(exc.fields.values())
            except AppError as exc:
                refused.append(exc.user_message)
        self.reload()
        if refused:
            self.message.show_error(" ".join(refused))
        elif added:
            self.message.show_ok(f"Đã đính kèm: {', '.join(added)}.")
        if added:
            self.changed.emit()

    def open_selected(self) -> None:
        attachment_id = self._selected_id()
        if attachment_id is None:
            return
        try:
            with self.ctx.db.transaction() as session:
                row, data = attachments.open_attachment(session, self.ctx.actor, attachment_id)
        except AppError as exc:
            self.message.show_error(exc.user_message)
            return
        # A private folder per file: the viewer gets the original name, nobody else's copy is overwritten.
        target = Path(tempfile.mkdtemp(prefix="tiepdan-tep-")) / row.file_name
        target.write_bytes(data)
        self.opened.append(target)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        self.message.show_info(f"Đã mở “{row.file_name}”.")

    def remove_selected(self) -> None:
        attachment_id = self._selected_id()
        item = self.list.currentItem()
        if attachment_id is None or item is None:
            return
        if not confirm(self, f"Xóa tệp “{item.text()}” khỏi hồ sơ?", yes="Xóa"):
            return
        try:
            with self.ctx.db.transaction() as session:
                attachments.remove_attachment(session, self.ctx.actor, attachment_id)
        except AppError as exc:
            self.message.show_error(exc.user_message)
            return
        self.reload()
        self.message.show_ok("Đã xóa tệp khỏi hồ sơ.")
        self.changed.emit()
