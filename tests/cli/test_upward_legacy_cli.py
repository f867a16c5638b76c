"""``python -m app upward import-workbook``: a hand-filled form workbook becomes the unit's report."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.db import Database
from app.services.common.actor import SYSTEM
from app.services.demo import runner
from app.services.reports import service, xlsx
from app.services.upward import legacy, units
from tests import upward_data as ud

QUARTER = ("--period", "quarter", "--year", "2026", "--number", "3")


def test_import_workbook_reports_unread_cells(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "bac_giang.xlsx"
    with db.transaction() as session:
        runner.generate(session, 20, seed=3, now=ud.DEMO_NOW)
        units.declare(session, SYSTEM, ["07210"])
        grids = service.grids(session, SYSTEM, ud.QUARTER, None, None)
        xlsx.write_workbook(grids, service.letterhead(session), book, ud.QUARTER.end)
    tcd = next(g for g in grids if g.form.code == "TCD")
    wb = load_workbook(book)
    ws = wb[xlsx.sheet_title("TCD")]
    top = legacy._numbering_row(ws, len(tcd.leaves))
    assert top is not None
    cell = ws.cell(top + 1, xlsx.FIRST_FIGURE_COLUMN + len(tcd.leaves) - 1)
    cell.value = "x"
    wb.save(book)

    code = main(["upward", "import-workbook", "--db", db.url, "--unit", "07210", *QUARTER, str(book)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Đã nhập báo cáo Quý III năm 2026 của Phường Bắc Giang (nhập từ bảng tính, không chữ ký)." in out
    assert f"Biểu TCD, ô {cell.coordinate}: không phải số: “x”" in out
    assert "1 ô không đọc được (tính là 0)" in out

    code = main(["upward", "import-workbook", "--db", db.url, "--unit", "99999", *QUARTER, str(book)])
    out, err = capsys.readouterr()
    assert code != 0 and "chưa được khai báo" in err
