"""Printed documents (Nghị định 30/2020/NĐ-CP): one template module per document, the reception register.

Entry points: ``render_document`` (any issued document), ``receipt_for_visit`` (issue + render at the
desk), ``render_daily_log`` (Sổ tiếp công dân). All return PDF bytes and record the print.
"""

from app.services.printing.daily_log import render_daily_log
from app.services.printing.morning_brief import render_morning_brief
from app.services.printing.render import (
    BY_COMMAND,
    TEMPLATES,
    describe,
    issue_for_visit,
    latest_document,
    receipt_for_visit,
    render_document,
)

__all__ = [
    "BY_COMMAND",
    "TEMPLATES",
    "describe",
    "issue_for_visit",
    "latest_document",
    "receipt_for_visit",
    "render_daily_log",
    "render_document",
    "render_morning_brief",
]
