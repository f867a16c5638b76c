"""Small pieces the petition screens share: an inline message line, form submission, a plain date input,
the structured address pickers and the same-person question."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QLabel, QWidget

from app.services.common import catalogues
from app.services.common.clock import local_today
from app.services.common.errors import AppError, ValidationError
from app.services.directory import agencies
from app.ui.context import UiContext
from app.ui.feedback import ShowsFieldErrors
from app.ui.widgets.choices import SearchCombo, load_communes
from app.ui.widgets.dates import DATE_FORMAT
from app.ui.widgets.fields import ERROR_COLOUR, FieldMap

OK_COLOUR = "#1b6e20"


class MessageLine(QLabel):
    """A one-paragraph message under a panel: refusals in red, results in green, never a modal box."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _show(self, text: str, colour: str) -> None:
        self.setStyleSheet(f"color: {colour};")
        self.setText(text.strip())

    def show_error(self, text: str) -> None:
        self._show(text, ERROR_COLOUR)

    def show_ok(self, text: str) -> None:
        self._show(text, OK_COLOUR)

    def show_info(self, text: str) -> None:
        self._show(text, "#555555")


def show_field_errors(fields: FieldMap, message: MessageLine, errors: dict[str, str]) -> None:
    """Each message under its field, the rest in the message line; the first bad field takes the focus."""
    orphans, first = fields.show_errors(errors)
    if orphans:
        message.show_error(" ".join(orphans.values()))
    if first is not None:
        first.setFocus()


T = TypeVar("T")


def submit(form: ShowsFieldErrors, message: MessageLine, work: Callable[[], T]) -> T | None:
    """Run ``work`` (read the form, call the service); on refusal show why and return ``None``.

    A ``ValidationError`` goes under the form's fields, any other ``AppError`` into the message line.
    """
    try:
        return work()
    except ValidationError as exc:
        form.show_errors(exc.fields)
    except AppError as exc:
        message.show_error(exc.user_message)
    return None


def date_edit(value: dt.date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat(DATE_FORMAT)
    edit.setCalendarPopup(True)
    set_qdate(edit, value or local_today())
    return edit


def set_qdate(edit: QDateEdit, value: dt.date) -> None:
    edit.setDate(QDate(value.year, value.month, value.day))


def qdate_value(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


def fmt(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


E = TypeVar("E", bound=StrEnum)


def as_enum(enum_type: type[E], value: object) -> E | None:
    """A combo's data as the vocabulary member (Qt hands a StrEnum back as a plain str)."""
    if value is None or value == "":
        return None
    return enum_type(str(value))


def agency_choices(ctx: UiContext) -> list[tuple[str, str]]:
    """(id as text, name) of every active body; in a write transaction, as the first use seeds the directory."""
    with ctx.db.transaction() as session:
        return [(str(a.id), a.name) for a in agencies.list_agencies(session)]


class AddressPickers:
    """The structured address of the desk: a province picker and the communes of that province.

    Both are typed without tones (``tu son`` finds “Phường Từ Sơn”); the commune list follows the
    province chosen, so a commune can never belong to another province.
    """

    def __init__(self, ctx: UiContext, provinces: list[catalogues.Choice]) -> None:
        self.ctx = ctx
        self.province = SearchCombo()
        self.province.set_items((p.code, p.name) for p in provinces)
        self.commune = SearchCombo()
        self._communes_of: str | None = None
        self.province.currentIndexChanged.connect(lambda _i: self._province_changed())

    def _province_changed(self) -> None:
        code = self.province.value()
        if code == self._communes_of:
            return
        self._communes_of = code
        load_communes(self.ctx.db, self.commune, code)

    def set_value(self, province_code: str | None, commune_code: str | None) -> None:
        self.province.set_value(province_code)
        self._province_changed()
        self.commune.set_value(commune_code)

    def unknown(self, prefix: str) -> dict[str, str]:
        """A name typed that is not in the lists, keyed like the service's address errors."""
        errors: dict[str, str] = {}
        for key, combo, what in (
            ("province_code", self.province, "Tỉnh, thành phố"),
            ("commune_code", self.commune, "Xã, phường"),
        ):
            combo.commit_text()
            if combo.text_is_unknown():
                errors[f"{prefix}.{key}"] = (
                    f"{what} “{combo.currentText().strip()}” không có trong danh sách; chọn trong danh sách."
                )
        return errors
