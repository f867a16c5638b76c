"""Live desks: what another desk commits shows on this one within about a second, unasked.

A timer asks the watcher (``app.services.common.changes``) which tables changed; each widget that
shows data declares the tables it reads in ``live_topics`` and has a ``refresh()``. Only the widgets
whose tables changed refresh, and a list that is not on screen only notes it (it reloads when shown).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.db import Database
from app.services.common import changes
from app.ui.widgets.list_bar import FilteredList

POLL_MS = 1000  # within the 2 seconds a clerk would wait for another desk's save to appear
log = logging.getLogger(__name__)

VISITS = frozenset({"visit", "visit_participant", "citizen", "case_file", "reception_day", "reception_booking"})
PETITIONS = frozenset({"petition", "petition_event", "petition_party", "deadline", "issued_document", "case_file"})
DEADLINES = frozenset({"deadline", "petition", "petition_event", "calendar_day"})


class LiveUpdates(QObject):
    """Polls the database for other desks' commits and refreshes the widgets of ``window`` they concern."""

    changed = Signal(object)  # the set of table names

    def __init__(self, db: Database, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.watcher: changes.Watcher | None = changes.watch(db.engine, db.url)
        self.timer = QTimer(self)
        self.timer.setObjectName("live_timer")
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.destroyed.connect(self._close)

    def poll(self) -> None:
        if self.watcher is None:
            return
        try:
            topics = self.watcher.poll()
        except Exception:  # a server that went away: the desk works on, without live updates
            log.exception("live updates stopped")
            self.stop()
            return
        if topics:
            self.changed.emit(topics)
            refresh_widgets(self.window, topics)

    def stop(self) -> None:
        self.timer.stop()
        self._close()

    def _close(self) -> None:
        watcher, self.watcher = self.watcher, None
        if watcher is not None:
            watcher.close()


def refresh_widgets(window: QWidget, topics: set[str]) -> None:
    """Refresh the shown widgets that read ``topics``; a hidden one refreshes when next shown."""
    for widget in window.findChildren(QWidget):
        wanted = getattr(widget, "live_topics", None)
        if not wanted or not wanted & topics:
            continue
        if widget.isVisible() or isinstance(widget, FilteredList):  # a list defers its own reload
            widget.refresh()  # type: ignore[attr-defined]
        elif widget.findChild(_RefreshOnShow) is None:
            widget.installEventFilter(_RefreshOnShow(widget))


class _RefreshOnShow(QObject):
    """Once: refresh ``widget`` when it is shown again (a section the clerk is not looking at)."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.widget = widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.Show:
            self.widget.removeEventFilter(self)
            self.deleteLater()
            self.widget.refresh()  # type: ignore[attr-defined]
        return False
