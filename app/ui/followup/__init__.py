"""The follow-up board (Theo dõi): open legal steps by due date, per officer or per body."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


# Here rather than in ``board``: the main window's overdue count is shown at start-up, the board's
# code loads only when the section is first opened.
def update_indicator(window: QWidget | None, count: int) -> None:
    setter = getattr(window, "set_overdue_count", None)
    if callable(setter):
        setter(count)
