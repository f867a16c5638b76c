"""The visit form (lượt tiếp): what the clerk types while the citizen is at the desk.

The form only reads and shows values. Every rule (what is required, what a CCCD must look
like, crowd sizes) lives in ``app.services.reception.visits`` / ``citizens`` / ``identity``; the form
calls them and puts each message under its field.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Gender, IdKind, MatterKind, MatterState, ReceptionKind, VisitOutcome
from app.services.common import catalogues, settings, vocab
from app.services.common.clock import local_today
from app.services.common.errors import ValidationError
from app.services.common.text import fold
from app.services.deadlines import reception_days
from app.services.reception import identity, visits
from app.services.reception.citizens import CitizenInput
from app.services.reception.identity import strip_separators
from app.ui.context import UiContext
from app.ui.widgets import form_state
from app.ui.widgets.choices import ChoiceCombo, SearchCombo, field_groups, load_communes
from app.ui.widgets.dates import DateTimeEdit
from app.ui.widgets.fields import ERROR_COLOUR, WARNING_COLOUR, Field, FieldMap, line_edit
from app.ui.widgets.keys import EnterAdvances, skip_on_enter
from app.ui.widgets.scan_catcher import ScanCatcher, read_scan

REQUIRED = " *"
_PLACEHOLDER_KIND = MatterKind.COMPLAINT
_PLACEHOLDER_OUTCOME = VisitOutcome.OTHER


@dataclasses.dataclass(frozen=True)
class FormSetup:
    """What the form needs from the database once, when it is built."""

    provinces: list[catalogues.Choice]
    fields: list[catalogues.Choice]
    office_province: str | None
    crowd_min: int
    max_representatives: int

    @classmethod
    def load(cls, ctx: UiContext) -> FormSetup:
        with ctx.db.session() as session:
            return cls(
                provinces=catalogues.provinces(session),
                fields=catalogues.fields(session),
                office_province=str(settings.get(session, settings.OFFICE_PROVINCE) or "") or None,
                crowd_min=int(settings.get(session, settings.CROWD_MIN_PEOPLE)),
                max_representatives=int(settings.get(session, settings.CROWD_MAX_REPRESENTATIVES)),
            )


class VisitForm(QWidget):
    """Fields of one visit. ``collect()`` returns a checked ``VisitInput`` or raises ``ValidationError``."""

    citizen_query = Signal(str)  # the name or CCCD being typed: feeds the returning-citizen panel
    escape_unused = Signal()  # Esc pressed with no message to clear (a dialog closes on it)

    def __init__(self, ctx: UiContext, setup: FormSetup | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setup = setup or FormSetup.load(ctx)
        self.citizen_id: int | None = None
        # Where a scan's message goes (the desk's status line: the form's own line is out of view at
        # 1366×768); unset, it is shown under the form. Called with the text and whether it is an error.
        self.notify: Callable[[str, bool], None] | None = None
        self.delegation_warning: str | None = None  # the ban's warning while it applies to the form
        self._delegation_said: str | None = None
        self._chosen_name = ""
        self._communes_of: str | None = None
        self.fields = FieldMap()
        self._enter = EnterAdvances(self)
        self._build()
        self._wire()
        self.reset()
        self._scans = ScanCatcher(self, self.apply_scan)  # after EnterAdvances: it sees Enter first

    # ---- construction -----------------------------------------------------------------------
    def _field(self, key: str, editor: QWidget) -> Field:
        return self.fields.add(key, Field(editor))

    def _build(self) -> None:
        s = self.setup
        # Visit
        self.kind = ChoiceCombo(vocab.choices(ReceptionKind))
        self.received_at = DateTimeEdit()
        self.officer = line_edit("Họ tên cán bộ tiếp", 120)
        self.leader = line_edit("Bắt buộc khi tiếp định kỳ, đột xuất", 120)
        # Luật 136/2025/QH15: online reception is a form of reception; the head's periodic reception
        # held by a deputy is recorded (and warned about from the day the law forbids it).
        self.in_person = QRadioButton("Trực tiếp")
        self.online = QRadioButton("Trực tuyến")
        self._mode = QButtonGroup(self)
        self._mode.addButton(self.in_person)
        self._mode.addButton(self.online)
        self.delegated = QCheckBox("Ủy quyền cấp phó tiếp")
        self.delegated.setToolTip("Người đứng đầu ủy quyền cấp phó tiếp công dân định kỳ thay mình")
        # Citizen
        self.full_name = line_edit("Gõ họ tên để tìm người đã đến", 200)
        self.id_number = line_edit("12 chữ số (CMND cũ: 9)", 20)
        self.gender = ChoiceCombo(vocab.choices(Gender), blank="")
        self.birth_year = line_edit("vd. 1975", 4)
        self.birth_year.setValidator(QRegularExpressionValidator(r"\d{0,4}"))
        self.birth_year.setMaximumWidth(90)
        self.phone = line_edit("", 20)
        self.province = SearchCombo()
        self.province.set_items((p.code, p.name) for p in s.provinces)
        self.commune = SearchCombo()
        self.address = line_edit("Số nhà, đường, thôn, tổ dân phố…", 300)
        self.citizen_note = QLabel()
        self.citizen_note.setWordWrap(True)
        self.citizen_note.setStyleSheet("color: #1f5f8b;")
        self.citizen_note.hide()
        # Content
        self.head_count = QSpinBox()
        self.head_count.setRange(1, 10_000)
        self.head_count.setSuffix(" người")
        self.head_count.setMaximumWidth(120)
        self.is_crowd = QCheckBox("Đoàn đông người")
        self.representatives = QTableWidget(s.max_representatives, 2)
        self.representatives.setHorizontalHeaderLabels(["Người đại diện — họ và tên", "Số CCCD"])
        header = self.representatives.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 130)
        self.representatives.verticalHeader().setDefaultSectionSize(24)
        self.representatives.setFixedHeight(30 + 24 * min(s.max_representatives, 5))
        self.representatives.setTabKeyNavigation(False)
        self.summary = QPlainTextEdit()
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText("Tóm tắt nội dung công dân trình bày (Enter: xuống dòng; Ctrl+Enter: ô tiếp)")
        self.summary.setFixedHeight(74)
        self.matter_kind = ChoiceCombo(vocab.choices(MatterKind), blank="— chọn —")
        # A long two-level list: typed without tones ("boi thuong"), like the communes.
        self.field_code = SearchCombo()
        self.field_code.set_items((f.code, f.name) for f in s.fields)
        self.field_code.emphasise(field_groups(s.fields))
        field_line = self.field_code.lineEdit()
        assert field_line is not None
        field_line.setPlaceholderText("Gõ để tìm, không cần dấu (vd. dat dai)")
        self.matter_state = ChoiceCombo(vocab.choices(MatterState), blank="")
        self.resolved_by = line_edit("Nếu vụ việc đã được giải quyết trước đây", visits.RESOLVED_BY_MAX)
        # Outcome
        self.outcome = ChoiceCombo(vocab.choices(VisitOutcome), blank="— chọn —")
        self.outcome_note = line_edit("Nội dung đã giải thích, hướng dẫn, hẹn…", 1000)
        self.documents = line_edit("Đơn, giấy tờ, tài liệu công dân nộp", 1000)
        for combo in (self.field_code, self.matter_state, self.outcome):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(18)

        visit_box = QGroupBox("Lượt tiếp")
        form = _form(visit_box)
        form.addRow("Loại tiếp" + REQUIRED, self._field("reception_kind", self.kind))
        mode = QWidget()
        row = QHBoxLayout(mode)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.in_person)
        row.addSpacing(12)
        row.addWidget(self.online)
        row.addStretch(1)
        form.addRow("Hình thức", self._field("is_online", mode))
        form.addRow("Thời gian tiếp" + REQUIRED, self._field("received_at", self.received_at))
        form.addRow("Cán bộ tiếp", self._field("officer_name", self.officer))
        self.leader_label = QLabel("Lãnh đạo chủ trì")
        # The delegation box shares the leader's row (periodic reception only): at 1366×768 the
        # left column has no room for a row of its own.
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self._field("leader_name", self.leader), 1)
        row.addWidget(self._field("delegated", self.delegated))
        form.addRow(self.leader_label, row)

        citizen_box = QGroupBox("Công dân")
        form = _form(citizen_box)
        form.addRow("Họ và tên" + REQUIRED, self._field("citizen.full_name", self.full_name))
        form.addRow("", self.citizen_note)
        form.addRow("Số CCCD/CMND", self._field("citizen.id_number", self.id_number))
        row = QHBoxLayout()
        row.setSpacing(8)
        row.addWidget(self._field("citizen.gender", self.gender), 1)
        row.addWidget(QLabel("Năm sinh"))
        row.addWidget(self._field("citizen.birth_year", self.birth_year))
        form.addRow("Giới tính", row)
        form.addRow("Điện thoại", self._field("citizen.phone", self.phone))
        form.addRow("Tỉnh, thành phố", self._field("citizen.province_code", self.province))
        form.addRow("Xã, phường", self._field("citizen.commune_code", self.commune))
        form.addRow("Địa chỉ chi tiết", self._field("citizen.address_detail", self.address))

        content_box = QGroupBox("Nội dung")
        form = _form(content_box)
        row = QHBoxLayout()
        row.addWidget(self._field("head_count", self.head_count))
        row.addSpacing(12)
        row.addWidget(self.is_crowd)
        row.addStretch(1)
        form.addRow("Số người", row)
        self.representatives_label = QLabel("Người đại diện")
        self.representatives_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        form.addRow(self.representatives_label, self._field("representatives", self.representatives))
        form.addRow("Tóm tắt nội dung" + REQUIRED, self._field("summary", self.summary))
        form.addRow("Loại nội dung" + REQUIRED, self._field("matter_kind", self.matter_kind))
        form.addRow("Lĩnh vực", self._field("field_code", self.field_code))
        form.addRow("Tình trạng vụ việc", self._field("matter_state", self.matter_state))
        form.addRow("Cơ quan đã giải quyết", self._field("resolved_by", self.resolved_by))

        outcome_box = QGroupBox("Kết quả tiếp")
        form = _form(outcome_box)
        form.addRow("Kết quả" + REQUIRED, self._field("outcome", self.outcome))
        form.addRow("Ghi chú kết quả", self._field("outcome_note", self.outcome_note))
        form.addRow("Tài liệu nhận", self._field("documents_received", self.documents))

        self.general = QLabel()  # messages that belong to no single field
        self.general.setWordWrap(True)
        self.general.hide()

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        left = QVBoxLayout()
        left.addWidget(visit_box)
        left.addWidget(citizen_box)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(content_box)
        right.addWidget(outcome_box)
        # The page's buttons (new, save) sit under the outcome, beside the left column's last
        # box, instead of on a row of their own: that row is one more visit in the list below.
        self.action_row = QHBoxLayout()
        self.action_row.addStretch(1)
        right.addLayout(self.action_row)
        right.addStretch(1)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.addWidget(self.general, 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        chain: list[QWidget] = [
            self.kind,
            self.in_person,
            self.online,
            self.received_at,
            self.officer,
            self.leader,
            self.delegated,
            self.full_name,
            self.id_number,
            self.gender,
            self.birth_year,
            self.phone,
            self.province,
            self.commune,
            self.address,
            self.head_count,
            self.is_crowd,
            self.representatives,
            self.summary,
            self.matter_kind,
            self.field_code,
            self.matter_state,
            self.resolved_by,
            self.outcome,
            self.outcome_note,
            self.documents,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._enter.watch(*chain)
        skip_on_enter(self.resolved_by)  # rarely known: Tab or the mouse reach it
        for rare in (self.in_person, self.online, self.delegated):  # in person and not delegated, as a rule
            skip_on_enter(rare)
        self.first_input = self.full_name
        self._inputs = dict(zip(_INPUT_KEYS, chain, strict=True))
        self._pristine: form_state.State = {}

    def _wire(self) -> None:
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.delegated.toggled.connect(self._check_delegation)
        self.received_at.dateTimeChanged.connect(self._check_delegation)
        self.province.currentIndexChanged.connect(self._province_changed)
        self.head_count.valueChanged.connect(self._head_count_changed)
        self.is_crowd.toggled.connect(self._crowd_toggled)
        self.full_name.textEdited.connect(self._name_edited)
        self.id_number.textEdited.connect(self._id_edited)
        for signal in (self.id_number.textChanged, self.birth_year.textChanged, self.gender.currentIndexChanged):
            signal.connect(self._check_id_live)
        # Editing a field takes its red message away: the clerk is fixing it.
        for key, signal in (
            ("citizen.full_name", self.full_name.textEdited),
            ("citizen.id_number", self.id_number.textEdited),
            ("citizen.birth_year", self.birth_year.textEdited),
            ("citizen.phone", self.phone.textEdited),
            ("leader_name", self.leader.textEdited),
            ("summary", self.summary.textChanged),
            ("matter_kind", self.matter_kind.currentIndexChanged),
            ("outcome", self.outcome.currentIndexChanged),
            ("head_count", self.head_count.valueChanged),
        ):
            signal.connect(lambda *_a, k=key: self._clear_error(k))
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape), self, self._escape, context=Qt.ShortcutContext.WidgetWithChildrenShortcut
        )

    # ---- reactions --------------------------------------------------------------------------
    def _kind_changed(self) -> None:
        needs_leader = self.kind.value() in visits.LEADER_KINDS
        self.leader.setEnabled(needs_leader)
        self.leader_label.setText("Lãnh đạo chủ trì" + (REQUIRED if needs_leader else ""))
        if not needs_leader:
            self._clear_error("leader_name")
        periodic = self.kind.value() == ReceptionKind.PERIODIC
        self.delegated.setEnabled(periodic)
        self.fields.get("delegated").setVisible(periodic)  # type: ignore[union-attr]
        self._check_delegation()

    def _check_delegation(self) -> None:
        """The ban on delegating periodic reception, as a warning (never an error) while the box is ticked:
        on the desk's status line, else under the box."""
        warning = None
        if self.delegated.isEnabled() and self.delegated.isChecked():
            warning = reception_days.delegation_warning(self.received_at.value().date())
        field = self.fields.get("delegated")
        assert field is not None
        if self.notify is None:
            field.set_warnings([warning] if warning else ())
        elif warning != self._delegation_said:
            self.notify(f"⚠ {warning}" if warning else "", False)
        self.delegation_warning = warning
        self._delegation_said = warning

    def _province_changed(self) -> None:
        code = self.province.value()
        if code == self._communes_of:
            return
        self._communes_of = code
        load_communes(self.ctx.db, self.commune, code)

    def _head_count_changed(self, value: int) -> None:
        if value >= self.setup.crowd_min:
            self.is_crowd.setChecked(True)
        elif self.is_crowd.isChecked() and getattr(self, "_crowd_auto", False):
            self.is_crowd.setChecked(False)
        self._crowd_auto = value >= self.setup.crowd_min

    def _crowd_toggled(self, on: bool) -> None:
        self.representatives.setVisible(on)
        self.representatives_label.setVisible(on)
        self.fields.get("representatives").setVisible(on)  # type: ignore[union-attr]

    def _name_edited(self, text: str) -> None:
        if self.citizen_id is not None and fold(text) != fold(self._chosen_name):
            self._forget_citizen()
        self._emit_query()

    def _id_edited(self, _text: str) -> None:
        self._emit_query()
        self._suggest_from_cccd()

    def _suggest_from_cccd(self) -> None:
        """A complete CCCD carries the sex and the birth year: fill them where still blank (never over
        what the clerk typed; a mismatch is the live check's warning)."""
        check = identity.check_id_number(self.id_number.text())
        if check.kind != IdKind.CCCD or check.birth_year is None or check.birth_year > local_today().year:
            return
        if not self.birth_year.text().strip():
            self.birth_year.setText(str(check.birth_year))
        if self.gender.value() is None and check.gender is not None:
            self.gender.set_value(check.gender)

    def _emit_query(self) -> None:
        digits = strip_separators(self.id_number.text())
        self.citizen_query.emit(digits if len(digits) >= 9 else self.full_name.text())

    def _check_id_live(self) -> None:
        check = identity.check_id_number(
            self.id_number.text(), birth_year=self._birth_year(), gender=self.gender.value()
        )
        field = self.fields.get("citizen.id_number")
        assert field is not None
        field.set_warnings(check.warnings if check.ok else ())

    def _clear_error(self, key: str) -> None:
        field = self.fields.get(key)
        if field is not None and field.error:
            field.set_error(None)

    def _escape(self) -> None:
        if self.has_messages():
            self.clear_messages()
        else:
            self.escape_unused.emit()

    def _forget_citizen(self) -> None:
        self.citizen_id = None
        self._chosen_name = ""
        self.citizen_note.hide()

    # ---- reading and filling ----------------------------------------------------------------
    def _birth_year(self) -> int | None:
        text = self.birth_year.text().strip()
        return int(text) if text.isdigit() else None

    def _representatives(self) -> tuple[CitizenInput, ...]:
        if not self.is_crowd.isChecked():
            return ()
        people = []
        for row in range(self.representatives.rowCount()):
            name, number = (self._cell(row, col) for col in (0, 1))
            if name or number:
                people.append(CitizenInput(full_name=name, id_number=number or None))
        return tuple(people)

    def _cell(self, row: int, col: int) -> str:
        item = self.representatives.item(row, col)
        return item.text().strip() if item is not None else ""

    def read(self) -> tuple[VisitInput, dict[str, str]]:
        """The typed values, and the problems only the form can see (nothing chosen, unknown names)."""
        local: dict[str, str] = {}
        for key, combo, what in (
            ("citizen.province_code", self.province, "Tỉnh, thành phố"),
            ("citizen.commune_code", self.commune, "Xã, phường"),
            ("field_code", self.field_code, "Lĩnh vực"),
        ):
            combo.commit_text()
            if combo.text_is_unknown():
                local[key] = f"{what} “{combo.currentText().strip()}” không có trong danh sách; chọn trong danh sách."
        matter_kind = self.matter_kind.value()
        if matter_kind is None:
            local["matter_kind"] = "Chọn loại nội dung (khiếu nại, tố cáo, kiến nghị, phản ánh)."
        outcome = self.outcome.value()
        if outcome is None:
            local["outcome"] = "Chọn kết quả tiếp công dân."
        data = visits.VisitInput(
            reception_kind=self.kind.value(),
            received_at=self.received_at.value(),
            officer_name=self.officer.text(),
            leader_name=self.leader.text() if self.leader.isEnabled() else None,
            delegated=self.delegated.isEnabled() and self.delegated.isChecked(),
            is_online=self.online.isChecked(),
            citizen_id=self.citizen_id,
            citizen=CitizenInput(
                full_name=self.full_name.text(),
                id_number=self.id_number.text().strip() or None,
                gender=self.gender.value(),
                birth_year=self._birth_year(),
                phone=self.phone.text().strip() or None,
                province_code=self.province.value(),
                commune_code=self.commune.value(),
                address_detail=self.address.text(),
            ),
            head_count=self.head_count.value(),
            is_crowd=self.is_crowd.isChecked(),
            representatives=self._representatives(),
            summary=self.summary.toPlainText(),
            matter_kind=matter_kind or _PLACEHOLDER_KIND,
            field_code=self.field_code.value(),
            matter_state=self.matter_state.value(),
            resolved_by=self.resolved_by.text().strip() or None,
            outcome=outcome or _PLACEHOLDER_OUTCOME,
            outcome_note=self.outcome_note.text(),
            documents_received=self.documents.text(),
        )
        return data, local

    def collect(self) -> VisitInput:
        """The form as a ``VisitInput``; with the form's own problems, also every service check at once."""
        data, local = self.read()
        if local:
            errors = dict(local)
            with self.ctx.db.session() as session:
                try:
                    visits.check_visit(session, data)
                except ValidationError as exc:
                    errors = {**exc.fields, **local}
            raise ValidationError(errors)
        return data

    def fill(self, data: VisitInput) -> None:
        self.clear_messages()
        self.kind.set_value(data.reception_kind)
        if data.received_at is not None:
            self.received_at.set_value(data.received_at)
        self.officer.setText(data.officer_name or "")
        self.leader.setText(data.leader_name or "")
        (self.online if data.is_online else self.in_person).setChecked(True)
        self.delegated.setChecked(data.delegated)
        self._kind_changed()
        self.fill_citizen(data.citizen_id, data.citizen, note=False)
        with QSignalBlocker(self.head_count):
            self.head_count.setValue(data.head_count)
        self._crowd_auto = data.head_count >= self.setup.crowd_min
        self.is_crowd.setChecked(data.is_crowd)
        self._crowd_toggled(data.is_crowd)
        self.representatives.clearContents()
        for row, person in enumerate(data.representatives[: self.representatives.rowCount()]):
            self.representatives.setItem(row, 0, QTableWidgetItem(person.full_name))
            self.representatives.setItem(row, 1, QTableWidgetItem(person.id_number or ""))
        self.summary.setPlainText(data.summary)
        self.matter_kind.set_value(data.matter_kind)
        self.field_code.set_value(data.field_code)
        self.matter_state.set_value(data.matter_state)
        self.resolved_by.setText(data.resolved_by or "")
        self.outcome.set_value(data.outcome)
        self.outcome_note.setText(data.outcome_note or "")
        self.documents.setText(data.documents_received or "")
        self._pristine = form_state.capture(self._inputs)

    def fill_citizen(self, citizen_id: int | None, person: CitizenInput, *, note: bool = True) -> None:
        """Put a known citizen's details in the form and remember whose record this visit uses."""
        self.full_name.setText(person.full_name)
        self.id_number.setText(person.id_number or "")
        self.gender.set_value(person.gender)
        self.birth_year.setText(str(person.birth_year) if person.birth_year else "")
        self.phone.setText(person.phone or "")
        self.province.set_value(person.province_code)
        self._province_changed()
        self.commune.set_value(person.commune_code)
        self.address.setText(person.address_detail or "")
        self.citizen_id = citizen_id
        self._chosen_name = person.full_name
        if note and citizen_id is not None:
            self.citizen_note.setText("Dùng hồ sơ công dân đã có; sửa họ tên sẽ tạo hồ sơ mới.")
            self.citizen_note.show()
        else:
            self.citizen_note.hide()
        for key in ("citizen.full_name", "citizen.id_number"):
            self._clear_error(key)

    def apply_scan(self, text: str) -> None:
        """A CCCD card's QR text: its citizen fills the form and is looked up; a bad scan changes nothing."""
        scan, message = read_scan(self.ctx, text)
        if scan is None:
            self._notify(message, error=True)
            return
        person = dataclasses.replace(
            scan.citizen,
            phone=self.phone.text().strip() or None,
            province_code=scan.citizen.province_code or self.province.value(),
        )
        self.fill_citizen(None, person, note=False)
        self._notify(message, error=False)
        self._emit_query()
        blank_commune = person.province_code is not None and person.commune_code is None
        (self.commune if blank_commune else self.first_empty_required()).setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self, *, keep: bool = False) -> None:
        """Empty the form for the next citizen; with ``keep`` the officer and the kind stay."""
        officer, kind = self.officer.text(), self.kind.value()
        self.clear_messages()
        for edit in (self.full_name, self.id_number, self.birth_year, self.phone, self.address):
            edit.clear()
        for edit in (self.leader, self.resolved_by, self.outcome_note, self.documents):
            edit.clear()
        self.summary.clear()
        self._forget_citizen()
        self.gender.set_value(None)
        self.province.set_value(self.setup.office_province)
        self._province_changed()
        self.commune.set_value(None)
        self.head_count.setValue(1)
        self.is_crowd.setChecked(False)
        self._crowd_toggled(False)
        if not keep:
            self.in_person.setChecked(True)
        self.delegated.setChecked(False)
        self.representatives.clearContents()
        self.matter_kind.set_value(None)
        self.field_code.set_value(None)
        self.matter_state.set_value(None)
        self.outcome.set_value(None)
        self.received_at.set_now()
        self.officer.setText(officer if keep else self.ctx.actor.full_name)
        self.kind.set_value(kind if keep and kind is not None else ReceptionKind.REGULAR)
        self._kind_changed()
        self._pristine = form_state.capture(self._inputs)

    # ---- unsaved work -----------------------------------------------------------------------
    def is_dirty(self) -> bool:
        """Whether the clerk typed anything since the form was emptied (the clock-driven time aside)."""
        return form_state.differs(self._inputs, self._pristine, ignore=_NOT_TYPED)

    def draft_state(self) -> form_state.State:
        return {"inputs": form_state.capture(self._inputs), "citizen_id": self.citizen_id}

    def restore_draft(self, state: form_state.State) -> None:
        """Put back a kept draft; the known citizen it used stays linked."""
        inputs = state.get("inputs")
        if isinstance(inputs, dict):
            form_state.restore(self._inputs, inputs)
        citizen_id = state.get("citizen_id")
        if isinstance(citizen_id, int):
            self.citizen_id = citizen_id
            self._chosen_name = self.full_name.text()
        self._kind_changed()
        self._crowd_toggled(self.is_crowd.isChecked())

    # ---- messages ---------------------------------------------------------------------------
    def first_empty_required(self) -> QWidget:
        """Where the clerk goes on after the citizen is known: the first required field still empty
        (the content, as a rule), else the save button's neighbour, the outcome."""
        blanks: list[tuple[QWidget, bool]] = [
            (self.full_name, not self.full_name.text().strip()),
            (self.summary, not self.summary.toPlainText().strip()),
            (self.matter_kind, self.matter_kind.value() is None),
            (self.outcome, self.outcome.value() is None),
        ]
        return next((widget for widget, empty in blanks if empty), self.outcome)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message in red under its field; the first bad field gets the focus. Nothing typed is lost."""
        shown: dict[str, str] = {}
        for key, message in errors.items():
            parts = key.split(".")
            if parts[0] == "representatives" and len(parts) > 1 and parts[1].isdigit():
                message = f"Người đại diện {int(parts[1]) + 1}: {message}"
            shown[key] = message
        orphans, first = self.fields.show_errors(shown)
        self._show_general("\n".join(orphans.values()), error=True)
        if first is not None:
            first.editor.setFocus(Qt.FocusReason.OtherFocusReason)
            _select_all(first.editor)

    def show_warnings(self, warnings: tuple[str, ...] | list[str]) -> None:
        self._show_general("\n".join(f"⚠ {w}" for w in warnings), error=False)

    def _notify(self, text: str, *, error: bool) -> None:
        if self.notify is not None:
            self.notify(text, error)
        else:
            self._show_general(text, error=error)

    def _show_general(self, text: str, *, error: bool) -> None:
        self.general.setText(text)
        self.general.setStyleSheet(f"color: {ERROR_COLOUR if error else WARNING_COLOUR};")
        self.general.setVisible(bool(text))

    def has_messages(self) -> bool:
        return self.general.isVisible() or any(
            f is not None and f.message.isVisible() for f in map(self.fields.get, self.fields.order)
        )

    def clear_messages(self) -> None:
        self.fields.clear_errors()
        self._show_general("", error=True)

    def error_of(self, key: str) -> str | None:
        """The red message under a field (for tests and for screen readers)."""
        field = self.fields.get(key)
        return field.error if field is not None else None

    def warning_text(self, key: str) -> str:
        field = self.fields.get(key)
        return field.message.text() if field is not None and not field.error else ""


VisitInput = visits.VisitInput

# The keys of a draft, in the order of the form's inputs (the province before its commune).
_INPUT_KEYS = (
    "reception_kind",
    "in_person",
    "is_online",
    "received_at",
    "officer_name",
    "leader_name",
    "delegated",
    "full_name",
    "id_number",
    "gender",
    "birth_year",
    "phone",
    "province",
    "commune",
    "address_detail",
    "head_count",
    "is_crowd",
    "representatives",
    "summary",
    "matter_kind",
    "field_code",
    "matter_state",
    "resolved_by",
    "outcome",
    "outcome_note",
    "documents_received",
)
# Filled in by the program, not typed: they alone never make a form "half-filled".
_NOT_TYPED = frozenset({"received_at", "officer_name", "reception_kind"})


def _form(box: QGroupBox) -> QFormLayout:
    form = QFormLayout(box)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setHorizontalSpacing(8)
    form.setVerticalSpacing(5)
    form.setContentsMargins(8, 6, 8, 6)
    return form


def _select_all(widget: QWidget) -> None:
    if isinstance(widget, QLineEdit):
        widget.selectAll()
