"""Printed documents (Nghị định 30/2020/NĐ-CP): one template module per document, the reception register.

Entry points: ``render_document`` (any issued document), ``receipt_for_visit`` (issue + render at the
desk), ``render_daily_log`` (Sổ tiếp công dân), ``render_booking_list`` / ``render_agenda`` (a leader's
reception day). All return PDF bytes and record the print.

The names are loaded on first use (PEP 562): reportlab costs a third of a second to import,
and the window should not pay it at start-up for a printout that may never be asked for.

May import ``common``, ``security``, ``deadlines``, ``reception`` and ``casework``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.services.printing.daily_log import render_daily_log
    from app.services.printing.morning_brief import render_morning_brief
    from app.services.printing.reception_day import render_agenda, render_booking_list
    from app.services.printing.render import (
        BY_COMMAND,
        TEMPLATES,
        describe,
        issue_for_visit,
        latest_document,
        receipt_for_visit,
        render_document,
    )

_HOME = {
    "render_daily_log": "daily_log",
    "render_morning_brief": "morning_brief",
    "render_agenda": "reception_day",
    "render_booking_list": "reception_day",
    "BY_COMMAND": "render",
    "TEMPLATES": "render",
    "describe": "render",
    "issue_for_visit": "render",
    "latest_document": "render",
    "receipt_for_visit": "render",
    "render_document": "render",
}

__all__ = [
    "BY_COMMAND",
    "TEMPLATES",
    "describe",
    "issue_for_visit",
    "latest_document",
    "receipt_for_visit",
    "render_agenda",
    "render_booking_list",
    "render_daily_log",
    "render_document",
    "render_morning_brief",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
