"""Print preview: the rendered pages of a PDF, with "In…" (Qt print dialog) and "Lưu PDF…".

QtPdf renders pages with a transparent background; every page is composited on white before it is
shown or sent to the printer (docs/ecosystem.md §1).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import AppError
from app.ui.feedback import show_error, show_status

PREVIEW_DPI = 80


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


class PrintPreviewDialog(QDialog):
    def __init__(self, parent: QWidget | None, pdf: bytes, title: str, suggested_name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Xem trước khi in — {title}")
        self.pdf = pdf
        self.suggested_name = suggested_name
        self.pages = PdfPages(pdf)

        column = QWidget()
        column.setObjectName("pages")
        # Grey around the pages, so the white paper shows its edges.
        column.setStyleSheet("QWidget#pages { background: #8a8a8a; }")
        pages_layout = QVBoxLayout(column)
        pages_layout.setSpacing(12)
        self.page_labels: list[QLabel] = []
        for page in range(self.pages.count):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(self.pages.render(page, PREVIEW_DPI)))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            label.setAccessibleName(f"Trang {page + 1}/{self.pages.count}")
            pages_layout.addWidget(label)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)

        buttons = QDialogButtonBox()
        self.print_button = QPushButton("In…")
        self.save_button = QPushButton("Lưu PDF…")
        close = QPushButton("Đóng")
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        self.print_button.clicked.connect(self.print_pages)
        self.save_button.clicked.connect(self.save_as)
        close.clicked.connect(self.reject)

        self.status = QLabel(f"{self.pages.count} trang")
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(760, 900)

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
