"""Printing reached from the screens: the reception page, the visit dialog and the petition timeline.

The preview dialog is replaced by a recorder of the PDF it would show; everything before it
(the questions asked, the numbers issued, the rendering) is the real thing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.models.enums import DocumentType, Role, VisitOutcome
from app.services import printing
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.ui import printing_actions
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.petitions.detail import PetitionDetailWidget
from app.ui.printing_actions import ReceiptItemsDialog
from app.ui.reception.desk_printing import AppointmentDialog, PeriodDialog
from app.ui.reception.dialog import VisitDialog
from app.ui.reception.page import ReceptionPage
from tests import printing_data as data
from tests.helpers import visit_input
from tests.ui.typing import press

CTRL = Qt.KeyboardModifier.ControlModifier
NAME = "Nguyễn Thị Hồng Nhung"
ITEMS = "Đơn khiếu nại (02 trang); Bản sao Quyết định 1234/QĐ-UBND"


@dataclasses.dataclass
class Preview:
    pdf: bytes
    title: str

    @property
    def text(self) -> str:
        return data.pdf_text(self.pdf)


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[Preview]:
    shown: list[Preview] = []
    monkeypatch.setattr(printing_actions, "show_preview", lambda _p, pdf, title, _n: shown.append(Preview(pdf, title)))
    return shown


def on_modal(kind: type[QWidget], handle: Callable[[Any], None], tries: int = 250) -> None:
    """Answer the next modal dialog of ``kind`` (opened by the action about to run)."""

    def poll(left: int) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            handle(widget)
        elif left:
            QTimer.singleShot(20, lambda: poll(left - 1))

    QTimer.singleShot(0, lambda: poll(tries))


def save_visit(qtbot: QtBot, page: ReceptionPage, outcome: VisitOutcome = VisitOutcome.GUIDED) -> int:
    """Type-free: fill the form through its API, save with the page's button, wait for the selection."""
    with page.ctx.db.transaction() as session:
        data.setup_office(session)
    entry = visit_input(NAME, documents_received=ITEMS)
    page.form.fill(dataclasses.replace(entry, outcome=outcome, outcome_note="Bổ sung giấy tờ đất"))
    page.save_button.click()
    assert "Đã lưu lượt tiếp số" in page.status.text(), page.status.text()
    qtbot.waitUntil(lambda: page.selected_visit() is not None)
    row = page.selected_visit()
    assert row is not None and row.citizen_name == NAME
    return row.id


def _symbol(page: ReceptionPage, doc_type: DocumentType, visit_id: int) -> str:
    with page.ctx.db.session() as session:
        return printing.describe(session, printing.latest_document(session, doc_type, visit_id=visit_id))[1]


def test_ctrl_p_prints_the_receipt_of_the_visit_just_saved(
    qtbot: QtBot, page: ReceptionPage, previews: list[Preview]
) -> None:
    visit_id = save_visit(qtbot, page)
    assert page.receipt_button.isEnabled() and not page.appointment_button.isEnabled()
    asked: list[list[str]] = []

    def hand_in(dialog: ReceiptItemsDialog) -> None:
        asked.append(dialog.items())
        dialog.accept()

    on_modal(ReceiptItemsDialog, hand_in)
    press(page.form.first_input, Qt.Key.Key_P, CTRL)
    assert asked == [["Đơn khiếu nại (02 trang)", "Bản sao Quyết định 1234/QĐ-UBND"]]
    symbol = _symbol(page, DocumentType.RECEIPT, visit_id)
    assert symbol.startswith("01/")
    assert [p.title for p in previews] == [f"Giấy biên nhận số {symbol}"]
    text = previews[0].text
    assert NAME in text and symbol in text and "Bản sao Quyết định 1234/QĐ-UBND" in text


