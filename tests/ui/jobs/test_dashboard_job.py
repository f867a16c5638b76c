"""The leader opens Báo cáo and sees the dashboard; a click on a bar lists the records behind it, a
record opens from the list; the one-page briefing prints to PDF."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.models.enums import MatterKind
from app.services.common.clock import local_today
from app.services.reports.dashboard import Month, MonthlyChart
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.reception.dialog import VisitDialog
from app.ui.reports.dashboard import ChartView, DashboardView
from app.ui.reports.page import ReportsPage
from tests import reports_data as rd
from tests.ui.jobs.helpers import LEFT, screens


def _dashboard(qtbot: QtBot, desk: MainWindow) -> tuple[ReportsPage, DashboardView]:
    desk.show_section("reports")
    page = desk.section("reports")
    assert isinstance(page, ReportsPage)
    assert page.views.currentWidget() is page.dashboard  # Báo cáo opens on the dashboard
    qtbot.waitUntil(lambda: page.dashboard.dashboard is not None and not page.dashboard.computing, timeout=20_000)
    return page, page.dashboard


def _click(view: ChartView, chart_series: str, month: Month) -> None:
    chart = view.chart
    assert isinstance(chart, MonthlyChart)
    [series] = [s for s in chart.series if s.name == chart_series]
    figure = series.figures[chart.months.index(month)]
    QTest.mouseClick(view, LEFT, pos=view.point_of(figure).toPoint())


def test_click_a_bar_to_see_the_visits_behind_it(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, tmp_path: Path
) -> None:
    with desk_ctx.db.transaction() as session:
        last_month = Month.of(local_today().replace(day=1) - dt.timedelta(days=1))
        day = last_month.start + dt.timedelta(days=2)
        first = rd.visit(session, day, name="Trần Thị Mai")
        second = rd.visit(session, day + dt.timedelta(days=1), name="Lê Văn Hùng")
        rd.visit(session, day, name="Phạm Thị Kiến", kind=MatterKind.RECOMMENDATION)
        rd.visit(session, day, name="Đoàn Thôn Đông", head_count=9, field_code="HC_DD_TC")
        rd.petition(session, day, kind=MatterKind.DENUNCIATION, field_code="TN")
    page, view = _dashboard(qtbot, desk)
    assert "<b>4</b> lượt tiếp, <b>1</b> đơn nhận, <b>1</b> đoàn đông người (9 người)" in view.summary.text()
    out = screens(tmp_path)
    desk.grab().save(str(out / "dashboard-job.png"))

    # Last month's complaints: the bar lists exactly those three visits (two people and the crowd).
    _click(view.visits_box.view, "Khiếu nại", last_month)
    qtbot.waitUntil(lambda: page.drilldown is not None and page.drilldown.isVisible())
    dialog = page.drilldown
    assert dialog is not None
    assert dialog.found.title == f"Lượt tiếp tháng {last_month.label} — Khiếu nại: 3 lượt"
    names = sorted(dialog.table.item(r, 3).text() for r in range(dialog.table.rowCount()))
    assert names == ["Lê Văn Hùng", "Trần Thị Mai", "Đoàn Thôn Đông"]
    assert {first, second} <= set(dialog.found.ids)
    dialog.grab().save(str(out / "dashboard-drilldown-job.png"))
    opened = dialog.open_row(0)
    assert isinstance(opened, VisitDialog)
    opened.close()
    dialog.close()

    # By field: the land bar (every visit but none of another field) lists all four.
    view.visits_box.choice.setCurrentIndex(1)
    _click(view.visits_box.view, "Đất đai", last_month)
    qtbot.waitUntil(lambda: page.drilldown is not dialog and page.drilldown is not None)
    assert page.drilldown is not None and page.drilldown.found.total == 4  # the builders' default field is land
    page.drilldown.close()

    # The crowd chart and the petitions chart drill down too.
    _click(view.crowds_box.view, "Đoàn đông người", last_month)
    qtbot.waitUntil(lambda: page.drilldown is not None and page.drilldown.found.total == 1)
    assert page.drilldown.table.item(0, 3).text() == "Đoàn Thôn Đông"
    page.drilldown.close()
    _click(view.petitions_box.view, "Tố cáo", last_month)
    qtbot.waitUntil(lambda: page.drilldown is not None and page.drilldown.found.entity == "petition")
    assert page.drilldown.found.total == 1
    page.drilldown.close()

    # The briefing for the leader: one page.
    saved = view.print_briefing(tmp_path / "bantin.pdf")
    assert saved is not None
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    assert len(reader.pages) == 1
    assert "BẢN TIN SỐ LIỆU TIẾP CÔNG DÂN, XỬ LÝ ĐƠN" in reader.pages[0].extract_text()


def test_the_forms_tab_still_computes_beside_the_dashboard(qtbot: QtBot, desk: MainWindow) -> None:
    page, _ = _dashboard(qtbot, desk)
    QTest.mouseClick(page.compute_button, LEFT)
    assert page.views.currentWidget() is page.tabs
    qtbot.waitUntil(lambda: bool(page.grids) and not page.computing, timeout=20_000)
    assert page.views.count() == 2 and page.tabs.count() == len(page.grids)
