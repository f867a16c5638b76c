"""Classifying a petition (Thông tư 05/2021): kind, field, eligibility, competence, instance, flags."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from app.models.enums import Competence, Instance, MatterKind, MatterState
from app.services.casework import eligibility, petitions
from app.services.casework.petitions import ClassificationInput, PetitionDetail
from app.services.common import catalogues, vocab
from app.services.common.errors import ValidationError
from app.ui.context import UiContext
from app.ui.petitions.common import MessageLine, as_enum, date_edit, qdate_value, show_field_errors, submit
from app.ui.widgets.choices import ChoiceCombo, field_combo
from app.ui.widgets.fields import Field, FieldMap, line_edit
from app.ui.widgets.keys import EnterAdvances


class ClassificationPanel(QWidget):
    saved = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.petition_id: int | None = None
        with ctx.db.session() as session:
            fields = catalogues.fields(session)
        self.kind = ChoiceCombo(vocab.choices(MatterKind))
        self.field_code = field_combo(fields, "— chọn lĩnh vực —")
        self.eligible = ChoiceCombo([(True, "Đủ điều kiện xử lý"), (False, "Không đủ điều kiện xử lý")])
        self.reason = ChoiceCombo([], blank="— lý do —")
        self.reason_note = line_edit("Ghi rõ khi chọn lý do khác", 300)
        self.competence = ChoiceCombo(vocab.choices(Competence), blank="Chưa xác định")
        self.instance = ChoiceCombo(vocab.choices(Instance), blank="—")
        self.matter_state = ChoiceCombo(vocab.choices(MatterState), blank="Chưa xác định")
        self.duplicate = line_edit("Số đơn, ví dụ 12/2026", 20)
        self.on = date_edit()
        self.flags = {
            "is_beyond_level": QCheckBox("Vượt cấp"),
            "is_prolonged": QCheckBox("Kéo dài"),
            "is_complicated": QCheckBox("Phức tạp"),
            "is_remote_area": QCheckBox("Vùng sâu, vùng xa, đi lại khó khăn"),
            "is_anonymous": QCheckBox("Nặc danh"),
            "is_pseudonymous": QCheckBox("Mạo danh"),
        }
        self.save_button = QPushButton("Lưu phân loại (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        self.message = MessageLine()
        self.fields = FieldMap()
        form = QFormLayout()
        for key, title, widget in (
            ("kind", "Loại đơn *", self.kind),
            ("field_code", "Lĩnh vực", self.field_code),
            ("eligible", "Điều kiện xử lý", self.eligible),
            ("ineligible_reason", "Lý do không đủ điều kiện", self.reason),
            ("ineligible_note", "Ghi rõ lý do", self.reason_note),
            ("competence", "Thẩm quyền", self.competence),
            ("instance", "Khiếu nại lần", self.instance),
            ("matter_state", "Tình trạng vụ việc", self.matter_state),
            ("duplicate_of_id", "Trùng với đơn số", self.duplicate),
            ("on", "Ngày phân loại", self.on),
        ):
            form.addRow(title, self.fields.add(key, Field(widget)))
        grid = QGridLayout()
        for i, box in enumerate(self.flags.values()):
            grid.addWidget(box, i // 3, i % 3)
        form.addRow("Đánh dấu", grid)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self.setLayout(form)
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.eligible.currentIndexChanged.connect(lambda _i: self._eligible_changed())
        self._enter = EnterAdvances(self)
        self._enter.watch(self.kind, self.field_code, self.eligible, self.reason, self.reason_note, self.competence)
        self._enter.watch(self.instance, self.matter_state, self.duplicate, self.on)
        self._kind_changed()

    def _kind_changed(self) -> None:
        kind = as_enum(MatterKind, self.kind.value())
        current = self.reason.value()
        self.reason.set_items((r.code, r.label) for r in eligibility.reasons_for(kind))
        self.reason.set_value(current)
        self.instance.setEnabled(kind == MatterKind.COMPLAINT)
        if kind != MatterKind.COMPLAINT:
            self.instance.set_value(None)
        self._eligible_changed()

    def _eligible_changed(self) -> None:
        ineligible = self.eligible.value() is False
        self.reason.setEnabled(ineligible)
        self.reason_note.setEnabled(ineligible)

    def set_detail(self, detail: PetitionDetail) -> None:
        self.petition_id = detail.id
        self.fields.clear()
        self.message.clear()
        self.kind.set_value(detail.kind)
        self._kind_changed()
        self.field_code.set_value(detail.field_code)
        self.eligible.set_value(detail.eligible is not False)
        self.reason.set_value(detail.ineligible_reason)
        self.reason_note.setText(detail.ineligible_note or "")
        self.competence.set_value(detail.competence)
        self.instance.set_value(detail.instance)
        self.matter_state.set_value(detail.matter_state)
        self.duplicate.setText(detail.duplicate_of_number or "")
        for key, box in self.flags.items():
            box.setChecked(bool(getattr(detail, key)))
        self._eligible_changed()
        editable = detail.status in petitions.OPEN_FOR_CLASSIFICATION
        for widget in self.findChildren(QWidget):
            if widget is not self.message:
                widget.setEnabled(editable)
        if editable:
            self._kind_changed()
        else:
            self.message.show_info("Đơn đã có hướng xử lý: phân loại không sửa được nữa.")

    def show_errors(self, fields: dict[str, str]) -> None:
        show_field_errors(self.fields, self.message, fields)

    def read(self) -> ClassificationInput:
        duplicate_id: int | None = None
        text = self.duplicate.text().strip()
        if text:
            with self.ctx.db.session() as session:
                duplicate_id = petitions.find_by_number(session, text)
            if duplicate_id is None:
                raise ValidationError({"duplicate_of_id": f"Không có đơn số {text} trong sổ."})
        return ClassificationInput(
            kind=as_enum(MatterKind, self.kind.value()) or MatterKind.COMPLAINT,
            field_code=self.field_code.value(),
            eligible=self.eligible.value(),
            ineligible_reason=self.reason.value(),
            ineligible_note=self.reason_note.text(),
            competence=as_enum(Competence, self.competence.value()),
            instance=as_enum(Instance, self.instance.value()),
            matter_state=as_enum(MatterState, self.matter_state.value()),
            duplicate_of_id=duplicate_id,
            on=qdate_value(self.on),
            **{key: box.isChecked() for key, box in self.flags.items()},
        )

    def save(self) -> None:
        if self.petition_id is None or not self.save_button.isEnabled():
            return
        petition_id = self.petition_id
        self.fields.clear_errors()

        def work() -> tuple[str, ...]:
            data = self.read()
            with self.ctx.db.transaction() as session:
                return petitions.classify(session, self.ctx.actor, petition_id, data)

        warnings = submit(self, self.message, work)
        if warnings is None:
            return
        self.saved.emit()
        self.message.show_ok("Đã lưu phân loại. " + " ".join(warnings))


def title_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold;")
    return label
