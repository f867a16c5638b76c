"""The audit trail tab: filtered pages of the hash-chained log, and its check."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.common.errors import AppError
from app.services.security import audit, audit_labels
from app.ui import feedback
from app.ui.context import UiContext
from app.ui.sections.admin.tables import AUDIT_PAGE, moment_text, read_only_table
from app.ui.widgets.dates import OptionalDateEdit

# Fields shown in the table cell; the tooltip has them all.
CELL_CHANGES = 4


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
        for code, text in audit_labels.action_choices():
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
        self.table = read_only_table(self.HEADERS)
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
                moment_text(row.at, True),
                row.username,
                row.action_label,
                row.target_label,
                row.reason or "",
            )
            shown = row.changes[:CELL_CHANGES]
            cell = "; ".join(shown) + ("; …" if len(row.changes) > len(shown) else "")
            for c, value in enumerate((*values, cell)):
                item = QTableWidgetItem(value)
                if c == 6 and row.changes:
                    item.setToolTip("\n".join(row.changes))
                self.table.setItem(r, c, item)
        count = f"{len(self.rows)} mục mới nhất trong {total} mục khớp" if total > len(self.rows) else f"{total} mục"
        self.summary.setText(f"Hiển thị {count}.")

    def verify(self) -> None:
        with self.ctx.db.session() as session:
            report = audit.verify_chain(session)
        icon = QMessageBox.Icon.Information if report.broken_at is None else QMessageBox.Icon.Critical
        self.last_report = report
        box = QMessageBox(icon, "Nhật ký hệ thống", report.message, QMessageBox.StandardButton.NoButton, self)
        box.addButton("Đóng", QMessageBox.ButtonRole.AcceptRole)
        box.open()
