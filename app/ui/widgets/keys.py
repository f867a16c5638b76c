"""Keyboard habits of a data-entry form: Enter moves to the next field like Tab.

In a multi-line text Enter is a new line, so there Ctrl+Enter moves on. An open combo
popup keeps Enter for choosing the highlighted item.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QPlainTextEdit, QTextEdit, QWidget

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _combo_popup_open(widget: QWidget) -> bool:
    combo = widget if isinstance(widget, QComboBox) else widget.parentWidget()
    if not isinstance(combo, QComboBox):
        return False
    view = combo.view()
    completer = combo.completer()
    popup = completer.popup() if completer is not None else None
    return bool((view is not None and view.isVisible()) or (popup is not None and popup.isVisible()))


def _owner(widget: QWidget) -> QWidget:
    """The compound widget a part belongs to (a spin box's or a combo's own line edit)."""
    parent = widget.parentWidget()
    while parent is not None and isinstance(parent, QAbstractSpinBox | QComboBox):
        widget, parent = parent, parent.parentWidget()
    return widget


def _takes_tab(widget: QWidget) -> bool:
    return (
        widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.focusProxy() is None
    )


def move_focus(widget: QWidget, forward: bool = True) -> None:
    """What Tab does between fields, from ``widget`` (a date edit's own Tab would only move between its sections)."""
    origin = _owner(widget)
    candidate = origin.nextInFocusChain() if forward else origin.previousInFocusChain()
    while candidate is not None and candidate is not origin:
        if (
            not origin.isAncestorOf(candidate)
            and _takes_tab(candidate)
            and candidate.window() is origin.window()
            and not _owner(candidate).property(_ENTER_SKIPS)
        ):
            target = _owner(candidate)
            target.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
            return
        candidate = candidate.nextInFocusChain() if forward else candidate.previousInFocusChain()


_ENTER_SKIPS = "enter_skips"


def skip_on_enter(widget: QWidget) -> None:
    """Enter moving through a form passes ``widget`` by (Tab and the mouse still reach it): for a
    field that is rarely filled, so that it does not cost every record one more key."""
    widget.setProperty(_ENTER_SKIPS, True)


class EnterAdvances(QObject):
    """Install on the editors of a form with ``watch``; Enter then behaves like Tab."""

    def watch(self, *widgets: QWidget) -> None:
        for widget in widgets:
            widget.installEventFilter(self)
            if isinstance(widget, QComboBox) and widget.lineEdit() is not None:
                line = widget.lineEdit()
                assert line is not None
                line.installEventFilter(self)
            if isinstance(widget, QAbstractSpinBox):
                # The spin box's own line edit receives the keys when it holds the focus.
                for child in widget.findChildren(QWidget):
                    child.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() not in _ENTER:
            return False
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if isinstance(watched, QPlainTextEdit | QTextEdit):
            if mods != Qt.KeyboardModifier.ControlModifier:
                return False
        elif mods != Qt.KeyboardModifier.NoModifier or _combo_popup_open(watched):
            return False
        combo = watched if isinstance(watched, QComboBox) else watched.parentWidget()
        if isinstance(combo, QComboBox) and hasattr(combo, "commit_text"):
            combo.commit_text()
        move_focus(watched)
        return True
