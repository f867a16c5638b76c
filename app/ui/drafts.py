"""Keeping a form's draft while the user types, so that a crash or a power cut loses nothing.

A ``DraftKeeper`` looks at its form every few seconds (as an office suite's autosave does): a
form holding unsaved input is stored encrypted (``records.drafts``), an emptied or saved form drops
its draft. Looking rather than listening to every editor's signal keeps the forms unaware of it.
A draft that cannot be written (the database busy a moment) is tried again at the next look; it
never interrupts the clerk with a message box.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from app.models import LOCAL_TZ
from app.services.records import drafts
from app.ui.context import UiContext
from app.ui.widgets.form_state import State

log = logging.getLogger(__name__)

INTERVAL_MS = 3000
SAVED_AT = "%H:%M %d/%m/%Y"


class DraftKeeper(QObject):
    """``state()`` gives the form's draft, or ``None`` when the form holds nothing unsaved."""

    def __init__(self, ctx: UiContext, form: str, state: Callable[[], State | None], parent: QObject) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form = form
        self._state = state
        self._kept: State | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.look)
        self._timer.start()

    def pending(self) -> drafts.Draft | None:
        """The draft left by an earlier run (offered back when the form opens)."""
        try:
            with self.ctx.db.session() as session:
                found = drafts.find(session, self.ctx.actor, self.form)
        except Exception:
            log.exception("reading the %s draft failed", self.form)
            return None
        if found is not None:
            self._kept = found.state
        return found

    def look(self) -> None:
        state = self._state()
        if state == self._kept:
            return
        try:
            with self.ctx.db.transaction() as session:
                if state is None:
                    drafts.drop(session, self.ctx.actor, self.form)
                else:
                    drafts.keep(session, self.ctx.actor, self.form, state)
        except Exception:
            log.exception("keeping the %s draft failed", self.form)
            return
        self._kept = state

    def drop(self) -> None:
        """The form was saved or deliberately emptied: its draft goes now, not at the next look."""
        self._kept = {}  # differs from None, so that a failed drop is tried again
        try:
            with self.ctx.db.transaction() as session:
                drafts.drop(session, self.ctx.actor, self.form)
        except Exception:
            log.exception("dropping the %s draft failed", self.form)
            return
        self._kept = None


def saved_at_text(draft: drafts.Draft) -> str:
    """When the draft was last kept, as the clerk reads a time: 09:41 07/12/2026."""
    return draft.saved_at.astimezone(LOCAL_TZ).strftime(SAVED_AT)


def restored_message(what: str, draft: drafts.Draft) -> str:
    return (
        f"Đã khôi phục {what} đang nhập dở (tự lưu lúc {saved_at_text(draft)}). "
        "Kiểm tra lại rồi lưu, hoặc bỏ đi nếu không cần."
    )
