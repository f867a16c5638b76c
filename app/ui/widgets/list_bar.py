"""The parts every filtered list shares: a search box that waits for a pause in typing, at the end
of the filter bar the number of rows found with “Xuất Excel…” for exactly those rows, and the
reloading rules (on a filter change; when shown again after the data changed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget

from app.services.security.permissions import Permission, allowed
from app.ui.context import UiContext
from app.ui.widgets.lazy_table import BackgroundIdModel

if TYPE_CHECKING:
    from app.ui.reports.export_dialog import ExportDialog

SEARCH_DEBOUNCE_MS = 300  # a search runs once typing pauses, not on every keystroke


class SearchBox(QLineEdit):
    """A search field whose search runs once typing pauses, not on every keystroke."""

    def __init__(self, placeholder: str, search: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.pause = QTimer(self)
        self.pause.setSingleShot(True)
        self.pause.setInterval(SEARCH_DEBOUNCE_MS)
        self.pause.timeout.connect(search)
        self.textChanged.connect(lambda _t: self.pause.start())


class ListSummary(QWidget):
    """“12.345 lượt tiếp” and the export of the filtered list (in its current order)."""

    def __init__(
        self, ctx: UiContext, model: BackgroundIdModel[Any, Any], entity: str, unit: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.model, self.entity = ctx, model, entity
        self._dialog: QWidget | None = None
        self.count = QLabel("Đang tải…")
        self.count.setMinimumWidth(130)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.export_button = QPushButton("Xuất Excel…")
        self.export_button.setToolTip("Xuất đúng các dòng đang lọc, theo thứ tự đang xếp, ra tệp Excel")
        self.export_button.setVisible(allowed(ctx.actor, Permission.EXPORT))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.count)
        layout.addWidget(self.export_button)
        model.loading.connect(self._loading)
        model.loaded.connect(lambda n: self._loaded(n, unit))
        self.export_button.clicked.connect(self.open_export)

    def _loading(self) -> None:
        self.count.setText("Đang tải…")
        self.export_button.setEnabled(False)

    def _loaded(self, n: int, unit: str) -> None:
        self.count.setText(f"{n:,} {unit}".replace(",", "."))
        self.export_button.setEnabled(True)

    def open_export(self) -> ExportDialog | None:
        ids = self.model.ids()
        if not ids:
            QMessageBox.information(self, "Xuất Excel", "Danh sách đang lọc không có dòng nào để xuất.")
            return None
        if self._dialog is not None and not self._dialog.isVisible():
            self._dialog.deleteLater()  # a finished export's dialog; one still running stays open
        from app.ui.reports.export_dialog import ExportDialog  # the spreadsheet writer loads on first use

        self._dialog = ExportDialog(self.ctx, self, ids=ids, entity=self.entity)
        self._dialog.show()
        return self._dialog


class FilteredList(QWidget):
    """A list over a background id model, filtered by the widgets of its bar.

    Subclasses build ``model``, ``text`` and the bar, and say what ``current_filter`` is.
    """

    open_requested = Signal(int)
    model: BackgroundIdModel[Any, Any]
    text: SearchBox

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dirty = True

    def current_filter(self) -> Any:
        raise NotImplementedError

    def apply_filter(self) -> None:
        self.text.pause.stop()  # a change of another filter already runs the search
        self._dirty = False
        self.model.reload(self.current_filter())

    def refresh(self) -> None:
        """Data changed: reload now if on screen, else when next shown."""
        if self.isVisible():
            self.apply_filter()
        else:
            self._dirty = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.apply_filter()
