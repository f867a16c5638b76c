"""A unit's form workbook filled by hand in the official layout, imported without a package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, ReceivedPackage
from app.services.common.actor import SYSTEM
from app.services.common.errors import ValidationError
from app.services.demo import runner
from app.services.reports import forms, service, xlsx
from app.services.reports.engine import ReportGrid
from app.services.upward import consolidate, legacy, package, tracker, units
from app.services.upward.receive import Outcome
from tests import upward_data as ud

UNIT = "07210"  # Phường Bắc Giang


@pytest.fixture
def filled(session: Session, tmp_path: Path) -> tuple[Path, list[ReportGrid]]:
    """The quarter's forms of some demo data, written by our own writer as a unit would fill them in."""
    runner.generate(session, 40, seed=5, now=ud.DEMO_NOW)
    units.declare(session, SYSTEM, [UNIT])
    session.commit()
    grids = service.grids(session, SYSTEM, ud.QUARTER, None, None)
    path = tmp_path / "bao_cao_bac_giang.xlsx"
    xlsx.write_workbook(grids, service.letterhead(session), path, ud.QUARTER.end)
    return path, grids


def _part_cells(grid: ReportGrid) -> list[int]:
    """Columns that are a part of some total and no total themselves."""
    shape = package.structure(grid.form)
    totals = {t for t, _ in shape.totals}
    return [p for _, parts in shape.totals for p in parts if p not in totals]


def _table_top(ws: object, grid: ReportGrid) -> int:
    top = legacy._numbering_row(ws, len(grid.leaves))  # type: ignore[arg-type]
    assert top is not None
    return top


def test_blank_and_text_cells_are_reported_and_the_rest_is_taken(
    session: Session, filled: tuple[Path, list[ReportGrid]], tmp_path: Path
) -> None:
    path, grids = filled
    tcd = next(g for g in grids if g.form.code == "TCD")
    blank_col, text_col = _part_cells(tcd)[:2]
    wb = load_workbook(path)
    ws = wb[xlsx.sheet_title("TCD")]
    top = _table_top(ws, tcd)
    first_row = top + 1
    blank = ws.cell(first_row, xlsx.FIRST_FIGURE_COLUMN + blank_col)
    text = ws.cell(first_row, xlsx.FIRST_FIGURE_COLUMN + text_col)
    blank.value = None
    text.value = "mười hai"
    edited = tmp_path / "sua_tay.xlsx"
    wb.save(edited)

    result = legacy.import_workbook(session, SYSTEM, edited, UNIT, ud.QUARTER, now=ud.ON_TIME)
    session.commit()
    assert result.result.outcome == Outcome.IMPORTED, result.result.message
    assert "nhập từ bảng tính, không chữ ký" in result.result.message
    assert [(u.form, u.cell) for u in result.unread] == [("TCD", blank.coordinate), ("TCD", text.coordinate)]
    assert result.unread[0].reason == "ô trống"
    assert result.unread[1].reason == "không phải số: “mười hai”"
    assert result.cells_read == sum(len(g.row_labels) * len(g.leaves) for g in grids) - 2

    row = session.scalar(select(ReceivedPackage))
    assert row is not None and row.origin == legacy.ORIGIN and row.public_key == ""
    assert [u.text() for u in legacy.unread_of(row.unread_json)] == [u.text() for u in result.unread]
    stored = json.loads(row.figures_json)
    for grid in grids:
        expected = [list(r) for r in grid.values]
        if grid.form.code == "TCD":
            expected[0][blank_col] = expected[0][text_col] = 0
            # Totals are recomputed from their parts (those two now count 0).
            for total, parts in sorted(package.structure(grid.form).totals, reverse=True):
                expected[0][total] = sum(expected[0][p] for p in parts)
        assert stored[grid.form.code] == expected, grid.form.code
        assert package.totals_problem(grid.form, stored[grid.form.code]) is None

    # The tracker shows the unit as sent, flagged as a workbook without signature.
    (tracked,) = tracker.tracker(session, SYSTEM, ud.QUARTER, today=ud.QUARTER.end).rows
    assert tracked.label == "Đã gửi đúng hạn; nhập từ bảng tính, không chữ ký"

    # The workbook counts as the unit's report in the consolidation.
    (tcd_total,) = [c for c in consolidate.consolidate(session, SYSTEM, ud.QUARTER) if c.grid.form.code == "TCD"]
    assert tcd_total.missing == ()
    audit = session.scalar(select(AuditEntry).where(AuditEntry.entity == "report_package"))
    assert audit is not None and json.loads(audit.after_json or "{}")["origin"] == "workbook"

    again = legacy.import_workbook(session, SYSTEM, edited, UNIT, ud.QUARTER, now=ud.ON_TIME)
    assert again.result.outcome == Outcome.UNCHANGED


def test_clean_workbook_reads_everything_and_a_wrong_total_is_reported(
    session: Session, filled: tuple[Path, list[ReportGrid]], tmp_path: Path
) -> None:
    path, grids = filled
    clean = legacy.import_workbook(session, SYSTEM, path, UNIT, ud.QUARTER, now=ud.ON_TIME)
    assert clean.unread == ()
    assert "không có ô nào lỗi" in legacy.report_lines(clean)[-1]

    tcd = next(g for g in grids if g.form.code == "TCD")
    total = package.structure(tcd.form).totals[0][0]
    wb = load_workbook(path)
    ws = wb[xlsx.sheet_title("TCD")]
    cell = ws.cell(_table_top(ws, tcd) + 1, xlsx.FIRST_FIGURE_COLUMN + total)
    cell.value = (cell.value or 0) + 7
    wrong = tmp_path / "tong_sai.xlsx"
    wb.save(wrong)
    result = legacy.import_workbook(session, SYSTEM, wrong, UNIT, ud.QUARTER, now=ud.ON_TIME)
    assert result.result.outcome == Outcome.REPLACED
    (problem,) = result.unread
    assert problem.cell == cell.coordinate and problem.reason.startswith(f"tổng ghi {cell.value} khác tổng")


def test_refused_without_declared_unit_or_with_another_period(
    session: Session, filled: tuple[Path, list[ReportGrid]], tmp_path: Path
) -> None:
    path, _ = filled
    with pytest.raises(ValidationError, match="chưa được khai báo"):
        legacy.import_workbook(session, SYSTEM, path, "09295", ud.QUARTER)
    other = ud.periods.quarter(2026, 2)
    with pytest.raises(ValidationError, match="không phải kỳ"):
        legacy.import_workbook(session, SYSTEM, path, UNIT, other)
    not_forms = tmp_path / "khac.xlsx"
    wb = load_workbook(path)
    for ws in wb.worksheets:
        ws.title = f"Trang {wb.index(ws)}"
    wb.save(not_forms)
    with pytest.raises(ValidationError, match="không có trang tính nào"):
        legacy.import_workbook(session, SYSTEM, not_forms, UNIT, ud.QUARTER)
    assert session.scalar(select(ReceivedPackage)) is None
    assert len(forms.all_forms(service.form_version(session, ud.QUARTER))) >= 5
