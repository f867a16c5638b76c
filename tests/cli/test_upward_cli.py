"""``python -m app upward``: a commune packages its quarter, the province declares, imports, tracks, consolidates."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.cli import main
from app.db import Database
from app.services.demo import runner
from app.services.reports import forms
from tests import upward_data as ud


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


QUARTER = ("--period", "quarter", "--year", "2026", "--number", "3")


def test_package_import_tracker_and_consolidate(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    offices = ud.Offices(tmp_path / "communes")
    with offices.keys():
        commune = offices.office("07210", "Phường Bắc Giang")
        office_db = Database(f"sqlite:///{commune}")
        with office_db.transaction() as session:
            runner.generate(session, 30, seed=5, now=ud.DEMO_NOW)
        office_db.dispose()
        out_file = tmp_path / "gui" / "bac_giang.tdbc"
        code, out, err = run(capsys, "upward", "package", "--db", str(commune), *QUARTER, "-o", str(out_file))
    assert code == 0, err
    assert "Đã lập gói báo cáo Quý III năm 2026 của đơn vị mã 07210" in out and "Dấu khóa ký" in out

    code, out, err = run(capsys, "upward", "units", "--db", db.url, "--add", "07210", "09295")
    assert code == 0, err
    assert "Đã khai báo 2 đơn vị cấp dưới." in out and "Phường Bắc Giang" in out

    code, out, err = run(capsys, "upward", "import", "--db", db.url, str(out_file.parent))
    assert code == 0, err
    assert "Đã nhập báo cáo Quý III năm 2026 của Phường Bắc Giang." in out
    assert out.strip().endswith("Đã nhập 1 gói.")

    letter = tmp_path / "don_doc.pdf"
    code, out, err = run(capsys, "upward", "tracker", "--db", db.url, *QUARTER, "--reminder", str(letter))
    assert code == 0, err
    assert "Chưa gửi" in out and "1 chưa gửi" in out
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(letter).pages)
    assert "Phường Bồng Lai" in text and "Phường Bắc Giang" not in text

    book = tmp_path / "tong_hop.xlsx"
    code, out, err = run(capsys, "upward", "consolidate", "--db", db.url, *QUARTER, "-o", str(book))
    assert code == 0, err
    assert f"Đã tổng hợp {len(forms.all_forms('2024'))} biểu của 1 đơn vị" in out
    assert "Chưa có số liệu của 1 đơn vị: Phường Bồng Lai" in out
    labels = [row[1] for row in load_workbook(book)["TCD"].iter_rows(values_only=True)]
    assert "Phường Bắc Giang" in labels and "Tổng cộng" in labels

    code, out, err = run(capsys, "upward", "import", "--db", db.url, str(tmp_path / "khong_co.tdbc"))
    assert code == 1 and "khong_co.tdbc: không đọc được" in out
