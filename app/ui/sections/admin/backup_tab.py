"""Backup and restore, in the background with a progress bar, and the scheduled backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.common import settings
from app.services.common.errors import AppError
from app.services.records import backup
from app.services.security.permissions import Permission, require
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.sections.admin.tables import AUTO_CHECK_MS, moment_text
from app.ui.widgets.tasks import TaskRunner

# ---- backup and restore --------------------------------------------------------------------------


class _Progress(QObject):
    """Carries progress from the backup thread to the progress bar (queued across threads)."""

    changed = Signal(str, float)


class BackupTab(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = TaskRunner(self)
        self.relay = _Progress(self)
        self.relay.changed.connect(self._progress)

        with ctx.db.session() as session:
            folder = str(settings.get(session, backup.FOLDER) or "")
            hours = int(settings.get(session, backup.INTERVAL_HOURS))
            keep = int(settings.get(session, backup.KEEP))

        manual = QGroupBox("Sao lưu ngay (ví dụ ra ổ USB)")
        self.folder = QLineEdit(folder)
        self.folder.setPlaceholderText("chọn thư mục, ví dụ ổ USB")
        choose = QPushButton("Chọn…")
        choose.clicked.connect(self.choose_folder)
        self.backup_button = QPushButton("Sao lưu ngay")
        self.backup_button.clicked.connect(self.start_backup)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(choose)
        row.addWidget(self.backup_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.status = QLabel("Bản sao lưu được mã hóa bằng khóa dữ liệu của máy này.")
        self.status.setWordWrap(True)
        box = QVBoxLayout(manual)
        box.addLayout(row)
        box.addWidget(self.progress)
        box.addWidget(self.status)

        auto = QGroupBox("Sao lưu tự động")
        self.interval = QSpinBox()
        self.interval.setRange(0, 24 * 30)
        self.interval.setSuffix(" giờ")
        self.interval.setSpecialValueText("tắt")
        self.interval.setValue(hours)
        self.keep = QSpinBox()
        self.keep.setRange(1, 365)
        self.keep.setSuffix(" bản")
        self.keep.setValue(keep)
        for spin in (self.interval, self.keep):
            spin.setMaximumWidth(140)
        self.auto_folder = QLineEdit(folder)
        self.auto_folder.setPlaceholderText(f"mặc định: {backup.auto_folder(ctx.db) if ctx.db.file else ''}")
        save = QPushButton("Lưu cài đặt sao lưu tự động")
        save.clicked.connect(self.save_auto)
        form = QFormLayout(auto)
        form.addRow("Thư mục", self.auto_folder)
        form.addRow("Sau mỗi", self.interval)
        form.addRow("Giữ lại", self.keep)
        form.addRow("", save)

        restore_box = QGroupBox("Phục hồi")
        self.restore_button = QPushButton("Phục hồi từ bản sao lưu…")
        self.restore_button.clicked.connect(self.choose_restore)
        note = QLabel(
            "Bản sao lưu được kiểm tra trước (mở được, toàn vẹn). Dữ liệu hiện tại được giữ thành một bản sao "
            "lưu riêng trước khi bị thay. Sau khi phục hồi, chương trình cần khởi động lại."
        )
        note.setWordWrap(True)
        rbox = QVBoxLayout(restore_box)
        rbox.addWidget(note)
        rbox.addWidget(self.restore_button)

        layout = QVBoxLayout(self)
        layout.addWidget(manual)
        layout.addWidget(auto)
        layout.addWidget(restore_box)
        layout.addStretch(1)
        self.last_result: object = None

    def _progress(self, phase: str, fraction: float) -> None:
        self.progress.setValue(int(fraction * 100))
        self.status.setStyleSheet("")
        self.status.setText(phase)

    def _emit(self, phase: str, fraction: float) -> None:
        self.relay.changed.emit(phase, fraction)  # called from the worker thread

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục sao lưu", self.folder.text())
        if folder:
            self.folder.setText(folder)

    def _busy(self, busy: bool) -> None:
        for button in (self.backup_button, self.restore_button):
            button.setEnabled(not busy)

    def start_backup(self) -> None:
        text = self.folder.text().strip()
        if not text:
            self.choose_folder()
            text = self.folder.text().strip()
            if not text:
                return
        folder = Path(text)
        db, actor = self.ctx.db, self.ctx.actor
        self._busy(True)
        self.progress.setValue(0)
        self.runner.submit(
            lambda: backup.backup_to_folder(db, actor, folder, progress=self._emit), self._backed_up, self._failed
        )

    def _backed_up(self, info: object) -> None:
        self._busy(False)
        assert isinstance(info, backup.BackupInfo)
        self.last_result = info
        self.progress.setValue(100)
        self.status.setText(
            f"Đã sao lưu vào {info.path} ({info.size / 1_048_576:.1f} MB, lúc {moment_text(info.created_at)})."
        )

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        self.last_result = exc
        self.progress.setValue(0)
        if not isinstance(exc, AppError):
            feedback.show_error(self, exc)  # a bug: logged and reported as such
            return
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(exc.user_message)

    def save_auto(self) -> None:
        try:
            with self.ctx.db.transaction() as session:
                require(self.ctx.actor, Permission.BACKUP)
                settings.put(session, backup.FOLDER, self.auto_folder.text().strip())
                settings.put(session, backup.INTERVAL_HOURS, self.interval.value())
                settings.put(session, backup.KEEP, self.keep.value())
        except AppError as exc:
            feedback.show_error(self, exc)
            return
        feedback.show_status(self, "Đã lưu cài đặt sao lưu tự động.")
        self.status.setText("Đã lưu cài đặt sao lưu tự động.")

    def choose_restore(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Chọn bản sao lưu", self.folder.text(), f"Bản sao lưu TiếpDân (*{backup.SUFFIX})"
        )
        if name:
            self.start_restore(Path(name), ask=True)

    def start_restore(self, path: Path, *, ask: bool) -> None:
        db, actor = self.ctx.db, self.ctx.actor
        self._busy(True)
        self.status.setText("Đang kiểm tra bản sao lưu…")

        def verified(info: object) -> None:
            assert isinstance(info, backup.BackupInfo)
            question = (
                f"Bản sao lưu {info.path.name} (lập {moment_text(info.created_at)}) mở được và toàn vẹn.\n\n"
                "Phục hồi sẽ THAY TOÀN BỘ dữ liệu hiện tại; dữ liệu hiện tại được giữ thành một bản sao lưu. "
                "Các máy khác đang dùng chung dữ liệu nên tạm ngừng nhập. Phục hồi?"
            )
            if ask and not feedback.confirm(self, question, yes="Phục hồi", no="Không"):
                self._busy(False)
                self.status.setText("Chưa phục hồi.")
                return
            self.runner.submit(lambda: backup.restore(db, actor, path, progress=self._emit), restored, self._failed)

        def restored(result: object) -> None:
            self._busy(False)
            assert isinstance(result, backup.RestoreResult)
            self.last_result = result
            self.progress.setValue(100)
            self.status.setText(
                f"Đã phục hồi từ {result.restored_from.name}. Dữ liệu trước đó được giữ tại {result.safety_copy}. "
                "Hãy đóng và mở lại chương trình."
            )

        self.runner.submit(lambda: backup.verify_backup(db, path, progress=self._emit), verified, self._failed)


# ---- scheduled backups ---------------------------------------------------------------------------


def install_auto_backup(window: QWidget, ctx: UiContext) -> QTimer:
    """Check every few minutes whether a scheduled backup is due; run it in the background.

    A failure (USB stick missing, disk full) goes to the status bar, never a blocking dialog.
    """
    runner = TaskRunner(window)

    def done(info: object) -> None:
        if isinstance(info, backup.BackupInfo):
            feedback.show_status(window, f"Đã sao lưu tự động: {info.path}", 15_000)

    def failed(exc: BaseException) -> None:
        text = exc.user_message if isinstance(exc, AppError) else "lỗi chương trình"
        feedback.show_status(window, f"Sao lưu tự động không thành công: {text}", 60_000)

    def check() -> None:
        if runner.busy or ctx.db.file is None:
            return
        try:
            due = backup.auto_backup_due(ctx.db)
        except (AppError, ValueError):
            return
        if due:
            runner.submit(lambda: backup.run_auto_backup(ctx.db, ctx.actor), done, failed)

    timer = QTimer(window)
    timer.setObjectName("auto_backup_timer")
    timer.setInterval(AUTO_CHECK_MS)
    timer.timeout.connect(check)
    timer.start()
    QTimer.singleShot(60_000, check)  # not during start-up: the desk is busiest then
    return timer
