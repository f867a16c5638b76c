"""The action panel: choose a handling action, the body (routing suggestion pre-selected), reason, date.

Only the actions the petition's status and kind allow are offered, and none is chosen for the
clerk: a handling direction has legal effects, so it is always a deliberate choice."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDateTimeEdit, QFormLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from app.models import LOCAL_TZ
from app.models.enums import HandlingAction, ResolutionResult
from app.services.casework import actions, eligibility
from app.services.casework.actions import ActionInput, ActionOutcome
from app.services.casework.petitions import PetitionDetail
from app.services.common import vocab
from app.services.common.errors import ValidationError
from app.services.directory import routing
from app.ui.context import UiContext
from app.ui.petitions.common import (
    MessageLine,
    agency_choices,
    as_enum,
    date_edit,
    qdate_value,
    show_field_errors,
    submit,
)
from app.ui.widgets.choices import ChoiceCombo, SearchCombo
from app.ui.widgets.fields import Field, FieldMap, line_edit
from app.ui.widgets.keys import EnterAdvances

A = HandlingAction
# Which inputs each action asks for (the service checks them again).
_AGENCY = {A.FORWARD, A.GUIDE, A.REMIND}
_REASON_CODE = {A.REFUSE, A.FILE}
_REASON = {A.REFUSE, A.RETURN, A.FILE, A.WITHDRAW, A.SUSPEND, A.TERMINATE, A.EXTEND, A.GUIDE, A.FORWARD, A.NOTIFY}
# The dialogue's own fields (Luật Khiếu nại, Điều 30): the notice asks when and where, the minutes all.
_DIALOGUE = {A.INVITE_DIALOGUE, A.HOLD_DIALOGUE}
_DIALOGUE_RECORD = ("participants", "content", "results")
_SUGGESTED = {A.FORWARD, A.GUIDE}
NO_ACTION = "— chọn thao tác —"


class ActionPanel(QWidget):
    done = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.petition_id: int | None = None
        self._why_not: dict[HandlingAction, str | None] = {}  # the offered actions, each with why not now
        self._suggestion: routing.RouteSuggestion | None = None
        self.action = ChoiceCombo([], blank=NO_ACTION)
        self.agency = SearchCombo()
        self.agency.set_items(agency_choices(ctx))
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.reason_code = ChoiceCombo([], blank="— lý do theo danh mục —")
        self.reason = line_edit("Lý do, căn cứ", 500)
        self.result = ChoiceCombo(
            [
                (r, vocab.label(r))
                for r in (ResolutionResult.RIGHT, ResolutionResult.PARTLY_RIGHT, ResolutionResult.WRONG)
            ],
            blank="— kết quả —",
        )
        self.days = QSpinBox()
        self.days.setRange(0, 60)
        self.days.setSuffix(" ngày")
        self.on = date_edit()
        self.dialogue_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.dialogue_at.setDisplayFormat("HH:mm dd/MM/yyyy")
        self.dialogue_at.setCalendarPopup(True)
        self.place = line_edit("Địa điểm đối thoại", 300)
        self.participants = line_edit("Thành phần tham gia, cách nhau bằng dấu “;”", 1000)
        self.content = line_edit("Nội dung đối thoại", 2000)
        self.results = line_edit("Kết quả đối thoại", 2000)
        self.note = line_edit("Ghi chú (không bắt buộc)", 500)
        self.run_button = QPushButton("Thực hiện (Ctrl+Enter)")
        self.run_button.clicked.connect(self.run)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.run)
        self.message = MessageLine()
        self.why = MessageLine()
        self.fields = FieldMap()
        self.form = QFormLayout(self)
        self._rows: dict[str, Field] = {}
        for key, title, widget in (
            ("action", "Thao tác *", self.action),
            ("agency_id", "Cơ quan nhận", self.agency),
            ("reason_code", "Lý do (danh mục)", self.reason_code),
            ("reason", "Lý do", self.reason),
            ("result", "Kết quả giải quyết", self.result),
            ("days", "Số ngày gia hạn", self.days),
            ("dialogue_at", "Thời gian đối thoại", self.dialogue_at),
            ("place", "Địa điểm", self.place),
            ("participants", "Thành phần tham gia", self.participants),
            ("content", "Nội dung đối thoại", self.content),
            ("results", "Kết quả đối thoại", self.results),
            ("on", "Ngày thực hiện", self.on),
            ("note", "Ghi chú", self.note),
        ):
            self._rows[key] = self.fields.add(key, Field(widget))
            self.form.addRow(title, self._rows[key])
            if key == "action":
                self.form.addRow("", self.why)
            if key == "agency_id":
                self.form.addRow("", self.suggestion)
        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.run_button)
        self.form.addRow(bottom)
        self.action.currentIndexChanged.connect(lambda _i: self._action_changed())
        self._enter = EnterAdvances(self)
        self._enter.watch(self.action, self.agency, self.reason_code, self.reason, self.result, self.days, self.on)

    def set_detail(self, detail: PetitionDetail) -> None:
        self.petition_id = detail.id
        # A write transaction: the first suggestion seeds the routing rules.
        with self.ctx.db.transaction() as session:
            self._why_not = dict(actions.offered(session, detail.id))
            suggestions = routing.suggest_for(session, detail.id, limit=1)
        self._suggestion = suggestions[0] if suggestions else None
        self.reason_code.set_items((r.code, r.label) for r in eligibility.reasons_for(detail.kind))
        self.action.set_items((a, vocab.label(a)) for a in self._why_not)
        self.action.set_value(None)
        self.fields.clear()
        self._action_changed()
        if not self._why_not:
            self.message.show_info(f"Đơn đang ở trạng thái “{detail.status_label}”: không còn thao tác xử lý nào.")

    def _action_changed(self) -> None:
        action = as_enum(HandlingAction, self.action.value())
        for key, visible in (
            ("agency_id", action in _AGENCY),
            ("reason_code", action in _REASON_CODE),
            ("reason", action in _REASON),
            ("result", action == A.DECIDE),
            ("days", action == A.EXTEND),
            ("dialogue_at", action in _DIALOGUE),
            ("place", action in _DIALOGUE),
            *((key, action == A.HOLD_DIALOGUE) for key in _DIALOGUE_RECORD),
        ):
            self._set_row_visible(key, visible)
        self.suggestion.setVisible(action in _SUGGESTED and self._suggestion is not None)
        if action in _SUGGESTED and self._suggestion is not None:
            self.agency.set_value(str(self._suggestion.agency_id))
            note = f" — {self._suggestion.explanation}" if self._suggestion.explanation else ""
            self.suggestion.setText(f"Gợi ý: {self._suggestion.agency_name}{note}")
        why = self._why_not.get(action) if action is not None else None
        if why:
            self.why.show_error(why)
        else:
            self.why.clear()
        self.why.setVisible(bool(why))
        # With nothing chosen the button stays usable: pressing it says what to choose.
        self.run_button.setEnabled(bool(self._why_not) and not why)

    def choose_hint(self) -> str:
        possible = [vocab.label(a) for a, why in self._why_not.items() if why is None]
        return "Chọn thao tác cần thực hiện" + (f": {', '.join(possible)}." if possible else ".")

    def _set_row_visible(self, key: str, visible: bool) -> None:
        field = self._rows[key]
        self.form.setRowVisible(field, visible)

    def show_errors(self, fields: dict[str, str]) -> None:
        show_field_errors(self.fields, self.message, fields)

    def read(self) -> ActionInput:
        action = as_enum(HandlingAction, self.action.value())
        if action is None:
            raise ValidationError({"action": self.choose_hint()})
        agency_text = self.agency.value() if action in _AGENCY else None
        if action in _AGENCY and self.agency.text_is_unknown():
            raise ValidationError({"agency_id": "Cơ quan đã nhập không có trong danh bạ; chọn trong danh sách."})
        return ActionInput(
            action=action,
            on=qdate_value(self.on),
            agency_id=int(agency_text) if agency_text else None,
            reason=self.reason.text() if action in _REASON else None,
            reason_code=self.reason_code.value() if action in _REASON_CODE else None,
            note=self.note.text() or None,
            result=as_enum(ResolutionResult, self.result.value()) if action == A.DECIDE else None,
            days=self.days.value() if action == A.EXTEND else None,
            details=self._dialogue_details(action),
        )

    def _dialogue_details(self, action: HandlingAction) -> dict[str, object] | None:
        if action not in _DIALOGUE:
            return None
        at = self.dialogue_at.dateTime().toPython()
        assert isinstance(at, dt.datetime)
        details: dict[str, object] = {"dialogue_at": at.replace(tzinfo=LOCAL_TZ), "place": self.place.text()}
        if action == A.HOLD_DIALOGUE:
            details.update({key: getattr(self, key).text() for key in _DIALOGUE_RECORD})
        return details

    def run(self) -> None:
        if self.petition_id is None or not self.run_button.isEnabled():
            return
        petition_id = self.petition_id
        self.agency.commit_text()
        self.fields.clear_errors()
        self.message.clear()

        def work() -> tuple[ActionInput, ActionOutcome]:
            data = self.read()
            with self.ctx.db.transaction() as session:
                return data, actions.perform(session, self.ctx.actor, petition_id, data)

        done = submit(self, self.message, work)
        if done is None:
            return
        data, outcome = done
        self.reason.clear()
        self.note.clear()
        for edit in (self.place, self.participants, self.content, self.results):
            edit.clear()
        self.done.emit()
        issued = ", ".join(f"{vocab.label(d.doc_type)} số {d.symbol}" for d in outcome.documents)
        text = f"Đã thực hiện: {vocab.label(data.action)}. Trạng thái: {vocab.label(outcome.status)}."
        if issued:
            text += f" Đã cấp số: {issued}."
        if outcome.warnings:
            text += " " + " ".join(outcome.warnings)
        self.message.show_ok(text)
