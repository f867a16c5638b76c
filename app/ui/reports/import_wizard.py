"""Import wizard for legacy registers: file → column mapping → dry run → import → result.

Every step calls the importer service; the dry run and the import run in a worker thread with a
progress bar and a cancel button. The result page opens the error workbook (rows with their
reasons) that the user fixes and imports again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.services.common.errors import AppError
from app.services.common.vocab import label
from app.services.records import importer
from app.ui.context import UiContext
from app.ui.feedback import confirm, show_error
from app.ui.reports.batches import BatchesDialog
from app.ui.reports.worker import JobThread


class ImportWizard(QWizard):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.sheet: importer.Sheet | None = None
        self.mapping: importer.Mapping | None = None
        self.dry_result: importer.ImportResult | None = None
        self.import_result: importer.ImportResult | None = None
        self.batches: BatchesDialog | None = None
        self.setWindowTitle("Nhập sổ tiếp công dân từ Excel")
        self.resize(960, 640)
        self.setButtonText(QWizard.WizardButton.NextButton, "Tiếp theo >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Quay lại")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Xong")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Đóng")
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.dry_page = RunPage(self, dry_run=True)
        self.run_page = RunPage(self, dry_run=False)
        for page in (self.file_page, self.mapping_page, self.dry_page, self.run_page):
            self.addPage(page)
        # Past the dry run there is no way back: going back and on again would import the file twice.
        self.dry_page.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Nhập vào dữ liệu…")

    def corrections(self) -> dict[str, str | None]:
        return self.mapping_page.corrections()

    def open_batches(self) -> BatchesDialog:
        dialog = BatchesDialog(self.ctx, self)
        if self.import_result is not None and self.import_result.batch_id is not None:
            dialog.select_batch(self.import_result.batch_id)
        dialog.open()
        self.batches = dialog
        return dialog


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Bước 1. Chọn tệp Excel của sổ tiếp công dân")
        self.setSubTitle(
            "Tệp .xlsx như cơ quan vẫn lưu: có thể có dòng tiêu đề, tiêu đề cột gộp ô, dòng cộng; "
            "chương trình tự tìm dòng tiêu đề cột."
        )
        layout = QHBoxLayout(self)
        self.path = QLineEdit()
        browse = QPushButton("Chọn tệp…")
        layout.addWidget(self.path, 1)
        layout.addWidget(browse)
        browse.clicked.connect(self._browse)
        self.path.textChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Chọn sổ tiếp công dân", "", "Excel (*.xlsx *.xls *.ods)")
        if chosen:
            self.path.setText(chosen)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        try:
            self.w.sheet = importer.read_sheet(Path(self.path.text().strip()))
            self.w.mapping = importer.propose_mapping(self.w.sheet)
        except AppError as exc:
            show_error(self, exc)
            return False
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Bước 2. Kiểm tra cột nào là thông tin gì")
        self.setSubTitle("Chương trình đã đoán theo tiêu đề cột; sửa lại nếu đoán sai. Cột “(bỏ qua)” không được nhập.")
        layout = QVBoxLayout(self)
        self.info = QLabel("")
        layout.addWidget(self.info)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Cột", "Tiêu đề trong tệp", "Nhập vào"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        mapping = self.w.mapping
        assert mapping is not None
        self.info.setText(f"Dòng tiêu đề cột: {', '.join(str(r) for r in mapping.header_rows)}.")
        self.table.setRowCount(len(mapping.columns))
        self.combos = []
        for r, column in enumerate(mapping.columns):
            self.table.setItem(r, 0, QTableWidgetItem(column.letter))
            self.table.setItem(r, 1, QTableWidgetItem(column.header))
            combo = QComboBox()
            combo.addItem("(bỏ qua)", None)
            for target in importer.TARGETS:
                combo.addItem(target.label, target.key)
            combo.setCurrentIndex(max(0, combo.findData(column.target)))
            self.table.setCellWidget(r, 2, combo)
            self.combos.append(combo)
        self.table.resizeColumnsToContents()

    def corrections(self) -> dict[str, str | None]:
        mapping = self.w.mapping
        assert mapping is not None
        return {c.letter: combo.currentData() for c, combo in zip(mapping.columns, self.combos, strict=True)}

    def set_target(self, letter: str, key: str | None) -> None:
        assert self.w.mapping is not None
        for column, combo in zip(self.w.mapping.columns, self.combos, strict=True):
            if column.letter == letter:
                combo.setCurrentIndex(combo.findData(key))

    def validatePage(self) -> bool:
        assert self.w.mapping is not None
        try:
            corrected = importer.apply_mapping(self.w.mapping, self.corrections())
        except AppError as exc:
            show_error(self, exc)
            return False
        if corrected.missing():
            show_error(self, AppError(f"Chưa chọn cột cho: {', '.join(corrected.missing())}."))
            return False
        return True


class RunPage(QWizardPage):
    """The dry run (nothing kept) or the import itself, in a worker thread."""

    def __init__(self, wizard: ImportWizard, *, dry_run: bool) -> None:
        super().__init__()
        self.w = wizard
        self.dry_run = dry_run
        self.job: JobThread | None = None
        self.done = False
        if dry_run:
            self.setTitle("Bước 3. Chạy thử")
            self.setSubTitle("Kiểm tra từng dòng như khi nhập thật, nhưng không ghi gì vào cơ sở dữ liệu.")
        else:
            self.setTitle("Bước 4. Nhập dữ liệu")
            self.setSubTitle("Mỗi lần nhập là một lô; có thể hoàn tác cả lô sau này.")
            self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.progress = QProgressBar()
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        self.cancel_button = QPushButton("Hủy")
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        self.table = QTableWidget(0, 4)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        self.open_errors = QPushButton("Mở tệp các dòng lỗi…")
        self.open_errors.setVisible(False)
        self.batches_button = QPushButton("Các lô đã nhập (hoàn tác)…")
        self.batches_button.setVisible(False)
        actions = QHBoxLayout()
        actions.addWidget(self.open_errors)
        actions.addWidget(self.batches_button)
        actions.addStretch(1)
        layout.addLayout(actions)
        self.cancel_button.clicked.connect(self._cancel)
        self.open_errors.clicked.connect(self._open_errors)
        self.batches_button.clicked.connect(self.w.open_batches)

    def initializePage(self) -> None:
        self.done = False
        self.open_errors.setVisible(False)
        self.summary.setText("Đang xử lý…")
        assert self.w.sheet is not None
        path = self.w.sheet.path
        corrections = self.w.corrections()
        ctx, dry = self.w.ctx, self.dry_run

        def job(progress: Any, cancelled: Any) -> importer.ImportResult:
            with ctx.db.transaction() as session:
                return importer.run_import(
                    session,
                    ctx.actor,
                    path,
                    corrections=corrections,
                    dry_run=dry,
                    progress=progress,
                    cancelled=cancelled,
                )

        self.job = JobThread(job, self)
        self.job.progressed.connect(self._progress)
        self.job.succeeded.connect(self._succeeded)
        self.job.failed.connect(self._failed)
        self.cancel_button.setEnabled(True)
        self.job.start()

    def _cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, exc: BaseException) -> None:
        self.cancel_button.setEnabled(False)
        self.summary.setText(exc.user_message if isinstance(exc, AppError) else "Có lỗi khi nhập.")
        if not isinstance(exc, importer.ImportCancelled):
            show_error(self, exc)

    def _succeeded(self, result: importer.ImportResult) -> None:
        self.cancel_button.setEnabled(False)
        self.done = True
        if self.dry_run:
            self.w.dry_result = result
        else:
            self.w.import_result = result
        verb = "Sẽ nhập" if self.dry_run else "Đã nhập"
        text = (
            f"<b>{verb} {result.imported} dòng</b>, {result.rejected} dòng lỗi (tổng {result.total} dòng dữ liệu); "
            f"công dân mới {result.new_citizens}, công dân đã có {result.matched_citizens}; "
            f"bỏ qua {len(result.skipped)} dòng tiêu đề, dòng cộng."
        )
        if result.batch_id is not None:
            text += f"<br>Lô nhập số {result.batch_id}; hoàn tác cả lô trong “Các lô đã nhập”."
            self.batches_button.setVisible(True)
        if result.error_workbook is not None:
            text += f"<br>Các dòng lỗi kèm lý do: {result.error_workbook}"
            self.open_errors.setVisible(True)
        self.summary.setText(text)
        self._fill(result)
        self.completeChanged.emit()

    def _fill(self, result: importer.ImportResult) -> None:
        rows: list[tuple[str, str, str, str]] = [
            (str(e.row), "Lỗi", "; ".join(e.reasons), "") for e in result.errors
        ] + [
            (str(p.row), f"{p.received_on:%d/%m/%Y}", f"{p.full_name} — {label(p.kind)}", f"công dân {p.citizen}")
            for p in result.preview
        ]
        self.table.setHorizontalHeaderLabels(["Dòng", "Ngày / lỗi", "Nội dung", "Công dân"])
        self.table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def _open_errors(self) -> None:
        result = self.w.import_result or self.w.dry_result
        if result is not None and result.error_workbook is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.error_workbook)))

    def isComplete(self) -> bool:
        return self.done

    def validatePage(self) -> bool:
        """Leaving the dry run starts the real import: only once the user has said so."""
        if not self.dry_run:
            return True
        result = self.w.dry_result
        if result is None or result.imported == 0:
            show_error(self, AppError("Không có dòng hợp lệ nào để nhập. Sửa tệp (xem các dòng lỗi) rồi chạy thử lại."))
            return False
        question = (
            f"Nhập {result.imported} dòng vào dữ liệu?\n\n"
            f"{result.rejected} dòng lỗi sẽ không được nhập (có trong tệp các dòng lỗi). "
            f"Công dân mới: {result.new_citizens}; công dân đã có: {result.matched_citizens}.\n"
            "Lần nhập này là một lô: có thể hoàn tác cả lô trong “Các lô đã nhập”."
        )
        return confirm(self, question, yes="Nhập", no="Chưa nhập")
