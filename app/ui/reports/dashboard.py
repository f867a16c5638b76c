"""The leader's dashboard, the first tab of Báo cáo: charts painted with QPainter, each bar clickable.

The figures come from ``app.services.reports.dashboard`` in a worker thread; the charts' geometry
from ``app.services.reports.charts`` (the same layout the printed briefing uses). A click on a bar
emits ``drill_requested`` with the figure's ``Drill``: the page opens the records behind it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QMouseEvent, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.services.common.clock import local_today
from app.services.common.errors import AppError
from app.services.reports import charts, dashboard
from app.services.reports.dashboard import Dashboard, Figure, MonthlyChart, RankedChart, number
from app.ui.context import UiContext
from app.ui.feedback import show_error, show_status
from app.ui.widgets.dates import OptionalDateEdit
from app.ui.widgets.tables import readonly_table
from app.ui.widgets.tasks import TaskRunner

COMMUNE_ROWS = 30


class ChartView(QWidget):
    """One chart; a click on a bar emits its figure, hovering shows what the bar counts."""

    figure_clicked = Signal(object)  # Figure

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: MonthlyChart | RankedChart | None = None
        self.picture: charts.Picture | None = None
        self.setMouseTracking(True)
        self.setMinimumSize(420, 230)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._font = QFont(self.font())
        self._size = 12.0  # pixels: the charts' geometry is in pixels

    def set_chart(self, chart: MonthlyChart | RankedChart | None) -> None:
        self.chart = chart
        self.picture = None
        self.update()

    def _measure(self, text: str, size: float) -> float:
        font = QFont(self._font)
        font.setPixelSize(max(1, round(size)))
        return QFontMetricsF(font).horizontalAdvance(text)

    def layout_picture(self) -> charts.Picture | None:
        if self.chart is None:
            return None
        if self.picture is None or (self.picture.width, self.picture.height) != (self.width(), self.height()):
            self.picture = charts.picture(self.chart, self.width(), self.height(), self._measure, self._size)
        return self.picture

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        picture = self.layout_picture()
        if picture is None:
            painter.setPen(QColor(charts.MUTED))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Đang tính số liệu…")
            painter.end()
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for line in picture.lines:
            painter.setPen(QPen(QColor(line.color), line.width))
            painter.drawLine(QPointF(line.x1, line.y1), QPointF(line.x2, line.y2))
        for bar in picture.bars:
            painter.fillRect(QRectF(bar.x, bar.y, bar.w, bar.h), QColor(bar.color))
        for text in picture.texts:
            font = QFont(self._font)
            font.setPixelSize(max(1, round(text.size)))
            font.setBold(text.bold)
            painter.setFont(font)
            painter.setPen(QColor(text.color))
            width = QFontMetricsF(font).horizontalAdvance(text.text)
            x = text.x - width if text.align == "right" else text.x - width / 2 if text.align == "center" else text.x
            painter.drawText(QPointF(x, text.y), text.text)
        painter.end()

    def figure_at(self, x: float, y: float) -> Figure | None:
        picture = self.layout_picture()
        return picture.figure_at(x, y) if picture else None

    def point_of(self, figure: Figure) -> QPointF:
        """The middle of ``figure``'s bar (what a test clicks)."""
        picture = self.layout_picture()
        assert picture is not None
        bar = picture.bar_of(figure)
        return QPointF(bar.x + bar.w / 2, bar.y + bar.h / 2)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        figure = self.figure_at(event.position().x(), event.position().y())
        self.setCursor(Qt.CursorShape.PointingHandCursor if figure else Qt.CursorShape.ArrowCursor)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            figure = self.figure_at(event.position().x(), event.position().y())
            if figure is not None:
                self.figure_clicked.emit(figure)
                return
        super().mouseReleaseEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            figure = self.figure_at(event.pos().x(), event.pos().y())
            if figure is not None:
                QToolTip.showText(event.globalPos(), f"{figure.drill.title}\nBấm để xem danh sách.", self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


class ChartBox(QWidget):
    """A chart with a choice of what it shows (by kind / by field; per body / per officer)."""

    def __init__(self, options: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.choice = QComboBox()
        self.choice.addItems(options)
        self.choice.setVisible(len(options) > 1)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.choice)
        layout.addLayout(bar)
        self.view = ChartView()
        layout.addWidget(self.view, 1)
        self.charts: list[MonthlyChart | RankedChart] = []
        self.choice.currentIndexChanged.connect(self._show)

    def set_charts(self, options: list[MonthlyChart | RankedChart]) -> None:
        self.charts = options
        self._show()

    def _show(self) -> None:
        index = self.choice.currentIndex()
        self.view.set_chart(self.charts[index] if 0 <= index < len(self.charts) else None)


class DashboardView(QWidget):
    """Key figures, four chart boxes, crowds and the communes' ranking; computed when first shown."""

    drill_requested = Signal(object)  # dashboard.Drill

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dashboard: Dashboard | None = None
        self.communes: RankedChart | None = None
        self._runner = TaskRunner(self)
        self._communes_runner = TaskRunner(self)
        self._started = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Số liệu đến ngày:"))
        self.as_of = OptionalDateEdit("đến ngày")
        self.as_of.set_value(local_today())
        bar.addWidget(self.as_of)
        self.refresh_button = QPushButton("Xem")
        self.print_button = QPushButton("In bản tin cho lãnh đạo (PDF)…")
        self.print_button.setEnabled(False)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        outer.addLayout(bar)
        self.summary = QLabel("Đang tính số liệu…")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(self.summary)
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        self.visits_box = ChartBox(["Theo loại việc", "Theo lĩnh vực"])
        self.petitions_box = ChartBox(["Theo loại đơn", "Theo lĩnh vực"])
        self.overdue_box = ChartBox(["Theo cơ quan", "Theo cán bộ"])
        self.resolution_box = ChartBox(["Đúng hạn và quá hạn"])
        self.crowds_box = ChartBox(["Đoàn đông người"])
        self.boxes = (self.visits_box, self.petitions_box, self.resolution_box, self.overdue_box, self.crowds_box)
        for n, box in enumerate(self.boxes):
            grid.addWidget(box, n // 2, n % 2)
            box.view.figure_clicked.connect(self._clicked)
        communes = QWidget()
        column = QVBoxLayout(communes)
        column.setContentsMargins(4, 4, 4, 4)
        self.communes_title = QLabel("<b>Lượt tiếp theo xã, phường nơi cư trú</b>")
        column.addWidget(self.communes_title)
        self.communes_table = readonly_table(("Xã, phường", "Số lượt"))
        self.communes_table.doubleClicked.connect(lambda index: self._commune_clicked(index.row()))
        column.addWidget(self.communes_table)
        grid.addWidget(communes, 2, 1)
        for row in range(3):
            grid.setRowMinimumHeight(row, 260)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.print_button.clicked.connect(lambda: self.print_briefing())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.refresh()

    @property
    def computing(self) -> bool:
        return self._runner.busy or self._communes_runner.busy

    def refresh(self) -> None:
        self._started = True
        as_of = self.as_of.value() or local_today()
        self.refresh_button.setEnabled(False)
        self.summary.setText(f"Đang tính số liệu đến ngày {as_of:%d/%m/%Y}…")
        ctx = self.ctx

        def job() -> Dashboard:
            with ctx.db.session() as session:
                return dashboard.build(session, ctx.actor, as_of)

        def communes_job() -> RankedChart:
            with ctx.db.session() as session:
                return dashboard.communes(session, ctx.actor, as_of)

        # The charts first; the communes' table (one more scan, joined to the citizens) right after.
        self._runner.submit(job, self._show, self._failed)
        self._communes_runner.submit(communes_job, self._show_communes, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.summary.setText("")
        show_error(self, exc)

    def _show(self, board: Dashboard) -> None:
        self.dashboard = board
        self.refresh_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.visits_box.set_charts([board.visits_by_kind, board.visits_by_field])
        self.petitions_box.set_charts([board.petitions_by_kind, board.petitions_by_field])
        self.overdue_box.set_charts([board.overdue_by_agency, board.overdue_by_officer])
        self.resolution_box.set_charts([board.resolution])
        self.crowds_box.set_charts([board.crowds])
        self.summary.setText(summary_markup(board))

    def _show_communes(self, communes: RankedChart) -> None:
        self.communes = communes
        shown = communes.figures[:COMMUNE_ROWS]
        self.communes_title.setText(f"<b>{communes.title}</b>")
        self.communes_table.setRowCount(len(shown))
        for r, figure in enumerate(shown):
            self.communes_table.setItem(r, 0, QTableWidgetItem(figure.label))
            count = QTableWidgetItem(number(figure.value))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.communes_table.setItem(r, 1, count)
        self.communes_table.resizeColumnsToContents()
        self.communes_table.horizontalHeader().setStretchLastSection(True)

    def _clicked(self, figure: Figure) -> None:
        self.drill_requested.emit(figure.drill)

    def _commune_clicked(self, row: int) -> None:
        if self.communes is not None and 0 <= row < len(self.communes.figures):
            self.drill_requested.emit(self.communes.figures[row].drill)

    def print_briefing(self, path: Path | None = None) -> Path | None:
        """The one-page briefing of the shown date as PDF (reportlab is loaded on first use)."""
        if self.dashboard is None:
            return None
        as_of = self.dashboard.as_of
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Lưu bản tin", f"BanTinLanhDao_{as_of:%Y%m%d}.pdf", "PDF (*.pdf)"
            )
            if not chosen:
                return None
            path = Path(chosen)
        from app.services.printing import dashboard as briefing

        try:
            with self.ctx.db.transaction() as session:
                Path(path).write_bytes(briefing.render_dashboard(session, self.ctx.actor, as_of))
        except (AppError, OSError) as exc:
            show_error(self, exc)
            return None
        show_status(self, f"Đã lưu bản tin: {path}")
        return Path(path)


def summary_markup(board: Dashboard) -> str:
    """The key figures over the last 12 months, one line."""
    line = dashboard.key_figures(board).sentence(("<b>", "</b>"))
    return f"{line} Bấm vào một cột để xem danh sách hồ sơ."
