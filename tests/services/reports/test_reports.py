"""Report forms: figures from stored codes, totals equal their parts, drill-down lists the records."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Petition, Visit
from app.models.enums import (
    Competence,
    HandlingAction,
    MatterKind,
    MatterState,
    PetitionSource,
    PetitionStatus,
    ReceptionKind,
    ResolutionResult,
)
from app.services.casework import first_dates
from app.services.common.actor import SYSTEM
from app.services.reception import visits
from app.services.reports import engine, forms, periods, service
from app.services.reports.engine import ReportGrid
from tests import reports_data as rd

D = dt.date
NOV = periods.month(2026, 11)  # 15/10/2026 – 14/11/2026


def column(grid: ReportGrid, *path: str) -> int:
    for leaf in grid.leaves:
        if leaf.path == path:
            return leaf.index
    raise AssertionError(f"no column {path}: {[leaf.path for leaf in grid.leaves]}")


def figure(grid: ReportGrid, *path: str) -> int | float:
    return grid.value(0, column(grid, *path))


def assert_totals_add_up(grid: ReportGrid) -> None:
    assert grid.totals, grid.form.code
    for row in grid.values:
        for total, parts in grid.totals:
            assert row[total] == sum(row[i] for i in parts), (grid.form.code, grid.leaves[total].path)


@pytest.fixture
def tcd_data(session: Session) -> dict[str, int]:
    old_case = rd.case(session, D(2026, 3, 1))
    ids = {
        "regular": rd.visit(session, D(2026, 10, 20)),
        "regular_old_case": rd.visit(session, D(2026, 10, 21), case_id=old_case, name="Lê Thị Hoa"),
        "same_case_again": rd.visit(session, D(2026, 11, 2), case_id=old_case, name="Lê Thị Hoa"),
        "crowd": rd.visit(session, D(2026, 11, 3), head_count=12, kind=MatterKind.DENUNCIATION, field_code="TN"),
        "periodic": rd.visit(session, D(2026, 11, 5), reception=ReceptionKind.PERIODIC, kind=MatterKind.RECOMMENDATION),
        "ad_hoc": rd.visit(session, D(2026, 11, 14), reception=ReceptionKind.AD_HOC, state=MatterState.FIRST_DECISION),
        "before": rd.visit(session, D(2026, 10, 14)),
        "after": rd.visit(session, D(2026, 11, 15)),
        "deleted": rd.visit(session, D(2026, 11, 1)),
    }
    visits.delete_visit(session, SYSTEM, ids["deleted"], "Nhập trùng")
    session.commit()
    return ids


def test_tcd_counts_visits_people_cases_and_crowds(session: Session, tcd_data: dict[str, int]) -> None:
    grid = engine.evaluate(session, forms.get_form("TCD", "2021"), NOV)
    reg = "Tiếp thường xuyên"
    lead = "Tiếp định kỳ và đột xuất của lãnh đạo"
    assert figure(grid, reg, "Lượt") == 4
    assert figure(grid, reg, "Người") == 1 + 1 + 1 + 12
    # Two visits on the same old case are one old matter; the other two are new matters.
    assert figure(grid, reg, "Vụ việc", "Cũ") == 1
    assert figure(grid, reg, "Vụ việc", "Mới phát sinh") == 2
    assert figure(grid, reg, "Đoàn đông người", "Số đoàn") == 1
    assert figure(grid, reg, "Đoàn đông người", "Người") == 12
    assert figure(grid, lead, "Lượt") == 2
    content = "Nội dung tiếp công dân (số vụ việc)"
    assert figure(grid, content, "Tố cáo", "Tham nhũng") == 1
    assert figure(grid, content, "Khiếu nại", "Lĩnh vực hành chính", "Đất đai") == 3
    assert figure(grid, content, "Kiến nghị, phản ánh") == 1
    assert (
        figure(grid, "Tình trạng vụ việc khi tiếp (số vụ việc)", "Đã được giải quyết", "Đã có QĐ giải quyết lần 1") == 1
    )
    assert_totals_add_up(grid)


def test_reception_counts_match_the_reception_register(session: Session, tcd_data: dict[str, int]) -> None:
    grid = engine.evaluate(session, forms.get_form("TCD", "2021"), NOV)
    register = visits.visit_ids(session, visits.VisitFilter(date_from=NOV.start, date_to=NOV.end))
    lượt = figure(grid, "Tiếp thường xuyên", "Lượt") + figure(grid, "Tiếp định kỳ và đột xuất của lãnh đạo", "Lượt")
    assert lượt == len(register) == 6


def test_drill_down_lists_the_visits_behind_a_figure(session: Session, tcd_data: dict[str, int]) -> None:
    form = forms.get_form("TCD", "2021")
    grid = engine.evaluate(session, form, NOV)
    ids = engine.cell_ids(session, form, NOV, 0, column(grid, "Tiếp thường xuyên", "Lượt"))
    expected = ["regular", "regular_old_case", "same_case_again", "crowd"]
    assert ids == sorted(tcd_data[k] for k in expected)
    crowd = engine.cell_ids(session, form, NOV, 0, column(grid, "Tiếp thường xuyên", "Đoàn đông người", "Người"))
    assert crowd == [tcd_data["crowd"]]
    total = column(grid, "Nội dung tiếp công dân (số vụ việc)", "Tổng số")
    behind_total = engine.cell_ids(session, form, NOV, 0, total)
    assert tcd_data["deleted"] not in behind_total and tcd_data["after"] not in behind_total
    assert len(behind_total) == 6


def test_xld_splits_carried_over_and_new_petitions_and_counts_handling(session: Session) -> None:
    carried = rd.petition(session, D(2026, 10, 1), events=[(HandlingAction.FORWARD, D(2026, 10, 20))])
    handled_before = rd.petition(session, D(2026, 10, 1), events=[(HandlingAction.FILE, D(2026, 10, 5))])
    new_desk = rd.petition(
        session, D(2026, 11, 1), source=PetitionSource.DESK, events=[(HandlingAction.ACCEPT, D(2026, 11, 3))]
    )
    new_online = rd.petition(session, D(2026, 11, 2), source=PetitionSource.ONLINE, eligible=False, competence=None)
    rd.petition(session, D(2026, 11, 20))  # after the period
    session.commit()
    form = forms.get_form("XLD", "2021")
    grid = engine.evaluate(session, form, NOV)
    assert figure(grid, "Tiếp nhận", "Kỳ trước chuyển sang") == 1
    assert figure(grid, "Tiếp nhận", "Tiếp nhận trong kỳ", "Trực tiếp") == 1
    assert figure(grid, "Tiếp nhận", "Tiếp nhận trong kỳ", "Trực tuyến") == 1
    assert figure(grid, "Tiếp nhận", "Tổng số đơn") == 3
    assert figure(grid, "Phân loại đơn", "Không đủ điều kiện xử lý") == 1
    assert figure(grid, "Kết quả xử lý trong kỳ (số đơn)", "Chuyển đơn") == 1
    assert figure(grid, "Kết quả xử lý trong kỳ (số đơn)", "Thụ lý") == 1
    assert figure(grid, "Kết quả xử lý trong kỳ (số đơn)", "Lưu đơn") == 0
    ids = engine.cell_ids(session, form, NOV, 0, column(grid, "Tiếp nhận", "Tổng số đơn"))
    assert ids == sorted([carried, new_desk, new_online])
    assert handled_before not in ids
    assert_totals_add_up(grid)


def test_kqgq_counts_resolutions_results_and_amounts(session: Session) -> None:
    accept = [(HandlingAction.ACCEPT, D(2026, 9, 1))]
    rd.petition(session, D(2026, 8, 20), events=accept)  # carried, pending
    rd.petition(
        session,
        D(2026, 10, 16),
        events=[(HandlingAction.ACCEPT, D(2026, 10, 20))],
        result=ResolutionResult.PARTLY_RIGHT,
        closed_on=D(2026, 11, 10),
        money=150_000_000,
        land=320.5,
        people_handled=2,
    )
    rd.petition(session, D(2026, 8, 1), events=accept, result=ResolutionResult.WRONG, closed_on=D(2026, 10, 1))
    rd.petition(session, D(2026, 10, 20), competence=Competence.OUTSIDE)  # not ours: not counted
    rd.petition(
        session, D(2026, 10, 20), kind=MatterKind.DENUNCIATION, events=[(HandlingAction.ACCEPT, D(2026, 11, 1))]
    )
    session.commit()
    kn = engine.evaluate(session, forms.get_form("KQGQ-KN", "2021"), NOV)
    top = "Kết quả giải quyết khiếu nại"
    assert figure(kn, top, "Vụ việc thuộc thẩm quyền", "Kỳ trước chuyển sang") == 1
    assert figure(kn, top, "Vụ việc thuộc thẩm quyền", "Thụ lý mới trong kỳ") == 1
    assert figure(kn, top, "Đã giải quyết trong kỳ", "Đúng một phần") == 1
    assert figure(kn, top, "Chưa giải quyết xong") == 1
    assert figure(kn, top, "Kiến nghị thu hồi, trả lại", "Tiền (đồng)") == 150_000_000
    assert figure(kn, top, "Kiến nghị thu hồi, trả lại", "Đất (m²)") == pytest.approx(320.5)
    assert figure(kn, top, "Số người bị kiến nghị xử lý") == 2
    assert_totals_add_up(kn)
    tc = engine.evaluate(session, forms.get_form("KQGQ-TC", "2021"), NOV)
    assert figure(tc, "Kết quả giải quyết tố cáo", "Vụ việc thuộc thẩm quyền", "Thụ lý mới trong kỳ") == 1


def test_workbook_has_the_official_layout(session: Session, tcd_data: dict[str, int], tmp_path: Path) -> None:
    out = tmp_path / "bao_cao.xlsx"
    service.save_report(session, SYSTEM, NOV, out, today=D(2026, 11, 26))
    session.commit()
    wb = load_workbook(out)
    assert wb.sheetnames == ["TCD", "XLD", "GQKN", "GQTC", "KQTH", "QLKNTC"]
    ws = wb["TCD"]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "TỔNG HỢP KẾT QUẢ TIẾP CÔNG DÂN" in texts
    assert "Số liệu tính từ ngày 15/10/2026 đến ngày 14/11/2026" in texts
    assert "Kỳ báo cáo: Tháng 11 năm 2026" in texts
    assert "BAN TIẾP CÔNG DÂN TỈNH" in texts
    assert "Bắc Ninh, ngày 26 tháng 11 năm 2026" in texts
    assert ws["A1"].font.name == "Times New Roman"
    merged = {str(r) for r in ws.merged_cells.ranges}
    header_top = next(c.row for row in ws.iter_rows() for c in row if c.value == "Tiếp thường xuyên")
    assert f"C{header_top}:J{header_top}" in merged  # the group spans its 8 columns
    numbered = header_top + 5  # five header rows: the head's reception splits in person / delegated
    assert [ws.cell(numbered, c).value for c in range(1, 6)] == ["A", "B", 1, 2, 3]
    assert ws.cell(numbered + 1, 3).value == 4  # lượt tiếp thường xuyên
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name)
    # calamine reads the same figures.
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("TCD").to_python()
    assert rows[numbered][2] == 4


def test_unknown_form_code_is_a_clear_error(session: Session) -> None:
    from app.services.common.errors import NotFoundError

    with pytest.raises(NotFoundError, match="Các biểu có sẵn: TCD, XLD, GQKN, GQTC, KQTH"):
        forms.get_form("ABC")
    with pytest.raises(NotFoundError, match="Các biểu có sẵn: TCD, XLD, KQGQ-KN, KQGQ-TC"):
        forms.get_form("ABC", "2021")


def test_a_new_form_version_is_data_only(session: Session, tcd_data: dict[str, int]) -> None:
    custom = forms.parse_form(
        {
            "code": "TCD-2024",
            "title": "KẾT QUẢ TIẾP CÔNG DÂN (mẫu thử)",
            "source": "visit",
            "rows": [
                {"label": "Khiếu nại", "filter": {"matter_kind": "khieu_nai"}},
                {"label": "Tố cáo", "filter": {"matter_kind": "to_cao"}},
            ],
            "columns": [
                {
                    "label": "Lượt tiếp",
                    "measure": "count",
                    "total": "Tổng",
                    "children": [
                        {"label": "Thường xuyên", "filter": {"reception_kind": "thuong_xuyen"}},
                        {"label": "Lãnh đạo", "filter": {"reception_kind": ["dinh_ky", "dot_xuat"]}},
                    ],
                }
            ],
        }
    )
    grid = engine.evaluate(session, custom, NOV)
    assert grid.values == ((4, 3, 1), (1, 1, 0))
    assert session.query(Visit).count() == 9


def test_demo_data_cross_checks(session: Session) -> None:
    """On the demo office's history: totals add up and reception counts match the register, every month."""
    demo = pytest.importorskip("app.services.demo")
    now = dt.datetime(2026, 11, 26, 10, 0, tzinfo=rd.LOCAL_TZ)
    demo.generate(session, 3_000, seed=3, now=now)
    session.commit()
    for period in (
        periods.month(2026, 11),
        periods.month(2026, 6),
        periods.quarter(2026, 3),
        periods.year_period(2026),
    ):
        register = len(visits.visit_ids(session, visits.VisitFilter(date_from=period.start, date_to=period.end)))
        grids = service.grids(session, SYSTEM, period)
        for grid in grids:
            assert_totals_add_up(grid)
        tcd = grids[0]
        head = "Tiếp định kỳ và đột xuất của Thủ trưởng"
        lượt = figure(tcd, "Tiếp thường xuyên", "Lượt")
        lượt += figure(tcd, head, "Thủ trưởng tiếp trực tiếp", "Lượt") + figure(
            tcd, head, "Ủy quyền cấp phó tiếp", "Lượt"
        )
        assert lượt == register > 0, period.title
        xld = grids[1]
        assert figure(xld, "Tiếp nhận", "Tổng số đơn") > 0
    # Every counted figure of every form and the drill-down list behind it agree (the year).
    for grid in grids:
        for leaf in grid.leaves:
            if leaf.measure == "count":
                ids = engine.cell_ids(session, grid.form, period, 0, leaf.index)
                assert len(ids) == grid.value(0, leaf.index), (grid.form.code, leaf.path)


