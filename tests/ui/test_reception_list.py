"""Today's board, the visit list (lazy, filtered and sorted in SQL) and correcting a visit."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import LOCAL_TZ, AuditEntry, Visit
from app.models.enums import MatterKind, ReceptionKind, Role
from app.services.common.actor import Actor
from app.services.common.errors import PermissionDenied
from app.ui.context import UiContext
from app.ui.reception.dialog import VisitDialog
from app.ui.reception.page import ReceptionPage
from app.ui.reception.visit_table import VisitList
from tests.helpers import add_visit, local
from tests.ui.typing import press, type_text


def _show_list(qtbot: QtBot, page: ReceptionPage) -> VisitList:
    page.tabs.setCurrentWidget(page.list)
    qtbot.waitUntil(lambda: page.list.model.loaded_once and not page.list.model.is_loading)
    return page.list


def _names(view_list: VisitList) -> list[str]:
    model = view_list.model
    return [model.index(r, 2).data() for r in range(model.rowCount())]


def test_list_filters_by_text_kind_and_dates(qtbot: QtBot, db: Database, ctx: UiContext) -> None:
    with db.session() as s:
        add_visit(s, name="Nguyễn Văn Dũng", received_at=local(2026, 3, 2))
        add_visit(
            s,
            name="Đặng Thị Hoa",
            id_number="024185001111",
            received_at=local(2026, 5, 10),
            kind=MatterKind.DENUNCIATION,
        )
        add_visit(
            s,
            name="Lê Văn Tám",
            id_number="024085002222",
            received_at=local(2026, 6, 1),
            reception=ReceptionKind.PERIODIC,
            leader_name="Chủ tịch Trần Văn Một",
        )
    page = ReceptionPage(ctx)
    qtbot.addWidget(page)
    page.show()
    visits_list = _show_list(qtbot, page)
    assert visits_list.summary.count.text() == "3 lượt tiếp"
    # Newest first; the denouncer is masked for users without the right (SYSTEM has it, so visible).
    assert _names(visits_list) == ["Lê Văn Tám", "Đặng Thị Hoa", "Nguyễn Văn Dũng"]

    type_text(visits_list.text, "nguyen van dung")
    qtbot.waitUntil(lambda: _names(visits_list) == ["Nguyễn Văn Dũng"], timeout=3000)
    visits_list.text.clear()
    qtbot.waitUntil(lambda: visits_list.model.rowCount() == 3, timeout=3000)

    visits_list.kind.set_value(ReceptionKind.PERIODIC)
    qtbot.waitUntil(lambda: _names(visits_list) == ["Lê Văn Tám"])
    visits_list.kind.set_value(None)
    visits_list.date_from.set_value(dt.date(2026, 4, 1))
    visits_list.date_to.set_value(dt.date(2026, 5, 31))
    qtbot.waitUntil(lambda: _names(visits_list) == ["Đặng Thị Hoa"])
    assert visits_list.summary.count.text() == "1 lượt tiếp"


def test_header_click_sorts_in_sql(qtbot: QtBot, db: Database, ctx: UiContext) -> None:
    with db.session() as s:
        for i, name in enumerate(["Bùi Văn Cần", "An Thị Bé", "Đỗ Văn Ánh"]):
            add_visit(s, name=name, id_number=None, received_at=local(2026, 1, 5 + i))
    page = ReceptionPage(ctx)
    qtbot.addWidget(page)
    page.show()
    visits_list = _show_list(qtbot, page)
    header = visits_list.view.horizontalHeader()
    header.setSortIndicator(2, Qt.SortOrder.AscendingOrder)  # what a click on "Công dân" does
    qtbot.waitUntil(lambda: _names(visits_list) == ["An Thị Bé", "Bùi Văn Cần", "Đỗ Văn Ánh"])
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # "Số" has no SQL order: nothing changes
    assert header.sortIndicatorSection() == 2
    assert _names(visits_list) == ["An Thị Bé", "Bùi Văn Cần", "Đỗ Văn Ánh"]


def test_list_fetches_rows_a_page_at_a_time(qtbot: QtBot, db: Database, ctx: UiContext) -> None:
    with db.session() as s:
        for i in range(60):
            add_visit(
                s,
                name=f"Công Dân Số {i}",
                id_number=None,
                received_at=dt.datetime(2026, 1, 1, 8, tzinfo=LOCAL_TZ) + dt.timedelta(hours=i),
            )
    page = ReceptionPage(ctx)
    qtbot.addWidget(page)
    page.show()
    visits_list = _show_list(qtbot, page)
    model = visits_list.model
    model.PAGE_SIZE = 10
    model.MAX_PAGES = 2
    model.invalidate_rows()
    for row in range(model.rowCount()):
        assert model.index(row, 2).data() == f"Công Dân Số {59 - row}"
        assert model.cached_pages() <= 2
    visits_list.view.scrollToBottom()
    assert model.rowCount() == 60


def test_masked_for_a_clerk(qtbot: QtBot, db: Database) -> None:
    with db.session() as s:
        add_visit(s, name="Đặng Thị Hoa", kind=MatterKind.DENUNCIATION)
    clerk = Actor(user_id=None, username="canbo", full_name="Cán bộ A", role=Role.CLERK)
    page = ReceptionPage(UiContext(db, clerk))
    qtbot.addWidget(page)
    page.show()
    visits_list = _show_list(qtbot, page)
    assert _names(visits_list) == ["[Bảo mật danh tính]"]


def _minutes_ago(minutes: int) -> dt.datetime:
    """A moment earlier today (today's board shows only today: just after midnight, midnight)."""
    now = dt.datetime.now(LOCAL_TZ)
    return max(now - dt.timedelta(minutes=minutes), now.replace(hour=0, minute=0, second=0, microsecond=0))


def _open_dialog(qtbot: QtBot, page: ReceptionPage, view_name: str = "board") -> VisitDialog:
    view = getattr(page, view_name).view
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    press(view, Qt.Key.Key_Return)
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, VisitDialog) and w.isVisible())


