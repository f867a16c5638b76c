"""One petition on screen: header, classification, handling actions and the timeline; splitting."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import MatterKind, SenderKind
from app.services.casework import petitions
from app.services.casework.petitions import PetitionDetail, SavedPetition, SplitPart
from app.services.common import catalogues, vocab
from app.ui.attachments import AttachmentsPanel
from app.ui.context import UiContext
from app.ui.petitions.action_panel import ActionPanel
from app.ui.petitions.classify import ClassificationPanel
from app.ui.petitions.common import MessageLine, as_enum, fmt, show_field_errors, submit
from app.ui.petitions.timeline import TimelineView
from app.ui.printing_actions import print_document
from app.ui.widgets.choices import ChoiceCombo, field_combo
from app.ui.widgets.fields import Field, FieldMap, line_edit

SPLIT_KINDS = [(k, vocab.label(k)) for k in MatterKind if k != MatterKind.MIXED]


def header_text(d: PetitionDetail) -> str:
    flags = [
        text
        for on, text in (
            (d.is_anonymous, "nặc danh"),
            (d.is_pseudonymous, "mạo danh"),
            (d.sender_kind == SenderKind.CROWD, f"đông người ({d.head_count} người)"),
            (d.is_beyond_level, "vượt cấp"),
            (d.is_prolonged, "kéo dài"),
            (d.is_complicated, "phức tạp"),
            (d.over_forwarded, f"đã chuyển {d.forward_count} lần — quá số lần cho phép"),
        )
        if on
    ]
    lines = [
        f"Đơn số {d.number} — nhận ngày {fmt(d.received_on)} — {vocab.label(d.source)}",
        f"Người gửi: {d.sender}" + (f" — {d.person.address}" if d.person and d.person.address else ""),
        f"Loại: {d.kind_label}" + (f" — {d.field_name}" if d.field_name else "") + f" — Trạng thái: {d.status_label}",
    ]
    if d.source_agency:
        lines.append(
            f"Cơ quan chuyển đến: {d.source_agency}, văn bản số {d.incoming_doc_number or '…'} "
            f"ngày {fmt(d.incoming_doc_date)}"
        )
    if d.respondent_name:
        lines.append(f"Người bị khiếu nại, tố cáo: {d.respondent_name}")
    if d.handling_agency:
        lines.append(f"Cơ quan đang giữ đơn: {d.handling_agency}")
    if d.parent_number:
        lines.append(f"Tách từ đơn số {d.parent_number}")
    if d.children:
        lines.append(
            "Đã tách thành: " + ", ".join(f"đơn số {c.number} ({vocab.label(c.kind).lower()})" for c in d.children)
        )
    if flags:
        lines.append("Đánh dấu: " + ", ".join(flags))
    lines.append(f"Nội dung: {d.summary}")
    return "\n".join(lines)


class PetitionDetailWidget(QWidget):
    changed = Signal()

    def __init__(self, ctx: UiContext, petition_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.petition_id = petition_id
        self.detail: PetitionDetail | None = None
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setStyleSheet("QLabel { background: #f3f5f8; padding: 6px; }")
        self.split_button = QPushButton("Tách đơn…")
        self.split_button.clicked.connect(self.open_split)
        self.minutes_button = QPushButton("Kết luận tiếp công dân…")
        self.minutes_button.setToolTip("Lập biên bản / thông báo kết luận của lãnh đạo tại buổi tiếp công dân")
        self.minutes_button.clicked.connect(self.open_minutes)
        self.classification = ClassificationPanel(ctx)
        self.action_panel = ActionPanel(ctx)
        self.timeline = TimelineView()
        self.timeline.document_requested.connect(lambda document_id: print_document(self, self.ctx, document_id))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.classification, "Phân loại")
        self.tabs.addTab(self.action_panel, "Xử lý")
        self.tabs.addTab(self.timeline, "Diễn biến")
        self.attachments = AttachmentsPanel(ctx, petition_id=petition_id)
        self.tabs.addTab(self.attachments, "Tệp đính kèm")
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.split_button)
        top.addWidget(self.minutes_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.classification.saved.connect(self._changed)
        self.action_panel.done.connect(self._changed)
        self.reload()

    def _changed(self) -> None:
        self.reload()
        self.changed.emit()

    def reload(self) -> None:
        with self.ctx.db.session() as session:
            detail = petitions.detail(session, self.ctx.actor, self.petition_id)
            session.commit()  # a reveal of a denouncer is audited
        self.detail = detail
        self.header.setText(header_text(detail))
        self.split_button.setVisible(
            detail.kind == MatterKind.MIXED and detail.status in petitions.OPEN_FOR_CLASSIFICATION
        )
        self.minutes_button.setVisible(detail.visit_id is not None)
        self.classification.set_detail(detail)
        self.action_panel.set_detail(detail)
        self.timeline.set_detail(detail)

    def open_minutes(self) -> None:
        from app.ui.reception.minutes_dialog import open_for_petition  # the desk's dialog, loaded when used

        if open_for_petition(self, self.ctx, self.petition_id) is not None:
            self._changed()  # the document is on the timeline

    def open_split(self) -> None:
        dialog = SplitDialog(self.ctx, self.petition_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._changed()


class SplitDialog(QDialog):
    """One row per content: its kind, what it says and its field; each becomes a petition of its own."""

    def __init__(self, ctx: UiContext, petition_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.petition_id = petition_id
        self.setWindowTitle("Tách đơn có nhiều nội dung")
        with ctx.db.session() as session:
            self._fields = catalogues.fields(session)
        self.fields = FieldMap()
        self.rows: list[tuple[ChoiceCombo, QLineEdit, ChoiceCombo]] = []
        self.grid = QGridLayout()
        for col, title in enumerate(("Loại", "Nội dung", "Lĩnh vực")):
            self.grid.addWidget(QLabel(title), 0, col)
        self.message = MessageLine()
        add = QPushButton("Thêm nội dung")
        add.clicked.connect(self.add_row)
        buttons = QDialogButtonBox()
        buttons.addButton("Tách đơn", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.split)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("Mỗi nội dung trở thành một đơn riêng (số mới trong sổ), có hướng xử lý và thời hạn riêng.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(self.grid)
        layout.addWidget(add)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.add_row()
        self.add_row()
        self.resize(820, 260)

    def add_row(self) -> None:
        i = len(self.rows)
        kind = ChoiceCombo(SPLIT_KINDS)
        summary = line_edit("Nội dung của phần đơn này", 2000)
        field_code = field_combo(self._fields, "— lĩnh vực —")
        self.rows.append((kind, summary, field_code))
        self.grid.addWidget(self.fields.add(f"parts.{i}.kind", Field(kind)), i + 1, 0)
        self.grid.addWidget(self.fields.add(f"parts.{i}.summary", Field(summary)), i + 1, 1)
        self.grid.addWidget(self.fields.add(f"parts.{i}.field_code", Field(field_code)), i + 1, 2)
        self.grid.setColumnStretch(1, 1)
        kind.setFocus()

    def parts(self) -> list[SplitPart]:
        out = []
        for kind, summary, field_code in self.rows:
            text = summary.text()
            if text.strip() or field_code.value():
                out.append(
                    SplitPart(as_enum(MatterKind, kind.value()) or MatterKind.COMPLAINT, text, field_code.value())
                )
        return out

    def show_errors(self, fields: dict[str, str]) -> None:
        show_field_errors(self.fields, self.message, fields)

    def split(self) -> None:
        def work() -> list[SavedPetition]:
            with self.ctx.db.transaction() as session:
                return petitions.split(session, self.ctx.actor, self.petition_id, self.parts())

        saved = submit(self, self.message, work)
        if saved is None:
            return
        self.created = [s.number for s in saved]
        self.accept()


class PetitionDialog(QDialog):
    """A petition in a window of its own (from the list, the follow-up board, the desk)."""

    changed = Signal()

    def __init__(self, ctx: UiContext, petition_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body = PetitionDetailWidget(ctx, petition_id, self)
        assert self.body.detail is not None
        self.setWindowTitle(f"Đơn số {self.body.detail.number}")
        self.body.changed.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        self.resize(1000, 720)
