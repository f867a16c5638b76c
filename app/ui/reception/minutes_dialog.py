"""Kết luận tiếp công dân: after a leader's reception, the leader's conclusions for one citizen, the
body given the task and the date it reports by; numbered and printed as the "Thông báo kết luận"
or the "Biên bản tiếp công dân". Opened from the desk (button, context menu of a visit) and from a
petition's detail. The date opens a follow-up the board lists until the body reports.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models import LOCAL_TZ
from app.models.enums import DocumentType
from app.services import printing
from app.services.casework import minutes
from app.services.casework.minutes import ConclusionInput, SavedConclusion, VisitForMinutes
from app.services.common.clock import local_today
from app.services.common.errors import AppError, RuleViolation, ValidationError
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.petitions.common import MessageLine, agency_choices, date_edit, qdate_value, show_field_errors, submit
from app.ui.print_preview import show_preview
from app.ui.widgets.choices import ChoiceCombo, SearchCombo
from app.ui.widgets.fields import Field, FieldMap, line_edit

TITLE = "Kết luận tiếp công dân"
DOCUMENTS = [
    (DocumentType.RECEPTION_CONCLUSION, "Thông báo kết luận tiếp công dân"),
    (DocumentType.RECEPTION_MINUTES, "Biên bản tiếp công dân"),
]
# The default date the assigned body reports by: the leader usually gives a couple of weeks.
DEFAULT_DAYS = 15


class MinutesDialog(QDialog):
    saved = Signal(int)  # the conclusion's id

    def __init__(
        self, ctx: UiContext, visit: VisitForMinutes, parent: QWidget | None = None, *, default_due: dt.date
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.visit = visit
        self.setWindowTitle(f"{TITLE} — lượt tiếp số {visit.visit_id}")
        self.setModal(True)
        at = visit.received_at.astimezone(LOCAL_TZ)
        lines = [
            f"<b>{visit.citizen_name}</b> — {visit.reception_label}, {at:%H:%M} ngày {at:%d/%m/%Y}",
            f"Lãnh đạo chủ trì: <b>{visit.leader_name or 'chưa ghi'}</b>"
            + (f" — đơn số {visit.petition_number}" if visit.petition_number else ""),
            f"Nội dung: {visit.summary}",
        ]
        if visit.earlier:
            lines.append(
                "Đã lập: "
                + "; ".join(f"{r.symbol} (hạn {r.due_on:%d/%m/%Y}, {r.status_label.lower()})" for r in visit.earlier)
            )
        self.header = QLabel("<br>".join(lines))
        self.header.setWordWrap(True)
        self.document = ChoiceCombo(DOCUMENTS)
        self.document.set_value(DocumentType.RECEPTION_CONCLUSION)
        self.leader_title = line_edit("Chức vụ của lãnh đạo chủ trì, vd. Phó Chủ tịch UBND tỉnh", 120)
        self.conclusions = QPlainTextEdit()
        self.conclusions.setPlaceholderText("Ý kiến kết luận của lãnh đạo (mỗi ý một dòng)")
        self.conclusions.setTabChangesFocus(True)
        self.conclusions.setMinimumHeight(110)
        self.agency = SearchCombo()
        self.agency.set_items(agency_choices(ctx))
        self.due_on = date_edit(default_due)
        self.participants = line_edit("Thành phần khác tham dự, cách nhau bằng dấu “;” (không bắt buộc)", 500)
        self.message = MessageLine()
        self.fields = FieldMap()
        form = QFormLayout()
        for key, title, widget in (
            ("document", "Văn bản *", self.document),
            ("leader_title", "Chức vụ lãnh đạo", self.leader_title),
            ("conclusions", "Ý kiến kết luận *", self.conclusions),
            ("assigned_agency_id", "Cơ quan được giao *", self.agency),
            ("due_on", "Hạn báo cáo kết quả *", self.due_on),
            ("participants", "Thành phần khác", self.participants),
        ):
            form.addRow(title, self.fields.add(key, Field(widget)))
        self.save_button = QPushButton("Lập và in (Ctrl+Enter)")
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.close_button = QPushButton("Đóng")
        self.close_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.resize(720, 520)
        if not visit.is_leader_reception:
            self.message.show_error(
                "Lượt tiếp này không ghi lãnh đạo chủ trì: chỉ lập kết luận cho buổi lãnh đạo tiếp công dân "
                "(định kỳ, đột xuất). Sửa lượt tiếp trước."
            )
            self.save_button.setEnabled(False)
        self.conclusions.setFocus(Qt.FocusReason.OtherFocusReason)
        self.conclusion: SavedConclusion | None = None
        self.pdf: bytes | None = None

    def show_errors(self, fields: dict[str, str]) -> None:
        show_field_errors(self.fields, self.message, fields)

    def read(self) -> ConclusionInput:
        self.agency.commit_text()
        if self.agency.text_is_unknown():
            raise ValidationError(
                {"assigned_agency_id": "Cơ quan đã nhập không có trong danh bạ; chọn trong danh sách."}
            )
        agency = self.agency.value()
        value = self.document.value()
        return ConclusionInput(
            conclusions=self.conclusions.toPlainText(),
            assigned_agency_id=int(agency) if agency else None,
            due_on=qdate_value(self.due_on),
            document=DocumentType(str(value)) if value else DocumentType.RECEPTION_CONCLUSION,
            petition_id=self.visit.petition_id,
            leader_title=self.leader_title.text() or None,
            participants=self.participants.text() or None,
        )

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.fields.clear_errors()
        self.message.clear()

        def work() -> tuple[SavedConclusion, bytes]:
            data = self.read()
            with self.ctx.db.transaction() as session:
                saved = minutes.record_conclusion(session, self.ctx.actor, self.visit.visit_id, data)
                return saved, printing.render_document(session, self.ctx.actor, saved.document.id)

        done = submit(self, self.message, work)
        if done is None:
            return
        self.conclusion, self.pdf = done
        self.saved.emit(self.conclusion.id)
        self.accept()


def open_minutes(
    parent: QWidget, ctx: UiContext, visit_id: int, petition_id: int | None = None
) -> SavedConclusion | None:
    """Ask for the leader's conclusions, issue and print the document; the saved conclusion, or None."""
    try:
        with ctx.db.session() as session:
            visit = minutes.visit_for_minutes(session, ctx.actor, visit_id, petition_id)
    except AppError as exc:
        feedback.show_error(parent, exc)
        return None
    default_due = max(local_today(), visit.received_at.astimezone(LOCAL_TZ).date()) + dt.timedelta(days=DEFAULT_DAYS)
    dialog = MinutesDialog(ctx, visit, parent, default_due=default_due)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.conclusion is None or dialog.pdf is None:
        return None
    ref = dialog.conclusion.document
    name = dict(DOCUMENTS)[ref.doc_type]
    feedback.show_status(parent, f"Đã lập {name.lower()} số {ref.symbol}, hạn báo cáo đã vào bảng theo dõi.")
    show_preview(parent, dialog.pdf, f"{name} số {ref.symbol}", f"{_file_name(ref.doc_type, ref.symbol)}.pdf")
    return dialog.conclusion


def open_for_petition(parent: QWidget, ctx: UiContext, petition_id: int) -> SavedConclusion | None:
    """From a petition's detail: the conclusions belong to the visit it was handed in at."""
    with ctx.db.session() as session:
        visit_id = minutes.visit_of_petition(session, petition_id)
    if visit_id is None:
        feedback.show_error(
            parent,
            RuleViolation("Đơn này không tiếp nhận tại buổi tiếp công dân: không có lượt tiếp để lập kết luận."),
        )
        return None
    return open_minutes(parent, ctx, visit_id, petition_id)


def _file_name(doc_type: DocumentType, symbol: str) -> str:
    stem = "thong-bao-ket-luan" if doc_type == DocumentType.RECEPTION_CONCLUSION else "bien-ban-tiep-cong-dan"
    return f"{stem}-{symbol.replace('/', '-')}"
