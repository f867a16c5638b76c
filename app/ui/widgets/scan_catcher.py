"""Catching a CCCD card's QR text that a USB 2D scanner "types" into whatever field has the focus.

A scanner sends the text as key presses and ends with Enter. The catcher watches every line edit of
a form (a combo's own line edit too):

- key by key: at the first ``|`` the digits just typed before it (the CCCD) are taken back out of the
  field, and every following key goes to a buffer instead of the field (a field's length limit or
  validator, e.g. the 4-digit birth year, would otherwise cut the text); Enter hands the buffer over;
- text put in at once (a paste, or a scanner in "send as text" mode): at Enter, if the field holds a
  ``|``-separated text, that text is handed over.

Either way the field gets back the text it had before the scan, and Enter does not move on: the form
decides what to fill (``on_scan``), and a bad scan changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from app.services.common.errors import ValidationError
from app.services.reception import cccd_qr
from app.ui.context import UiContext

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_CCCD_DIGITS = 12


class ScanCatcher(QObject):
    """Install with ``ScanCatcher(form, on_scan)`` after the form's other key filters (it must see
    Enter first); ``on_scan`` receives the whole scanned text."""

    def __init__(self, form: QWidget, on_scan: Callable[[str], None]) -> None:
        super().__init__(form)
        self._on_scan = on_scan
        self._clean: dict[QLineEdit, str] = {}  # each field's last text without a "|"
        # The last keys typed in one field, each with the field's text before it.
        self._typed: list[tuple[str, str]] = []
        self._typed_in: QLineEdit | None = None
        self._capturing: QLineEdit | None = None
        self._buffer = ""
        self._before = ""
        for edit in form.findChildren(QLineEdit):
            self._clean[edit] = edit.text()
            edit.textChanged.connect(lambda text, e=edit: self._changed(e, text))
            edit.installEventFilter(self)

    def _changed(self, edit: QLineEdit, text: str) -> None:
        if "|" not in text:
            self._clean[edit] = text

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QLineEdit):
            return False
        if event.type() == QEvent.Type.FocusOut and self._capturing is watched:
            self._stop(watched)  # the scan was cut short: nothing is filled
            return False
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if self._capturing is watched:
            return self._capture_key(watched, event)
        text = event.text()
        if event.key() in _ENTER:
            return self._enter_on_text(watched)
        if text == "|":
            self._start(watched)
            return True
        if self._typed_in is not watched:
            self._typed, self._typed_in = [], watched
        if text and text.isprintable():
            self._typed = [*self._typed[-(_CCCD_DIGITS - 1) :], (text, watched.text())]
        else:
            self._typed = []
        return False

    # ---- key by key ---------------------------------------------------------------------------
    def _start(self, edit: QLineEdit) -> None:
        digits: list[tuple[str, str]] = []
        if self._typed_in is edit:
            for key in reversed(self._typed):
                if not key[0].isdigit():
                    break
                digits.insert(0, key)
        self._before = digits[0][1] if digits else edit.text()
        self._buffer = "".join(key for key, _ in digits) + "|"
        self._capturing = edit
        self._typed = []
        edit.setText(self._before)

    def _capture_key(self, edit: QLineEdit, event: QKeyEvent) -> bool:
        if event.key() in _ENTER:
            text = self._buffer
            self._stop(edit)
            self._on_scan(text)
        elif event.key() == Qt.Key.Key_Escape:
            self._stop(edit)
        elif event.text() and event.text().isprintable():
            self._buffer += event.text()
        return True

    def _stop(self, edit: QLineEdit) -> None:
        self._capturing = None
        self._buffer = ""
        edit.setText(self._before)

    # ---- text put in at once ------------------------------------------------------------------
    def _enter_on_text(self, edit: QLineEdit) -> bool:
        current = edit.text()
        if not cccd_qr.looks_like_scan(current):
            return False
        before = self._clean.get(edit, "")
        start = 0
        while start < min(len(before), len(current)) and before[start] == current[start]:
            start += 1
        end = 0
        while end < min(len(before), len(current)) - start and before[-1 - end] == current[-1 - end]:
            end += 1
        scanned = current[start : len(current) - end]
        edit.setText(before)
        self._on_scan(scanned)
        return True


def read_scan(ctx: UiContext, text: str) -> tuple[cccd_qr.Scan | None, str]:
    """The checked scan and the message for the form; ``None`` and the reason when it is refused."""
    try:
        with ctx.db.session() as session:
            scan = cccd_qr.read_scan(session, text)
    except ValidationError as exc:
        return None, exc.fields.get(cccd_qr.SCAN_KEY, str(exc))
    return scan, scan.message()
