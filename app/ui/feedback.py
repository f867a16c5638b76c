"""The one funnel for telling the user something: field errors, refusals, questions and bugs.

``show_error`` sorts an exception: a ``ValidationError`` goes back to the form that raised it
(its ``show_errors(fields)``), any other ``AppError`` is a message box with its Vietnamese
``user_message``, and anything else is a bug: logged to a file and shown as such.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Protocol, runtime_checkable

import shiboken6
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from app.paths import data_dir
from app.services.common.errors import AppError, ValidationError

TITLE = "TiếpDân"
log = logging.getLogger(__name__)


@runtime_checkable
class ShowsFieldErrors(Protocol):
    def show_errors(self, fields: dict[str, str]) -> None: ...


def crash_log_path() -> Path:
    return data_dir() / "loi-chuong-trinh.log"


def _box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    text: str,
    detail: str | None = None,
    title: str = TITLE,
) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    if detail:
        box.setDetailedText(detail)
    return box


def show_info(parent: QWidget | None, text: str, title: str = TITLE) -> None:
    box = _box(parent, QMessageBox.Icon.Information, text, title=title)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def confirm(parent: QWidget | None, question: str, *, yes: str = "Đồng ý", no: str = "Hủy") -> bool:
    return choose(parent, question, (yes,), cancel=no) == 0


def choose(parent: QWidget | None, question: str, choices: Sequence[str], *, cancel: str = "Hủy") -> int | None:
    """Which of ``choices`` the user picked, ``None`` for ``cancel`` (the default: Enter never
    commits to anything the user did not read)."""
    box = _box(parent, QMessageBox.Icon.Question, question)
    buttons = [box.addButton(text, QMessageBox.ButtonRole.AcceptRole) for text in choices]
    cancel_button = box.addButton(cancel, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel_button)
    box.setEscapeButton(cancel_button)
    before = QApplication.focusWidget()
    box.exec()
    if before is not None and shiboken6.isValid(before) and before.isVisible():
        before.activateWindow()
        before.setFocus()  # the clerk goes on typing where they were
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else None


def show_status(widget: QWidget, text: str, timeout_ms: int = 8000) -> None:
    """A short message in the main window's status bar, when the widget sits in one."""
    window = widget.window()
    if isinstance(window, QMainWindow):
        window.statusBar().showMessage(text, timeout_ms)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, ValidationError):
        target: QWidget | None = parent
        while target is not None and not isinstance(target, ShowsFieldErrors):
            target = target.parentWidget()
        if target is not None:
            target.show_errors(exc.fields)
            return
        text = "Thông tin chưa hợp lệ:\n" + "\n".join(f"• {m}" for m in exc.fields.values())
        _warn(parent, text)
    elif isinstance(exc, AppError):
        _warn(parent, exc.user_message)
    else:
        report_bug(parent, type(exc), exc, exc.__traceback__)


def _warn(parent: QWidget | None, text: str) -> None:
    box = _box(parent, QMessageBox.Icon.Warning, text)
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def write_crash_log(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> tuple[str, Path | None]:
    text = "".join(traceback.format_exception(kind, exc, tb))
    extra = getattr(exc, "__traceback_text__", None)  # a worker thread's traceback (widgets.tasks)
    if extra:
        text += "\nTrong luồng nền:\n" + extra
    try:
        path = crash_log_path()
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"===== {dt.datetime.now().isoformat(timespec='seconds')}\n{text}\n")
    except OSError:
        return text, None
    return text, path


def report_bug(parent: QWidget | None, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """A defect, not a user mistake: log the traceback and say so plainly."""
    text, path = write_crash_log(kind, exc, tb)
    log.error("lỗi chương trình\n%s", text)
    if QApplication.instance() is None:
        return
    where = f"\n\nChi tiết đã được ghi vào tệp:\n{path}" if path else ""
    box = _box(
        parent,
        QMessageBox.Icon.Critical,
        "Đã xảy ra lỗi chương trình. Dữ liệu đã lưu trước đó không bị ảnh hưởng; thao tác vừa rồi có thể "
        "chưa hoàn tất.\nHãy báo cho quản trị hệ thống kèm tệp nhật ký lỗi." + where,
        detail=text,
        title="TiếpDân — lỗi chương trình",
    )
    box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
    box.exec()
