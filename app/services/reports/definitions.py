"""What each row and column of a report form counts, in words, for the form viewer (never printed).

The viewer shows an office how every figure is defined (the filters of the JSON form, read out in
Vietnamese) next to the points it has not yet confirmed, so the doubt lives on screen and the
workbook stays official.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from app.models.enums import (
    Competence,
    HandlingAction,
    Instance,
    MatterKind,
    MatterState,
    PetitionSource,
    PetitionStatus,
    ReceptionKind,
    ResolutionResult,
    SenderKind,
    VisitOutcome,
)
from app.services.common.vocab import label
from app.services.reports.forms import Column, FormDef

# Filters over stored codes: their Vietnamese name and the vocabulary their values come from.
CODED: dict[str, tuple[str, type[enum.StrEnum]]] = {
    "reception_kind": ("Hình thức tiếp", ReceptionKind),
    "matter_kind": ("Phân loại", MatterKind),
    "matter_state": ("Tình trạng vụ việc", MatterState),
    "outcome": ("Kết quả tiếp", VisitOutcome),
    "kind": ("Loại đơn", MatterKind),
    "source": ("Nguồn đơn", PetitionSource),
    "competence": ("Thẩm quyền", Competence),
    "status": ("Trạng thái", PetitionStatus),
    "sender_kind": ("Người gửi", SenderKind),
    "result": ("Kết quả giải quyết", ResolutionResult),
    "instance": ("Lần giải quyết", Instance),
    "event": ("Việc làm trong kỳ", HandlingAction),
}
FLAGS = {
    "is_crowd": "Đoàn đông người",
    "delegated": "Thủ trưởng ủy quyền cấp phó tiếp",
    "is_online": "Tiếp trực tuyến",
    "eligible": "Đủ điều kiện xử lý",
    "is_anonymous": "Đơn nặc danh",
    "is_beyond_level": "Vượt cấp",
    "is_prolonged": "Kéo dài",
}
# Filters over dates relative to the period: each value has its own sentence.
STAGES: dict[str, dict[Any, str]] = {
    "case_age": {"old": "vụ việc cũ (tiếp nhận trước kỳ)", "new": "vụ việc mới phát sinh trong kỳ"},
    "reception_round": {
        "first": "tiếp lần đầu (vụ việc chưa có lượt tiếp nào trước đó)",
        "repeat": "tiếp nhiều lần (vụ việc đã có lượt tiếp trước đó)",
    },
    "received": {
        "in_period": "tiếp nhận trong kỳ",
        "carried": "kỳ trước chuyển sang (chưa có hướng xử lý khi bắt đầu kỳ)",
        "in_scope": "tiếp nhận trong kỳ hoặc kỳ trước chuyển sang",
    },
    "accepted": {True: "đã thụ lý", "carried": "thụ lý từ kỳ trước", "in_period": "thụ lý trong kỳ"},
    "resolved": {
        "open_at_start": "chưa giải quyết xong khi bắt đầu kỳ",
        "in_period": "giải quyết xong trong kỳ",
        "pending": "chưa giải quyết xong đến hết kỳ",
    },
    "enforced": {"in_period": "thi hành trong kỳ"},
}
MEASURES = {
    "people": "cộng số người",
    "matters": "đếm số vụ việc (mỗi vụ việc một lần)",
    "money": "cộng số tiền (đồng)",
    "land": "cộng diện tích đất (m²)",
    "people_handled": "cộng số người bị xử lý",
    "documents": "đếm văn bản ban hành trong kỳ",
    "sessions": "đếm số ngày có tiếp (số kỳ tiếp)",
}
OFFICE_ROW = "(tên cơ quan báo cáo)"  # what the engine puts for "{office}"
COUNT = {"visit": "đếm số lượt tiếp", "petition": "đếm số đơn"}


@dataclass(frozen=True)
class Line:
    """One row or column of a form as the viewer lists it (columns indented by their depth)."""

    kind: str  # base | row | column | total
    depth: int
    label: str
    definition: str
    to_confirm: tuple[str, ...] = ()


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _code_label(vocabulary: type[enum.StrEnum], code: Any) -> str:
    try:
        return label(vocabulary(code))
    except ValueError:
        return str(code)  # a code the vocabulary no longer has: show it as written


def _part(name: str, value: Any, entity: str) -> str:
    if name == "not":
        return f"không phải ({describe(value, entity)})"
    if name == "any":
        return " hoặc ".join(f"({describe(item, entity)})" for item in value)
    if name in CODED:
        title, vocabulary = CODED[name]
        return f"{title}: {', '.join(_code_label(vocabulary, v) for v in _values(value))}"
    if name in FLAGS:
        answer = {True: "có", False: "không", None: "chưa ghi"}.get(value, str(value))
        return f"{FLAGS[name]}: {answer}"
    if name == "field":
        codes = ", ".join("chưa ghi lĩnh vực" if v is None else str(v) for v in _values(value))
        return f"Lĩnh vực (kể cả lĩnh vực con): {codes}"
    if name in STAGES:
        return STAGES[name].get(value, f"{name}: {value}")
    return f"{name}: {value}"


def describe(flt: dict[str, Any], entity: str) -> str:
    """A form's filter in words; an empty filter reads as "mọi hồ sơ"."""
    if not flt:
        return "mọi hồ sơ"
    return "; ".join(_part(name, value, entity) for name, value in flt.items())


def _measure(measure: str | None, entity: str) -> str:
    if measure is None or measure == "count":
        return COUNT.get(entity, "đếm số hồ sơ")
    return MEASURES.get(measure, measure)


def _columns(columns: tuple[Column, ...], depth: int, entity: str, lines: list[Line]) -> None:
    for column in columns:
        parts = [describe(column.filter, entity)] if column.filter else []
        if column.is_leaf:
            parts.append(_measure(column.measure, entity))
        definition = "; ".join(parts) or "nhóm cột (điều kiện áp dụng cho các cột bên dưới)"
        lines.append(Line("column", depth, column.label, definition, column.to_confirm))
        if column.total:  # the engine places the total first among the group's columns
            lines.append(Line("total", depth + 1, column.total, "tổng của các cột cùng nhóm (không đếm riêng)"))
        _columns(column.children, depth + 1, entity, lines)


def outline(form: FormDef) -> list[Line]:
    """The form's scope, rows and column tree with the definition of each, in display order."""
    source = "lượt tiếp trong Sổ tiếp công dân" if form.source == "visit" else "đơn thư"
    lines = [Line("base", 0, "Phạm vi", f"{source}: {describe(form.base, form.source)}")]
    lines += [
        Line("row", 0, row.label.replace("{office}", OFFICE_ROW), describe(row.filter, form.source), row.to_confirm)
        for row in form.rows
    ]
    _columns(form.columns, 0, form.source, lines)
    return lines
