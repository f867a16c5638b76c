"""Danh mục: the directory of bodies, the routing rules and the fields, edited on screen."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models.enums import MatterKind
from app.services.directory import agencies, routing
from app.services.directory import fields as field_catalogue
from app.services.directory.routing import RouteQuery
from app.ui.context import UiContext
from app.ui.petitions.directory import AgencyDialog, CataloguesPage, FieldDialog, RuleDialog
from tests.ui.typing import type_text


def _page(qtbot: QtBot, ctx: UiContext) -> CataloguesPage:
    page = CataloguesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 600)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_agency_directory_search_add_and_deactivate(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    page = _page(qtbot, ctx)
    table = page.agencies.table
    assert table.rowCount() > 100  # central bodies, province bodies and every commune
    page.agencies.search.setText("so xay dung")
    assert [table.item(r, 1).text() for r in range(table.rowCount())] == ["Sở Xây dựng tỉnh Bắc Ninh"]
    shots = Path(os.environ.get("TIEPDAN_SCREENS", str(tmp_path)))
    page.agencies.search.setText("")
    assert page.grab().save(str(shots / "catalogues-agencies.png"))
    page.agencies.search.setText("so xay dung")
    table.setCurrentCell(0, 0)
    page.agencies.toggle()
    assert "đã ngừng sử dụng" in page.agencies.message.text()
    assert table.rowCount() == 0
    dialog = AgencyDialog(ctx, None, page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog._save()
    assert dialog.fields.get("name").error == "Nhập tên cơ quan."  # type: ignore[union-attr]
    dialog.name.setFocus()
    type_text(dialog.name, "Ban Quản lý các khu công nghiệp tỉnh")
    dialog._save()
    assert dialog.result() == dialog.DialogCode.Accepted
    with ctx.db.session() as session:
        assert [a.name for a in agencies.list_agencies(session, text="khu cong nghiep")] == [
            "Ban Quản lý các khu công nghiệp tỉnh"
        ]


def test_rule_edit_changes_the_suggestion(qtbot: QtBot, ctx: UiContext) -> None:
    page = _page(qtbot, ctx)
    assert page.rules.table.rowCount() > 10
    dialog = RuleDialog(ctx, None, page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.kind.set_value(MatterKind.REFLECTION)
    dialog.field_code.set_value("HC_MT")
    dialog.priority.setValue(1)
    dialog.agency.setFocus()
    type_text(dialog.agency.lineEdit(), "so y te")  # type: ignore[arg-type]
    QApplication.processEvents()
    dialog._save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.message.text()
    with ctx.db.session() as session:
        assert (
            routing.suggest(session, RouteQuery(MatterKind.REFLECTION, "HC_MT"))[0].agency_name
            == "Sở Y tế tỉnh Bắc Ninh"
        )


def test_field_rename(qtbot: QtBot, ctx: UiContext) -> None:
    page = _page(qtbot, ctx)
    with ctx.db.session() as session:
        row = next(f for f in field_catalogue.list_fields(session) if f.code == "HC_MT")
    dialog = FieldDialog(ctx, row, page)
    qtbot.addWidget(dialog)
    dialog.name.setText("Môi trường, tài nguyên nước")
    dialog._save()
    page.fields.reload()
    names = [page.fields.table.item(r, 1).text() for r in range(page.fields.table.rowCount())]
    assert "Môi trường, tài nguyên nước" in names
