"""``python -m app report``, ``export`` and ``import`` as a user runs them."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from app.cli import main
from app.db import Database
from app.models.enums import MatterKind
from tests import reports_data as rd

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "legacy_register.xlsx"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def filled(db: Database) -> Database:
    with db.transaction() as session:
        rd.visit(session, dt.date(2026, 10, 20))
        rd.visit(
            session, dt.date(2026, 11, 2), name="=Lê Văn Một", kind=MatterKind.DENUNCIATION, id_number="027090000111"
        )
        rd.petition(session, dt.date(2026, 11, 3))
    return db


def test_report_all_forms_for_a_range(
    filled: Database, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "bc" / "thang11.xlsx"
    code, out, err = run(
        capsys, "report", "--db", db.url, "--from", "2026-10-15", "--to", "2026-11-14", "-o", str(out_file)
    )
    assert code == 0, err
    assert "Đã lập 6 biểu (bộ biểu 2024), số liệu tính từ ngày 15/10/2026 đến ngày 14/11/2026" in out
    assert load_workbook(out_file).sheetnames == ["TCD", "XLD", "GQKN", "GQTC", "KQTH", "QLKNTC"]


def test_report_one_form_for_an_official_period(
    filled: Database, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "quy4.xlsx"
    code, out, _ = run(
        capsys,
        "report",
        "--db",
        db.url,
        "--form",
        "tcd",
        "--period",
        "quarter",
        "--year",
        "2026",
        "--number",
        "4",
        "-o",
        str(out_file),
    )
    assert code == 0
    assert "từ ngày 15/09/2026 đến ngày 14/12/2026" in out
    assert load_workbook(out_file).sheetnames == ["TCD"]


def test_report_user_mistakes_are_one_vietnamese_line(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "report", "--db", db.url, "--form", "XYZ", "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and err.startswith("Lỗi: Không có biểu báo cáo “XYZ”")
    code, _, err = run(
        capsys,
        "report",
        "--db",
        db.url,
        "--from",
        "2026-11-14",
        "--to",
        "2026-10-15",
        "-o",
        str(tmp_path / "x.xlsx"),
    )
    assert code == 2 and "Ngày kết thúc" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_export_with_profile_and_mask(
    filled: Database, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "so.xlsx"
    code, _, err = run(
        capsys,
        "export",
        "visits",
        "--db",
        db.url,
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--columns",
        "received_on,citizen_name,id_number",
        "--save-profile",
        "Ngắn",
        "-o",
        str(out_file),
    )
    assert code == 0, err
    code, out, _ = run(
        capsys,
        "export",
        "visits",
        "--db",
        db.url,
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--profile",
        "Ngắn",
        "--mask",
        "-o",
        str(out_file),
    )
    assert code == 0 and "Đã xuất 1 dòng" in out
    rows = CalamineWorkbook.from_path(str(out_file)).get_sheet_by_index(0).to_python()
    assert rows[0] == ["Ngày tiếp", "Họ và tên", "Số CCCD/CMND"]
    assert rows[1][1:] == ["[Bảo mật danh tính]", "[Bảo mật danh tính]"]


def test_import_register_prints_the_counts(db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "so_cu.xlsx"
    shutil.copy(SAMPLE, source)
    code, out, _ = run(capsys, "import", "register", str(source), "--db", db.url, "--dry-run")
    assert code == 0 and "CHẠY THỬ" in out
    assert out.strip().endswith("Đã nhập 66 dòng, từ chối 7 dòng, tổng số 73 dòng.")
    code, out, err = run(capsys, "import", "register", str(source), "--db", db.url)
    assert code == 0
    assert out.strip().endswith("Đã nhập 66 dòng, từ chối 7 dòng, tổng số 73 dòng.")
    assert "dòng 86: Ngày tiếp “31/02/2024” không có thật" in err
    assert (tmp_path / "so_cu_loi.xlsx").exists()
    batch = re.search(r"Lô nhập #(\d+)", out)
    assert batch is not None, out
    code, out, _ = run(capsys, "import", "undo", "--batch", batch.group(1), "--db", db.url)
    assert code == 0 and "66 lượt tiếp" in out
