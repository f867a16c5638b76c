"""A handler takes a complaint that arrived by post, classifies it in the petition window, forwards
it (chuyển đơn) to the competent department chosen by typing its name, and prints the forwarding slip.
The slip names the petition, the department, and cites the complaint law, never the denunciation
law; the petition is "Đã chuyển đơn", the list and the audit trail say so."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import AuditEntry, Petition
from app.models.enums import Competence, Instance, MatterKind, PetitionStatus
from app.services.casework import petitions
from app.services.common.clock import local_today
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.petitions.detail import PetitionDialog
from app.ui.petitions.page import PetitionsPage
from app.ui.print_preview import PrintPreviewDialog
from tests import printing_data as data
from tests.petition_builders import petition_input
from tests.ui.jobs import helpers
from tests.ui.jobs.helpers import CTRL, ENTER, choose, choose_from_list, click, on_modal, screens, shown_rows
from tests.ui.typing import focused, press, type_text

save_to = helpers.save_to

SUMMARY = "Khiếu nại việc Sở Nông nghiệp và Môi trường chậm cấp giấy phép khai thác nước ngầm"
DEPARTMENT = "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh"


def register_complaint(ctx: UiContext) -> str:
    """The morning's post, entered by the clerk (the registration form is another job's point)."""
    with ctx.db.transaction() as session:
        data.setup_office(session)
        saved = petitions.register_petition(
            session,
            ctx.actor,
            petition_input(summary=SUMMARY, kind=MatterKind.COMPLAINT, received_on=local_today() - dt.timedelta(2)),
            today=local_today(),
        )
    return saved.number


def open_petition(qtbot: QtBot, desk: MainWindow, number: str) -> PetitionDialog:
    press(desk.rail, Qt.Key.Key_2, CTRL)
    page = desk.section("petitions")
    assert isinstance(page, PetitionsPage) and desk.current_key() == "petitions"
    qtbot.waitUntil(lambda: [r["Số đơn"] for r in shown_rows(page.list.model)] == [number])
    page.list.view.setFocus()
    page.list.view.selectRow(0)
    press(page.list.view, ENTER)

    def windows() -> list[PetitionDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, PetitionDialog) and w.isVisible()]

    qtbot.waitUntil(lambda: bool(windows()))
    [window] = windows()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window


def classify_and_forward(qtbot: QtBot, window: PetitionDialog) -> None:
    body = window.body
    panel = body.classification
    assert panel.kind.currentText() == "Khiếu nại"
    choose_from_list(panel.field_code, "Môi trường")
    choose(panel.competence, "Không thuộc thẩm quyền")
    choose(panel.instance, "Lần đầu")
    choose(panel.matter_state, "Chưa được giải quyết")
    press(focused(), Qt.Key.Key_S, CTRL)
    assert panel.message.text().startswith("Đã lưu phân loại"), panel.message.text()
    assert "Môi trường" in body.header.text() and "Trạng thái: Đã phân loại" in body.header.text()

    body.tabs.setCurrentWidget(body.action_panel)
    actions = body.action_panel
    assert actions.action.currentText() == "— chọn thao tác —"  # a direction is always chosen on purpose
    choose(actions.action, "Chuyển đơn")
    line = actions.agency.lineEdit()
    assert line is not None
    line.setFocus()
    line.selectAll()  # over the routing suggestion
    type_text(focused(), "so nong nghiep")
    press(focused(), ENTER)
    assert actions.agency.currentText() == DEPARTMENT
    actions.reason.setFocus()
    type_text(focused(), "Nội dung thuộc thẩm quyền của Sở Nông nghiệp và Môi trường")
    press(focused(), Qt.Key.Key_Return, CTRL)
    assert actions.message.text().startswith("Đã thực hiện: Chuyển đơn. Trạng thái: Đã chuyển đơn."), (
        actions.message.text()
    )
    assert "Đã cấp số: Phiếu chuyển đơn số" in actions.message.text()


def print_the_slip(qtbot: QtBot, window: PetitionDialog, tmp_path: Path, save_to: list[str]) -> str:
    body = window.body
    body.tabs.setCurrentWidget(body.timeline)
    documents = body.timeline.documents
    cells = [documents.item(0, c) for c in (1, 3)]
    assert documents.rowCount() == 1
    assert [c.text() if c is not None else "" for c in cells] == ["Phiếu chuyển đơn", DEPARTMENT]
    seen: dict[str, Any] = {}

    def in_preview(dialog: PrintPreviewDialog) -> None:
        seen["title"] = dialog.windowTitle()
        qtbot.wait(200)
        dialog.grab().save(str(screens(tmp_path) / "forwarding_slip_preview.png"))
        click(dialog.save_button)
        click(dialog.close_button)

    on_modal(PrintPreviewDialog, in_preview)
    button = documents.cellWidget(0, 4)
    assert isinstance(button, QPushButton) and button.text() == "Xem/In"
    click(button)
    assert str(seen.get("title", "")).startswith("Xem trước khi in — Phiếu chuyển đơn số")
    [name] = save_to
    return data.pdf_text((tmp_path / name).read_bytes())


def test_a_complaint_is_classified_forwarded_and_its_slip_cites_the_complaint_law(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, tmp_path: Path, save_to: list[str]
) -> None:
    number = register_complaint(desk_ctx)
    window = open_petition(qtbot, desk, number)

    classify_and_forward(qtbot, window)
    text = print_the_slip(qtbot, window, tmp_path, save_to)

    for expected in [
        "PHIẾU CHUYỂN ĐƠN",
        f"Kính gửi: {DEPARTMENT}",
        "Căn cứ Luật Khiếu nại năm 2011",
        "Căn cứ Nghị định số 124/2020/NĐ-CP",
        "Căn cứ Thông tư số 05/2021/TT-TTCP",
        f"nhận được đơn khiếu nại (số vào sổ {number})",
        "Nguyễn Văn Dũng",
        "chậm cấp giấy phép khai thác nước ngầm",
    ]:
        assert expected in text, (expected, text)
    assert "Luật Tố cáo" not in text and "Điều 24" not in text  # a complaint's slip never cites them

    page = desk.section("petitions")
    assert isinstance(page, PetitionsPage)
    qtbot.waitUntil(lambda: shown_rows(page.list.model)[0]["Trạng thái"] == "Đã chuyển đơn")
    [row] = shown_rows(page.list.model)
    assert (row["Cơ quan giữ đơn"], row["Lĩnh vực"], row["Chuyển"]) == (DEPARTMENT, "Môi trường", "1")
    with desk_ctx.db.session() as session:
        petition = session.scalars(select(Petition)).one()
        assert petition.status == PetitionStatus.FORWARDED
        assert (petition.field_code, petition.competence, petition.instance) == (
            "HC_MT",
            Competence.OUTSIDE,
            Instance.FIRST,
        )
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "petition")).all()
        forwarded = [e for e in entries if "chuyen_don" in (e.action + (e.after_json or ""))]
        assert forwarded and forwarded[-1].username == "quantri", [(e.action, e.after_json) for e in entries]
        assert json.loads(forwarded[-1].after_json or "{}").get("status") == PetitionStatus.FORWARDED.value
    window.close()
