"""The shared waiting queue through the real window: at the entrance two citizens are checked in
and get their slips; the desk calls the next one, whose name and CCCD are already in the visit
form; the clerk completes and saves the visit, and the ticket shows served, linked to that visit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.models import QueueTicket
from app.models.waiting_queue import TicketStatus
from app.ui.main_window import MainWindow
from app.ui.print_preview import PrintPreviewDialog
from tests import printing_data as data
from tests.ui.jobs.helpers import CTRL, LEFT, answer_box, on_modal, pause_for_type_ahead, reception_page, screens
from tests.ui.typing import focused, press, type_text


def _type(widget: Any, text: str) -> None:
    widget.setFocus()
    type_text(widget, text)


def test_check_in_two_call_the_next_and_serve_them(qtbot: QtBot, desk: MainWindow, tmp_path: Path) -> None:
    page = reception_page(qtbot, desk)
    panel = page.queue
    page.tabs.setCurrentWidget(panel)
    assert page.tabs.tabText(page.tabs.currentIndex()) == "Hàng chờ"

    # At the entrance: the first citizen gets a printed slip, the second is checked in without one.
    qtbot.mouseClick(panel.entrance_button, LEFT)
    entrance = panel.entrance
    assert entrance is not None and entrance.isVisible()
    slips: list[str] = []

    def in_preview(dialog: PrintPreviewDialog) -> None:
        slips.append(data.pdf_text(dialog.pdf))
        qtbot.mouseClick(dialog.close_button, LEFT)

    _type(entrance.full_name, "Nguyễn Thị Hồng Nhung")
    _type(entrance.id_number, "024185001234")
    _type(entrance.matter, "Khiếu nại thu hồi đất")
    on_modal(PrintPreviewDialog, in_preview)
    press(entrance.matter, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: len(slips) == 1)
    assert "PHIẾU SỐ THỨ TỰ" in slips[0] and "001" in slips[0] and "Nguyễn Thị Hồng Nhung" in slips[0]
    assert entrance.last.text() == "Đã cấp số 001 cho Nguyễn Thị Hồng Nhung."
    assert entrance.full_name.text() == "" and entrance.focusWidget() is entrance.full_name

    # A missing matter is named under its field; what was typed stays.
    entrance.print_slip.setChecked(False)
    _type(entrance.full_name, "Trần Văn Bình")
    _type(entrance.phone, "0912345678")
    press(entrance.phone, Qt.Key.Key_S, CTRL)
    message = entrance.fields.get("matter")
    assert message is not None and message.error is not None and message.error.startswith("Nhập vắn tắt việc")
    assert entrance.full_name.text() == "Trần Văn Bình"
    entrance.grab().save(str(screens(tmp_path) / "tiep_don.png"))
    _type(entrance.matter, "Phản ánh đường liên thôn")
    entrance.people.setValue(3)
    qtbot.mouseClick(entrance.ok_button, LEFT)
    assert entrance.last.text() == "Đã cấp số 002 cho Trần Văn Bình."
    qtbot.mouseClick(entrance.buttons.buttons()[1], LEFT)  # Đóng
    assert not entrance.isVisible()
    desk.activateWindow()  # the desk's clerk works in the main window
    qtbot.waitUntil(desk.isActiveWindow)

    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    first, second = panel.tickets
    assert panel.row_of(first.id)["Trạng thái"] == "Đang chờ"
    assert panel.row_of(second.id)["Số người"] == "3"
    assert page.tabs.tabText(page.tabs.indexOf(panel)) == "Hàng chờ (2)"

    # The desk calls the next citizen: number 001, with the visit form filled in.
    panel.desk.setText("Bàn 1")
    qtbot.mouseClick(panel.next_button, LEFT)
    form = page.form
    assert form.full_name.text() == "Nguyễn Thị Hồng Nhung"
    assert form.id_number.text() == "024185001234"
    assert form.summary.toPlainText() == "Khiếu nại thu hồi đất"
    assert panel.row_of(first.id)["Trạng thái"] == "Đang tiếp"
    assert panel.row_of(first.id)["Bàn"] == "Bàn 1"
    assert "Đang tiếp số <b>001</b> — Nguyễn Thị Hồng Nhung." in panel.serving.text()
    desk.grab().save(str(screens(tmp_path) / "hang_cho.png"))

    # The clerk completes what the entrance did not ask and saves.
    for widget, text in ((form.matter_kind, "Khiếu"), (form.outcome, "Hướng")):
        pause_for_type_ahead()
        widget.setFocus()
        type_text(focused(), text)
    _type(form.address, "Thôn Đông, xã Yên Phong")
    press(focused(), Qt.Key.Key_S, CTRL)
    assert "Đã lưu lượt tiếp số" in page.status.text(), page.status.text()
    qtbot.waitUntil(lambda: panel.row_of(first.id)["Trạng thái"] == "Đã tiếp")
    with desk.ctx.db.session() as session:
        ticket = session.get(QueueTicket, first.id)
        assert ticket is not None
        assert ticket.status == TicketStatus.SERVED and ticket.visit_id is not None
    visit_id = int(page.status.text().split("Đã lưu lượt tiếp số ")[1].split()[0].rstrip(".,"))
    assert ticket.visit_id == visit_id

    # The second citizen is called, then goes home before being received.
    press(page.form.first_input, Qt.Key.Key_F6)
    assert form.full_name.text() == "Trần Văn Bình" and form.head_count.value() == 3
    assert panel.left_button.isEnabled()
    asked = answer_box("Bỏ, nhập lượt mới")  # the form held the citizen who left
    qtbot.mouseClick(panel.left_button, LEFT)
    assert panel.row_of(second.id)["Trạng thái"] == "Bỏ về"
    assert asked and form.full_name.text() == ""
    qtbot.mouseClick(panel.next_button, LEFT)
    assert panel.serving.text() == "Không còn ai đang chờ."
    assert page.tabs.tabText(page.tabs.indexOf(panel)) == "Hàng chờ"
