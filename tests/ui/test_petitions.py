"""The "Đơn thư" screens with pytest-qt: classify and forward by keyboard, split, list, screenshots."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Petition
from app.models.enums import Competence, DeadlineStatus, HandlingAction, MatterKind, PetitionSource, PetitionStatus
from app.services.casework import petitions
from app.services.casework.petitions import PetitionInput
from app.services.common.actor import SYSTEM
from app.services.common.clock import local_today
from app.services.deadlines import clocks
from app.services.directory import agencies
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput
from app.ui.context import UiContext
from app.ui.petitions.detail import PetitionDetailWidget, SplitDialog
from app.ui.petitions.form import PetitionForm
from app.ui.petitions.page import PetitionsPage, RegistrationDialog
from tests.helpers import visit_input
from tests.ui.typing import focused, press, type_text


def _register(ctx: UiContext, **kw: object) -> int:
    data = {
        "source": PetitionSource.POST,
        "summary": "Kiến nghị sửa chữa tuyến đường liên thôn bị sụt lún",
        "kind": MatterKind.RECOMMENDATION,
        "received_on": local_today() - dt.timedelta(days=3),
        "citizen": CitizenInput(full_name="Trần Thị Lan", province_code="24"),
        "field_code": "HC_NO",
        **kw,
    }
    with ctx.db.transaction() as session:
        return petitions.register_petition(session, SYSTEM, PetitionInput(**data)).id  # type: ignore[arg-type]


def _shots(tmp_path: Path) -> Path:
    """Screenshots go to a temporary folder; TIEPDAN_SCREENS=docs/screens refreshes the documented ones."""
    return Path(os.environ.get("TIEPDAN_SCREENS", str(tmp_path)))


def _show(qtbot: QtBot, widget: QWidget, w: int = 1100, h: int = 760) -> None:
    qtbot.addWidget(widget)
    widget.resize(w, h)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    QApplication.processEvents()


def test_classify_and_forward_by_keyboard(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    petition_id = _register(ctx)
    widget = PetitionDetailWidget(ctx, petition_id)
    _show(qtbot, widget)
    panel = widget.classification
    panel.competence.setFocus()
    # "K" picks "Không thuộc thẩm quyền" in the closed list, as a clerk would type it.
    press(focused(), Qt.Key.Key_K)
    assert panel.competence.value() == Competence.OUTSIDE
    press(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Đã lưu phân loại" in panel.message.text()
    assert widget.detail is not None and widget.detail.status == PetitionStatus.CLASSIFIED
    # To the "Xử lý" tab: the forwarding is offered with the routing suggestion pre-selected.
    widget.tabs.setCurrentWidget(widget.action_panel)
    action_panel = widget.action_panel
    action_panel.action.setFocus()
    press(focused(), Qt.Key.Key_C)  # "Chuyển đơn"
    assert action_panel.action.currentText() == "Chuyển đơn"
    assert action_panel.agency.currentText() == "Sở Xây dựng tỉnh Bắc Ninh"
    assert "Gợi ý: Sở Xây dựng tỉnh Bắc Ninh" in action_panel.suggestion.text()
    # The clerk chooses another body by typing it without tones, then a reason.
    press(focused(), Qt.Key.Key_Return)
    assert focused() in (action_panel.agency, action_panel.agency.lineEdit())
    action_panel.agency.lineEdit().selectAll()  # type: ignore[union-attr]
    type_text(focused(), "thanh tra tinh")
    press(focused(), Qt.Key.Key_Escape)
    press(action_panel.agency, Qt.Key.Key_Return)
    type_text(focused(), "Tố giác hành vi lấn chiếm đất công")
    press(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Đã thực hiện: Chuyển đơn" in action_panel.message.text(), action_panel.message.text()
    assert "Phiếu chuyển đơn số 01/PCĐ" in action_panel.message.text()
    detail = widget.detail
    assert detail.status == PetitionStatus.FORWARDED
    assert detail.handling_agency == "Thanh tra tỉnh Bắc Ninh"
    assert detail.events[-1].reason == "Tố giác hành vi lấn chiếm đất công"
    with ctx.db.session() as session:
        waiting = [r for r in clocks.clock_rows(session, petition_id) if r.rule_code == "cho_ket_qua_chuyen_don"]
    assert waiting and waiting[0].status == DeadlineStatus.OPEN
    widget.tabs.setCurrentWidget(widget.timeline)
    assert widget.timeline.events.rowCount() == 3  # received, classified, forwarded
    assert widget.timeline.documents.item(0, 0).text().startswith("01/PCĐ")
    assert widget.grab().save(str(_shots(tmp_path) / "petition-timeline.png"))


def test_refused_action_is_explained_inline(qtbot: QtBot, ctx: UiContext) -> None:
    petition_id = _register(ctx, kind=MatterKind.COMPLAINT, field_code="HC_DD", is_anonymous=True, citizen=None)
    widget = PetitionDetailWidget(ctx, petition_id)
    _show(qtbot, widget)
    widget.classification.competence.set_value(Competence.WITHIN)
    widget.classification.save()
    widget.action_panel.action.set_value(HandlingAction.ACCEPT)
    assert not widget.action_panel.run_button.isEnabled()
    assert "nặc danh không được thụ lý" in widget.action_panel.why.text()


def test_split_mixed_petition(qtbot: QtBot, ctx: UiContext) -> None:
    petition_id = _register(
        ctx, kind=MatterKind.MIXED, field_code=None, summary="Khiếu nại thu hồi đất và tố cáo cán bộ địa chính"
    )
    widget = PetitionDetailWidget(ctx, petition_id)
    _show(qtbot, widget)
    assert widget.split_button.isVisible()
    dialog = SplitDialog(ctx, petition_id, widget)
    qtbot.addWidget(dialog)
    dialog.show()
    (k1, s1, _f1), (k2, s2, f2) = dialog.rows
    k1.set_value(MatterKind.COMPLAINT)
    s1.setFocus()
    type_text(s1, "Khiếu nại quyết định thu hồi đất")
    k2.set_value(MatterKind.DENUNCIATION)
    s2.setFocus()
    type_text(s2, "Tố cáo cán bộ địa chính nhận tiền")
    f2.set_value("TN")
    dialog.split()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.created == ["2/2026", "3/2026"] or len(dialog.created) == 2
    widget.reload()
    detail = widget.detail
    assert detail is not None and detail.status == PetitionStatus.SPLIT
    assert [c.kind for c in detail.children] == [MatterKind.COMPLAINT, MatterKind.DENUNCIATION]
    assert not widget.split_button.isVisible()


def test_split_needs_two_contents(qtbot: QtBot, ctx: UiContext) -> None:
    petition_id = _register(ctx, kind=MatterKind.MIXED, field_code=None)
    dialog = SplitDialog(ctx, petition_id)
    qtbot.addWidget(dialog)
    dialog.rows[0][1].setText("Chỉ một nội dung")
    dialog.split()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "ít nhất hai nội dung" in dialog.message.text()


def test_form_registers_and_keeps_input_on_error(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    _register(ctx, summary="Kiến nghị sửa chữa tuyến đường liên thôn bị sụt lún ở thôn Đông")
    form = PetitionForm(ctx)
    _show(qtbot, form, 1150, 760)
    form.name.setFocus()
    type_text(form.name, "Nguyễn Văn Dũng")
    form.save()
    assert form.fields.get("summary").error == "Nhập tóm tắt nội dung đơn."  # type: ignore[union-attr]
    assert form.name.text() == "Nguyễn Văn Dũng"
    form.kind.set_value(MatterKind.RECOMMENDATION)
    form.summary.setFocus()
    type_text(form.summary, "Kiến nghị sửa chữa tuyến đường liên thôn bị sụt lún")
    qtbot.waitUntil(lambda: form.related.list.count() > 0, timeout=5000)
    assert "Trần Thị Lan" in form.related.list.item(0).text()
    assert form.grab().save(str(_shots(tmp_path) / "petition-form.png"))
    form.related.list.setCurrentRow(0)
    form.related.link_current()
    form.save()
    assert "Đã tiếp nhận đơn số 2/" in form.message.text()
    assert form.name.text() == ""
    with ctx.db.session() as session:
        rows = petitions.list_petitions(session, SYSTEM)
        assert len({p.case_id for p in (session.get(Petition, r.id) for r in rows) if p}) == 1


def test_list_filters(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    with ctx.db.session() as session:
        agencies.ensure_seeded(session)
        session.commit()
    _register(ctx)
    _register(ctx, kind=MatterKind.DENUNCIATION, summary="Tố cáo cán bộ xã nhận tiền", field_code="TN")
    _register(ctx, kind=MatterKind.COMPLAINT, summary="Khiếu nại quyết định thu hồi đất", field_code="HC_DD_BT")
    page = PetitionsPage(ctx)
    _show(qtbot, page, 1300, 500)
    model = page.list.model
    qtbot.waitUntil(lambda: model.loaded_once and model.rowCount() == 3)
    page.list.kind.set_value(MatterKind.DENUNCIATION)
    qtbot.waitUntil(lambda: not model.is_loading and model.rowCount() == 1)
    page.list.kind.set_value(None)
    page.list.text.setText("thu hoi dat")
    page.list.apply_filter()
    qtbot.waitUntil(lambda: not model.is_loading and model.rowCount() == 1)
    assert model.row_at(0).kind == MatterKind.COMPLAINT  # type: ignore[union-attr]
    page.list.text.setText("")
    page.list.apply_filter()
    qtbot.waitUntil(lambda: not model.is_loading and model.rowCount() == 3)
    assert page.grab().save(str(_shots(tmp_path) / "petition-list.png"))
    window = page.open(model.id_at(0))  # type: ignore[arg-type]
    qtbot.addWidget(window)
    assert window.windowTitle().startswith("Đơn số ")


@pytest.fixture(autouse=True)
def _seeded(ctx: UiContext) -> None:
    with ctx.db.transaction() as session:
        agencies.ensure_seeded(session)


def test_desk_registration_takes_the_visit_citizen(qtbot: QtBot, ctx: UiContext) -> None:
    with ctx.db.transaction() as session:
        visit = visits.register_visit(session, SYSTEM, visit_input())
    dialog = RegistrationDialog(ctx, visit_id=visit.id)
    _show(qtbot, dialog)
    form = dialog.form
    assert form.source.value() == PetitionSource.DESK
    form.summary.setFocus()
    type_text(form.summary, "Đơn khiếu nại bồi thường khi thu hồi đất")
    form.save()
    assert form.message.text().startswith("Đã tiếp nhận đơn số 1/"), form.message.text()
    with ctx.db.session() as session:
        petition = session.scalars(select(Petition)).one()
        assert petition.citizen_id == visit.citizen_id and petition.visit_id == visit.id


def test_a_hidden_denouncer_is_explained_with_the_law(qtbot: QtBot, ctx: UiContext) -> None:
    """A clerk who may not see the denouncer registers the denunciation with the sender left blank;
    the form says why, citing the articles of the Law on Denunciations."""
    form = PetitionForm(ctx)
    qtbot.addWidget(form)
    form.show()
    form.fill(
        PetitionInput(source=PetitionSource.DESK, kind=MatterKind.DENUNCIATION, summary="Tố cáo cán bộ xã"),
        sender_hidden=True,
    )
    note = form.citizen_note.text()
    assert form.citizen_note.isVisible() and "để trống họ tên" in note
    assert "điểm b khoản 1 Điều 9, Điều 47 và Điều 56 Luật Tố cáo số 25/2018/QH14" in note
