"""The Báo cáo page: choose a period, preview every form, open the records behind a figure, export.

The default period is the last completed reporting month (Nghị định 09/2019: 15th to 14th).
Figures are computed in a worker thread; the grid shows merged headers exactly like the xlsx.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.common.clock import local_today
from app.services.common.errors import AppError
from app.services.reports import dashboard, drilldown, service
from app.services.reports.engine import ReportGrid
from app.ui.context import UiContext
from app.ui.feedback import show_error, show_status
from app.ui.petitions import open_petition
from app.ui.reception.dialog import VisitDialog
from app.ui.reports.batches import BatchesDialog
from app.ui.reports.dashboard import DashboardView
from app.ui.reports.export_dialog import ExportDialog
from app.ui.reports.forms_viewer import FormsViewer
from app.ui.reports.grid import ReportView
from app.ui.reports.import_wizard import ImportWizard
from app.ui.reports.period_picker import PeriodPicker
from app.ui.widgets.tables import readonly_table
from app.ui.widgets.tasks import TaskRunner


class DrillDownDialog(QDialog):
    """The visits or petitions behind one figure; a row opens its record (double-click or Enter)."""

    def __init__(self, ctx: UiContext, found: drilldown.DrillDown, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.found = found
        self.opened: QWidget | None = None  # the record window opened last
        self.setWindowTitle("Hồ sơ tạo nên số liệu")
        self.resize(980, 520)
        layout = QVBoxLayout(self)
        what = "lượt tiếp" if found.entity == "visit" else "đơn"
        note = f" (hiển thị {len(found.ids)} đầu tiên)" if found.truncated else ""
        heading = QLabel(f"<b>{found.title}</b><br>{found.total} {what}{note}")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.table = readonly_table(found.headers)
        self.table.setRowCount(len(found.rows))
        for r, row in enumerate(found.rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        # Enter is a shortcut of the list, not a key press: a key press the list ignores would reach
        # this dialog, which presses the default button of any dialog below it (the record just opened).
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            enter = QShortcut(QKeySequence(key), self.table, context=Qt.ShortcutContext.WidgetShortcut)
            enter.activated.connect(lambda: self.open_row(self.table.currentRow()))
        layout.addWidget(self.table)
        self.status = QLabel(f"Bấm đúp (hoặc Enter) vào một dòng để mở {what}.")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Xuất Excel…", QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.export_button, close):
            button.setAutoDefault(False)  # Enter in the list opens a record, never a button
        self.export_button.setEnabled(bool(found.rows))
        self.export_button.clicked.connect(lambda: self.export())
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if found.rows:
            self.table.setCurrentCell(0, 0)
        self.table.setFocus()

    def open_row(self, row: int) -> QWidget | None:
        if not 0 <= row < len(self.found.ids):
            return None
        record_id = self.found.ids[row]
        try:
            if self.found.entity == "visit":
                dialog = VisitDialog(self.ctx, record_id, parent=self)
                dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
                dialog.open()
                self.opened = dialog
            else:
                self.opened = open_petition(self, self.ctx, record_id)
        except Exception as exc:
            show_error(self, exc)
            return None
        return self.opened

    def export(self, path: Path | None = None) -> Path | None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Xuất danh sách hồ sơ", "DanhSach.xlsx", "Excel (*.xlsx)")
            if not chosen:
                return None
            path = Path(chosen)
        try:
            with self.ctx.db.transaction() as session:
                drilldown.save_xlsx(session, self.ctx.actor, self.found, path)
        except AppError as exc:
            show_error(self, exc)
            return None
        self.status.setText(f"Đã xuất {len(self.found.rows)} dòng ra tệp {path}")
        return path


class ReportsPage(QWidget):
    def __init__(self, ctx: UiContext, today: dt.date | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.grids: list[ReportGrid] = []
        self.drilldown: DrillDownDialog | None = None
        self.forms_viewer: FormsViewer | None = None
        self.batches: BatchesDialog | None = None
        self.import_wizard: ImportWizard | None = None
        self._runner = TaskRunner(self)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        with ctx.db.session() as session:
            default = service.default_period(session, today or local_today())
            kinds = service.period_kinds(session)
        self.picker = PeriodPicker(default, kinds)
        bar.addWidget(self.picker)
        self.compute_button = QPushButton("Lập báo cáo")
        self.compute_button.setDefault(True)
        self.save_button = QPushButton("Xuất Excel…")
        self.save_button.setEnabled(False)
        self.export_button = QPushButton("Xuất sổ theo cột…")
        self.import_button = QPushButton("Nhập sổ cũ từ Excel…")
        self.forms_button = QPushButton("Biểu mẫu và điểm cần xác nhận")
        self.batches_button = QPushButton("Các lô đã nhập")
        self.upward_button = QPushButton("Tổng hợp cấp dưới")
        self.upward: QWidget | None = None
        for b in (self.compute_button, self.save_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.forms_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.import_button)
        bar.addWidget(self.batches_button)
        bar.addWidget(self.upward_button)
        layout.addLayout(bar)
        self.period_line = QLabel("")
        self.period_line.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.period_line.font()
        font.setItalic(True)
        self.period_line.setFont(font)
        layout.addWidget(self.period_line)
        self.tabs = QTabWidget()
        # The page opens on the leader's dashboard; the forms of a period are on the second tab.
        self.dashboard = DashboardView(ctx)
        self.dashboard.drill_requested.connect(self.open_drill)
        self.views = QTabWidget()
        self.views.addTab(self.dashboard, "Tổng quan")
        self.views.addTab(self.tabs, "Biểu báo cáo")
        layout.addWidget(self.views, 1)
        # Until a report is computed the area says what to do instead of staying blank.
        start = QLabel(
            "Chọn kỳ báo cáo (mặc định: tháng báo cáo gần nhất theo Nghị định 09/2019) rồi bấm "
            "“Lập báo cáo” để xem các biểu TCD, XLD, KQGQ."
        )
        start.setAlignment(Qt.AlignmentFlag.AlignCenter)
        start.setWordWrap(True)
        self.tabs.addTab(start, "Hướng dẫn")
        self.hint = QLabel("Bấm đúp (hoặc Enter) vào một số liệu để xem các lượt tiếp hoặc đơn tạo nên số liệu đó.")
        layout.addWidget(self.hint)
        self.compute_button.clicked.connect(self.compute)
        self.save_button.clicked.connect(self.save_as)
        self.export_button.clicked.connect(self.open_export)
        self.import_button.clicked.connect(self.open_import)
        self.forms_button.clicked.connect(self.open_forms)
        self.batches_button.clicked.connect(self.open_batches)
        self.upward_button.clicked.connect(self.open_upward)

    # ---- computing ----
    def compute(self) -> None:
        try:
            period = self.picker.period()
        except AppError as exc:
            show_error(self, exc)
            return
        self.compute_button.setEnabled(False)
        self.views.setCurrentWidget(self.tabs)
        self.period_line.setText(f"{period.title} — {period.line} (đang tính…)")

        def job() -> list[ReportGrid]:
            with self.ctx.db.session() as session:
                return service.grids(session, self.ctx.actor, period)

        self._runner.submit(job, self._show, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.compute_button.setEnabled(True)
        self.period_line.setText("")
        show_error(self, exc)

    def _show(self, grids: list[ReportGrid]) -> None:
        self.grids = grids
        self.compute_button.setEnabled(True)
        self.save_button.setEnabled(bool(grids))
        self.tabs.clear()
        for grid in grids:
            view = ReportView(grid)
            view.figure_clicked.connect(lambda r, c, g=grid: self.open_figure(g, r, c))
            self.tabs.addTab(view, f"{grid.form.code} — {grid.form.short or grid.form.title}")
        if grids:
            period = grids[0].period
            line = f"{period.label} — {period.line}" if period.label else period.line
            circular = grids[0].form.circular_on(period.end).removeprefix("Ban hành kèm theo ")
            self.period_line.setText(f"{line} · Biểu mẫu theo {circular}")

    @property
    def computing(self) -> bool:
        return self._runner.busy

    # ---- drill-down ----
    def open_drill(self, drill: dashboard.Drill) -> None:
        """The records behind a dashboard figure."""
        try:
            with self.ctx.db.session() as session:
                found = dashboard.records(session, self.ctx.actor, drill)
        except AppError as exc:
            show_error(self, exc)
            return
        self._show_drilldown(found)

    def open_figure(self, grid: ReportGrid, row: int, col: int) -> None:
        try:
            with self.ctx.db.session() as session:
                found = drilldown.records(session, self.ctx.actor, grid, row, col)
        except AppError as exc:
            show_error(self, exc)
            return
        self._show_drilldown(found)

    def _show_drilldown(self, found: drilldown.DrillDown) -> None:
        self.drilldown = DrillDownDialog(self.ctx, found, self)
        self.drilldown.show()
        self.drilldown.raise_()
        self.drilldown.activateWindow()  # keys go to the list at once: arrows, Enter

    # ---- saving ----
    def save_as(self, path: Path | None = None) -> Path | None:
        if not self.grids:
            return None
        period = self.grids[0].period
        if not path:
            suggested = f"BaoCao_{period.start:%Y%m%d}_{period.end:%Y%m%d}.xlsx"
            chosen, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo", suggested, "Excel (*.xlsx)")
            if not chosen:
                return None
            path = Path(chosen)
        try:
            with self.ctx.db.transaction() as session:
                service.save_report(session, self.ctx.actor, period, Path(path), computed=self.grids)
        except AppError as exc:
            show_error(self, exc)
            return None
        show_status(self, f"Đã lưu báo cáo: {path}")
        return Path(path)

    def open_export(self) -> ExportDialog:
        dialog = ExportDialog(self.ctx, self)
        if self.grids:
            dialog.set_period(self.grids[0].period.start, self.grids[0].period.end)
        dialog.show()
        return dialog

    def open_forms(self) -> FormsViewer:
        viewer = FormsViewer(self)
        viewer.show()
        self.forms_viewer = viewer
        return viewer

    def open_batches(self) -> BatchesDialog:
        dialog = BatchesDialog(self.ctx, self)
        dialog.open()
        self.batches = dialog
        return dialog

    def open_upward(self) -> QWidget:
        """The upper office's window: subordinate units, packages, tracker, consolidated forms."""
        from app.ui.reports.upward import UpwardWindow  # loaded on first use (spreadsheets, PDF)

        if self.upward is None:
            self.upward = UpwardWindow(self.ctx, self)
        self.upward.show()
        self.upward.raise_()
        self.upward.activateWindow()
        return self.upward

    def open_import(self) -> ImportWizard:
        wizard = ImportWizard(self.ctx, self)
        wizard.show()
        wizard.raise_()
        wizard.activateWindow()
        self.import_wizard = wizard
        return wizard
