"""The report forms as the office reads them: each row and column with its definition, and the
points not yet confirmed highlighted. This is where the doubt is shown; the workbook never carries it."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.reports import definitions, forms
from app.services.reports.forms import FormDef
from app.ui.widgets.tables import close_box

NOTE = QColor("#8a5a00")  # the colour the deadline rules viewer gives its "to confirm" notes
NOTE_BACKGROUND = QColor("#fff4d6")
HEADERS = ["Dòng / cột", "Định nghĩa (cách tính)", "Điểm cần xác nhận"]


class FormsViewer(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Biểu mẫu báo cáo và điểm cần xác nhận")
        self.resize(1200, 680)
        self.forms = list(forms.every_form())
        self.list = QListWidget()
        self.list.addItems([f"{f.code} — {f.short or f.title} ({f.version})" for f in self.forms])
        self.list.setMaximumWidth(260)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setObjectName("to_confirm")
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(
            f"QLabel {{ color: {NOTE.name()}; background: {NOTE_BACKGROUND.name()}; padding: 6px; }}"
        )
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(HEADERS)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(False)  # the definitions get the room, not the mostly empty notes
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(0, 300)
        self.tree.setColumnWidth(2, 200)
        right = QVBoxLayout()
        right.addWidget(self.heading)
        right.addWidget(self.notes)
        right.addWidget(self.tree, 1)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        hint = QLabel("Các điểm cần xác nhận chỉ hiện ở đây, không in vào báo cáo gửi cơ quan cấp trên.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addWidget(close_box(self))
        self.list.currentRowChanged.connect(self.show_form)
        self.list.setCurrentRow(0)

    def show_form(self, index: int) -> None:
        if not 0 <= index < len(self.forms):
            return
        form = self.forms[index]
        self.heading.setText(
            f"<b>{form.form_no} — {form.title}</b><br><i>{_circulars(form)}</i><br>"
            f"Bộ biểu {form.version}, dùng cho kỳ báo cáo kết thúc {_validity(form)}. Mã biểu: {form.code}. {form.unit}"
        )
        points = form.points_to_confirm()
        self.notes.setVisible(bool(points))
        self.notes.setText(
            "<b>Điểm cần xác nhận:</b><br>" + "<br>".join(f"• {where}: {what}" for where, what in points)
        )
        self._fill(form)

    def _fill(self, form: FormDef) -> None:
        self.tree.clear()
        parents: list[QTreeWidgetItem] = []
        for line in definitions.outline(form):
            item = QTreeWidgetItem([line.label, line.definition, "\n".join(line.to_confirm)])
            item.setToolTip(1, line.definition)
            if line.to_confirm:
                for column in range(len(HEADERS)):
                    item.setBackground(column, QBrush(NOTE_BACKGROUND))
                item.setForeground(2, QBrush(NOTE))
            del parents[line.depth :]
            if parents:
                parents[-1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            parents.append(item)
        self.tree.expandAll()

    def shown_notes(self) -> list[str]:
        """Every to-confirm text on screen (the banner and the tree), for a reader or a test."""
        texts = [self.notes.text()] if self.notes.isVisible() else []
        stack = _children(self.tree.invisibleRootItem())
        while stack:
            item = stack.pop()
            if item.text(2):
                texts.append(item.text(2))
            stack += _children(item)
        return texts


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for i in range(item.childCount()) if (child := item.child(i)) is not None]


def _circulars(form: forms.FormDef) -> str:
    if not form.circulars:
        return form.circular
    return "<br>".join(f"{text} (từ {since:%d/%m/%Y})" for since, text in form.circulars)


def _validity(form: forms.FormDef) -> str:
    if form.valid_from and form.valid_to:
        return f"từ {form.valid_from:%d/%m/%Y} đến {form.valid_to:%d/%m/%Y}"
    if form.valid_from:
        return f"từ {form.valid_from:%d/%m/%Y}"
    return f"đến {form.valid_to:%d/%m/%Y}" if form.valid_to else "bất kỳ"
