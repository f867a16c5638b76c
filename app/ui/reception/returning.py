"""The returning-citizen panel: earlier citizens matching what the clerk is typing.

Searches run in a worker with their own session after a short pause in typing, so the form
never waits for the database; an answer to an older query is dropped.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from app.services.common import vocab
from app.services.common.errors import AppError
from app.services.common.text import search_tokens
from app.services.reception import citizens
from app.services.reception.citizens import CitizenMatch
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.widgets.tasks import TaskRunner

DEBOUNCE_MS = 250
_HINT = "Gõ họ tên hoặc số CCCD ở biểu mẫu: công dân đã đến sẽ hiện ở đây.\nF3: chuyển vào danh sách; Enter: dùng."


def _facts(match: CitizenMatch) -> str:
    facts = [f"sinh {match.birth_year}" if match.birth_year else "", match.id_number or "", match.phone or ""]
    return " · ".join(f for f in facts if f)


def describe(match: CitizenMatch) -> str:
    """The lines a clerk reads to recognise the person (plain text: tooltips, screen readers, tests)."""
    lines = [" · ".join(p for p in (match.full_name, _facts(match)) if p)]
    if match.address:
        lines.append(match.address)
    if match.visit_count:
        lines.append(f"Đã đến {match.visit_count} lượt; gần nhất:")
        lines += [f"  {v.received_on:%d/%m/%Y}: {_short(v.summary)}" for v in match.last_visits]
    else:
        lines.append("Chưa có lượt tiếp nào.")
    if match.open_petitions:
        lines.append("Đơn đang xử lý:")
        lines += [
            f"  Số {p.number} ({p.received_on:%d/%m/%Y}, {vocab.label(p.status).lower()}): {_short(p.summary)}"
            for p in match.open_petitions
        ]
    return "\n".join(lines)


def describe_html(match: CitizenMatch) -> str:
    """The same, laid out: the name in bold, the history in grey."""
    body = describe(match).split("\n")[1:]
    head = f"<b>{escape(match.full_name)}</b>"
    if _facts(match):
        head += f" <span style='color:#444'>· {escape(_facts(match))}</span>"
    rest = "<br>".join(escape(line).replace("  ", "&nbsp;&nbsp;") for line in body)
    return f"{head}<br><span style='color:#555'>{rest}</span>"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ReturningPanel(QWidget):
    chosen = Signal(int)  # citizen id

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._query = ""
        self._runner = TaskRunner(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run)

        title = QLabel("Công dân đã đến")
        title.setStyleSheet("font-weight: bold;")
        self.status = QLabel(_HINT)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #555;")
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.itemActivated.connect(lambda _item: self.choose())
        self.use_button = QPushButton("Dùng thông tin này")
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self.choose)
        self.list.currentRowChanged.connect(lambda row: self.use_button.setEnabled(row >= 0))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.use_button, 0, Qt.AlignmentFlag.AlignRight)

    def search(self, query: str) -> None:
        """Called on every keystroke; the search itself waits for a pause."""
        self._query = query.strip()
        self._timer.start()

    def _run(self) -> None:
        query = self._query
        if len("".join(search_tokens(query))) < 2:
            self._runner.cancel()
            self._show([], query)
            return
        self.status.setText("Đang tìm…")

        def job() -> list[CitizenMatch]:
            with self.ctx.db.session() as session:
                return citizens.find_returning(session, query)

        self._runner.submit(job, lambda matches: self._show(matches, query), self._failed)

    def _failed(self, exc: BaseException) -> None:
        # The panel is a help, not a step: say it could not search and let the clerk go on typing.
        if isinstance(exc, AppError):
            self.status.setText(f"Không tìm được công dân đã đến: {exc.user_message}")
        else:
            feedback.show_error(self, exc)

    def _show(self, matches: list[CitizenMatch], query: str) -> None:
        self.list.clear()
        width = self.list.viewport().width() - 12
        for match in matches:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, match.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, describe(match))
            item.setToolTip(describe(match))
            label = QLabel(describe_html(match))
            label.setWordWrap(True)
            label.setContentsMargins(4, 3, 4, 3)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            label.setFixedWidth(max(width, 200))
            item.setSizeHint(label.sizeHint())
            self.list.addItem(item)
            self.list.setItemWidget(item, label)
        if not query or len("".join(search_tokens(query))) < 2:
            self.status.setText(_HINT)
        elif matches:
            self.status.setText(f"{len(matches)} công dân khớp với “{query}”. Chọn để điền vào biểu mẫu.")
        else:
            self.status.setText(f"Không có công dân nào khớp với “{query}”: đây là người đến lần đầu.")
        self.use_button.setEnabled(False)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Rich-text rows wrap to the panel's width: re-measure them when it changes.
        width = max(self.list.viewport().width() - 12, 200)
        for row in range(self.list.count()):
            item = self.list.item(row)
            label = self.list.itemWidget(item)
            if label is not None:
                label.setFixedWidth(width)
                item.setSizeHint(label.sizeHint())

    def text_of(self, row: int) -> str:
        return str(self.list.item(row).data(Qt.ItemDataRole.AccessibleTextRole))

    def matches(self) -> list[int]:
        return [int(self.list.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.list.count())]

    def focus_list(self) -> None:
        if self.list.count():
            self.list.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if self.list.currentRow() < 0:
                self.list.setCurrentRow(0)

    def choose(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def clear(self) -> None:
        self._timer.stop()
        self._runner.cancel()
        self._query = ""
        self._show([], "")
