"""Print preview: the pages of a PDF, zoomable, with "In…" (Qt print dialog) and "Lưu PDF…".

The pages are shown by QPdfView (it renders only the visible pages, on white paper), in a dialog
sized to the screen it opens on. It opens at "Vừa chiều rộng", so a landscape register reads
without scrolling sideways; the zoom bar and the buttons sit outside the scrolled area and stay
visible at any size the window can take.

QtPdf renders pages with a transparent background: pages sent to the printer are composited on
white first.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QMargins, QObject, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QKeySequence, QPainter, QShortcut, QWheelEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import AppError
from app.ui.feedback import show_error, show_status

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
FIT_WIDTH = QPdfView.ZoomMode.FitToWidth
FIT_PAGE = QPdfView.ZoomMode.FitInView
CUSTOM = QPdfView.ZoomMode.Custom
MODE_NAMES = {FIT_WIDTH: "Vừa chiều rộng", FIT_PAGE: "Vừa trang"}
SCREEN_SHARE = 0.92  # of the available screen the dialog takes when it opens
LARGEST = QSize(1400, 1100)  # no larger than this on a big screen


def on_white(image: QImage) -> QImage:
    """A transparent page image painted over white (a raw QtPdf render shows black when saved)."""
    out = QImage(image.size(), QImage.Format.Format_RGB32)
    out.fill(Qt.GlobalColor.white)
    painter = QPainter(out)
    painter.drawImage(0, 0, image)
    painter.end()
    return out


class PdfPages:
    """A PDF held in memory, rendered page by page."""

    def __init__(self, pdf: bytes) -> None:
        self._data = QByteArray(pdf)
        self._buffer = QBuffer(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument()
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise AppError("Không đọc được tệp PDF vừa tạo để xem trước.")

    @property
    def count(self) -> int:
        return int(self.document.pageCount())

    def render(self, page: int, dpi: float) -> QImage:
        points = self.document.pagePointSize(page)
        size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
        return on_white(self.document.render(page, size))

    def widest(self) -> tuple[float, float]:
        """(width, height) in points of the largest page: what "fit" must make room for."""
        sizes = [self.document.pagePointSize(p) for p in range(self.count)]
        return max(s.width() for s in sizes), max(s.height() for s in sizes)


def _tool(text: str, tip: str, keys: QKeySequence | QKeySequence.StandardKey | str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    sequence = QKeySequence(keys)
    button.setToolTip(f"{tip} ({sequence.toString(QKeySequence.SequenceFormat.NativeText)})")
    button.setAccessibleName(tip)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button


class PrintPreviewDialog(QDialog):
    def __init__(self, parent: QWidget | None, pdf: bytes, title: str, suggested_name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Xem trước khi in — {title}")
        self.setSizeGripEnabled(True)
        self.pdf = pdf
        self.suggested_name = suggested_name
        self.pages = PdfPages(pdf)

        self.view = QPdfView(self)
        self.view.setDocument(self.pages.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setPageSpacing(12)
        self.view.setDocumentMargins(QMargins(12, 12, 12, 12))  # grey round the paper shows its edges
        self.view.setZoomMode(FIT_WIDTH)
        self.view.setAccessibleName("Các trang văn bản")
        self.view.viewport().installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.addLayout(self._zoom_bar())
        layout.addWidget(self.view, 1)
        layout.addLayout(self._button_bar())
        self._fit_screen()
        self._show_zoom()
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        self._show_page(0)
        self.view.setFocus()

    # ---- layout ---------------------------------------------------------------------------------
    def _zoom_bar(self) -> QHBoxLayout:
        self.zoom_out_button = _tool("−", "Thu nhỏ", QKeySequence.StandardKey.ZoomOut)
        self.zoom_in_button = _tool("+", "Phóng to", QKeySequence.StandardKey.ZoomIn)
        self.fit_width_button = _tool("Vừa chiều rộng", "Vừa chiều rộng", "Ctrl+1")
        self.fit_page_button = _tool("Vừa trang", "Vừa trang", "Ctrl+2")
        for button in (self.fit_width_button, self.fit_page_button):
            button.setCheckable(True)
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("Vừa chiều rộng (100%)"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label = QLabel()
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.fit_width_button.clicked.connect(self.fit_width)
        self.fit_page_button.clicked.connect(self.fit_page)
        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, self.zoom_in),
            ("Ctrl+=", self.zoom_in),  # "+" needs Shift on most keyboards
            (QKeySequence.StandardKey.ZoomOut, self.zoom_out),
            ("Ctrl+1", self.fit_width),
            ("Ctrl+2", self.fit_page),
            ("Ctrl+P", self.print_pages),
            ("Ctrl+S", self.save_as),
        ):
            QShortcut(QKeySequence(keys), self, slot)
        bar = QHBoxLayout()
        for widget in (self.zoom_out_button, self.zoom_label, self.zoom_in_button):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.fit_width_button)
        bar.addWidget(self.fit_page_button)
        bar.addStretch(1)
        bar.addWidget(self.page_label)
        return bar

    def _button_bar(self) -> QHBoxLayout:
        self.status = QLabel(f"{self.pages.count} trang")
        self.print_button = QPushButton("In…")
        self.print_button.setToolTip("In văn bản (Ctrl+P)")
        self.save_button = QPushButton("Lưu PDF…")
        self.save_button.setToolTip("Lưu thành tệp PDF (Ctrl+S)")
        self.close_button = QPushButton("Đóng")
        self.close_button.setToolTip("Đóng cửa sổ xem trước (Esc)")
        self.print_button.clicked.connect(self.print_pages)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        for button in (self.print_button, self.save_button, self.close_button):
            button.setAutoDefault(False)  # Enter in the pages must not print
        bar = QHBoxLayout()
        bar.addWidget(self.status, 1)
        for button in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(button)
        return bar

    def _fit_screen(self) -> None:
        """Most of the screen the dialog opens on, never more than it."""
        anchor = self.parentWidget()
        screen = anchor.screen() if anchor is not None else QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen is not None else LARGEST
        width = min(int(room.width() * SCREEN_SHARE), LARGEST.width())
        height = min(int(room.height() * SCREEN_SHARE), LARGEST.height())
        self.resize(max(width, self.minimumSizeHint().width()), max(height, self.minimumSizeHint().height()))

    # ---- zoom -----------------------------------------------------------------------------------
    def zoom(self) -> float:
        """The scale the pages are shown at (1.0: actual size), whatever the zoom mode."""
        mode = self.view.zoomMode()
        if mode == CUSTOM:
            return float(self.view.zoomFactor())
        margins = self.view.documentMargins()
        viewport = self.view.viewport().size()
        dots = self.view.logicalDpiX() / 72
        page_w, page_h = self.pages.widest()
        across = (viewport.width() - margins.left() - margins.right()) / (page_w * dots)
        if mode == FIT_WIDTH:
            return across
        return min(across, (viewport.height() - margins.top() - margins.bottom()) / (page_h * dots))

    def set_zoom(self, factor: float) -> None:
        self.view.setZoomMode(CUSTOM)
        self.view.setZoomFactor(max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], factor)))
        self._show_zoom()

    def zoom_in(self) -> None:
        current = self.zoom()
        self.set_zoom(next((s for s in ZOOM_STEPS if s > current * 1.01), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        current = self.zoom()
        self.set_zoom(next((s for s in reversed(ZOOM_STEPS) if s < current * 0.99), ZOOM_STEPS[0]))

    def fit_width(self) -> None:
        self.view.setZoomMode(FIT_WIDTH)
        self._show_zoom()

    def fit_page(self) -> None:
        self.view.setZoomMode(FIT_PAGE)
        self._show_zoom()

    def _show_zoom(self) -> None:
        mode = self.view.zoomMode()
        percent = f"{round(self.zoom() * 100)}%"
        self.zoom_label.setText(f"{MODE_NAMES[mode]} ({percent})" if mode in MODE_NAMES else percent)
        self.fit_width_button.setChecked(mode == FIT_WIDTH)
        self.fit_page_button.setChecked(mode == FIT_PAGE)
        self.zoom_in_button.setEnabled(self.zoom() < ZOOM_STEPS[-1] * 0.99)
        self.zoom_out_button.setEnabled(self.zoom() > ZOOM_STEPS[0] * 1.01)

    def _show_page(self, page: int) -> None:
        self.page_label.setText(f"Trang {page + 1}/{self.pages.count}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport():
            if event.type() == QEvent.Type.Resize:
                self._show_zoom()  # a fit mode's percentage follows the window
            elif isinstance(event, QWheelEvent) and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.zoom_in() if event.angleDelta().y() > 0 else self.zoom_out()
                return True
        return super().eventFilter(watched, event)

    # ---- print and save ---------------------------------------------------------------------------
    def print_pages(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.windowTitle())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("In văn bản")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        """Each page rendered at the printer's resolution, scaled into its paper rectangle."""
        painter = QPainter()
        if not painter.begin(printer):
            show_error(self, AppError("Không mở được máy in. Kiểm tra máy in rồi thử lại."))
            return
        try:
            dpi = min(printer.resolution(), 300)
            for page in range(self.pages.count):
                if page:
                    printer.newPage()
                image = self.pages.render(page, dpi)
                target = painter.viewport()
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(target.x(), target.y(), image.scaled(scaled))
        finally:
            painter.end()

    def save_as(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp PDF", self.suggested_name, "Tệp PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        try:
            path.write_bytes(self.pdf)
        except OSError as exc:
            show_error(self, AppError(f"Không lưu được tệp {path}: {exc.strerror}. Chọn thư mục khác."))
            return
        self.status.setText(f"Đã lưu {path}.")
        show_status(self.parentWidget() or self, f"Đã lưu {path.name}.")


def show_preview(parent: QWidget | None, pdf: bytes, title: str, suggested_name: str) -> None:
    """Open the preview as a modal dialog."""
    try:
        dialog = PrintPreviewDialog(parent, pdf, title, suggested_name)
    except AppError as exc:
        show_error(parent, exc)
        return
    dialog.exec()
