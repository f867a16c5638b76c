"""Report form definitions, loaded from data (``resources/report_forms/*.json``).

A form is rows × a tree of columns. Every leaf column names a *measure* (what to add up) and the
tree carries *filters* over stored codes (a group's filter applies to everything under it). A group
may ask for a total column (``"total": "Tổng số"``); the engine fills it with the sum of the group's
parts, so a total can never disagree with its parts. ``templates`` let a group reuse a list of
columns (``"use": "name"``). A new version of a form (the circular changes) is a new file, not code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from app.paths import resource
from app.services.common.errors import NotFoundError, ValidationError

FORMS_DIR = "report_forms"
Filter = dict[str, Any]


@dataclass(frozen=True)
class Column:
    label: str
    filter: Filter = field(default_factory=dict)
    measure: str | None = None
    total: str | None = None  # label of the computed total column placed first among the children
    children: tuple[Column, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Row:
    label: str
    filter: Filter = field(default_factory=dict)


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
    )


def parse_form(data: dict[str, Any]) -> FormDef:
    templates: dict[str, list[dict[str, Any]]] = data.get("templates", {})
    return FormDef(
        code=str(data["code"]),
        version=str(data.get("version", "")),
        form_no=str(data.get("form_no", "")),
        circular=str(data.get("circular", "")),
        title=str(data["title"]),
        source=str(data["source"]),
        unit=str(data.get("unit", "")),
        base=dict(data.get("base", {})),
        rows=tuple(Row(str(r["label"]), dict(r.get("filter", {}))) for r in data.get("rows", [{"label": "{office}"}])),
        columns=tuple(_column(c, templates, data.get("measure")) for c in data["columns"]),
        note=str(data.get("note", "")),
        order=int(data.get("order", 0)),
        short=str(data.get("short", "")),
    )


def load_file(path: Path) -> FormDef:
    return parse_form(json.loads(path.read_text(encoding="utf-8")))


@cache
def all_forms() -> tuple[FormDef, ...]:
    """Every form shipped in resources, in the order they appear in the workbook."""
    forms = [load_file(p) for p in sorted(resource(FORMS_DIR).glob("*.json"))]
    return tuple(sorted(forms, key=lambda f: (f.order, f.code)))


def get_form(code: str) -> FormDef:
    wanted = code.strip().upper().replace("_", "-")
    for form in all_forms():
        if form.code.upper().replace("_", "-") == wanted:
            return form
    known = ", ".join(f.code for f in all_forms())
    raise NotFoundError(f"Không có biểu báo cáo “{code}”. Các biểu có sẵn: {known}.")
