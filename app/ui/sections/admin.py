"""Rail section "Quản trị": accounts, office settings, the audit trail, backup and restore.

Each tab appears only for a user with the right (the services check again). Backups run in
the background with a progress bar; the scheduled backup is a timer installed by the launcher
(``install_auto_backup``).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Role
from app.services.common import settings
from app.services.common.errors import AppError, ValidationError
from app.services.records import backup
from app.services.security import accounts, audit
from app.services.security.permissions import Permission, allowed, require
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.widgets.dates import OptionalDateEdit
from app.ui.widgets.tasks import TaskRunner

AUTO_CHECK_MS = 10 * 60 * 1000
AUDIT_PAGE = 500


def create(ctx: UiContext) -> QWidget:
    return AdminPage(ctx)


class AdminPage(QTabWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("admin")
        self.ctx = ctx
        if allowed(ctx.actor, Permission.MANAGE_USERS):
            self.users = UsersTab(ctx)
            self.addTab(self.users, "Tài khoản")
        if allowed(ctx.actor, Permission.MANAGE_SETTINGS) and importlib.util.find_spec("app.ui.settings_form"):
            from app.ui.settings_form import OfficeSettingsForm

            holder = QWidget()
            box = QVBoxLayout(holder)
            box.addWidget(OfficeSettingsForm(ctx))
            box.addStretch(1)
            self.addTab(holder, "Thông tin cơ quan")
        if allowed(ctx.actor, Permission.VIEW_AUDIT):
            self.audit = AuditTab(ctx)
            self.addTab(self.audit, "Nhật ký hệ thống")
        if allowed(ctx.actor, Permission.BACKUP):
            self.backup = BackupTab(ctx)
            self.addTab(self.backup, "Sao lưu, phục hồi")
        if self.count() == 0:
            note = QLabel(
                f"Tài khoản “{ctx.actor.username}” không có quyền quản trị. Nhật ký hệ thống dành cho lãnh đạo; "
                "tài khoản, cấu hình và sao lưu dành cho quản trị hệ thống."
            )
            note.setWordWrap(True)
            note.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.addTab(note, "Quản trị")


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _when(value: dt.datetime | None, seconds: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:%d/%m/%Y %H:%M:%S}" if seconds else f"{value:%d/%m/%Y %H:%M}"


# ---- accounts ------------------------------------------------------------------------------------


class UserDialog(QDialog):
    """A new account: username, full name, title, role, first password."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Thêm người dùng")
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.title = QLineEdit()
        self.role = QComboBox()
        for role, text in accounts.ROLE_LABELS.items():
            self.role.addItem(text, role)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"ít nhất {accounts.MIN_PASSWORD} ký tự; người dùng tự đổi sau")
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Tên đăng nhập *", self.username)
        form.addRow("Họ và tên *", self.full_name)
        form.addRow("Chức vụ", self.title)
        form.addRow("Vai trò *", self.role)
        form.addRow("Mật khẩu ban đầu *", self.password)
        buttons = QDialogButtonBox()
        buttons.addButton("Thêm", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Hủy", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def show_errors(self, fields: dict[str, str]) -> None:
        self.message.setText("\n".join(fields.values()))


class UsersTab(QWidget):
    HEADERS: ClassVar[list[str]] = ["Tên đăng nhập", "Họ và tên", "Vai trò", "Trạng thái", "Đăng nhập gần nhất"]

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table = _table(self.HEADERS)
        self.add_button = QPushButton("Thêm người dùng…")
        self.role_button = QPushButton("Đổi vai trò…")
        self.password_button = QPushButton("Đặt lại mật khẩu…")
        self.lock_button = QPushButton("Khóa")
        self.unlock_button = QPushButton("Mở khóa")
        self.add_button.clicked.connect(self.add_user)
        self.role_button.clicked.connect(self.change_role)
        self.password_button.clicked.connect(self.reset_password)
        self.lock_button.clicked.connect(self.lock)
        self.unlock_button.clicked.connect(self.unlock)
        row = QHBoxLayout()
        for button in (self.add_button, self.role_button, self.password_button, self.lock_button, self.unlock_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table)
        self.users: list[accounts.UserInfo] = []
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.session() as session:
            self.users = accounts.list_users(session)
        self.table.setRowCount(len(self.users))
        for r, u in enumerate(self.users):
            state = "Bị khóa" if u.is_locked() else "Hoạt động"
            for c, value in enumerate((u.username, u.full_name, u.role_label, state, _when(u.last_login_at))):
                item = QTableWidgetItem(value)
                if c == 3 and u.is_locked():
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, item)

    def selected(self) -> accounts.UserInfo | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.users):
            return self.users[row]
        feedback.show_info(self, "Chọn một người dùng trong bảng trước.")
        return None

    def _run(self, job: object, done: str) -> bool:
        try:
            with self.ctx.db.transaction() as session:
                job(session)  # type: ignore[operator]
        except AppError as exc:
            feedback.show_error(self, exc)
            return False
        self.reload()
        feedback.show_status(self, done)
        return True

    def add_user(self) -> None:
        dialog = UserDialog(self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            if self.save_new(dialog):
                return

    def save_new(self, dialog: UserDialog) -> bool:
        """Create the account typed in ``dialog``; problems are shown in the dialog itself."""
        try:
            with self.ctx.db.transaction() as session:
                accounts.add_user(
                    session,
                    self.ctx.actor,
                    dialog.username.text(),
                    dialog.full_name.text(),
                    dialog.role.currentData(),
                    dialog.password.text(),
                    title=dialog.title.text(),
                )
        except ValidationError as exc:
            dialog.show_errors(exc.fields)
            return False
        except AppError as exc:
            dialog.show_errors({"": exc.user_message})
            return False
        self.reload()
        feedback.show_status(self, f"Đã thêm tài khoản “{dialog.username.text()}”.")
        return True

    def change_role(self) -> None:
        user = self.selected()
        if user is None:
            return
        labels = list(accounts.ROLE_LABELS.values())
        choice, ok = QInputDialog.getItem(
            self, "Đổi vai trò", f"Vai trò mới của {user.full_name}:", labels, labels.index(user.role_label), False
        )
        if not ok:
            return
        role = next(r for r, text in accounts.ROLE_LABELS.items() if text == choice)
        self.set_role(user.username, role)

    def set_role(self, username: str, role: Role) -> bool:
        return self._run(
            lambda s: accounts.change_role(s, self.ctx.actor, username, role), f"Đã đổi vai trò của “{username}”."
        )

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self, "Đặt lại mật khẩu", f"Mật khẩu mới cho {user.full_name}:", QLineEdit.EchoMode.Password
        )
        if ok:
            self._run(
                lambda s: accounts.set_password(s, self.ctx.actor, user.username, password),
                f"Đã đặt mật khẩu mới cho “{user.username}”.",
            )

    def lock(self) -> None:
        user = self.selected()
        if user is not None:
            self._run(lambda s: accounts.lock_user(s, self.ctx.actor, user.username), f"Đã khóa “{user.username}”.")

    def unlock(self) -> None:
        user = self.selected()
        if user is not None:
            self._run(
                lambda s: accounts.unlock_user(s, self.ctx.actor, user.username), f"Đã mở khóa “{user.username}”."
            )


