"""Registering a petition: source, sender, respondent, content; with the citizens already known and
a panel of related cases.

Nothing typed is lost: a refused save keeps every field and puts the messages beside them.
The sender is looked up by name or CCCD as at the desk (the returning-citizen panel); a chosen
citizen's record is updated, never blanked: fields this form does not show stay as they were.
The related-cases panel never blocks: the clerk may link a candidate (same case) or dismiss it.
A petition handed in at a visit starts from that visit (``fill``).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import AgencyLevel, MatterKind, ParticipantRole, PetitionSource, SenderKind
from app.services.casework import cases, petitions
from app.services.casework.cases import CaseCandidate, MatterDraft
from app.services.casework.petitions import PartyInput, PetitionInput, SavedPetition
from app.services.common import legal_refs, vocab
from app.services.common.errors import AppError, ValidationError
from app.services.common.text import fold
from app.services.reception import citizens
from app.services.reception.citizens import CitizenInput
from app.services.reception.identity import strip_separators
from app.ui import same_person
from app.ui.context import UiContext
from app.ui.petitions.common import (
    AddressPickers,
    MessageLine,
    agency_choices,
    as_enum,
    date_edit,
    qdate_value,
    set_qdate,
)
from app.ui.reception.form import FormSetup
from app.ui.reception.returning import ReturningPanel
from app.ui.widgets import form_state
from app.ui.widgets.choices import ChoiceCombo, SearchCombo, field_combo
from app.ui.widgets.fields import Field, FieldMap, line_edit
from app.ui.widgets.keys import EnterAdvances
from app.ui.widgets.scan_catcher import ScanCatcher, read_scan
from app.ui.widgets.tasks import TaskRunner

RELATED_DEBOUNCE_MS = 500


class RelatedPanel(QWidget):
    """Likely duplicates / related cases for what is typed so far: link or dismiss, never required."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.linked: CaseCandidate | None = None
        self.dismissed: set[str] = set()
        self.candidates: list[CaseCandidate] = []
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.status = QLabel("Chưa có gợi ý.")
        self.status.setWordWrap(True)
        link = QPushButton("Cùng vụ việc")
        link.clicked.connect(self.link_current)
        dismiss = QPushButton("Không liên quan")
        dismiss.clicked.connect(self.dismiss_current)
        buttons = QHBoxLayout()
        buttons.addWidget(link)
        buttons.addWidget(dismiss)
        layout = QVBoxLayout(self)
        title = QLabel("Vụ việc có thể liên quan")
        title.setStyleSheet("font-weight: bold;")
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self._runner = TaskRunner(self)

    def lookup(self, draft: MatterDraft) -> None:
        actor = self.ctx.actor

        def job() -> list[CaseCandidate]:
            with self.ctx.db.session() as session:
                return cases.related(session, actor, draft)

        self._runner.submit(job, self._show)

    def _show(self, found: list[CaseCandidate]) -> None:
        self.candidates = [c for c in found if c.key not in self.dismissed]
        self.list.clear()
        for c in self.candidates:
            mark = "✔ " if self.linked and self.linked.key == c.key else ""
            item = QListWidgetItem(
                f"{mark}{c.number} — {c.received_on:%d/%m/%Y} — {c.reason_label}\n{c.person}: {c.summary[:160]}"
            )
            item.setData(Qt.ItemDataRole.UserRole, c.key)
            self.list.addItem(item)
        if self.linked:
            self.status.setText(f"Sẽ ghép vào cùng vụ việc với {self.linked.number}.")
        else:
            self.status.setText(
                f"{len(self.candidates)} gợi ý." if self.candidates else "Không thấy vụ việc liên quan."
            )

    def _current(self) -> CaseCandidate | None:
        item = self.list.currentItem()
        if item is None:
            return None
        key = item.data(Qt.ItemDataRole.UserRole)
        return next((c for c in self.candidates if c.key == key), None)

    def link_current(self) -> None:
        self.linked = self._current()
        self._show(self.candidates)

    def dismiss_current(self) -> None:
        current = self._current()
        if current is not None:
            self.dismissed.add(current.key)
            if self.linked and self.linked.key == current.key:
                self.linked = None
            self._show(self.candidates)

    def reset(self) -> None:
        self.linked = None
        self.dismissed.clear()
        self._show([])