def test_first_dates_of_bulk_data_agree_with_the_events(session: Session) -> None:
    """The demo writes the first dates itself; recomputing them from the events changes nothing."""
    demo = pytest.importorskip("app.services.demo")
    demo.generate(session, 600, seed=5, now=dt.datetime(2026, 11, 26, 10, 0, tzinfo=rd.LOCAL_TZ))
    session.commit()
    dates = select(Petition.id, Petition.handled_on, Petition.accepted_on).order_by(Petition.id)
    written = session.execute(dates).all()
    assert sum(1 for r in written if r.accepted_on is not None) > 10
    first_dates.refresh(session)
    assert session.execute(dates).all() == written


def test_a_petition_accepted_after_the_period_is_not_counted_as_accepted_in_it(session: Session) -> None:
    rd.petition(
        session,
        D(2026, 11, 2),
        status=PetitionStatus.ACCEPTED,
        events=[(HandlingAction.ACCEPT, D(2026, 11, 20))],  # after 14/11
    )
    in_time = rd.petition(
        session, D(2026, 11, 3), status=PetitionStatus.ACCEPTED, events=[(HandlingAction.ACCEPT, D(2026, 11, 10))]
    )
    session.commit()
    form = forms.get_form("KQGQ-KN", "2021")
    kn = engine.evaluate(session, form, NOV)
    col = column(kn, "Kết quả giải quyết khiếu nại", "Vụ việc thuộc thẩm quyền", "Thụ lý mới trong kỳ")
    assert kn.value(0, col) == 1
    assert engine.cell_ids(session, form, NOV, 0, col) == [in_time]


def test_xld_counts_a_reminder_on_a_petition_forwarded_in_an_earlier_period(session: Session) -> None:
    old = rd.petition(
        session,
        D(2026, 8, 1),
        events=[(HandlingAction.FORWARD, D(2026, 8, 5)), (HandlingAction.REMIND, D(2026, 11, 1))],
    )
    session.commit()
    form = forms.get_form("XLD", "2021")
    grid = engine.evaluate(session, form, NOV)
    assert figure(grid, "Tiếp nhận", "Tổng số đơn") == 0
    col = column(grid, "Kết quả xử lý trong kỳ (số đơn)", "Đôn đốc")
    assert grid.value(0, col) == 1
    assert engine.cell_ids(session, form, NOV, 0, col) == [old]
