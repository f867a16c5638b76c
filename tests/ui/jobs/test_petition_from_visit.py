"""Lập đơn từ lượt tiếp: the citizen hands in a petition at the desk; the clerk saves the visit with
"Tiếp nhận đơn", takes the offer (Ctrl+D), finds the form already filled from the visit, saves it,
and the petition is filed, linked to the visit, under the citizen typed once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Citizen, Petition
from app.models.enums import MatterKind, PetitionSource
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.petitions.page import RegistrationDialog
from tests import printing_data as data
from tests.ui.jobs.helpers import reception_page
from tests.ui.jobs.test_printing import CTRL, type_visit
from tests.ui.typing import focused, press

NAME = "Lê Thị Thu Hà"
SUMMARY = "Tố cáo cán bộ địa chính xã nhận tiền khi cấp giấy chứng nhận"


def _registration_window() -> RegistrationDialog | None:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, RegistrationDialog) and w.isVisible()]
    return found[0] if found else None


def test_petition_handed_in_at_the_desk_is_registered_from_the_visit(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext
) -> None:
    with desk_ctx.db.transaction() as session:
        data.setup_office(session)
    page = reception_page(qtbot, desk)
    type_visit(page, NAME, "024185007788", SUMMARY, "Tố", "Tiếp")
    # The offer stays in the message line: no box stops the clerk from calling the next citizen.
    assert "Lập đơn cho lượt tiếp số" in page.status.text()
    assert "Ctrl+D" in page.status.text()
    qtbot.waitUntil(lambda: page.selected_visit() is not None)
    visit_id = page.selected_visit().id  # type: ignore[union-attr]

    press(focused(), Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(lambda: _registration_window() is not None)
    dialog = _registration_window()
    assert dialog is not None
    form = dialog.form
    # Everything said at the visit is already there.
    assert form.name.text() == NAME
    assert form.summary.toPlainText() == SUMMARY
    assert form.kind.currentText() == "Tố cáo"
    assert form.documents.text() == "Đơn (02 trang)"
    assert form.source.currentText().startswith("Trực tiếp") or form.source.value() == PetitionSource.DESK

    press(focused(), Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "Đã tiếp nhận đơn số" in desk.statusBar().currentMessage()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is desk)

    with desk_ctx.db.session() as session:
        petition = session.scalars(select(Petition)).one()
        assert petition.visit_id == visit_id
        assert petition.kind == MatterKind.DENUNCIATION
        assert petition.summary == SUMMARY
        # Typed once: the petition's sender is the visit's citizen, not a second record.
        assert session.scalars(select(Citizen).where(Citizen.id == petition.citizen_id)).one().full_name == NAME
        assert len(session.scalars(select(Citizen)).all()) == 1

    # Asked again for the same visit, the form says a petition is already filed from it.
    page.current_view().setFocus()
    press(focused(), Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(lambda: _registration_window() is not None)
    again = _registration_window()
    assert again is not None
    assert "đã có đơn số" in again.form.message.text()
    again.close()
