"""Tổng hợp cấp dưới: the upper office's window for its subordinate units' reports.

Tabs: the declared units (picked from the directory), importing packages (files, a folder, or dropped
on the window), the submission tracker with the reminder letter, the consolidated forms with
drill-down to the units' figures, and sending this office's own package upward. Every action is a
call to ``app.services.upward``; the window holds no rule of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.common import settings
from app.services.common.clock import local_today
from app.services.common.errors import AppError
from app.services.common.text import fold
from app.services.reports import service
from app.services.reports.periods import Period
from app.services.upward import consolidate, legacy, package, receive, signing, tracker, units
from app.ui.context import UiContext
from app.ui.feedback import show_error
from app.ui.reports.grid import ReportView, format_number
from app.ui.reports.legacy_workbook import WorkbookImportDialog
from app.ui.reports.period_picker import PeriodPicker
from app.ui.widgets.tables import readonly_table

TITLE = "Tổng hợp cấp dưới"


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)


def _when(value: dt.datetime | None) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if value else ""


class UnitsTab(QWidget):
    """Declared units on the left; the directory's communes and departments to declare on the right."""

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.count = QLabel("")
        left.addWidget(self.count)
        self.table = readonly_table(("Mã", "Đơn vị", "Loại", "Dấu khóa ký đã ghim"))
        left.addWidget(self.table)
        layout.addLayout(left, 3)
        right = QVBoxLayout()
        right.addWidget(QLabel("Đơn vị trong danh mục (xã, phường của tỉnh; sở, ngành):"))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Lọc theo tên hoặc mã, không cần dấu")
        right.addWidget(self.filter)
        self.candidates = QListWidget()
        self.candidates.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        right.addWidget(self.candidates)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Khai báo các đơn vị đã chọn")
        self.all_communes_button = QPushButton("Chọn mọi xã, phường")
        buttons.addWidget(self.all_communes_button)
        buttons.addWidget(self.add_button)
        right.addLayout(buttons)
        layout.addLayout(right, 2)
        self.filter.textChanged.connect(self._filter)
        self.add_button.clicked.connect(lambda: self.declare_selected())
        self.all_communes_button.clicked.connect(self._select_communes)
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.session() as session:
            declared = units.list_units(session)
            found = units.candidates(session)
        codes = {u.code for u in declared}
        _fill(self.table, [[u.code, u.name, u.kind_label, u.fingerprint] for u in declared])
        self.count.setText(f"<b>{len(declared)} đơn vị cấp dưới đã khai báo</b>")
        self.candidates.clear()
        for c in found:
            if c.code in codes:
                continue
            item = QListWidgetItem(f"{c.name} ({c.code})")
            item.setData(Qt.ItemDataRole.UserRole, c.code)
            item.setData(Qt.ItemDataRole.UserRole + 1, c.kind)
            self.candidates.addItem(item)
        self._filter(self.filter.text())

    def _filter(self, text: str) -> None:
        words = fold(text).split()
        for i in range(self.candidates.count()):
            item = self.candidates.item(i)
            item.setHidden(not all(w in fold(item.text()) for w in words))

    def _select_communes(self) -> None:
        for i in range(self.candidates.count()):
            item = self.candidates.item(i)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole + 1) == "commune" and not item.isHidden())

    def select(self, codes: list[str]) -> None:
        for i in range(self.candidates.count()):
            item = self.candidates.item(i)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) in codes)

    def declare_selected(self) -> int:
        codes = [str(item.data(Qt.ItemDataRole.UserRole)) for item in self.candidates.selectedItems()]
        if not codes:
            show_error(self, AppError("Chọn ít nhất một đơn vị trong danh mục bên phải."))
            return 0
        try:
            with self.ctx.db.transaction() as session:
                units.declare(session, self.ctx.actor, codes)
        except AppError as exc:
            show_error(self, exc)
            return 0
        self.reload()
        return len(codes)


