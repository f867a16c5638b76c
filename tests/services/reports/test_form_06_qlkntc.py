"""Biểu 06/QLKNTC (quản lý nhà nước về khiếu nại, tố cáo): its headings and numbering as the definition
says, the figures the records give, and the points not yet confirmed kept to the forms viewer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy.orm import Session

from app.models import Petition
from app.models.enums import HandlingAction, MatterKind, SenderKind
from app.services.common.actor import SYSTEM
from app.services.reports import definitions, engine, forms, periods, service
from tests import reports_data as rd
from tests.services.reports.test_reports import assert_totals_add_up, figure

D = dt.date
NOV = periods.month(2026, 11)  # 15/10/2026 – 14/11/2026
FORM = forms.get_form("QLKNTC", "2024")


def _labels(columns: tuple[forms.Column, ...]) -> list[str]:
    out: list[str] = []
    for column in columns:
        out.append(column.label)
        if column.total:
            out.append(column.total)
        out += _labels(column.children)
    return out


def test_the_definition_is_part_of_the_2024_set_and_says_what_is_not_confirmed() -> None:
    assert FORM.form_no == "Biểu số 06/QLKNTC"
    assert FORM.title == "TỔNG HỢP KẾT QUẢ CÔNG TÁC QUẢN LÝ NHÀ NƯỚC VỀ KHIẾU NẠI, TỐ CÁO"
    assert FORM in forms.all_forms("2024") and FORM.circular_on(D(2026, 11, 14)).endswith("06/2025/TT-TTCP")
    notes = " ".join(text for _, text in FORM.points_to_confirm())
    assert "06/QLKNTC" in notes and "tập huấn" in notes and "thanh tra, kiểm tra trách nhiệm" in notes
    viewer = [line.label for line in definitions.outline(FORM)]
    assert "Đơn đông người" in viewer and "Số văn bản phát hành" in viewer


def test_the_figures_come_from_the_records(session: Session) -> None:
    prolonged = rd.petition(session, D(2026, 10, 20))
    crowd = rd.petition(session, D(2026, 11, 3), kind=MatterKind.DENUNCIATION)
    beyond = rd.petition(session, D(2026, 11, 4), events=[(HandlingAction.REMIND, D(2026, 11, 10))])
    rd.petition(session, D(2026, 9, 1), events=[(HandlingAction.DECIDE, D(2026, 11, 6))])
    rd.petition(session, D(2026, 11, 20), kind=MatterKind.DENUNCIATION)  # after the period
    for pid, attr, value in (
        (prolonged, "is_prolonged", True),
        (crowd, "sender_kind", SenderKind.CROWD),
        (beyond, "is_beyond_level", True),
    ):
        setattr(session.get(Petition, pid), attr, value)
    session.flush()
    [grid] = service.grids(session, SYSTEM, NOV, ["QLKNTC"])
    assert figure(grid, "Đơn về vụ việc phức tạp, kéo dài", "Khiếu nại") == 1
    assert figure(grid, "Đơn đông người", "Tố cáo") == 1 and figure(grid, "Đơn đông người", "Khiếu nại") == 0
    assert figure(grid, "Đơn vượt cấp", "Tổng số") == 1
    assert figure(grid, "Đôn đốc trong kỳ (số đơn)") == 1
    decided = "Quyết định giải quyết khiếu nại, kết luận nội dung tố cáo ban hành trong kỳ"
    assert figure(grid, decided, "Khiếu nại") == 1
    assert_totals_add_up(grid)


def test_the_sheet_has_the_definitions_headings_and_numbering_and_no_internal_note(
    session: Session, tmp_path: Path
) -> None:
    rd.petition(session, D(2026, 11, 2))
    out = service.save_report(session, SYSTEM, NOV, tmp_path / "bc.xlsx", today=D(2026, 11, 26), codes=["QLKNTC"])
    ws = load_workbook(out)["QLKNTC"]
    rows = list(ws.iter_rows(values_only=True))
    texts = [str(v) for row in rows for v in row if v is not None]
    assert FORM.form_no in texts and FORM.title in texts and FORM.unit in texts
    assert "Ban hành kèm theo Thông tư số 06/2025/TT-TTCP" in texts
    for label in _labels(FORM.columns):
        assert label in texts, label
    leaves = len(engine.evaluate(session, FORM, NOV).leaves)
    start = next(i for i, row in enumerate(rows) if FORM.columns[0].label in row)
    numbering = next(row for row in rows[start:] if row[0] == "A")
    assert [v for v in numbering if v is not None] == ["A", "B", *range(1, leaves + 1)]
    assert not [t for t in texts if "xác nhận" in t or "đối chiếu" in t or "tập huấn" in t]
