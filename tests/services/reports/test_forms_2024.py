"""The forms of Thông tư 01/2024 and 06/2025: the set in force on the period's end, its new columns
counted from the records, and an earlier period re-run with the forms it was reported on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from app.models import Visit
from app.models.enums import HandlingAction, MatterKind, PetitionSource, PetitionStatus, ReceptionKind, ResolutionResult
from app.services.common import settings
from app.services.common.actor import SYSTEM
from app.services.reports import engine, forms, periods, service
from tests import reports_data as rd
from tests.services.reports.test_reports import assert_totals_add_up, figure

D = dt.date
NOV = periods.month(2026, 11)  # 15/10/2026 – 14/11/2026
HEAD = "Tiếp định kỳ và đột xuất của Thủ trưởng"


def _numbering(ws: object, first_label: str) -> list[object]:
    """The numbering row (A, B, 1, 2, …) under the header of a sheet."""
    rows = list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]
    start = next(i for i, row in enumerate(rows) if first_label in row)
    numbers = next(row for row in rows[start:] if row[0] == "A")
    return [v for v in numbers if v is not None]


def test_the_set_in_force_follows_the_period_end() -> None:
    assert forms.version_on(D(2024, 3, 4)) == "2021"
    assert forms.version_on(D(2024, 3, 5)) == "2024"
    codes = [f.code for f in forms.all_forms(on=D(2026, 11, 14))]
    assert codes == ["TCD", "XLD", "GQKN", "GQTC", "KQTH", "QLKNTC"]
    assert [f.form_no for f in forms.all_forms("2024")] == [
        "Biểu số 01/TCD",
        "Biểu số 02/XLD",
        "Biểu số 03/GQKN",
        "Biểu số 04/GQTC",
        "Biểu số 05/KQTH",
        "Biểu số 06/QLKNTC",
    ]


def test_tcd_counts_first_and_repeated_reception_sessions_and_delegation(session: Session) -> None:
    case = rd.case(session, D(2026, 3, 1))
    rd.visit(session, D(2026, 10, 20), case_id=case, name="Lê Thị Hoa")  # first time for this case
    rd.visit(session, D(2026, 11, 2), case_id=case, name="Lê Thị Hoa")  # again
    rd.visit(session, D(2026, 10, 22))  # first time, no case
    periodic = [
        rd.visit(session, D(2026, 11, 5), reception=ReceptionKind.PERIODIC, name="Phạm Văn Sơn"),
        rd.visit(session, D(2026, 11, 5), reception=ReceptionKind.PERIODIC, name="Đỗ Thị Mai"),
        rd.visit(session, D(2026, 11, 12), reception=ReceptionKind.PERIODIC, name="Vũ Văn Nam"),
    ]
    session.get(Visit, periodic[2]).delegated = True  # type: ignore[union-attr]
    session.flush()
    grid = service.grids(session, SYSTEM, NOV, ["TCD"])[0]
    assert grid.form.version == "2024"
    assert_totals_add_up(grid)
    assert figure(grid, "Tiếp thường xuyên", "Lượt") == 3
    assert figure(grid, "Tiếp thường xuyên", "Vụ việc", "Tiếp lần đầu") == 2
    assert figure(grid, "Tiếp thường xuyên", "Vụ việc", "Tiếp nhiều lần") == 1
    assert figure(grid, HEAD, "Số kỳ tiếp") == 2  # 05/11 and 12/11
    assert figure(grid, HEAD, "Thủ trưởng tiếp trực tiếp", "Lượt") == 2
    assert figure(grid, HEAD, "Ủy quyền cấp phó tiếp", "Lượt") == 1


def test_xld_counts_answers_received_from_the_bodies_forwarded_to(session: Session) -> None:
    rd.petition(
        session,
        D(2026, 9, 1),
        status=PetitionStatus.CLOSED,
        events=[(HandlingAction.FORWARD, D(2026, 9, 3)), (HandlingAction.ANSWER_RECEIVED, D(2026, 10, 30))],
    )
    rd.petition(
        session, D(2026, 10, 20), source=PetitionSource.DESK, events=[(HandlingAction.FORWARD, D(2026, 10, 21))]
    )
    grid = service.grids(session, SYSTEM, NOV, ["XLD"])[0]
    assert figure(grid, "Số văn bản phúc đáp nhận được") == 1
    assert figure(grid, "Kết quả xử lý trong kỳ (số đơn)", "Chuyển đơn") == 1


def test_kqth_counts_decisions_issued_and_enforced(session: Session) -> None:
    rd.petition(
        session,
        D(2026, 8, 1),
        status=PetitionStatus.RESOLVED,
        events=[(HandlingAction.ACCEPT, D(2026, 8, 5)), (HandlingAction.DECIDE, D(2026, 10, 25))],
        closed_on=D(2026, 10, 25),
        result=ResolutionResult.PARTLY_RIGHT,
        money=5_000_000,
    )
    rd.petition(
        session,
        D(2026, 6, 1),
        kind=MatterKind.DENUNCIATION,
        status=PetitionStatus.RESOLVED,
        events=[
            (HandlingAction.ACCEPT, D(2026, 6, 5)),
            (HandlingAction.DECIDE, D(2026, 7, 1)),
            (HandlingAction.ENFORCE, D(2026, 11, 3)),
        ],
        closed_on=D(2026, 7, 1),
        result=ResolutionResult.RIGHT,
    )
    grid = service.grids(session, SYSTEM, NOV, ["KQTH"])[0]
    assert_totals_add_up(grid)
    issued = "Quyết định, kết luận ban hành trong kỳ"
    assert figure(grid, issued, "Khiếu nại") == 1 and figure(grid, issued, "Tố cáo") == 0
    assert figure(grid, "Đã thực hiện xong trong kỳ", "Tố cáo") == 1
    assert figure(grid, "Phải thu hồi cho Nhà nước, trả lại cho tổ chức, cá nhân", "Tiền (đồng)") == 5_000_000


def test_each_form_has_its_heading_and_numbering_row(session: Session, tmp_path: Path) -> None:
    rd.visit(session, D(2026, 11, 2))
    out = service.save_report(session, SYSTEM, NOV, tmp_path / "bc.xlsx", today=D(2026, 11, 26))
    wb = load_workbook(out)
    for form in forms.all_forms("2024"):
        ws = wb[form.code]
        texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        assert form.form_no in texts and form.title in texts
        assert "Ban hành kèm theo Thông tư số 06/2025/TT-TTCP" in texts
        leaves = len(engine.evaluate(session, form, NOV).leaves)
        first = form.columns[0].label
        assert _numbering(ws, first) == ["A", "B", *range(1, leaves + 1)], form.code


def test_an_earlier_period_reruns_with_its_own_forms(session: Session, tmp_path: Path) -> None:
    rd.visit(session, D(2023, 11, 2))
    old = periods.month(2023, 11)
    first = service.grids(session, SYSTEM, old)
    assert [g.form.code for g in first] == ["TCD", "XLD", "KQGQ-KN", "KQGQ-TC"]
    again = service.grids(session, SYSTEM, old)
    assert [g.values for g in again] == [g.values for g in first]
    wb = load_workbook(service.save_report(session, SYSTEM, old, tmp_path / "2023.xlsx", today=D(2023, 11, 20)))
    texts = [str(c.value) for c in wb["TCD"]["A"] + wb["TCD"][2] if c.value is not None]
    assert "Ban hành kèm theo Thông tư số 02/2021/TT-TTCP" in texts
    # An office may pin a set for every report (and a report may ask for one).
    settings.put(session, service.FORM_VERSION, "2021")
    assert service.grids(session, SYSTEM, NOV)[0].form.version == "2021"
    assert service.grids(session, SYSTEM, NOV, version="2024")[0].form.version == "2024"