class ImportTab(QWidget):
    """Packages picked as files or a folder, or dropped on the tab; one line of result per package."""

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.results: list[receive.ImportResult] = []
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.files_button = QPushButton("Chọn tệp gói báo cáo…")
        self.folder_button = QPushButton("Chọn thư mục…")
        # A unit's form workbook filled by hand, without a package (upward.legacy); period: the window's.
        self.workbook_button = QPushButton("Nhập bảng tính điền tay…")
        self.period_of: Callable[[], Period] | None = None
        self.workbook_dialog: WorkbookImportDialog | None = None
        self.accept_key = QCheckBox("Chấp nhận khóa ký mới (đã gọi điện xác nhận với đơn vị)")
        bar.addWidget(self.files_button)
        bar.addWidget(self.folder_button)
        bar.addWidget(self.workbook_button)
        bar.addWidget(self.accept_key)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.hint = QLabel(
            "Có thể kéo thả tệp .tdbc hoặc cả thư mục vào đây. Mỗi gói được kiểm tra chữ ký số, đơn vị, kỳ báo "
            "cáo, bộ biểu và số liệu cộng đúng; gói không đạt không được nhập phần nào."
        )
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.table = readonly_table(("Tệp", "Đơn vị", "Kỳ báo cáo", "Kết quả", "Nội dung"))
        layout.addWidget(self.table, 1)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.files_button.clicked.connect(self._pick_files)
        self.folder_button.clicked.connect(self._pick_folder)
        self.workbook_button.clicked.connect(self._pick_workbook)

    def _pick_files(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(self, "Chọn gói báo cáo", "", f"Gói báo cáo (*{package.SUFFIX})")
        if chosen:
            self.import_paths([Path(p) for p in chosen])

    def _pick_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Chọn thư mục chứa các gói báo cáo")
        if chosen:
            self.import_paths([Path(chosen)])

    def _pick_workbook(self) -> None:
        if self.period_of is None:
            return
        period = self.period_of()
        with self.ctx.db.session() as session:
            declared = units.list_units(session)
        self.workbook_dialog = WorkbookImportDialog(declared, period, self)
        if self.workbook_dialog.exec() == QDialog.DialogCode.Accepted and self.workbook_dialog.path is not None:
            self.import_workbook(self.workbook_dialog.path, self.workbook_dialog.unit_code(), period)

    def import_workbook(self, path: Path, unit_code: str, period: Period) -> legacy.WorkbookResult | None:
        """Import one hand-filled workbook; its result, then each cell that could not be read, in the table."""
        try:
            with self.ctx.db.transaction() as session:
                found = legacy.import_workbook(session, self.ctx.actor, path, unit_code, period)
        except AppError as exc:
            show_error(self, exc)
            return None
        r = found.result
        rows = [[r.file_name, r.unit_name, r.period_label, r.outcome_label, r.message]]
        rows += [[r.file_name, r.unit_name, r.period_label, "Không đọc được", u.text()] for u in found.unread]
        _fill(self.table, rows)
        for row in range(1, len(rows)):
            for c in range(self.table.columnCount()):
                item = self.table.item(row, c)
                if item is not None:
                    item.setForeground(Qt.GlobalColor.darkRed)
        self.summary.setText(legacy.report_lines(found)[-1])
        return found

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def import_paths(self, paths: list[Path]) -> list[receive.ImportResult]:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.ctx.db.transaction() as session:
                results = receive.import_many(
                    session, self.ctx.actor, paths, accept_new_key=self.accept_key.isChecked()
                )
        except AppError as exc:
            show_error(self, exc)
            return []
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.results = results
        _fill(
            self.table,
            [[r.file_name, r.unit_name, r.period_label, r.outcome_label, r.message] for r in results],
        )
        for r, result in enumerate(results):
            if not result.accepted:
                for c in range(self.table.columnCount()):
                    item = self.table.item(r, c)
                    if item is not None:
                        item.setForeground(Qt.GlobalColor.darkRed)
        self.summary.setText(receive.summary(results) if results else "Không tìm thấy tệp gói báo cáo (.tdbc) nào.")
        return results


class FigureSourcesDialog(QDialog):
    """The unit figures that make up one consolidated figure."""

    def __init__(self, found: consolidate.FigureSources, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.found = found
        self.setWindowTitle("Số liệu các đơn vị tạo nên số tổng hợp")
        self.resize(720, 480)
        layout = QVBoxLayout(self)
        heading = QLabel(
            f"<b>{found.title}</b><br>{len(found.parts)} đơn vị, cộng lại: {format_number(found.parts_sum)}"
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.table = readonly_table(("STT", "Đơn vị", "Số liệu", "Ngày nhận gói"))
        _fill(
            self.table,
            [
                [str(n), p.name, format_number(p.value), _when(p.received_at) or "(số liệu của cơ quan)"]
                for n, p in enumerate(found.parts, 1)
            ],
        )
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class UpwardWindow(QWidget):
    """The whole job of the upper office, plus sending this office's own package upward."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.ctx = ctx
        self.today = today or local_today()
        self.consolidated: list[consolidate.Consolidated] = []
        self.board: tracker.Tracker | None = None
        self.figure_dialog: FigureSourcesDialog | None = None
        self.setWindowTitle(f"{TITLE} — TiếpDân")
        self.resize(1200, 720)
        layout = QVBoxLayout(self)
        with ctx.db.session() as session:
            default = service.default_period(session, self.today)
            kinds = [k for k in service.period_kinds(session) if k.value != "custom"]
        self.picker = PeriodPicker(default, kinds)
        top = QHBoxLayout()
        top.addWidget(self.picker)
        top.addStretch(1)
        layout.addLayout(top)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.units_tab = UnitsTab(ctx)
        self.import_tab = ImportTab(ctx)
        self.import_tab.period_of = self.picker.period
        self.tabs.addTab(self.units_tab, "Đơn vị cấp dưới")
        self.tabs.addTab(self.import_tab, "Nhập gói báo cáo")
        self.tabs.addTab(self._tracker_tab(), "Theo dõi nộp báo cáo")
        self.tabs.addTab(self._consolidated_tab(), "Biểu tổng hợp")
        self.tabs.addTab(self._send_tab(), "Gửi báo cáo lên cấp trên")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        # Keys pinned by an import show in the units' list the next time it is looked at.
        self.tabs.currentChanged.connect(lambda i: self.units_tab.reload() if i == 0 else None)

    # ---- tracker ----
    def _tracker_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        bar = QHBoxLayout()
        self.track_button = QPushButton("Xem tình hình gửi báo cáo")
        self.reminder_button = QPushButton("In văn bản đôn đốc các đơn vị chưa gửi…")
        self.reminder_button.setEnabled(False)
        self.due_days = QSpinBox()
        self.due_days.setRange(0, 60)
        self.due_days.setSuffix(" ngày sau ngày cuối kỳ")
        with self.ctx.db.session() as session:
            self.due_days.setValue(int(settings.get(session, tracker.DUE_DAYS)))
        bar.addWidget(self.track_button)
        bar.addWidget(self.reminder_button)
        bar.addStretch(1)
        bar.addWidget(QLabel("Hạn gửi báo cáo:"))
        bar.addWidget(self.due_days)
        layout.addLayout(bar)
        self.track_summary = QLabel("")
        self.track_summary.setWordWrap(True)
        layout.addWidget(self.track_summary)
        self.track_table = readonly_table(("Mã", "Đơn vị", "Tình trạng", "Ngày nhận", "Lần đầu nhận"))
        layout.addWidget(self.track_table, 1)
        self.track_button.clicked.connect(lambda: self.show_tracker())
        self.reminder_button.clicked.connect(lambda: self.save_reminder())
        return tab

    def show_tracker(self) -> tracker.Tracker | None:
        try:
            period = self.picker.period()
            with self.ctx.db.transaction() as session:
                if self.due_days.value() != int(settings.get(session, tracker.DUE_DAYS)):
                    tracker.set_due_days(session, self.ctx.actor, self.due_days.value())
                board = tracker.tracker(session, self.ctx.actor, period, today=self.today)
        except AppError as exc:
            show_error(self, exc)
            return None
        self.board = board
        _fill(
            self.track_table,
            [[r.code, r.name, r.label, _when(r.received_at), _when(r.first_received_at)] for r in board.rows],
        )
        for r, row in enumerate(board.rows):
            if row.status != tracker.Status.SENT:
                color = Qt.GlobalColor.darkRed if row.status == tracker.Status.MISSING else Qt.GlobalColor.darkYellow
                item = self.track_table.item(r, 2)
                if item is not None:
                    item.setForeground(color)
        self.track_summary.setText(f"<b>{period.title}</b> — {board.summary()}")
        self.reminder_button.setEnabled(bool(board.missing))
        return board

    def save_reminder(self, path: Path | None = None) -> Path | None:
        board = self.board or self.show_tracker()
        if board is None:
            return None
        period = board.period
        if path is None:
            suggested = f"DonDoc_BaoCao_{period.start:%Y%m%d}_{period.end:%Y%m%d}.pdf"
            chosen, _ = QFileDialog.getSaveFileName(self, "Lưu văn bản đôn đốc", suggested, "Tệp PDF (*.pdf)")
            if not chosen:
                return None
            path = Path(chosen)
        try:
            with self.ctx.db.transaction() as session:
                pdf = tracker.reminder_pdf(session, self.ctx.actor, period, today=self.today)
            Path(path).write_bytes(pdf)
        except AppError as exc:
            show_error(self, exc)
            return None
        except OSError as exc:
            show_error(self, AppError(f"Không ghi được tệp {path}: {exc.strerror}."))
            return None
        self.status.setText(f"Đã lập văn bản đôn đốc {len(board.missing)} đơn vị chưa gửi: {path}")
        return Path(path)

    # ---- consolidated forms ----
    def _consolidated_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        bar = QHBoxLayout()
        self.include_own = QCheckBox("Cộng cả số liệu của cơ quan mình")
        self.consolidate_button = QPushButton("Tổng hợp")
        self.consolidated_save = QPushButton("Xuất Excel…")
        self.consolidated_save.setEnabled(False)
        bar.addWidget(self.include_own)
        bar.addWidget(self.consolidate_button)
        bar.addWidget(self.consolidated_save)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.consolidated_note = QLabel("Bấm “Tổng hợp” để cộng số liệu các đơn vị đã gửi báo cáo của kỳ đã chọn.")
        self.consolidated_note.setWordWrap(True)
        layout.addWidget(self.consolidated_note)
        self.form_tabs = QTabWidget()
        layout.addWidget(self.form_tabs, 1)
        layout.addWidget(QLabel("Bấm đúp vào một số liệu để xem số liệu của từng đơn vị tạo nên số đó."))
        self.consolidate_button.clicked.connect(lambda: self.show_consolidated())
        self.consolidated_save.clicked.connect(lambda: self.save_consolidated())
        return tab

    def show_consolidated(self) -> list[consolidate.Consolidated]:
        try:
            period = self.picker.period()
            with self.ctx.db.session() as session:
                result = consolidate.consolidate(
                    session, self.ctx.actor, period, include_own=self.include_own.isChecked()
                )
        except AppError as exc:
            show_error(self, exc)
            return []
        self.consolidated = result
        self.form_tabs.clear()
        for c in result:
            view = ReportView(c.grid)
            view.figure_clicked.connect(lambda r, col, item=c: self.open_figure(item, r, col))
            self.form_tabs.addTab(view, f"{c.grid.form.code} — {c.grid.form.short or c.grid.form.title}")
        self.consolidated_save.setEnabled(bool(result))
        if result:
            n = sum(1 for s in result[0].sources if s.kind == "unit")
            missing = result[0].missing
            note = f"<b>{period.title}</b>: số liệu của {n} đơn vị."
            if missing:
                shown = ", ".join(missing[:10]) + (f" và {len(missing) - 10} đơn vị khác" if len(missing) > 10 else "")
                note += f" Chưa có số liệu của {len(missing)} đơn vị: {shown}."
            self.consolidated_note.setText(note)
        return result

    def open_figure(self, item: consolidate.Consolidated, row: int, col: int) -> FigureSourcesDialog | None:
        try:
            found = consolidate.figure_sources(item, row, col)
        except AppError as exc:
            show_error(self, exc)
            return None
        self.figure_dialog = FigureSourcesDialog(found, self)
        self.figure_dialog.show()
        return self.figure_dialog

    def save_consolidated(self, path: Path | None = None) -> Path | None:
        if not self.consolidated:
            return None
        period = self.consolidated[0].grid.period
        if path is None:
            suggested = f"TongHop_{period.start:%Y%m%d}_{period.end:%Y%m%d}.xlsx"
            chosen, _ = QFileDialog.getSaveFileName(self, "Lưu biểu tổng hợp", suggested, "Excel (*.xlsx)")
            if not chosen:
                return None
            path = Path(chosen)
        try:
            with self.ctx.db.transaction() as session:
                consolidate.save_xlsx(session, self.ctx.actor, self.consolidated, Path(path), today=self.today)
        except AppError as exc:
            show_error(self, exc)
            return None
        self.status.setText(f"Đã lưu biểu tổng hợp: {path}")
        return Path(path)

    # ---- sending this office's package ----
    def _send_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        with self.ctx.db.session() as session:
            code = package.unit_code(session)
            try:
                fingerprint = signing.fingerprint(signing.public_text(signing.office_key(session)))
            except AppError:
                fingerprint = "(chưa mở được khóa dữ liệu)"
        info = QLabel(
            "Gói báo cáo gồm các biểu của kỳ đã chọn (tệp Excel) và số liệu có chữ ký số của cơ quan, không chứa "
            f"thông tin cá nhân.<br>Dấu khóa ký: <b>{fingerprint}</b> (đọc cho cấp trên khi cần xác nhận khóa)."
        )
        info.setWordWrap(True)
        layout.addWidget(info)
        code_row = QHBoxLayout()
        code_row.addWidget(QLabel("Mã đơn vị báo cáo:"))
        self.unit_code = QLineEdit(code)
        self.unit_code.setPlaceholderText("mã xã, phường hoặc mã cơ quan trong danh bạ")
        self.unit_code.setMaximumWidth(260)
        code_row.addWidget(self.unit_code)
        code_row.addStretch(1)
        layout.addLayout(code_row)
        self.package_button = QPushButton("Lập gói báo cáo gửi cấp trên…")
        row = QHBoxLayout()
        row.addWidget(self.package_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.package_button.clicked.connect(lambda: self.save_package())
        return tab

    def save_package(self, path: Path | None = None) -> Path | None:
        try:
            period = self.picker.period()
            with self.ctx.db.transaction() as session:
                if self.unit_code.text().strip() != package.unit_code(session):
                    package.set_unit_code(session, self.ctx.actor, self.unit_code.text())
                code = package.unit_code(session)
            self.unit_code.setText(code)
            if path is None:
                suggested = package.package_name(code, period)
                chosen, _ = QFileDialog.getSaveFileName(
                    self, "Lưu gói báo cáo", suggested, f"Gói báo cáo (*{package.SUFFIX})"
                )
                if not chosen:
                    return None
                path = Path(chosen)
            with self.ctx.db.transaction() as session:
                package.build_package(session, self.ctx.actor, period, Path(path), today=self.today)
        except AppError as exc:
            show_error(self, exc)
            return None
        self.status.setText(f"Đã lập gói báo cáo {period.title}: {path}")
        return Path(path)
