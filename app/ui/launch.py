"""Starting the desktop application: Qt set-up, the database, sign-in, the main window.

``launch`` is what ``python -m app gui`` calls. With ``screenshot`` it renders the reception
screen to a PNG and exits (docs and smoke checks, works offscreen). A ``DeskSession`` owns the
window of the signed-in user: "Đăng xuất" closes it and the login dialog comes back.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QLocale, QThreadPool, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from app.db import Database, open_database
from app.paths import APP_NAME
from app.services.common.actor import Actor
from app.services.common.errors import AppError, StorageError
from app.services.records import integrity
from app.ui import feedback, qt_texts
from app.ui.context import UiContext
from app.ui.live import LiveUpdates
from app.ui.main_window import MainWindow
from app.ui.sections.followup import install_overdue_indicator
from app.ui.widgets.tasks import TaskRunner

SCREEN_SIZE = (1366, 768)
# Fonts with full Vietnamese coverage, best first: Windows ships Segoe UI, Linux Noto or DejaVu.
UI_FONTS = ("Segoe UI", "Noto Sans", "DejaVu Sans", "Arial")


def _application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(APP_NAME)
    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName("TiếpDân")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    qt_texts.install(app)  # Qt's own buttons, menus and file dialog in Vietnamese
    app.setFont(ui_font())
    return app


def ui_font() -> QFont:
    families = set(QFontDatabase.families())
    family = next((f for f in UI_FONTS if f in families), None)
    font = QFont(family) if family else QFont()
    font.setPointSize(10)
    return font


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Uncaught exceptions in slots: log them and say "lỗi chương trình" instead of dying silently."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    if isinstance(exc, AppError):  # a refusal that escaped a slot: still the user's message, not a bug
        feedback.show_error(QApplication.activeWindow(), exc)
        return
    sys.__excepthook__(kind, exc, tb)
    feedback.report_bug(QApplication.activeWindow(), kind, exc, tb)


def sign_in_at_start(db: Database, *, interactive: bool = True) -> Actor | None:
    """Who uses the program: the login dialog (first run: create the administrator, then the
    office); None = quit."""
    from app.ui.login import sign_in

    actor = sign_in(db, interactive=interactive)
    if actor is not None and interactive:
        from app.ui.office_setup import ask_office_if_unset

        ask_office_if_unset(db, actor)
    return actor


def open_window(db: Database, actor: Actor, *, background_jobs: bool = True) -> MainWindow:
    """The main window of ``actor`` on the reception section, shown at the usual screen size."""
    window = MainWindow(UiContext(db, actor))
    live = LiveUpdates(db, window) if background_jobs else None  # other desks' commits show here
    install_overdue_indicator(window, window.ctx, live)  # today's overdue count in the status bar
    if background_jobs:
        from app.ui.sections.admin.backup_tab import install_auto_backup

        install_auto_backup(window, window.ctx)  # scheduled encrypted backups (Quản trị → Sao lưu)
    window.resize(*SCREEN_SIZE)
    window.show_section("reception")
    window.show()
    QTimer.singleShot(0, lambda: window.section("reception").setFocus())
    return window


class DeskSession:
    """One signed-in user at a time, each in a fresh window; "Đăng xuất" brings the login dialog back.

    Not interactive (the screenshot), nobody signs in or out, so nothing goes on the trail.
    """

    def __init__(self, db: Database, *, interactive: bool = True) -> None:
        self.db = db
        self.interactive = interactive
        self.window: MainWindow | None = None

    def start(self) -> bool:
        """Sign someone in and open their window; False when they chose to quit."""
        actor = sign_in_at_start(self.db, interactive=self.interactive)
        if actor is None:
            return False
        self.window = open_window(self.db, actor, background_jobs=self.interactive)
        # Queued: the menu that asked has returned before the window it belongs to goes away.
        self.window.signed_out.connect(lambda: QTimer.singleShot(0, self.switch_user))
        return True

    def end(self) -> None:
        """Close the window (its user agreed to leave) and put the log out on the trail."""
        from app.ui.login import record_logout

        window, self.window = self.window, None
        if window is None:
            return
        window.close_confirmed()
        window.deleteLater()
        if self.interactive:
            record_logout(self.db, window.ctx.actor)

    def switch_user(self) -> None:
        """Log out, then the login dialog; quitting there quits the program."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        quits = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)  # between two windows there is none for a moment
        try:
            self.end()
            started = self.start()
        finally:
            app.setQuitOnLastWindowClosed(quits)
        if not started:
            app.quit()


def settle(app: QApplication, rounds: int = 50) -> None:
    """Let pending events and background loads finish (for a screenshot)."""
    pool = QThreadPool.globalInstance()
    for _ in range(rounds):
        app.processEvents()
        if not pool.waitForDone(50) or pool.activeThreadCount():
            continue
        app.processEvents()
        if pool.activeThreadCount() == 0:
            break


def launch(db: str | None = None, screenshot: Path | None = None) -> int:
    app = _application()
    try:
        database = open_database(db, check="deferred")
    except StorageError as exc:
        box = QMessageBox(QMessageBox.Icon.Critical, "TiếpDân", exc.user_message)
        box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
        if screenshot is None:
            box.exec()
        else:
            print(f"Lỗi: {exc.user_message}", file=sys.stderr)
        return 2
    if screenshot is None:
        sys.excepthook = _excepthook
    try:
        desk = DeskSession(database, interactive=screenshot is None)
        if not desk.start() or desk.window is None:
            return 0
        if screenshot is not None:
            return _screenshot(app, desk.window, screenshot)
        _check_pages_in_background(desk.window, database)
        code = app.exec()
        desk.end()
        return code
    finally:
        QThreadPool.globalInstance().waitForDone(5000)
        database.dispose()


def _check_pages_in_background(window: MainWindow, database: Database) -> None:
    """The page scan of ``PRAGMA quick_check`` once the window is up: a damaged file is reported
    (with the last backup to restore) without making every start wait seconds for it."""
    path = database.file
    if path is None:
        return
    runner = TaskRunner(window)
    runner.submit(
        lambda: integrity.quick_check_or_raise(path),
        on_done=lambda _result: None,
        on_error=lambda exc: feedback.show_error(window, exc),
    )


def _screenshot(app: QApplication, window: MainWindow, path: Path) -> int:
    settle(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path), "PNG"):
        print(f"Lỗi: không ghi được ảnh vào {path}.", file=sys.stderr)
        return 2
    window.close()
    return 0
