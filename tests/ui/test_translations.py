"""Qt's own texts in Vietnamese (buttons, text-field menu, file dialog) and the command line's headings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from app.cli import build_parser
from app.ui import qt_texts


@pytest.fixture
def vietnamese_qt(qapp: QApplication) -> Iterator[None]:
    translator = qt_texts.install(qapp)
    yield
    qapp.removeTranslator(translator)


@pytest.mark.usefixtures("vietnamese_qt")
def test_standard_buttons_and_message_box_details_are_vietnamese(qtbot: QtBot) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "TiếpDân", "Ghi đè?")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.setDetailedText("chi tiết")
    qtbot.addWidget(box)
    texts = {b.text() for b in box.buttons()}
    assert {"&Có", "Hủy", "Xem chi tiết…"} <= texts
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(buttons)
    assert sorted(b.text() for b in buttons.buttons()) == ["Đóng", "Đồng ý"]


@pytest.mark.usefixtures("vietnamese_qt")
def test_text_field_menu_is_vietnamese(qtbot: QtBot) -> None:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    assert menu is not None
    texts = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
    assert {"&Hoàn tác", "&Sao chép", "&Dán", "Chọn tất cả"} <= set(texts)


@pytest.mark.usefixtures("vietnamese_qt")
def test_qt_file_dialog_is_vietnamese(qtbot: QtBot) -> None:
    dialog = QFileDialog(None, "Lưu tệp PDF")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Tìm trong:", "Tê&n tệp:", "&Kiểu tệp:"} <= labels
    buttons = {b.text() for b in dialog.findChildren(QPushButton)}
    assert {"&Lưu", "Hủy"} <= buttons


@pytest.mark.parametrize("argv", [["--help"], ["print", "--help"], ["print", "receipt", "--help"]])
def test_command_line_help_headings_are_vietnamese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(argv)
    assert stop.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("cách dùng: python -m app" + "".join(f" {a}" for a in argv[:-1]))
    assert "tùy chọn:" in text and "-h, --help" in text and "hiện trợ giúp này rồi thoát" in text
    for english in ("usage", "options:", "positional arguments", "show this help"):
        assert english not in text


def test_command_line_mistakes_are_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(["khong-co-lenh"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("cách dùng: python -m app")
    assert "lỗi:" in err and "lựa chọn không hợp lệ" in err and "invalid choice" not in err
