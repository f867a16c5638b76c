"""Danh mục: the directory of competent bodies, the routing rules and the fields, editable."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import AgencyLevel, Instance, MatterKind
from app.services.common import catalogues, vocab
from app.services.common.errors import AppError, ValidationError
from app.services.directory import agencies, routing
from app.services.directory import fields as field_catalogue
from app.services.directory.agencies import AgencyInput, AgencyRow
from app.services.directory.fields import FieldRow
from app.services.directory.routing import RuleInput, RuleRow
from app.ui.context import UiContext
from app.ui.petitions.common import MessageLine, agency_choices, as_enum, show_field_errors, submit
from app.ui.widgets.choices import ChoiceCombo, SearchCombo, field_combo
from app.ui.widgets.fields import Field, FieldMap, line_edit
from app.ui.widgets.tables import readonly_table


def _table(headers: Sequence[str], widths: Sequence[int]) -> QTableWidget:
    table = readonly_table(headers, dict(enumerate(widths)))
    table.setAlternatingRowColors(True)
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: Sequence[tuple[Any, Sequence[str]]]) -> None:
    """Rows of (key, texts); the key rides on the first cell."""
    table.setRowCount(len(rows))
    for r, (key, texts) in enumerate(rows):
        for c, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, key)
            table.setItem(r, c, item)


def _current_key(table: QTableWidget) -> Any:
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class _EditDialog(QDialog):
    """A small form whose save raises ValidationError per field or AppError as a whole."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields = FieldMap()
        self.form = QFormLayout()
        self.message = MessageLine()
        buttons = QDialogButtonBox()
        buttons.addButton("Lưu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def row(self, key: str, title: str, widget: QWidget) -> None:
        self.form.addRow(title, self.fields.add(key, Field(widget)))

    def show_errors(self, fields: dict[str, str]) -> None:
        show_field_errors(self.fields, self.message, fields)

    def save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def _save(self) -> None:
        def work() -> bool:
            self.save()
            return True

        if submit(self, self.message, work):
            self.accept()


class AgencyDialog(_EditDialog):
    def __init__(self, ctx: UiContext, row: AgencyRow | None, parent: QWidget | None = None) -> None:
        super().__init__("Sửa cơ quan" if row else "Thêm cơ quan", parent)
        self.ctx = ctx
        self.agency_id = row.id if row else None
        self.name = line_edit("Tên đầy đủ của cơ quan", 300)
        self.short_name = line_edit("Tên viết tắt", 80)
        self.code = line_edit("Mã (không bắt buộc, không trùng)", 40)
        self.level = ChoiceCombo(vocab.choices(AgencyLevel))
        self.kind = ChoiceCombo(list(agencies.KIND_LABELS.items()))
        self.address = line_edit("Địa chỉ", 300)
        self.active = QCheckBox("Đang sử dụng")
        self.active.setChecked(True)
        for key, title, widget in (
            ("name", "Tên cơ quan *", self.name),
            ("short_name", "Tên viết tắt", self.short_name),
            ("code", "Mã", self.code),
            ("level", "Cấp", self.level),
            ("kind", "Loại", self.kind),
            ("address", "Địa chỉ", self.address),
            ("active", "", self.active),
        ):
            self.row(key, title, widget)
        if row is not None:
            self.name.setText(row.name)
            self.short_name.setText(row.short_name or "")
            self.code.setText(row.code or "")
            self.level.set_value(row.level)
            self.kind.set_value(row.kind)
            self.address.setText(row.address or "")
            self.active.setChecked(row.active)
            self._unit, self._parent = row.admin_unit_code, row.parent_id
        else:
            self._unit, self._parent = None, None

    def save(self) -> None:
        data = AgencyInput(
            name=self.name.text(),
            level=as_enum(AgencyLevel, self.level.value()) or AgencyLevel.OTHER,
            kind=str(self.kind.value() or "khac"),
            short_name=self.short_name.text(),
            code=self.code.text(),
            admin_unit_code=self._unit,
            parent_id=self._parent,
            address=self.address.text(),
            active=self.active.isChecked(),
        )
        with self.ctx.db.transaction() as session:
            agencies.save_agency(session, self.ctx.actor, data, self.agency_id)


TARGET_FIXED = "co_quan"


class RuleDialog(_EditDialog):
    def __init__(self, ctx: UiContext, row: RuleRow | None, parent: QWidget | None = None) -> None:
        super().__init__("Sửa quy tắc gợi ý" if row else "Thêm quy tắc gợi ý", parent)
        self.ctx = ctx
        self.rule_id = row.id if row else None
        with ctx.db.session() as session:
            fields = catalogues.fields(session)
        self.kind = ChoiceCombo(vocab.choices(MatterKind), blank="Mọi loại đơn")
        self.field_code = field_combo(fields, "Mọi lĩnh vực")
        self.level = ChoiceCombo(vocab.choices(AgencyLevel), blank="Mọi cấp")
        self.instance = ChoiceCombo(vocab.choices(Instance), blank="Mọi lần")
        self.target = ChoiceCombo([(TARGET_FIXED, "Cơ quan cụ thể"), *routing.TARGETS.items()])
        self.agency = SearchCombo()
        self.agency.set_items(agency_choices(ctx))
        self.priority = QSpinBox()
        self.priority.setRange(0, 100_000)
        self.priority.setValue(100)
        self.note = line_edit("Căn cứ, ghi chú", 500)
        self.active = QCheckBox("Đang sử dụng")
        self.active.setChecked(True)
        for key, title, widget in (
            ("matter_kind", "Loại đơn", self.kind),
            ("field_code", "Lĩnh vực", self.field_code),
            ("respondent_level", "Cấp bị KN, TC", self.level),
            ("instance", "Khiếu nại lần", self.instance),
            ("target", "Gửi đến", self.target),
            ("agency_id", "Cơ quan", self.agency),
            ("priority", "Ưu tiên (số nhỏ trước)", self.priority),
            ("note", "Ghi chú", self.note),
            ("active", "", self.active),
        ):
            self.row(key, title, widget)
        self.target.currentIndexChanged.connect(lambda _i: self.agency.setEnabled(self.target.value() == TARGET_FIXED))
        if row is not None:
            self.kind.set_value(row.matter_kind)
            self.field_code.set_value(row.field_code)
            self.level.set_value(row.respondent_level)
            self.instance.set_value(row.instance)
            self.target.set_value(row.target or TARGET_FIXED)
            self.agency.set_value(str(row.agency_id) if row.agency_id else None)
            self.priority.setValue(row.priority)
            self.note.setText(row.note or "")
            self.active.setChecked(row.active)

    def save(self) -> None:
        self.agency.commit_text()
        fixed = self.target.value() == TARGET_FIXED
        agency = self.agency.value() if fixed else None
        if fixed and self.agency.text_is_unknown():
            raise ValidationError({"agency_id": "Cơ quan đã nhập không có trong danh bạ; chọn trong danh sách."})
        data = RuleInput(
            matter_kind=as_enum(MatterKind, self.kind.value()),
            field_code=self.field_code.value(),
            respondent_level=as_enum(AgencyLevel, self.level.value()),
            instance=as_enum(Instance, self.instance.value()),
            agency_id=int(agency) if agency else None,
            target=None if fixed else str(self.target.value()),
            priority=self.priority.value(),
            note=self.note.text(),
            active=self.active.isChecked(),
        )
        with self.ctx.db.transaction() as session:
            routing.save_rule(session, self.ctx.actor, data, self.rule_id)


class FieldDialog(_EditDialog):
    def __init__(self, ctx: UiContext, row: FieldRow, parent: QWidget | None = None) -> None:
        super().__init__(f"Sửa lĩnh vực {row.code}", parent)
        self.ctx = ctx
        self.code = row.code
        self.name = line_edit("Tên lĩnh vực", 200)
        self.name.setText(row.name)
        self.order = QSpinBox()
        self.order.setRange(0, 100_000)
        self.order.setValue(row.sort_order)
        self.active = QCheckBox("Đang sử dụng")
        self.active.setChecked(row.active)
        self.row("name", "Tên *", self.name)
        self.row("sort_order", "Thứ tự", self.order)
        self.row("active", "", self.active)

    def save(self) -> None:
        with self.ctx.db.transaction() as session:
            field_catalogue.save_field(
                session, self.ctx.actor, self.code, self.name.text(), self.order.value(), self.active.isChecked()
            )


class _TablePage(QWidget):
    """A table with its buttons; subclasses load rows and open their dialog."""

    def __init__(self, table: QTableWidget, buttons: Sequence[tuple[str, Callable[[], None]]]) -> None:
        super().__init__()
        self.table = table
        self.message = MessageLine()
        bar = QHBoxLayout()
        self.bar = bar
        for text, slot in buttons:
            button = QPushButton(text)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(table, 1)
        layout.addWidget(self.message)
        table.activated.connect(lambda _i: self.edit())

    def edit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class AgenciesPage(_TablePage):
    def __init__(self, ctx: UiContext) -> None:
        self.ctx = ctx
        super().__init__(
            _table(["Mã", "Tên cơ quan", "Viết tắt", "Cấp", "Loại", "Đang dùng"], [110, 380, 140, 130, 140, 80]),
            [("Thêm…", self.add), ("Sửa…", self.edit), ("Ngừng / dùng lại", self.toggle)],
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText("Tìm cơ quan (không cần dấu)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.reload())
        self.inactive = QCheckBox("Hiện cả cơ quan ngừng sử dụng")
        self.inactive.toggled.connect(lambda _b: self.reload())
        self.bar.insertWidget(0, self.inactive)
        self.bar.insertWidget(0, self.search, 1)
        self.rows: dict[int, AgencyRow] = {}
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.transaction() as session:
            found = agencies.list_agencies(session, text=self.search.text(), include_inactive=self.inactive.isChecked())
        self.rows = {r.id: r for r in found}
        _fill(
            self.table,
            [
                (
                    r.id,
                    (
                        r.code or "",
                        r.name,
                        r.short_name or "",
                        vocab.label(r.level),
                        agencies.KIND_LABELS.get(r.kind, r.kind),
                        "Có" if r.active else "Không",
                    ),
                )
                for r in found
            ],
        )

    def add(self) -> None:
        if AgencyDialog(self.ctx, None, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def edit(self) -> None:
        key = _current_key(self.table)
        if key is not None and AgencyDialog(self.ctx, self.rows[key], self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def toggle(self) -> None:
        key = _current_key(self.table)
        if key is None:
            return
        try:
            with self.ctx.db.transaction() as session:
                row = agencies.set_active(session, self.ctx.actor, key, not self.rows[key].active)
        except AppError as exc:
            self.message.show_error(exc.user_message)
            return
        self.message.show_ok(f"{row.name}: {'đang sử dụng' if row.active else 'đã ngừng sử dụng'}.")
        self.reload()


class RulesPage(_TablePage):
    def __init__(self, ctx: UiContext) -> None:
        self.ctx = ctx
        super().__init__(
            _table(
                ["Loại đơn", "Lĩnh vực", "Cấp bị KN, TC", "Lần", "Gửi đến", "Ưu tiên", "Đang dùng", "Căn cứ, ghi chú"],
                [100, 160, 120, 70, 300, 60, 80, 300],
            ),
            [("Thêm…", self.add), ("Sửa…", self.edit)],
        )
        self.rows: dict[int, RuleRow] = {}
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.transaction() as session:
            found = routing.list_rules(session)
            names = {f.code: f.name for f in field_catalogue.list_fields(session)}
        self.rows = {r.id: r for r in found}
        _fill(
            self.table,
            [
                (
                    r.id,
                    (
                        vocab.label(r.matter_kind) or "Mọi loại",
                        names.get(r.field_code or "", "Mọi lĩnh vực"),
                        vocab.label(r.respondent_level) or "Mọi cấp",
                        vocab.label(r.instance),
                        r.agency_name,
                        str(r.priority),
                        "Có" if r.active else "Không",
                        r.note or "",
                    ),
                )
                for r in found
            ],
        )

    def add(self) -> None:
        if RuleDialog(self.ctx, None, self).exec() == QDialog.DialogCode.Accepted:
            self.reload()

    def edit(self) -> None:
        key = _current_key(self.table)
        if key is not None and RuleDialog(self.ctx, self.rows[key], self).exec() == QDialog.DialogCode.Accepted:
            self.reload()


class FieldsPage(_TablePage):
    def __init__(self, ctx: UiContext) -> None:
        self.ctx = ctx
        super().__init__(
            _table(["Mã", "Tên lĩnh vực", "Thuộc", "Thứ tự", "Đang dùng"], [100, 420, 100, 70, 80]),
            [("Sửa…", self.edit)],
        )
        self.rows: dict[str, FieldRow] = {}
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.session() as session:
            found = field_catalogue.list_fields(session)
        self.rows = {r.code: r for r in found}
        _fill(
            self.table,
            [
                (r.code, (r.code, r.name, r.parent_code or "", str(r.sort_order), "Có" if r.active else "Không"))
                for r in found
            ],
        )

    def edit(self) -> None:
        key = _current_key(self.table)
        if key is not None and FieldDialog(self.ctx, self.rows[key], self).exec() == QDialog.DialogCode.Accepted:
            self.reload()


class CataloguesPage(QTabWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.agencies = AgenciesPage(ctx)
        self.rules = RulesPage(ctx)
        self.fields = FieldsPage(ctx)
        self.addTab(self.agencies, "Cơ quan có thẩm quyền")
        self.addTab(self.rules, "Quy tắc gợi ý chuyển đơn")
        self.addTab(self.fields, "Lĩnh vực")
