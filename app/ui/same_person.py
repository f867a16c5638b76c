"""The one question asked when a CCCD typed is recorded for someone else: never merge silently."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtWidgets import QWidget

from app.services.reception.citizens import IdentityConflict
from app.ui import feedback

Data = TypeVar("Data", bound=Any)
Saved = TypeVar("Saved")


def ask_same_person(parent: QWidget, conflict: IdentityConflict, typed_name: str) -> bool:
    born = f", sinh năm {conflict.birth_year}" if conflict.birth_year else ""
    return feedback.confirm(
        parent,
        f"Số CCCD này đã ghi cho công dân “{conflict.full_name}”{born}.\n"
        f"“{typed_name.strip()}” và “{conflict.full_name}” có phải cùng một người không?\n\n"
        "Cùng một người: hồ sơ công dân được cập nhật theo thông tin vừa nhập (có ghi nhật ký).\n"
        "Không phải: kiểm tra lại số CCCD.",
        yes="Cùng một người",
        no="Không phải, sửa số CCCD",
    )


def save_asking(parent: QWidget, typed_name: str, attempt: Callable[[Data], Saved], data: Data) -> Saved:
    """``attempt(data)``; on a CCCD held by another record, ask, and save again under that record
    when the clerk says it is the same person. Otherwise the conflict goes back to the form."""
    try:
        return attempt(data)
    except IdentityConflict as conflict:
        if not ask_same_person(parent, conflict, typed_name):
            raise
        return attempt(dataclasses.replace(data, citizen_id=conflict.citizen_id))