# ---- audit trail ---------------------------------------------------------------------------------


def _describe(row: audit.AuditRow) -> str:
    """Before → after, one line, for the table (the full JSON is in the tooltip)."""
    before = json.loads(row.before_json) if row.before_json else {}
    after = json.loads(row.after_json) if row.after_json else {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return ""
    parts = []
    for key in list(dict.fromkeys([*before, *after]))[:6]:
        if key in before and key in after:
            parts.append(f"{key}: {before[key]} → {after[key]}")
        elif key in after:
            parts.append(f"{key}: {after[key]}")
        else:
            parts.append(f"{key}: {before[key]} → (xóa)")
    return "; ".join(parts)


class AuditTab(QWidget):
    HEADERS: ClassVar[list[str]] = [
        "#",
        "Thời gian",
        "Người dùng",
        "Thao tác",
        "Đối tượng",
        "Lý do",
        "Nội dung (trước → sau)",
    ]

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.date_from = OptionalDateEdit("từ ngày")
        self.date_to = OptionalDateEdit("đến ngày")
        self.user = QComboBox()
        self.action = QComboBox()
        self.action.addItem("Mọi thao tác", "")
        for code, text in audit.ACTION_LABELS.items():
            self.action.addItem(text, code)
        self.entity_id = QLineEdit()
        self.entity_id.setPlaceholderText("số hồ sơ")
        self.entity_id.setMaximumWidth(90)
        self.filter_button = QPushButton("Lọc")
        self.verify_button = QPushButton("Kiểm tra toàn vẹn")
        self.filter_button.clicked.connect(self.reload)
        self.verify_button.clicked.connect(self.verify)
        bar = QHBoxLayout()
        for label, widget in (
            ("Từ", self.date_from),
            ("đến", self.date_to),
            ("Người dùng", self.user),
            ("Thao tác", self.action),
            ("Số", self.entity_id),
        ):
            bar.addWidget(QLabel(label))
            bar.addWidget(widget)
        bar.addWidget(self.filter_button)
        bar.addStretch(1)
        bar.addWidget(self.verify_button)
        self.table = _table(self.HEADERS)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        self.rows: list[audit.AuditRow] = []
        self._fill_users()
        self.reload()

    def _fill_users(self) -> None:
        self.user.clear()
        self.user.addItem("Mọi người dùng", "")
        with self.ctx.db.session() as session:
            for name in audit.usernames(session):
                self.user.addItem(name, name)

    def current_filter(self) -> audit.AuditFilter:
        return audit.AuditFilter(
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
            username=str(self.user.currentData() or ""),
            action=str(self.action.currentData() or ""),
            entity_id=self.entity_id.text(),
        )

    def reload(self) -> None:
        flt = self.current_filter()
        try:
            with self.ctx.db.session() as session:
                total = audit.count_entries(session, self.ctx.actor, flt)
                self.rows = audit.list_entries(session, self.ctx.actor, flt, limit=AUDIT_PAGE)
        except AppError as exc:
            feedback.show_error(self, exc)
            return
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            values = (
                str(row.id),
                _when(row.at, True),
                row.username,
                row.action_label,
                row.target_label,
                row.reason or "",
            )
            for c, value in enumerate((*values, _describe(row))):
                item = QTableWidgetItem(value)
                if c == 6:
                    item.setToolTip(f"Trước: {row.before_json or '—'}\nSau: {row.after_json or '—'}")
                self.table.setItem(r, c, item)
        shown = f"{len(self.rows)} mục mới nhất trong {total} mục khớp" if total > len(self.rows) else f"{total} mục"
        self.summary.setText(f"Hiển thị {shown}.")

    def verify(self) -> None:
        with self.ctx.db.session() as session:
            report = audit.verify_chain(session)
        icon = QMessageBox.Icon.Information if report.broken_at is None else QMessageBox.Icon.Critical
        self.last_report = report
        box = QMessageBox(icon, "Nhật ký hệ thống", report.message, QMessageBox.StandardButton.NoButton, self)
        box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
        box.open()


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
            f"Đã sao lưu vào {info.path} ({info.size / 1_048_576:.1f} MB, lúc {_when(info.created_at)})."
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
                f"Bản sao lưu {info.path.name} (lập {_when(info.created_at)}) mở được và toàn vẹn.\n\n"
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