class PetitionForm(QWidget):
    """The registration form (new petitions); ``saved`` carries the new petition id."""

    saved = Signal(int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, visit_id: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.visit_id = visit_id
        self.citizen_id: int | None = None  # the known citizen this petition's sender is
        self._chosen_name = ""
        bodies = agency_choices(ctx)
        self.setup = FormSetup.load(ctx)
        self.fields = FieldMap()
        # Source
        self.source = ChoiceCombo(vocab.choices(PetitionSource))
        self.received_on = date_edit()
        self.source_agency = SearchCombo()
        self.source_agency.set_items(bodies)
        self.incoming_number = line_edit("Số văn bản, ví dụ 125/BTCDTW-PC", 80)
        self.incoming_date = date_edit()
        # Sender
        self.sender_kind = ChoiceCombo(vocab.choices(SenderKind))
        self.anonymous = QCheckBox("Đơn nặc danh")
        self.pseudonymous = QCheckBox("Đơn mạo danh")
        self.name = line_edit("Gõ họ tên để tìm người đã đến", 200)
        self.citizen_note = QLabel()
        self.citizen_note.setWordWrap(True)
        self.citizen_note.setStyleSheet("color: #1f5f8b;")
        self.citizen_note.hide()
        self.id_number = line_edit("12 chữ số (CMND cũ: 9); không bắt buộc", 20)
        self.phone = line_edit("Số điện thoại", 20)
        self.address_pickers = AddressPickers(ctx, self.setup.provinces)
        self.province = self.address_pickers.province
        self.commune = self.address_pickers.commune
        self.address = line_edit("Số nhà, đường, thôn, tổ dân phố…", 300)
        self.organisation = line_edit("Tên cơ quan, tổ chức gửi đơn", 300)
        self.head_count = QSpinBox()
        self.head_count.setRange(1, 100_000)
        self.signers = QPlainTextEdit()
        self.signers.setTabChangesFocus(True)
        self.signers.setPlaceholderText(
            "Mỗi dòng một người: Họ tên; CCCD (nếu có). Dòng bắt đầu bằng * là người đại diện."
        )
        self.signers.setFixedHeight(70)
        # Respondent and content
        self.respondent = line_edit("Người, cơ quan bị khiếu nại, tố cáo", 300)
        self.respondent_level = ChoiceCombo(vocab.choices(AgencyLevel), blank="— cấp —")
        self.respondent_agency = SearchCombo()
        self.respondent_agency.set_items(bodies)
        self.kind = ChoiceCombo(vocab.choices(MatterKind))
        self.field_code = field_combo(self.setup.fields, "— lĩnh vực —")
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText("Tóm tắt nội dung đơn")
        self.summary.setFixedHeight(80)
        self.documents = line_edit("Tài liệu kèm theo, cách nhau bằng dấu ;", 1000)
        self.save_button = QPushButton("Lưu đơn (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)
        self.message = MessageLine()
        self.related = RelatedPanel(ctx)
        self.returning = ReturningPanel(ctx)

        form = QFormLayout()
        self._form = form

        def row(key: str, title: str, widget: QWidget) -> Field:
            field = self.fields.add(key, Field(widget))
            form.addRow(title, field)
            return field

        row("source", "Nguồn đơn *", self.source)
        row("received_on", "Ngày nhận *", self.received_on)
        self._forwarded_rows: list[QWidget] = [
            row("source_agency_id", "Cơ quan chuyển đến *", self.source_agency),
            row("incoming_doc_number", "Số văn bản chuyển *", self.incoming_number),
            row("incoming_doc_date", "Ngày văn bản *", self.incoming_date),
        ]
        flags = QHBoxLayout()
        flags.addWidget(self.sender_kind)
        flags.addWidget(self.anonymous)
        flags.addWidget(self.pseudonymous)
        flags.addStretch(1)
        flags_box = QWidget()
        flags_box.setLayout(flags)
        flags.setContentsMargins(0, 0, 0, 0)
        self.fields.add("sender_kind", Field(flags_box))
        form.addRow("Người gửi", flags_box)
        name_row = row("citizen.full_name", "Họ và tên *", self.name)
        form.addRow("", self.citizen_note)
        self._person_rows: list[QWidget] = [
            name_row,
            row("citizen.id_number", "CCCD/CMND", self.id_number),
            row("citizen.phone", "Điện thoại", self.phone),
            self._unit_row(),
            row("citizen.address_detail", "Địa chỉ cụ thể", self.address),
        ]
        self._org_rows = [row("organisation_name", "Cơ quan, tổ chức *", self.organisation)]
        self._crowd_rows = [
            row("head_count", "Số người đứng tên *", self.head_count),
            row("parties", "Người đứng tên, đại diện *", self.signers),
        ]
        row("respondent_name", "Bị khiếu nại, tố cáo", self.respondent)
        row("respondent_level", "Cấp của người bị KN, TC", self.respondent_level)
        row("respondent_agency_id", "Cơ quan bị KN, TC (nếu có)", self.respondent_agency)
        row("kind", "Loại đơn *", self.kind)
        row("field_code", "Lĩnh vực", self.field_code)
        row("summary", "Nội dung *", self.summary)
        row("documents_received", "Tài liệu kèm theo", self.documents)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.save_button)
        form.addRow(bottom)

        left = QGroupBox("Tiếp nhận đơn")
        column = QVBoxLayout(left)
        column.addLayout(form)
        column.addStretch(1)  # spare height below the form, not between its rows
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.returning)
        side.addWidget(self.related)
        side.setChildrenCollapsible(False)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        self._enter = EnterAdvances(self)
        self._enter.watch(
            self.source,
            self.received_on,
            self.source_agency,
            self.incoming_number,
            self.incoming_date,
            self.sender_kind,
            self.name,
            self.id_number,
            self.phone,
            self.province,
            self.commune,
            self.address,
            self.organisation,
            self.head_count,
            self.respondent,
            self.respondent_level,
            self.respondent_agency,
            self.kind,
            self.field_code,
            self.summary,
            self.documents,
        )
        self._scans = ScanCatcher(self, self.apply_scan)  # after EnterAdvances: it sees Enter first
        self._related_timer = QTimer(self)
        self._related_timer.setSingleShot(True)
        self._related_timer.setInterval(RELATED_DEBOUNCE_MS)
        self._related_timer.timeout.connect(self._lookup_related)
        self.summary.textChanged.connect(self._related_timer.start)
        self.respondent.textChanged.connect(lambda _t: self._related_timer.start())
        self.source.currentIndexChanged.connect(lambda _i: self._layout_changed())
        self.sender_kind.currentIndexChanged.connect(lambda _i: self._layout_changed())
        self.anonymous.toggled.connect(lambda _b: self._layout_changed())
        self.name.textEdited.connect(self._name_edited)
        self.id_number.textEdited.connect(lambda _t: self._emit_query())
        self.returning.chosen.connect(self.use_citizen)
        for key in self.fields.order:
            self._clear_on_edit(key)
        # From the desk the petition was handed in; in the Đơn thư section most arrive by post.
        self.source.set_value(PetitionSource.DESK if visit_id is not None else PetitionSource.POST)
        self.address_pickers.set_value(self.setup.office_province, None)
        self._layout_changed()
        self._inputs: dict[str, QWidget] = {
            "source": self.source,
            "received_on": self.received_on,
            "source_agency": self.source_agency,
            "incoming_number": self.incoming_number,
            "incoming_date": self.incoming_date,
            "sender_kind": self.sender_kind,
            "anonymous": self.anonymous,
            "pseudonymous": self.pseudonymous,
            "name": self.name,
            "id_number": self.id_number,
            "phone": self.phone,
            "province": self.province,
            "commune": self.commune,
            "address": self.address,
            "organisation": self.organisation,
            "head_count": self.head_count,
            "signers": self.signers,
            "respondent": self.respondent,
            "respondent_level": self.respondent_level,
            "respondent_agency": self.respondent_agency,
            "kind": self.kind,
            "field_code": self.field_code,
            "summary": self.summary,
            "documents": self.documents,
        }
        self._pristine = form_state.capture(self._inputs)

    # ---- unsaved work -------------------------------------------------------------------------
    def is_dirty(self) -> bool:
        """Whether anything was typed since the form opened, was filled from a visit, or was saved."""
        return form_state.differs(self._inputs, self._pristine)

    def draft_state(self) -> form_state.State:
        return {"inputs": form_state.capture(self._inputs), "citizen_id": self.citizen_id, "visit_id": self.visit_id}

    def restore_draft(self, state: form_state.State) -> None:
        inputs = state.get("inputs")
        if isinstance(inputs, dict):
            form_state.restore(self._inputs, inputs)
        for key in ("citizen_id", "visit_id"):
            value = state.get(key)
            setattr(self, key, value if isinstance(value, int) else None)
        if self.citizen_id is not None:
            self._chosen_name = self.name.text()
        self._layout_changed()

    def _unit_row(self) -> QWidget:
        """Province and commune side by side: one row of the form, each with its own message."""
        box = QWidget()
        line = QHBoxLayout(box)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.fields.add("citizen.province_code", Field(self.province)), 1)
        line.addWidget(self.fields.add("citizen.commune_code", Field(self.commune)), 1)
        self._form.addRow("Tỉnh, TP / Xã, phường", box)
        return box

    # ---- the known citizen -------------------------------------------------------------------
    def _name_edited(self, text: str) -> None:
        # Another name typed over a chosen citizen is another person: their record is not touched.
        if self.citizen_id is not None and fold(text) != fold(self._chosen_name):
            self._forget_citizen()
        self._emit_query()

    def _emit_query(self) -> None:
        digits = strip_separators(self.id_number.text())
        self.returning.search(digits if len(digits) >= 9 else self.name.text())

    def _forget_citizen(self) -> None:
        self.citizen_id = None
        self._chosen_name = ""
        self.citizen_note.hide()

    def use_citizen(self, citizen_id: int) -> None:
        """The citizen chosen in the returning-citizen panel: their record fills the sender's fields."""
        try:
            with self.ctx.db.session() as session:
                person = citizens.citizen_input(session, citizen_id)
        except AppError as exc:
            self.message.show_error(exc.user_message)
            return
        self.fill_citizen(citizen_id, person)
        self.summary.setFocus(Qt.FocusReason.OtherFocusReason)

    def fill_citizen(self, citizen_id: int | None, person: CitizenInput) -> None:
        self.name.setText(person.full_name)
        self.id_number.setText(person.id_number or "")
        self.phone.setText(person.phone or "")
        self.address_pickers.set_value(person.province_code, person.commune_code)
        self.address.setText(person.address_detail or "")
        self.citizen_id = citizen_id
        self._chosen_name = person.full_name
        if citizen_id is not None:
            self.citizen_note.setText("Dùng hồ sơ công dân đã có; sửa họ tên sẽ tạo hồ sơ mới.")
            self.citizen_note.show()
        for key in ("citizen.full_name", "citizen.id_number"):
            field = self.fields.get(key)
            if field is not None:
                field.set_error(None)

    def apply_scan(self, text: str) -> None:
        """A CCCD card's QR text fills the sender and looks them up; a bad scan changes nothing."""
        scan, message = read_scan(self.ctx, text)
        if scan is None:
            self.message.show_error(message)
            return
        person = dataclasses.replace(
            scan.citizen,
            phone=self.phone.text().strip() or None,
            province_code=scan.citizen.province_code or self.province.value(),
        )
        self.fill_citizen(None, person)
        (self.message.show_info if scan.address.note else self.message.show_ok)(message)
        self._emit_query()

    def fill(self, data: PetitionInput, earlier: tuple[str, ...] = (), *, sender_hidden: bool = False) -> None:
        """Start from ``data`` (a petition handed in at a visit): every field as it will be saved.

        ``sender_hidden``: a denouncer this user may not see; left blank, the sender is the visit's person.
        """
        self.source.set_value(data.source)
        if data.received_on is not None:
            set_qdate(self.received_on, data.received_on)
        self.sender_kind.set_value(data.sender_kind)
        if data.citizen is not None:
            self.fill_citizen(data.citizen_id, data.citizen)
        self.head_count.setValue(data.head_count)
        self.signers.setPlainText(
            "\n".join(
                ("*" if p.role == ParticipantRole.REPRESENTATIVE else "")
                + p.citizen.full_name
                + (f"; {p.citizen.id_number}" if p.citizen.id_number else "")
                for p in data.parties
            )
        )
        self.kind.set_value(data.kind)
        self.field_code.set_value(data.field_code)
        self.summary.setPlainText(data.summary)
        self.documents.setText(data.documents_received or "")
        self.visit_id = data.visit_id
        if sender_hidden:
            self.citizen_note.setText(
                f"Danh tính người tố cáo được giữ bí mật ({legal_refs.DENOUNCER_SECRECY.text()}): "
                "để trống họ tên, đơn ghi người gửi là công dân của lượt tiếp."
            )
            self.citizen_note.show()
        self._layout_changed()
        self._pristine = form_state.capture(self._inputs)
        if earlier:
            self.message.show_info(f"Lượt tiếp này đã có đơn số {', '.join(earlier)}; chỉ lưu nếu đây là một đơn khác.")

    def _clear_on_edit(self, key: str) -> None:
        """A message goes away as soon as the clerk corrects its field."""
        field = self.fields.get(key)
        if field is None:
            return
        editor = field.editor
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _t: field.set_error(None))
        elif isinstance(editor, QPlainTextEdit):
            editor.textChanged.connect(lambda: field.set_error(None))

    def _layout_changed(self) -> None:
        forwarded = self.source.value() == PetitionSource.FORWARDED
        for row in self._forwarded_rows:
            self._form.setRowVisible(row, forwarded)
        kind = self.sender_kind.value()
        anonymous = self.anonymous.isChecked()
        for row in self._person_rows:
            self._form.setRowVisible(row, kind == SenderKind.INDIVIDUAL and not anonymous)
        for row in self._org_rows:
            self._form.setRowVisible(row, kind == SenderKind.ORGANISATION)
        for row in self._crowd_rows:
            self._form.setRowVisible(row, kind == SenderKind.CROWD)

    def _lookup_related(self) -> None:
        self.related.lookup(MatterDraft(summary=self.summary.toPlainText(), respondent_name=self.respondent.text()))

    def _parties(self) -> tuple[PartyInput, ...]:
        parties = []
        for raw in self.signers.toPlainText().splitlines():
            line = raw.strip()
            if not line:
                continue
            role = ParticipantRole.REPRESENTATIVE if line.startswith("*") else ParticipantRole.SIGNER
            name, _, number = line.lstrip("*").partition(";")
            parties.append(PartyInput(CitizenInput(full_name=name.strip(), id_number=number.strip() or None), role))
        return tuple(parties)

    def read(self) -> PetitionInput:
        kind = as_enum(SenderKind, self.sender_kind.value()) or SenderKind.INDIVIDUAL
        anonymous = self.anonymous.isChecked()
        source_agency = self.source_agency.value()
        respondent_agency = self.respondent_agency.value()
        person = None
        # From the desk with no name typed, the petition's sender is the visit's citizen.
        if kind == SenderKind.INDIVIDUAL and not anonymous and (self.name.text().strip() or self.visit_id is None):
            person = CitizenInput(
                full_name=self.name.text(),
                id_number=self.id_number.text() or None,
                phone=self.phone.text() or None,
                province_code=self.province.value(),
                commune_code=self.commune.value(),
                address_detail=self.address.text() or None,
            )
        errors: dict[str, str] = self.address_pickers.unknown("citizen") if person is not None else {}
        if self.source_agency.text_is_unknown():
            errors["source_agency_id"] = "Cơ quan đã nhập không có trong danh bạ; chọn trong danh sách."
        if self.respondent_agency.text_is_unknown():
            errors["respondent_agency_id"] = "Cơ quan đã nhập không có trong danh bạ; chọn trong danh sách."
        if errors:
            raise ValidationError(errors)
        forwarded = self.source.value() == PetitionSource.FORWARDED
        return PetitionInput(
            source=as_enum(PetitionSource, self.source.value()) or PetitionSource.POST,
            summary=self.summary.toPlainText(),
            kind=as_enum(MatterKind, self.kind.value()) or MatterKind.COMPLAINT,
            received_on=qdate_value(self.received_on),
            sender_kind=kind,
            citizen=person,
            citizen_id=self.citizen_id if person is not None else None,
            organisation_name=self.organisation.text() if kind == SenderKind.ORGANISATION else None,
            parties=self._parties() if kind == SenderKind.CROWD else (),
            head_count=self.head_count.value() if kind == SenderKind.CROWD else 1,
            is_anonymous=anonymous,
            is_pseudonymous=self.pseudonymous.isChecked(),
            respondent_name=self.respondent.text() or None,
            respondent_level=as_enum(AgencyLevel, self.respondent_level.value()),
            respondent_agency_id=int(respondent_agency) if respondent_agency else None,
            field_code=self.field_code.value(),
            visit_id=self.visit_id,
            source_agency_id=int(source_agency) if forwarded and source_agency else None,
            incoming_doc_number=self.incoming_number.text() if forwarded else None,
            incoming_doc_date=qdate_value(self.incoming_date) if forwarded else None,
            documents_received=self.documents.text() or None,
            case_id=self.related.linked.case_id if self.related.linked else None,
        )

    def show_errors(self, fields: dict[str, str]) -> None:
        orphans, first = self.fields.show_errors(fields)
        self.message.show_error(" ".join(orphans.values()) if orphans else "Kiểm tra các ô được đánh dấu đỏ.")
        if first is not None:
            first.setFocus()

    def save(self) -> None:
        for combo in (self.source_agency, self.respondent_agency):
            combo.commit_text()
        self.fields.clear_errors()
        try:
            saved = same_person.save_asking(self, self.name.text(), self._register, self.read())
        except ValidationError as exc:
            self.show_errors(exc.fields)
            return
        except AppError as exc:
            self.message.show_error(exc.user_message)
            return
        self.clear()
        warn = (" " + " ".join(saved.warnings)) if saved.warnings else ""
        self.message.show_ok(f"Đã tiếp nhận đơn số {saved.number}.{warn}")
        self.saved.emit(saved.id)

    def _register(self, data: PetitionInput) -> SavedPetition:
        with self.ctx.db.transaction() as session:
            saved = petitions.register_petition(session, self.ctx.actor, data)
            key = f"petition:{saved.id}"
            linked = self.related.linked
            if linked is not None and linked.case_id is None:
                cases.link(session, self.ctx.actor, key, linked.key)
            for other in self.related.dismissed:
                cases.dismiss(session, self.ctx.actor, saved.id, other)
        return saved

    def clear(self) -> None:
        self._forget_citizen()
        self.returning.clear()
        self.address_pickers.set_value(self.setup.office_province, None)
        for edit in (self.name, self.id_number, self.phone, self.address, self.organisation, self.incoming_number):
            edit.clear()
        for edit in (self.respondent, self.documents):
            edit.clear()
        self.summary.clear()
        self.signers.clear()
        self.anonymous.setChecked(False)
        self.pseudonymous.setChecked(False)
        self.source_agency.set_value(None)
        self.respondent_agency.set_value(None)
        self.fields.clear()
        self.related.reset()
        self._pristine = form_state.capture(self._inputs)
        self.source.setFocus()
