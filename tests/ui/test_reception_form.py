"""The reception form as a clerk uses it: keyboard only, Vietnamese names, messages beside fields."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import Citizen, Visit
from app.models.enums import Gender, MatterKind, ReceptionKind, VisitOutcome
from app.services.common import catalogues
from app.ui import feedback
from app.ui.reception.page import ReceptionPage
from tests.helpers import add_visit
from tests.ui.typing import focused, press, type_text

ENTER = Qt.Key.Key_Return
CTRL = Qt.KeyboardModifier.ControlModifier


def _enter_then(text: str | None = None) -> None:
    press(focused(), ENTER)
    if text:
        type_text(focused(), text)


def test_visit_typed_by_keyboard_is_saved_and_listed(qtbot: QtBot, page: ReceptionPage, db: Database) -> None:
    form = page.form
    form.kind.setFocus()
    qtbot.waitUntil(lambda: form.kind.hasFocus())
    # Kind and time keep their defaults; the officer is the signed-in user; the leader is skipped.
    press(focused(), ENTER)
    assert form.received_at.hasFocus()
    _enter_then()  # state of the matter
    assert form.officer.hasFocus()
    _enter_then("Nguyễn Thị Hồng Nhung")  # leader is disabled for "thường xuyên", so Enter lands on the name
    assert form.full_name.text() == "Nguyễn Thị Hồng Nhung"
    _enter_then("024185001234")
    _enter_then("Nữ")
    _enter_then("1985")
    _enter_then("0912 345 678")
    _enter_then()  # province: the office's (Bắc Ninh)
    _enter_then("tu son")  # commune, typed without tones
    _enter_then("Số 12 đường Lý Thái Tổ")
    _enter_then()  # head-count: 1
    _enter_then()  # crowd flag
    _enter_then()  # state of the matter
    assert form.summary.hasFocus()
    type_text(focused(), "Đề nghị xem xét việc bồi thường đất")
    press(focused(), ENTER)  # a new line inside the summary
    type_text(focused(), "tại khu đô thị mới")
    press(focused(), ENTER, CTRL)
    assert form.matter_kind.hasFocus()
    type_text(focused(), "Kiến")
    _enter_then("boi thuong")  # field, typed without tones: "Bồi thường, hỗ trợ, tái định cư…"
    _enter_then()  # picks it from the list and moves on to the state of the matter
    assert form.field_code.currentText() == "Bồi thường, hỗ trợ, tái định cư khi thu hồi đất"
    _enter_then("Tiếp")  # outcome: "Tiếp nhận đơn, tài liệu"
    _enter_then("Đã nhận đơn và hẹn trả lời")
    _enter_then("Đơn đề nghị (02 trang)")
    press(focused(), Qt.Key.Key_S, CTRL)

    assert "Đã lưu lượt tiếp số" in page.status.text(), page.status.text()
    with db.session() as s:
        visit = s.scalars(select(Visit)).one()
        citizen = s.get(Citizen, visit.citizen_id)
        assert citizen is not None
        assert citizen.full_name == "Nguyễn Thị Hồng Nhung"
        assert citizen.id_number == "024185001234"
        assert citizen.gender == Gender.FEMALE
        assert citizen.birth_year == 1985
        assert citizen.phone == "0912345678"
        assert citizen.province_code == "24"
        assert citizen.commune_code is not None
        assert catalogues.unit_names(s, {citizen.commune_code}) == {citizen.commune_code: "Phường Từ Sơn"}
        assert visit.summary == "Đề nghị xem xét việc bồi thường đất tại khu đô thị mới"
        assert visit.matter_kind == MatterKind.RECOMMENDATION
        assert visit.field_code == "HC_DD_BT"
        assert visit.outcome == VisitOutcome.PETITION_RECEIVED
        assert visit.reception_kind == ReceptionKind.REGULAR
        assert visit.documents_received == "Đơn đề nghị (02 trang)"
        assert visit.officer_name == page.ctx.actor.full_name
    # The form is ready for the next citizen, officer and kind kept.
    assert form.full_name.text() == "" and form.summary.toPlainText() == ""
    assert form.officer.text() == page.ctx.actor.full_name
    assert form.full_name.hasFocus()
    # Today's board and the list show it.
    qtbot.waitUntil(lambda: page.board.model.rowCount() == 1)
    assert page.board.model.index(0, 2).data() == "Nguyễn Thị Hồng Nhung"
    page.tabs.setCurrentWidget(page.list)
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 1)
    assert page.list.model.index(0, 2).data() == "Nguyễn Thị Hồng Nhung"
    assert page.list.summary.count.text() == "1 lượt tiếp"


def test_commune_typed_without_tones_is_chosen(page: ReceptionPage) -> None:
    form = page.form
    form.commune.setFocus()
    type_text(form.commune.lineEdit(), "tu son")
    press(focused(), ENTER)
    assert form.commune.currentText() == "Phường Từ Sơn"
    assert form.commune.value() is not None
    assert form.address.hasFocus()


def _fill_minimum(page: ReceptionPage, name: str = "Trần Văn Bình", id_number: str = "") -> None:
    form = page.form
    form.full_name.setFocus()
    type_text(form.full_name, name)
    if id_number:
        type_text(form.id_number, id_number)
    type_text(form.summary, "Khiếu nại quyết định thu hồi đất")
    form.matter_kind.set_value(MatterKind.COMPLAINT)
    form.outcome.set_value(VisitOutcome.GUIDED)


def test_invalid_cccd_shows_message_beside_field_and_keeps_input(page: ReceptionPage, db: Database) -> None:
    _fill_minimum(page, id_number="0241850012")  # 10 digits
    type_text(page.form.phone, "0987654321")
    press(page.form.phone, Qt.Key.Key_S, CTRL)

    form = page.form
    message = form.error_of("citizen.id_number")
    assert message is not None and "12 chữ số" in message and "10 chữ số" in message
    field = form.fields.get("citizen.id_number")
    assert field is not None and field.message.isVisible() and field.message.text() == message
    # Everything typed is still there, and the bad field has the focus.
    assert form.full_name.text() == "Trần Văn Bình"
    assert form.id_number.text() == "0241850012"
    assert form.phone.text() == "0987654321"
    assert form.summary.toPlainText() == "Khiếu nại quyết định thu hồi đất"
    assert form.id_number.hasFocus()
    with db.session() as s:
        assert s.scalars(select(Visit)).first() is None
    # Esc clears the messages, not the input.
    press(form.id_number, Qt.Key.Key_Escape)
    assert form.error_of("citizen.id_number") is None
    assert form.id_number.text() == "0241850012"


def test_all_problems_are_shown_at_once(page: ReceptionPage) -> None:
    form = page.form
    form.kind.set_value(ReceptionKind.PERIODIC)
    form.full_name.setFocus()
    type_text(form.id_number, "12ab")
    press(form.full_name, Qt.Key.Key_S, CTRL)
    assert form.error_of("citizen.full_name") == "Nhập họ và tên công dân."
    assert form.error_of("citizen.id_number") is not None
    assert form.error_of("summary") is not None
    assert form.error_of("leader_name") is not None
    assert form.error_of("matter_kind") is not None
    assert form.error_of("outcome") is not None
    assert form.leader.hasFocus()  # the first bad field in the form's order


def test_a_complete_cccd_fills_blank_sex_and_birth_year_but_never_overwrites(page: ReceptionPage) -> None:
    form = page.form
    _fill_minimum(page, id_number="024185001234")  # digit 4 = 1: a woman born in the 1900s; digits 5-6: 85
    assert form.gender.value() == Gender.FEMALE
    assert form.birth_year.text() == "1985"
    form.reset()
    type_text(form.birth_year, "1986")
    _fill_minimum(page, id_number="024085001234")
    assert form.birth_year.text() == "1986"  # typed by the clerk: kept, and the check warns
    assert "1985" in form.warning_text("citizen.id_number")
    assert form.gender.value() == Gender.MALE


def test_cccd_disagreeing_with_birth_year_warns_without_blocking(page: ReceptionPage, db: Database) -> None:
    _fill_minimum(page, id_number="024085001234")  # a man born 1985
    page.form.birth_year.selectAll()  # the clerk overwrites the year read from the number
    type_text(page.form.birth_year, "1990")
    warning = page.form.warning_text("citizen.id_number")
    assert "1990" in warning and "1985" in warning
    assert page.form.error_of("citizen.id_number") is None
    press(page.form.summary, Qt.Key.Key_S, CTRL)
    assert "Đã lưu lượt tiếp số" in page.status.text()
    assert "1985" in page.status.text()  # the warning is repeated with the save message
    with db.session() as s:
        assert s.scalars(select(Visit)).one()


def test_crowd_is_ticked_from_head_count_and_takes_representatives(page: ReceptionPage, db: Database) -> None:
    _fill_minimum(page, name="Lê Văn Cường")
    form = page.form
    assert not form.representatives.isVisible()
    form.head_count.setValue(12)
    assert form.is_crowd.isChecked() and form.representatives.isVisible()
    from PySide6.QtWidgets import QTableWidgetItem

    form.representatives.setItem(0, 0, QTableWidgetItem("Phạm Thị Dung"))
    form.representatives.setItem(1, 1, QTableWidgetItem("024185009999"))  # a number without a name
    press(form.summary, Qt.Key.Key_S, CTRL)
    message = form.error_of("representatives")
    assert message is not None and message.startswith("Người đại diện 2:")
    form.representatives.setItem(1, 0, QTableWidgetItem("Hoàng Văn Em"))
    press(form.summary, Qt.Key.Key_S, CTRL)
    assert "Đã lưu" in page.status.text()
    with db.session() as s:
        visit = s.scalars(select(Visit)).one()
        assert visit.is_crowd and visit.head_count == 12
        assert [p.citizen.full_name for p in visit.participants] == ["Phạm Thị Dung", "Hoàng Văn Em"]


def test_returning_citizen_panel_lists_earlier_citizen_and_fills_form(
    qtbot: QtBot, page: ReceptionPage, db: Database
) -> None:
    with db.session() as s:
        earlier = add_visit(s, name="Đặng Văn Dũng", id_number="024085001234", summary="Tranh chấp ranh giới đất")
    form = page.form
    form.full_name.setFocus()
    type_text(form.full_name, "dang van")
    assert form.full_name.text() == "dang van"  # typing was never blocked
    qtbot.waitUntil(lambda: page.returning.matches() == [earlier.citizen_id], timeout=3000)
    shown = page.returning.text_of(0)
    assert "Đặng Văn Dũng" in shown and "Tranh chấp ranh giới đất" in shown and "1 lượt" in shown
    assert "024085001234" not in shown and "1234" in shown  # found by name: only the last digits

    press(focused(), Qt.Key.Key_F3)
    assert page.returning.list.hasFocus()
    press(page.returning.list, ENTER)
    assert form.full_name.text() == "Đặng Văn Dũng"
    assert form.id_number.text() == "024085001234"
    assert form.birth_year.text() == "1985"
    assert form.gender.value() == Gender.MALE
    assert form.province.currentText() == "Bắc Ninh"
    assert form.citizen_id == earlier.citizen_id
    assert form.summary.hasFocus()  # on to what the citizen says: the person is known

    # The next visit is stored against the same citizen record.
    type_text(form.summary, "Tiếp tục trình bày về ranh giới đất")
    form.matter_kind.set_value(MatterKind.COMPLAINT)
    form.outcome.set_value(VisitOutcome.EXPLAINED)
    press(form.summary, Qt.Key.Key_S, CTRL)
    with db.session() as s:
        assert {v.citizen_id for v in s.scalars(select(Visit))} == {earlier.citizen_id}


def test_editing_the_name_forgets_the_chosen_citizen(qtbot: QtBot, page: ReceptionPage, db: Database) -> None:
    with db.session() as s:
        earlier = add_visit(s, name="Đặng Văn Dũng", id_number=None)
    form = page.form
    type_text(form.full_name, "Đặng Văn")
    qtbot.waitUntil(lambda: page.returning.matches() == [earlier.citizen_id], timeout=3000)
    page.returning.list.setCurrentRow(0)
    page.returning.use_button.click()
    assert form.citizen_id == earlier.citizen_id
    form.full_name.setFocus()
    form.full_name.end(False)
    type_text(form.full_name, " Hùng")
    assert form.citizen_id is None


def test_stale_search_answer_is_dropped(qtbot: QtBot, page: ReceptionPage, db: Database) -> None:
    with db.session() as s:
        add_visit(s, name="Đặng Văn Dũng", id_number=None)
        other = add_visit(s, name="Vũ Thị Lan", id_number=None)
    page.returning.search("Đặng")
    page.returning._run()  # fire at once, then ask again before the answer arrives
    page.returning.search("Vũ Thị")
    qtbot.waitUntil(lambda: page.returning.matches() == [other.citizen_id], timeout=3000)
    qtbot.wait(300)
    assert page.returning.matches() == [other.citizen_id]


def test_enter_after_the_last_field_reaches_save_and_saves(page: ReceptionPage, db: Database) -> None:
    _fill_minimum(page)
    page.form.documents.setFocus()
    press(page.form.documents, ENTER)
    assert page.save_button.hasFocus()
    press(page.save_button, ENTER)
    assert "Đã lưu lượt tiếp số" in page.status.text()
    with db.session() as s:
        assert s.scalars(select(Visit)).one()


def test_a_cccd_of_another_name_asks_if_it_is_the_same_person(
    page: ReceptionPage, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    answer = [False]

    def confirm(parent: object, question: str, **labels: str) -> bool:
        asked.append(question)
        return answer[0]

    monkeypatch.setattr(feedback, "confirm", confirm)
    _fill_minimum(page, name="Nguyễn Văn An", id_number="024085001234")
    press(page.form.summary, Qt.Key.Key_S, CTRL)
    assert "Đã lưu lượt tiếp số" in page.status.text()

    # A new walk-in typed with the same CCCD: the desk asks; "no" keeps everything for correction.
    _fill_minimum(page, name="Trần Thị Bích", id_number="024085001234")
    press(page.form.summary, Qt.Key.Key_S, CTRL)
    assert len(asked) == 1 and "Nguyễn Văn An" in asked[0] and "cùng một người" in asked[0]
    form = page.form
    message = form.error_of("citizen.id_number")
    assert message is not None and "Nguyễn Văn An" in message
    assert form.full_name.text() == "Trần Thị Bích" and form.id_number.text() == "024085001234"
    with db.session() as s:
        assert [c.full_name for c in s.scalars(select(Citizen))] == ["Nguyễn Văn An"]
        assert len(s.scalars(select(Visit)).all()) == 1

    # "Same person" (a corrected spelling): the one record is updated, the visit joins it.
    answer[0] = True
    press(form.summary, Qt.Key.Key_S, CTRL)
    assert "Đã lưu lượt tiếp số" in page.status.text()
    with db.session() as s:
        assert [c.full_name for c in s.scalars(select(Citizen))] == ["Trần Thị Bích"]
        assert {v.citizen_id for v in s.scalars(select(Visit))} == {s.scalars(select(Citizen.id)).one()}
