"""A clerk attaches the scans a citizen handed in to the petition, sees them in its window, prints the
receipt that lists them with its lookup code, finds the petition again by that code, and after a
backup is restored into a new database the file is still there, byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db import Database
from app.models import IssuedDocument
from app.services.casework import documents
from app.services.common.actor import SYSTEM
from app.services.records import backup
from app.ui.attachments import AttachmentsPanel
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.petitions.detail import PetitionDetailWidget, PetitionDialog
from app.ui.petitions.page import PetitionsPage
from app.ui.print_preview import PrintPreviewDialog
from app.ui.printing_actions import ReceiptItemsDialog
from app.ui.reception.dialog import VisitDialog
from tests import printing_data as data
from tests.services.test_attachments import pdf_of
from tests.ui.jobs import helpers
from tests.ui.jobs.helpers import ENTER, LEFT, answer_box, on_modal, screens
from tests.ui.jobs.test_classify_forward import open_petition
from tests.ui.typing import press

save_to = helpers.save_to


def choose_files(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """The open dialog answers with ``paths`` (the one stand-in of the job tests: the file dialog)."""
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *_: ([str(p) for p in paths], "Bản quét")))


@pytest.mark.sqlite_only
def test_clerk_attaches_a_scan_prints_the_receipt_and_finds_it_after_a_restore(
    qtbot: QtBot,
    desk: MainWindow,
    desk_ctx: UiContext,
    save_to: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with desk_ctx.db.transaction() as session:
        data.setup_office(session)
        petition = data.add_petition(session, name="Lê Văn Thịnh")
        petition_id, visit_id, number = petition.id, petition.visit_id, f"{petition.reg_seq}/{petition.reg_year}"
    assert visit_id is not None
    scan = tmp_path / "Bản quét đơn khiếu nại.pdf"
    scan.write_bytes(pdf_of(3))
    wrong = tmp_path / "ghi chú.docx"
    wrong.write_bytes(b"PK\x03\x04 not a scan")

    # In the petition's window, tab "Tệp đính kèm": add the scan (and, by mistake, a Word file).
    window = open_petition(qtbot, desk, number)
    body = window.body
    panel = body.attachments
    body.tabs.setCurrentWidget(panel)
    choose_files(monkeypatch, scan, wrong)
    qtbot.mouseClick(panel.add_button, LEFT)
    assert panel.rows() == ["Bản quét đơn khiếu nại.pdf (3 trang, " + panel.rows()[0].split(", ", 1)[1]]
    assert "Chỉ đính kèm được tệp PDF" in panel.message.text()
    window.grab().save(str(screens(tmp_path) / "petition-attachments.png"))

    # "Mở" hands a decrypted copy to the system viewer.
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    qtbot.mouseClick(panel.open_button, LEFT)
    assert len(opened) == 1 and Path(opened[0].toLocalFile()).read_bytes() == scan.read_bytes()
    window.close()

    # The visit's window shows the same file; its receipt lists it and carries the lookup code.
    visit_window = VisitDialog(desk_ctx, visit_id, parent=desk)
    visit_window.show()
    qtbot.waitExposed(visit_window)
    assert [r.split(" (")[0] for r in visit_window.attachments.rows()] == ["Bản quét đơn khiếu nại.pdf"]
    seen: dict[str, Any] = {}

    def in_preview(dialog: PrintPreviewDialog) -> None:
        qtbot.mouseClick(dialog.save_button, LEFT)
        seen["title"] = dialog.windowTitle()
        qtbot.mouseClick(dialog.close_button, LEFT)

    on_modal(ReceiptItemsDialog, lambda d: d.accept())
    on_modal(PrintPreviewDialog, in_preview)
    qtbot.mouseClick(visit_window.receipt_button, LEFT)
    qtbot.waitUntil(lambda: "title" in seen)
    visit_window.close()
    text = data.pdf_text((tmp_path / save_to[0]).read_bytes())
    assert "Tệp đính kèm: Bản quét đơn khiếu nại.pdf (3 trang)" in text
    with desk_ctx.db.session() as session:
        code = session.scalar(select(IssuedDocument.lookup_code).where(IssuedDocument.visit_id == visit_id))
    assert code is not None and f"Mã tra cứu biên nhận: {documents.format_lookup_code(code)}" in text

    # Weeks later the citizen quotes the code: typed in "Tra mã biên nhận", Enter opens the petition.
    page = desk.section("petitions")
    assert isinstance(page, PetitionsPage)
    page.lookup.setText(documents.format_lookup_code(code).lower())
    press(page.lookup, ENTER)

    def petition_windows() -> list[PetitionDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, PetitionDialog) and w.isVisible()]

    qtbot.waitUntil(lambda: bool(petition_windows()))
    [found] = petition_windows()
    assert found.body.petition_id == petition_id
    found.close()

    # A backup restored into a new database still holds the file, byte for byte.
    info = backup.backup_database(desk_ctx.db, SYSTEM, tmp_path / "sao-luu.tdbak")
    fresh = Database(f"sqlite:///{tmp_path / 'may-moi.sqlite3'}")
    backup.restore(fresh, SYSTEM, info.path)
    fresh.dispose()
    restored = Database(f"sqlite:///{tmp_path / 'may-moi.sqlite3'}")
    try:
        again = PetitionDetailWidget(UiContext(restored, desk_ctx.actor), petition_id)
        qtbot.addWidget(again)
        assert [r.split(" (")[0] for r in again.attachments.rows()] == ["Bản quét đơn khiếu nại.pdf"]
        opened.clear()
        again.attachments.open_selected()
        copy = Path(opened[0].toLocalFile()).read_bytes()
        assert hashlib.sha256(copy).hexdigest() == hashlib.sha256(scan.read_bytes()).hexdigest()

        # "Xóa" asks first, then the file leaves the list.
        asked = answer_box("Xóa")
        qtbot.mouseClick(again.attachments.remove_button, LEFT)
        assert asked and "Bản quét đơn khiếu nại.pdf" in asked[0]
        assert again.attachments.rows() == []
    finally:
        restored.dispose()
    assert isinstance(panel, AttachmentsPanel)
