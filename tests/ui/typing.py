"""Typing into widgets like a person, Vietnamese included.

``QTest.keyClicks`` aborts the whole process on any non-ASCII character (docs/ecosystem.md §1),
so text goes in as key events that carry it, sent with ``QApplication.sendEvent``. Keys go to
an open popup first, as they do on a real screen (a completer list, a combo list).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

NO_MODS = Qt.KeyboardModifier.NoModifier


def _target(widget: QWidget) -> QWidget:
    popup = QApplication.activePopupWidget()
    return popup if popup is not None and popup.isVisible() else widget


def type_text(widget: QWidget, text: str) -> None:
    for ch in text:
        target = _target(widget)
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, 0, NO_MODS, ch))
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, 0, NO_MODS, ch))
    QApplication.processEvents()


def press(widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = NO_MODS) -> None:
    """One key (Enter, Tab, Ctrl+S …) by key code: shortcuts fire as on a real keyboard.

    ``QTest.keyClick`` with a ``Qt.Key`` is safe; only its character overload has the ASCII trap.
    """
    QTest.keyClick(_target(widget), key, modifiers)
    QApplication.processEvents()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "no widget has the keyboard focus"
    return widget
