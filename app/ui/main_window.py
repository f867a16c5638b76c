"""The main window: a navigation rail of sections on the left, the current section on the right.

Sections come from ``app.ui.sections.SECTIONS``; each is built the first time it is shown.
A section whose module does not exist yet says so plainly.

Leaving (closing the window, logging out) first asks the built pages for unsaved work: a page may
define ``unsaved_work(self) -> str | None``, a short description such as "một lượt tiếp đang nhập dở".
"""

from __future__ import annotations

import importlib
import importlib.util

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import make_url

from app import __version__
from app.ui import feedback
from app.ui.account_menu import AccountButton
from app.ui.context import UiContext
from app.ui.sections import SECTIONS

SECTIONS_PACKAGE = "app.ui.sections"


def section_available(key: str) -> bool:
    return importlib.util.find_spec(f"{SECTIONS_PACKAGE}.{key}") is not None


def placeholder(title: str, text: str | None = None) -> QWidget:
    page = QWidget()
    label = QLabel(text or f"Chức năng {title} chưa có trong phiên bản này.")
    label.setObjectName("placeholder")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("color: #555; font-size: 12pt;")
    layout = QVBoxLayout(page)
    layout.addWidget(label)
    return page


def database_location(ctx: UiContext) -> str:
    """The file path for SQLite (what a clerk recognises), the URL without password otherwise."""
    url = make_url(ctx.db.url)
    if url.get_backend_name() == "sqlite" and url.database:
        return url.database
    return ctx.db.describe()


