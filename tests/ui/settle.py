"""The end of a UI test: nothing of its windows may run against the database once it is closed."""

from __future__ import annotations

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QApplication


def settle() -> None:
    """Stop the windows' timers (a search still waiting for a pause in typing would run after the
    test, against a database that is gone: a PostgreSQL test database is dropped), then let the
    background reads end, which hold sessions."""
    for widget in QApplication.topLevelWidgets():
        for timer in widget.findChildren(QTimer):
            timer.stop()
    QThreadPool.globalInstance().waitForDone(10_000)
