"""The official form number of each printed template and the reception register's columns, as data.

Both come from ``resources/templates.json`` so that an office (or a later release) corrects a
number or a heading without new code; the file says, per entry, whether it was confirmed
against the instrument and where it comes from.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.models.enums import DocumentType
from app.paths import resource
from app.services.common.text import nfc

TEMPLATES_FILE = resource("templates.json")


@dataclass(frozen=True)
class FormNumber:
    form_no: str | None  # "Mẫu số 03"; None: not known, nothing is printed
    instrument: str  # "Thông tư 04/2021/TT-TTCP"
    confirmed: bool
    source: str


@dataclass(frozen=True)
class RegisterColumn:
    key: str
    heading: str
    width: float  # mm
    group: str = ""  # the merged heading above sub-columns ("Hướng xử lý")


@dataclass(frozen=True)
class RegisterLayout:
    title: str
    columns: tuple[RegisterColumn, ...]
    confirmed: bool
    source: str


@functools.cache
def _load(path: Path = TEMPLATES_FILE) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def form_number(doc_type: DocumentType) -> FormNumber:
    entry = _load()["templates"].get(doc_type.value, {})
    return FormNumber(
        form_no=nfc(entry["form_no"]) if entry.get("form_no") else None,
        instrument=nfc(entry.get("instrument", "")),
        confirmed=bool(entry.get("confirmed", False)),
        source=entry.get("source", ""),
    )


def form_line(doc_type: DocumentType) -> str:
    """What the page prints in its top corner ("Mẫu số 01"), or "" when the number is not known."""
    return form_number(doc_type).form_no or ""


def register_layout() -> RegisterLayout:
    entry = _load()["register"]
    return RegisterLayout(
        title=nfc(entry["title"]),
        columns=tuple(
            RegisterColumn(c["key"], nfc(c["heading"]), float(c["width"]), nfc(c.get("group", "")))
            for c in entry["columns"]
        ),
        confirmed=bool(entry.get("confirmed", False)),
        source=entry.get("source", ""),
    )