def test_editing_a_visit_writes_an_audit_entry(qtbot: QtBot, page: ReceptionPage, db: Database) -> None:
    now = _minutes_ago(5)
    with db.session() as s:
        saved = add_visit(s, name="Phan Văn Khải", summary="Khiếu nại về cấp giấy chứng nhận", received_at=now)
    page.board.refresh()
    qtbot.waitUntil(lambda: page.board.model.rowCount() == 1)
    dialog = _open_dialog(qtbot, page)
    assert dialog.form.full_name.text() == "Phan Văn Khải"
    assert dialog.form.summary.toPlainText() == "Khiếu nại về cấp giấy chứng nhận"
    dialog.form.summary.selectAll()
    type_text(dialog.form.summary, "Khiếu nại về cấp giấy chứng nhận quyền sử dụng đất")
    press(dialog.form.summary, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.status.text() == f"Đã cập nhật lượt tiếp số {saved.id}."
    with db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "visit", AuditEntry.action == "update")).one()
        assert entry.entity_id == str(saved.id)
        assert json.loads(entry.after_json or "{}")["summary"].endswith("quyền sử dụng đất")
        assert json.loads(entry.before_json or "{}")["summary"] == "Khiếu nại về cấp giấy chứng nhận"
    qtbot.waitUntil(lambda: "quyền sử dụng đất" in (page.board.model.index(0, 8).data() or ""))


def test_dialog_keeps_input_on_error_and_deletes_with_reason(qtbot: QtBot, page: ReceptionPage, db: Database) -> None:
    now = _minutes_ago(5)
    with db.session() as s:
        saved = add_visit(s, name="Phan Văn Khải", received_at=now)
    page.board.refresh()
    qtbot.waitUntil(lambda: page.board.model.rowCount() == 1)
    dialog = _open_dialog(qtbot, page)
    dialog.form.id_number.setText("123")
    dialog.save()
    assert dialog.isVisible()
    assert "12 chữ số" in (dialog.form.error_of("citizen.id_number") or "")
    assert dialog.form.id_number.text() == "123"

    from app.ui.reception.dialog import DeleteDialog

    remove = DeleteDialog(page.ctx, saved.id, dialog)
    qtbot.addWidget(remove)
    remove.delete()  # no reason given
    assert "lý do" in (remove.reason_field.error or "")
    type_text(remove.reason, "Nhập trùng")
    remove.delete()
    with db.session() as s:
        visit = s.get(Visit, saved.id)
        assert visit is not None and visit.deleted_at is not None and visit.delete_reason == "Nhập trùng"


def test_a_clerk_cannot_open_a_denunciation(qtbot: QtBot, db: Database) -> None:
    with db.session() as s:
        saved = add_visit(s, name="Đặng Thị Hoa", kind=MatterKind.DENUNCIATION)
    clerk = Actor(user_id=None, username="canbo", full_name="Cán bộ A", role=Role.CLERK)
    with pytest.raises(PermissionDenied, match="bảo mật"):
        VisitDialog(UiContext(db, clerk), saved.id)


def test_export_button_writes_exactly_the_filtered_list(
    qtbot: QtBot, db: Database, ctx: UiContext, tmp_path: Path
) -> None:
    with db.session() as s:
        add_visit(s, name="Nguyễn Văn Dũng", received_at=local(2026, 3, 2))
        add_visit(s, name="Đặng Thị Hoa", id_number="024185001111", received_at=local(2026, 5, 10))
        add_visit(s, name="Nguyễn Thị Lan", id_number="024185003333", received_at=local(2026, 5, 12))
    page = ReceptionPage(ctx)
    qtbot.addWidget(page)
    page.show()
    visits_list = _show_list(qtbot, page)
    type_text(visits_list.text, "nguyen")
    qtbot.waitUntil(lambda: visits_list.model.rowCount() == 2, timeout=3000)
    dialog = visits_list.summary.open_export()
    assert dialog is not None
    assert dialog.entity_key == "visits" and not dialog.entity.isEnabled()
    dialog.set_columns(["received_on", "citizen_name"])
    dialog.path.setText(str(tmp_path / "loc.xlsx"))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.export_result is not None, timeout=20_000)
    sheet = load_workbook(tmp_path / "loc.xlsx").active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]]
    assert names == ["Nguyễn Thị Lan", "Nguyễn Văn Dũng"]  # the list's order: newest first


def test_export_of_an_empty_list_says_so(qtbot: QtBot, ctx: UiContext, monkeypatch: pytest.MonkeyPatch) -> None:
    page = ReceptionPage(ctx)
    qtbot.addWidget(page)
    page.show()
    visits_list = _show_list(qtbot, page)
    said: list[str] = []
    monkeypatch.setattr(
        "app.ui.widgets.list_bar.QMessageBox.information", lambda _parent, _title, text: said.append(text)
    )
    assert visits_list.summary.open_export() is None
    assert said == ["Danh sách đang lọc không có dòng nào để xuất."]
