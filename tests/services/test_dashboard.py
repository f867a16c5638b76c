"""The leader's dashboard: each figure equals the records counted by hand, and its drill-down lists
exactly those records; the one-page briefing PDF and its command read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.cli import main
from app.db import Database
from app.models import LOCAL_TZ, AuditEntry, Deadline, Petition, Visit
from app.models.enums import DayUnit, DeadlineStatus, MatterKind
from app.services.common.actor import SYSTEM
from app.services.common.text import nfc
from app.services.deadlines import engine
from app.services.printing import dashboard as briefing
from app.services.reports import charts, dashboard
from app.services.reports.dashboard import Dashboard, Figure, MonthlyChart, RankedChart
from tests import deadline_builders as dbld
from tests import reports_data as rd

AS_OF = dt.date(2026, 11, 20)


def clock(
    session: Session,
    petition_id: int,
    due: dt.date,
    *,
    rule: str = engine.XU_LY_DON,
    met: dt.date | None = None,
    officer_id: int | None = None,
    agency_id: int | None = None,
) -> None:
    session.add(
        Deadline(
            petition_id=petition_id,
            rule_code=rule,
            start_on=due - dt.timedelta(days=10),
            length=10,
            unit=DayUnit.CALENDAR,
            due_on=due,
            status=DeadlineStatus.MET if met else DeadlineStatus.OPEN,
            met_on=met,
            officer_id=officer_id,
            agency_id=agency_id,
        )
    )
    session.flush()


@pytest.fixture
def data(session: Session) -> dict[str, int]:
    ids: dict[str, int] = {}
    ids["v_nov_complaint"] = rd.visit(session, dt.date(2026, 11, 2), field_code="HC_DD_BT")
    ids["v_nov_denunciation"] = rd.visit(
        session, dt.date(2026, 11, 3), name="Lê Văn Tố", kind=MatterKind.DENUNCIATION, field_code="TP"
    )
    ids["v_oct_crowd"] = rd.visit(
        session, dt.date(2026, 10, 10), name="Đoàn Thôn Đông", head_count=8, field_code="HC_DD_GCN"
    )
    ids["v_oct_recommendation"] = rd.visit(
        session, dt.date(2026, 10, 12), name="Phạm Thị Kiến", kind=MatterKind.RECOMMENDATION, field_code=None
    )
    rd.visit(session, dt.date(2024, 11, 20), name="Trước Khung Thời Gian")  # before the 24 months
    rd.visit(session, dt.date(2026, 11, 25), name="Sau Ngày Chốt")  # after the as-of date
    deleted = rd.visit(session, dt.date(2026, 11, 4), name="Đã Xóa Bỏ")
    session.get(Visit, deleted).deleted_at = dt.datetime(2026, 11, 5, tzinfo=LOCAL_TZ)  # type: ignore[union-attr]
    officer = dbld.add_officer(session, "Lê Văn Hùng", "hung")
    body = dbld.add_agency(session, "UBND xã Tiên Du")
    ids["officer"], ids["agency"] = officer.id, body.id
    p1 = rd.petition(session, dt.date(2026, 11, 5), field_code="HC_DD_BT")
    p2 = rd.petition(session, dt.date(2026, 9, 1), kind=MatterKind.REFLECTION, field_code="HC_MT")
    p3 = rd.petition(session, dt.date(2026, 11, 6), kind=MatterKind.DENUNCIATION, field_code="TN")
    ids.update(p1=p1, p2=p2, p3=p3)
    clock(session, p1, dt.date(2026, 11, 10), officer_id=officer.id, agency_id=body.id)  # overdue on AS_OF
    clock(session, p1, dt.date(2026, 11, 1), rule=engine.HIEU_LUC_QUYET_DINH)  # a window, never late work
    clock(session, p2, dt.date(2026, 11, 30))  # not due yet
    clock(session, p3, dt.date(2026, 11, 10), rule=engine.GQ_TO_CAO, met=dt.date(2026, 11, 15))  # done late
    clock(session, p2, dt.date(2026, 10, 5), rule=engine.TRA_LOI_KIEN_NGHI, met=dt.date(2026, 10, 1))  # on time
    gone = rd.petition(session, dt.date(2026, 9, 2))  # deleted: none of its clocks counts
    clock(session, gone, dt.date(2026, 10, 5), rule=engine.GQ_KHIEU_NAI_LAN_1, met=dt.date(2026, 10, 2))
    clock(session, gone, dt.date(2026, 11, 1))
    session.get(Petition, gone).deleted_at = dt.datetime(2026, 10, 20, tzinfo=LOCAL_TZ)  # type: ignore[union-attr]
    session.commit()
    return ids


def figure(chart: MonthlyChart, series: str, month: str) -> Figure:
    [found] = [s for s in chart.series if s.name == series]
    [fig] = [f for f in found.figures if f.label == month]
    return fig


def every_figure(board: Dashboard) -> list[Figure]:
    out: list[Figure] = []
    for chart in board.charts():
        if isinstance(chart, MonthlyChart):
            out += [f for s in chart.series for f in s.figures]
        else:
            out += [*chart.figures, *([chart.total] if chart.total else [])]
    return [*out, board.share.on_time, board.share.late]


def test_monthly_figures_equal_the_records_and_drill_down_to_them(session: Session, data: dict[str, int]) -> None:
    board = dashboard.build(session, SYSTEM, AS_OF)
    assert [m.label for m in board.months][:1] == ["12/2024"] and board.months[-1].label == "11/2026"
    assert len(board.months) == 24

    visits = board.visits_by_kind
    assert visits.total == 4  # not the one before the window, after the as-of date, or deleted
    assert figure(visits, "Khiếu nại", "11/2026").value == 1
    assert figure(visits, "Tố cáo", "11/2026").value == 1
    assert figure(visits, "Khiếu nại", "10/2026").value == 1
    assert figure(visits, "Kiến nghị", "10/2026").value == 1
    assert dashboard.drill_ids(session, figure(visits, "Khiếu nại", "11/2026").drill) == [data["v_nov_complaint"]]
    assert dashboard.drill_ids(session, figure(visits, "Khiếu nại", "10/2026").drill) == [data["v_oct_crowd"]]

    fields = board.visits_by_field
    assert fields.series[0].name == "Đất đai"  # leaves folded to the second level
    land_oct = figure(fields, "Đất đai", "10/2026")
    assert land_oct.value == 1 and dashboard.drill_ids(session, land_oct.drill) == [data["v_oct_crowd"]]
    none_oct = figure(fields, "Chưa xác định lĩnh vực", "10/2026")
    assert dashboard.drill_ids(session, none_oct.drill) == [data["v_oct_recommendation"]]

    crowd = figure(board.crowds, "Đoàn đông người", "10/2026")
    assert crowd.value == 1 and dashboard.drill_ids(session, crowd.drill) == [data["v_oct_crowd"]]
    assert board.crowd_people[board.months.index(dashboard.Month(2026, 10))] == 8

    petitions = board.petitions_by_kind
    assert petitions.total == 3
    assert dashboard.drill_ids(session, figure(petitions, "Tố cáo", "11/2026").drill) == [data["p3"]]
    corruption = figure(board.petitions_by_field, "Tham nhũng", "11/2026")
    assert dashboard.drill_ids(session, corruption.drill) == [data["p3"]]

    # Every figure of every chart lists exactly as many records as it counts.
    for fig in every_figure(board):
        assert len(set(dashboard.drill_ids(session, fig.drill))) == fig.value, fig.drill.title


def test_overdue_per_body_and_officer_at_a_date(session: Session, data: dict[str, int]) -> None:
    board = dashboard.build(session, SYSTEM, AS_OF)
    [by_body] = board.overdue_by_agency.figures
    assert (by_body.label, by_body.value) == ("UBND xã Tiên Du", 1)
    assert dashboard.drill_ids(session, by_body.drill) == [data["p1"]]
    [by_officer] = board.overdue_by_officer.figures
    assert (by_officer.label, by_officer.value) == ("Lê Văn Hùng", 1)
    # On 12/11 the denunciation was late too: its clock was met only on 15/11.
    earlier = dashboard.build(session, SYSTEM, dt.date(2026, 11, 12))
    total = earlier.overdue_by_agency.total
    assert total is not None and total.value == 2
    assert dashboard.drill_ids(session, total.drill) == [data["p1"], data["p3"]]
    unassigned = [f for f in earlier.overdue_by_officer.figures if f.label == "Chưa phân công cán bộ"]
    assert [f.value for f in unassigned] == [1]


def test_resolved_on_time_share(session: Session, data: dict[str, int]) -> None:
    board = dashboard.build(session, SYSTEM, AS_OF)
    late = figure(board.resolution, "Quá hạn", "11/2026")
    on_time = figure(board.resolution, "Đúng hạn", "10/2026")
    assert (late.value, on_time.value) == (1, 1)
    assert dashboard.drill_ids(session, late.drill) == [data["p3"]]
    assert dashboard.drill_ids(session, on_time.drill) == [data["p2"]]
    assert board.share.percent == 50.0
    figures = dashboard.key_figures(board)
    assert figures.share_text == "50,0 %"
    assert "4 lượt tiếp, 3 đơn nhận, 1 đoàn đông người (8 người)" in figures.sentence()


def test_communes_ranked_and_drill_down(session: Session, data: dict[str, int]) -> None:
    ranked = dashboard.communes(session, SYSTEM, AS_OF)
    [unknown] = ranked.figures  # the builders record no commune
    assert (unknown.label, unknown.value) == ("Chưa rõ xã, phường", 4)
    assert len(dashboard.drill_ids(session, unknown.drill)) == 4


def test_the_drill_down_list_shows_the_records(session: Session, data: dict[str, int]) -> None:
    board = dashboard.build(session, SYSTEM, AS_OF)
    found = dashboard.records(session, SYSTEM, figure(board.visits_by_kind, "Khiếu nại", "11/2026").drill)
    assert found.entity == "visit" and found.ids == (data["v_nov_complaint"],)
    assert found.title == "Lượt tiếp tháng 11/2026 — Khiếu nại: 1 lượt"
    assert found.rows[0][1] == "02/11/2026"


def test_chart_geometry_keeps_every_bar_inside_and_clickable(session: Session, data: dict[str, int]) -> None:
    board = dashboard.build(session, SYSTEM, AS_OF)

    def measure(text: str, size: float) -> float:
        return len(text) * size * 0.55

    for chart in board.charts():
        picture = charts.picture(chart, 500, 240, measure)
        for bar in picture.bars:
            assert bar.x >= 0 and bar.x + bar.w <= 500 + 0.01 and bar.y >= 0 and bar.y + bar.h <= 240 + 0.01
            if bar.figure is not None:
                assert picture.figure_at(bar.x + bar.w / 2, bar.y + bar.h / 2) is bar.figure
        counted = [b.figure for b in picture.bars if b.figure is not None]
        if isinstance(chart, RankedChart):
            assert counted == list(chart.figures[:8])
        else:
            assert sum(f.value for f in counted) == chart.total
    assert charts.nice_ceiling(437) == (500, 100) and charts.nice_ceiling(0) == (4, 1)


def _pdf_text(pdf: bytes) -> tuple[int, str, set[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", " ", nfc(" ".join(page.extract_text() for page in reader.pages)))
    fonts: set[str] = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return len(reader.pages), text, fonts


def test_briefing_is_one_page_with_header_figures_and_charts(session: Session, data: dict[str, int]) -> None:
    pdf = briefing.render_dashboard(session, SYSTEM, AS_OF)
    session.commit()
    pages, text, fonts = _pdf_text(pdf)
    assert pages == 1
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BẢN TIN SỐ LIỆU TIẾP CÔNG DÂN, XỬ LÝ ĐƠN",
        "Số liệu đến ngày 20/11/2026",
        "Từ 01/12/2025 đến 20/11/2026: 4 lượt tiếp, 3 đơn nhận",
        "Lượt tiếp công dân theo loại việc",
        "Đơn quá hạn theo cơ quan (ngày 20/11/2026)",
        "UBND xã Tiên Du",
    ):
        assert expected in text, expected
    assert all("LiberationSerif" in f for f in fonts), fonts
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "dashboard")).one()
    assert entry.action == "print"


def test_report_dashboard_command_writes_the_pdf(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.transaction() as session:
        rd.visit(session, dt.date(2026, 11, 2))
    out_file = tmp_path / "bantin.pdf"
    code = main(["--db", db.url, "report", "dashboard", "--as-of", "2026-11-20", "-o", str(out_file)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"Đã in bản tin số liệu đến ngày 20/11/2026: {out_file}" in out
    pages, text, _ = _pdf_text(out_file.read_bytes())
    assert pages == 1 and "1 lượt tiếp" in text
    code = main(["--db", db.url, "report", "dashboard", "--period", "quarter", "-o", str(out_file)])
    _, err = capsys.readouterr()
    assert code != 0 and "Bản tin chỉ dùng --as-of" in err
