"""A citizen hands over the chip-based CCCD card; the clerk scans its QR code with a USB 2D scanner,
which types the text into whatever field has the focus and ends with Enter. The form fills name,
CCCD, birth year, gender and the address mapped to the 2025 units, and the returning-citizen panel
finds her earlier visit. A bad scan leaves the form as it was, with a message saying why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.petitions.form import PetitionForm
from tests.ui.jobs.helpers import ENTER, reception_page, screens, type_visit
from tests.ui.typing import focused, press, type_text

NAME = "Nguyễn Văn An"
CCCD = "001095012345"
QR = f"{CCCD}|012345678|{NAME}|15031995|Nam|Số 12, Phố Hàng Bạc, Phường Hàng Bạc, Quận Hoàn Kiếm, Hà Nội|20042021"


def test_a_scanned_card_fills_the_visit_form_and_finds_the_returning_citizen(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, tmp_path: Path
) -> None:
    page = reception_page(qtbot, desk)
    type_visit(page, NAME, CCCD, "Khiếu nại việc thu hồi đất", "Khiếu", "Hướng")
    form, panel = page.form, page.returning

    # The scanner "types" into the name field, as the whole text at once, then Enter.
    form.full_name.setFocus()
    focused().insert(QR)  # type: ignore[attr-defined]
    press(focused(), ENTER)
    assert form.full_name.text() == NAME
    assert form.id_number.text() == CCCD
    assert form.birth_year.text() == "1995" and form.gender.currentText() == "Nam"
    assert form.province.value() == "01" and form.commune.value() == "00070"
    assert form.commune.currentText() == "Phường Hoàn Kiếm"  # Phường Hàng Bạc merged on 01/7/2025
    assert form.address.text() == "Số 12, Phố Hàng Bạc"
    assert "Đã đọc mã QR CCCD của Nguyễn Văn An (sinh 15/03/1995)" in page.status.text()  # always in view
    qtbot.waitUntil(lambda: panel.list.count() == 1)
    assert panel.text_of(0).startswith(NAME) and "Đã đến 1 lượt" in panel.text_of(0)
    assert form.summary.hasFocus()  # straight on to what the citizen says
    desk.grab().save(str(screens(tmp_path) / "cccd_scan.png"))


def test_a_bad_scan_changes_nothing_and_says_why(qtbot: QtBot, desk: MainWindow) -> None:
    page = reception_page(qtbot, desk)
    form = page.form
    form.full_name.setFocus()
    type_text(focused(), "Trần")
    # Cut short: four fields only, typed key by key into the name field.
    type_text(focused(), f"{CCCD}|012345678|{NAME}|15031995")
    press(focused(), ENTER)
    assert form.full_name.text() == "Trần" and form.full_name.hasFocus()
    assert form.id_number.text() == "" and form.birth_year.text() == ""
    assert "Mã QR CCCD không đọc được: có 4 trường, cần ít nhất 7" in page.status.text()
    # A CCCD whose digits disagree with the card's birth year, pasted at once into the address.
    form.address.setFocus()
    form.address.insert(QR.replace("001095", "001096"))
    press(focused(), ENTER)
    assert form.address.text() == "" and form.full_name.text() == "Trần"
    assert "không khớp năm sinh" in page.status.text()
    # Pasted into the 20-character CCCD field, the text is cut: refused, the field empty again.
    form.id_number.setFocus()
    form.id_number.insert(QR)
    press(focused(), ENTER)
    assert form.id_number.text() == "" and "có 2 trường" in page.status.text()


def test_a_scan_typed_key_by_key_into_the_birth_year_field_is_caught_whole(qtbot: QtBot, desk: MainWindow) -> None:
    page = reception_page(qtbot, desk)
    form = page.form
    form.birth_year.setFocus()
    type_text(focused(), "19")
    # The 4-digit field would cut the text: the catcher takes the keys from the first "|" on.
    address = "Thôn Đông, Xã Tân Hưng, Thành phố Hải Dương, Hải Dương"
    type_text(focused(), f"030186004321||Trần Thị Bích|02021986|Nữ|{address}|")
    press(focused(), ENTER)
    assert form.full_name.text() == "Trần Thị Bích" and form.id_number.text() == "030186004321"
    assert form.birth_year.text() == "1986" and form.gender.currentText() == "Nữ"
    assert form.province.value() == "31" and form.commune.value() is None
    assert "không xác định được xã/phường mới, hãy chọn" in page.status.text()
    assert form.address.text() == "Thôn Đông, Xã Tân Hưng, Thành phố Hải Dương"
    assert form.commune.hasFocus()


def test_the_petition_form_takes_a_scan_too(qtbot: QtBot, desk_ctx: UiContext) -> None:
    form = PetitionForm(desk_ctx)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.address.setFocus()
    form.address.insert(QR)
    press(form.address, Qt.Key.Key_Return)
    assert form.name.text() == NAME and form.id_number.text() == CCCD
    assert form.province.value() == "01" and form.commune.value() == "00070"
    assert form.address.text() == "Số 12, Phố Hàng Bạc"
    assert "Đã đọc mã QR CCCD" in form.message.text()
    form.name.setFocus()
    form.name.insert("|||")
    press(form.name, Qt.Key.Key_Return)
    assert form.name.text() == NAME
    assert form.message.text().startswith("Mã QR CCCD không đọc được")
