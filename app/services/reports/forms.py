"""Report form definitions, loaded from data (``resources/report_forms/*.json``).

A form is rows × a tree of columns. Every leaf column names a *measure* (what to add up) and the
tree carries *filters* over stored codes (a group's filter applies to everything under it). A group
may ask for a total column (``"total": "Tổng số"``); the engine fills it with the sum of the group's
parts, so a total can never disagree with its parts. ``templates`` let a group reuse a list of
columns (``"use": "name"``). A new version of a form (the circular changes) is a new file, not code.

What the office has not yet confirmed about a form (a form number, a column's wording) is data of its
own: ``"to_confirm"`` on the form, a row or a column (a string or a list). It is shown in the
application's form viewer and never printed; printed text that still carries such a note is refused
when the form is loaded, so an internal doubt cannot reach official paper.

Form sets are versioned: each circular's set lives in its own folder (``report_forms/2021``,
``report_forms/2024`` …) and every form says from when to when it applies (``valid_from`` /
``valid_to``). A report uses the set in force on the last day of its period unless the office picks
another, so an earlier period re-runs with the forms it was first reported on. One set may serve two
circulars with the same columns; ``circulars`` then dates the "Ban hành kèm theo" line.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from app.paths import resource
from app.services.common import dated
from app.services.common.errors import NotFoundError, ValidationError
from app.services.common.text import fold

FORMS_DIR = "report_forms"
Filter = dict[str, Any]
# Folded phrases of an internal note; printed text of a form must not contain them.
INTERNAL_MARKERS = ("can xac nhan", "chua xac nhan", "can doi chieu", "chua duoc doi chieu", "to confirm")


@dataclass(frozen=True)
class Column:
    label: str
    filter: Filter = field(default_factory=dict)
    measure: str | None = None
    total: str | None = None  # label of the computed total column placed first among the children
    children: tuple[Column, ...] = ()
    to_confirm: tuple[str, ...] = ()  # shown in the form viewer, never printed

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Row:
    label: str
    filter: Filter = field(default_factory=dict)
    to_confirm: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormDef:
    code: str
    version: str
    form_no: str
    circular: str
    title: str
    source: str  # visit | petition
    unit: str
    base: Filter
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    note: str = ""
    order: int = 0
    short: str = ""
    to_confirm: tuple[str, ...] = ()  # the form's unconfirmed points (never printed)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    # (first day, "Ban hành kèm theo …" line) when the set serves successive circulars.
    circulars: tuple[tuple[dt.date, str], ...] = ()

    def applies_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def circular_on(self, day: dt.date) -> str:
        """The circular line printed for a period ending on ``day``."""
        line = self.circular
        for since, text in self.circulars:
            if since <= day:
                line = text
        return line

    def printed_texts(self) -> list[str]:
        """Every text of the form that reaches the workbook."""
        texts = [self.form_no, self.circular, self.title, self.unit, self.note]
        texts += [text for _, text in self.circulars]
        texts += [row.label for row in self.rows]
        stack = list(self.columns)
        while stack:
            column = stack.pop()
            texts += [column.label, column.total or ""]
            stack += column.children
        return texts

    def points_to_confirm(self) -> list[tuple[str, str]]:
        """(where, what) for every unconfirmed point: the form itself, then its rows and columns."""
        points = [("Biểu", text) for text in self.to_confirm]
        points += [(f"Dòng “{row.label}”", text) for row in self.rows for text in row.to_confirm]

        def walk(columns: tuple[Column, ...], path: tuple[str, ...]) -> None:
            for column in columns:
                where = (*path, column.label)
                points.extend((f"Cột “{' › '.join(where)}”", text) for text in column.to_confirm)
                walk(column.children, where)

        walk(self.columns, ())
        return points


def _notes(data: dict[str, Any]) -> tuple[str, ...]:
    value = data.get("to_confirm") or ()
    return (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)


def _check_printed(form: FormDef) -> None:
    for text in form.printed_texts():
        if any(marker in fold(text) for marker in INTERNAL_MARKERS):
            raise ValidationError(
                {"form": f"Biểu {form.code}: “{text}” là ghi chú nội bộ; chuyển điểm cần xác nhận sang “to_confirm”."}
            )


def _column(data: dict[str, Any], templates: dict[str, list[dict[str, Any]]], inherited: str | None) -> Column:
    measure = data.get("measure", inherited)
    raw_children = list(data.get("children", []))
    if "use" in data:
        if data["use"] not in templates:
            raise ValidationError({"form": f"Mẫu cột “{data['use']}” không được định nghĩa trong biểu."})
        raw_children = templates[data["use"]] + raw_children
    children = tuple(_column(child, templates, measure) for child in raw_children)
    if not children and measure is None:
        raise ValidationError({"form": f"Cột “{data.get('label', '')}” thiếu phép đếm (measure)."})
    return Column(
        label=str(data["label"]),
        filter=dict(data.get("filter", {})),
        measure=measure if not children else None,
        total=data.get("total"),
        children=children,
        to_confirm=_notes(data),
    )


def _date(value: Any, what: str) -> dt.date | None:
    return dated.iso_date(value, "form", what)


def parse_form(data: dict[str, Any]) -> FormDef:
    templates: dict[str, list[dict[str, Any]]] = data.get("templates", {})
    form = FormDef(
        code=str(data["code"]),
        version=str(data.get("version", "")),
        form_no=str(data.get("form_no", "")),
        circular=str(data.get("circular", "")),
        title=str(data["title"]),
        source=str(data["source"]),
        unit=str(data.get("unit", "")),
        base=dict(data.get("base", {})),
        rows=tuple(
            Row(str(r["label"]), dict(r.get("filter", {})), _notes(r))
            for r in data.get("rows", [{"label": "{office}"}])
        ),
        columns=tuple(_column(c, templates, data.get("measure")) for c in data["columns"]),
        note=str(data.get("note", "")),
        order=int(data.get("order", 0)),
        short=str(data.get("short", "")),
        to_confirm=_notes(data),
        valid_from=_date(data.get("valid_from"), f"Biểu {data['code']}, valid_from"),
        valid_to=_date(data.get("valid_to"), f"Biểu {data['code']}, valid_to"),
        circulars=tuple(
            sorted(
                (_date(c["from"], f"Biểu {data['code']}, circulars") or dt.date.min, str(c["text"]))
                for c in data.get("circulars", [])
            )
        ),
    )
    _check_printed(form)
    return form


def load_file(path: Path) -> FormDef:
    return parse_form(json.loads(path.read_text(encoding="utf-8")))


@cache
def every_form() -> tuple[FormDef, ...]:
    """Every form of every version shipped in resources, newest version first."""
    forms = [load_file(p) for p in sorted(resource(FORMS_DIR).glob("*/*.json"))]
    return tuple(sorted(forms, key=lambda f: (-(f.valid_from or dt.date.min).toordinal(), f.order, f.code)))


def versions() -> list[str]:
    """The form-set versions, newest first."""
    return list(dict.fromkeys(f.version for f in every_form()))


def version_on(day: dt.date) -> str:
    """The version in force on ``day`` (the newest one when none covers it)."""
    for form in every_form():
        if form.applies_on(day):
            return form.version
    return versions()[0]


def all_forms(version: str | None = None, *, on: dt.date | None = None) -> tuple[FormDef, ...]:
    """The forms of one version in workbook order: ``version``, else the one in force ``on`` a day,
    else the newest."""
    chosen = version or (version_on(on) if on is not None else versions()[0])
    if chosen not in versions():
        raise NotFoundError(f"Không có bộ biểu báo cáo phiên bản “{chosen}”. Có: {', '.join(versions())}.")
    return tuple(sorted((f for f in every_form() if f.version == chosen), key=lambda f: (f.order, f.code)))


def get_form(code: str, version: str | None = None, *, on: dt.date | None = None) -> FormDef:
    wanted = code.strip().upper().replace("_", "-")
    forms = all_forms(version, on=on)
    for form in forms:
        if form.code.upper().replace("_", "-") == wanted:
            return form
    known = ", ".join(f.code for f in forms)
    raise NotFoundError(f"Không có biểu báo cáo “{code}” trong bộ biểu {forms[0].version}. Các biểu có sẵn: {known}.")