def test_ctrl_shift_p_prints_todays_register_listing_the_visit(
    qtbot: QtBot, page: ReceptionPage, previews: list[Preview]
) -> None:
    save_visit(qtbot, page)
    today = local_today()
    on_modal(PeriodDialog, lambda d: d.accept())
    press(page.form.first_input, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert [p.title for p in previews] == [f"Sổ tiếp công dân {today:%d/%m/%Y}"]
    assert NAME in previews[0].text

    def several_days(dialog: PeriodDialog) -> None:
        dialog.start.setDate(dialog.start.date().addDays(-6))
        dialog.several.setChecked(True)
        assert dialog.end.isEnabled()
        dialog.accept()

    on_modal(PeriodDialog, several_days)
    page.log_button.click()
    week = f"{today - dt.timedelta(days=6):%d/%m/%Y}–{today:%d/%m/%Y}"
    assert previews[1].title == f"Sổ tiếp công dân {week}"
    assert NAME in previews[1].text


def test_appointment_slip_only_for_an_appointment(qtbot: QtBot, page: ReceptionPage, previews: list[Preview]) -> None:
    visit_id = save_visit(qtbot, page, VisitOutcome.APPOINTMENT)
    assert page.appointment_button.isEnabled()

    def appoint(dialog: AppointmentDialog) -> None:
        assert dialog.purpose.text() == "Bổ sung giấy tờ đất"
        dialog.when.set_value(dt.datetime(2030, 12, 2, 14, 30, tzinfo=dialog.when.value().tzinfo))
        dialog.bring.setText("Bản chính sổ đỏ")
        dialog.accept()

    on_modal(AppointmentDialog, appoint)
    page.appointment_button.click()
    symbol = _symbol(page, DocumentType.APPOINTMENT, visit_id)
    assert [p.title for p in previews] == [f"Phiếu hẹn số {symbol}"]
    text = previews[0].text
    assert NAME in text and "14 giờ 30 phút" in text and "Bản chính sổ đỏ" in text

    save_visit(qtbot, page)  # a guidance visit: no appointment slip
    qtbot.waitUntil(lambda: (row := page.selected_visit()) is not None and row.id != visit_id)
    assert not page.appointment_button.isEnabled()


def test_visit_dialog_prints_the_receipt(qtbot: QtBot, page: ReceptionPage, previews: list[Preview]) -> None:
    visit_id = save_visit(qtbot, page)
    dialog = VisitDialog(page.ctx, visit_id, page.setup, page)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.receipt_button.isVisible() and not dialog.appointment_button.isVisible()
    on_modal(ReceiptItemsDialog, lambda d: d.accept())
    dialog.receipt_button.click()
    assert previews and previews[0].title == f"Giấy biên nhận số {_symbol(page, DocumentType.RECEIPT, visit_id)}"
    dialog.reject()


def test_a_clerk_is_told_why_the_register_does_not_print(qtbot: QtBot, ctx: UiContext, previews: list[Preview]) -> None:
    clerk = Actor(user_id=None, username="tiep_dan", full_name="Cán bộ tiếp", role=Role.CLERK)
    page = ReceptionPage(UiContext(ctx.db, clerk))
    qtbot.addWidget(page)
    said: list[str] = []

    def read(box: QMessageBox) -> None:
        said.append(box.text())
        box.accept()

    on_modal(QMessageBox, read)
    page.log_button.click()
    assert said == [
        "Tài khoản “tiep_dan” không có quyền in sổ tiếp công dân. Liên hệ lãnh đạo hoặc quản trị "
        "hệ thống để được cấp quyền."
    ]
    assert previews == []


def test_timeline_document_opens_in_the_preview(qtbot: QtBot, ctx: UiContext, previews: list[Preview]) -> None:
    with ctx.db.transaction() as session:
        data.setup_office(session)
        petition = data.add_petition(session)
        ref = data.issue(session, petition, DocumentType.GUIDANCE)
        petition_id = petition.id
    widget = PetitionDetailWidget(ctx, petition_id)
    qtbot.addWidget(widget)
    button = widget.timeline.documents.cellWidget(0, 4)
    assert isinstance(button, QPushButton) and button.text() == "Xem/In"
    button.click()
    assert len(previews) == 1 and previews[0].title.endswith(f" số {ref.symbol}")
    assert ref.symbol in previews[0].text


def test_screenshot_print_controls_fit_at_1366x768(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show_section("reception")
    window.show()
    qtbot.waitExposed(window)
    page = window.section("reception")
    assert isinstance(page, ReceptionPage)
    qtbot.waitUntil(lambda: page.board.model.loaded_once)
    save_visit(qtbot, page, VisitOutcome.APPOINTMENT)
    for button in (page.receipt_button, page.appointment_button, page.log_button):
        shown = button.visibleRegion().boundingRect()
        assert shown.size() == button.size() and button.width() >= button.sizeHint().width(), button.text()
        assert button.isEnabled()
    shots = Path(os.environ.get("TIEPDAN_SCREENS", str(tmp_path)))
    assert window.grab().save(str(shots / "reception-print.png"))