class MainWindow(QMainWindow):
    # The user chose "Đăng xuất" and agreed to leave any unsaved work: whoever opened the window closes it.
    signed_out = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self._leave_confirmed = False
        self.setWindowTitle(f"TiếpDân {__version__} — tiếp công dân và xử lý đơn thư")
        self.keys = [key for key, _title in SECTIONS]
        self.titles = dict(SECTIONS)
        self._built: dict[str, QWidget] = {}
        self._shown_row = -1

        self.rail = QListWidget()
        self.rail.setObjectName("rail")
        self.rail.setFixedWidth(168)
        self.rail.setIconSize(QSize(0, 0))
        self.rail.setSpacing(2)
        self.rail.setStyleSheet(
            "QListWidget#rail { background: #24384f; color: #e8eef5; border: none; padding-top: 6px; }"
            "QListWidget#rail::item { padding: 9px 10px; }"
            "QListWidget#rail::item:selected { background: #3d6a99; color: white; }"
        )
        self.stack = QStackedWidget()
        for number, (key, title) in enumerate(SECTIONS, start=1):
            item = QListWidgetItem(title)
            item.setToolTip(f"{title} (Ctrl+{number})")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.rail.addItem(item)
            self.stack.addWidget(QWidget())  # replaced by the real page on first show
            QShortcut(QKeySequence(f"Ctrl+{number}"), self, lambda k=key: self.show_section(k))
        self.rail.currentRowChanged.connect(self._row_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        status = self.statusBar()
        self.overdue_label = QLabel()
        self.overdue_label.setObjectName("overdue")
        self.account = AccountButton(ctx, self.log_out)
        self.db_label = QLabel(f"Dữ liệu: {database_location(ctx)}")
        self.db_label.setToolTip(ctx.db.describe())
        for label in (self.overdue_label, self.db_label):
            label.setContentsMargins(6, 0, 6, 0)
        for widget in (self.overdue_label, self.account, self.db_label):
            status.addPermanentWidget(widget)
        self.set_overdue_count(None)

    # ---- sections -----------------------------------------------------------------------------
    def show_section(self, key: str) -> QWidget:
        row = self.keys.index(key)
        self.rail.setCurrentRow(row)
        return self.section(key)

    def section(self, key: str) -> QWidget:
        """The page of ``key``, built now if it has not been shown yet."""
        if key not in self._built:
            row = self.keys.index(key)
            page = self._create(key)
            old = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            if old is not None:
                self.stack.removeWidget(old)
                old.deleteLater()
            self._built[key] = page
        return self._built[key]

    def _create(self, key: str) -> QWidget:
        title = self.titles[key]
        if not section_available(key):
            return placeholder(title)
        try:
            module = importlib.import_module(f"{SECTIONS_PACKAGE}.{key}")
            page: QWidget = module.create(self.ctx)
        except Exception as exc:
            feedback.show_error(self, exc)
            return placeholder(title, f"Không mở được chức năng {title}. Xem thông báo lỗi vừa hiện.")
        return page

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        self._mark_unsaved(self._shown_row, left=True)
        page = self.section(self.keys[row])
        self.stack.setCurrentWidget(page)
        self._shown_row = row
        self._mark_unsaved(row, left=False)
        page.setFocus(Qt.FocusReason.OtherFocusReason)

    def _mark_unsaved(self, row: int, *, left: bool) -> None:
        """Switching section loses nothing (each page stays as it was left), so it does not ask: the
        section left with unsaved input keeps a dot on the rail until it is shown again."""
        item = self.rail.item(row) if row >= 0 else None
        if item is None:
            return
        key = self.keys[row]
        page = self._built.get(key)
        ask = getattr(page, "unsaved_work", None)
        pending = ask() if left and callable(ask) else None
        title = self.titles[key]
        item.setText(f"{title}  ●" if pending else title)
        item.setToolTip(f"{title}: còn {pending}" if pending else f"{title} (Ctrl+{row + 1})")

    def current_key(self) -> str:
        return self.keys[self.rail.currentRow()]

    # ---- status bar ---------------------------------------------------------------------------
    def set_overdue_count(self, n: int | None) -> None:
        """Filled by the follow-up section: how many legal steps are past their due date."""
        if n is None:
            self.overdue_label.setText("")
            self.overdue_label.hide()
            return
        self.overdue_label.show()
        if n:
            self.overdue_label.setText(f"Quá hạn: {n} việc")
            self.overdue_label.setStyleSheet("color: #b3261e; font-weight: bold;")
        else:
            self.overdue_label.setText("Không có việc quá hạn")
            self.overdue_label.setStyleSheet("color: #1b5e20;")

    # ---- leaving ------------------------------------------------------------------------------
    def unsaved_work(self) -> list[str]:
        """What the built pages would lose, each in the page's own words."""
        found: list[str] = []
        for page in self._built.values():
            ask = getattr(page, "unsaved_work", None)
            text = ask() if callable(ask) else None
            if text:
                found.append(str(text))
        return found

    def may_leave(self, leave_text: str) -> bool:
        """True when nothing is unsaved, or the user chose ``leave_text`` over "Quay lại"."""
        pending = self.unsaved_work()
        if not pending:
            return True
        question = "Còn việc chưa lưu:\n" + "\n".join(f"• {text}" for text in pending) + "\n\nBỏ những việc này?"
        if feedback.choose(self, question, (leave_text,), cancel="Quay lại") != 0:
            return False
        self._discard_unsaved()
        return True

    def _discard_unsaved(self) -> None:
        """The user chose to drop what was typed: its drafts are not offered back at the next start."""
        for page in self._built.values():
            discard = getattr(page, "discard_unsaved", None)
            if callable(discard):
                discard()

    def leave_without_asking(self) -> None:
        """Close later without the unsaved-work question, keeping the drafts (as a crash would)."""
        self._leave_confirmed = True

    def log_out(self) -> None:
        """Đăng xuất / đổi người dùng: after the unsaved-work question, ``signed_out`` asks the owner to close."""
        if not self.may_leave("Bỏ và đăng xuất"):
            return
        self._leave_confirmed = True
        self.signed_out.emit()

    def close_confirmed(self) -> None:
        """Close without asking again (the user already agreed to leave)."""
        self._leave_confirmed = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._leave_confirmed or self.may_leave("Bỏ và thoát"):
            self._leave_confirmed = True
            event.accept()
        else:
            event.ignore()
