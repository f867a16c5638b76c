"""``python -m app export national``: the period's case records to JSON / xlsx, then only the changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.cli import main
from app.db import Database
from tests.petition_builders import classify, register


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


PERIOD = ("--from", "2026-03-01", "--to", "2026-03-31")


def test_export_national_json_then_changed_only_then_xlsx(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with db.transaction() as session:
        saved = register(session)
        classify(session, saved.id)
        register(session, name="Trần Thị Hoa", summary="Kiến nghị sửa đường liên thôn")

    first = tmp_path / "vu_viec.json"
    code, out, err = run(capsys, "export", "national", "--db", db.url, *PERIOD, "-o", str(first))
    assert code == 0, err
    assert "Đã xuất 2 hồ sơ vụ việc" in out and "mới 2, thay đổi 0, không đổi 0" in out
    data = json.loads(first.read_text(encoding="utf-8"))
    assert data["format"] == "tiepdan-national-cases" and len(data["records"]) == 2

    again = tmp_path / "thay_doi.json"
    code, out, err = run(capsys, "export", "national", "--db", db.url, *PERIOD, "--changed-only", "-o", str(again))
    assert code == 0, err
    assert "Đã xuất 0 hồ sơ vụ việc" in out and "không đổi 2" in out
    assert json.loads(again.read_text(encoding="utf-8"))["records"] == []

    book = tmp_path / "vu_viec.xlsx"
    code, out, err = run(capsys, "export", "national", "--db", db.url, *PERIOD, "--mask", "-o", str(book))
    assert code == 0, err
    people = load_workbook(book)["Người đứng đơn"]
    column = [c.value for c in people[2]].index("Họ và tên")
    names = [row[column].value for row in people.iter_rows(min_row=3)]
    assert names and all(name == "[Bảo mật danh tính]" for name in names)

    code, out, err = run(capsys, "export", "national", "--db", db.url, *PERIOD, "-o", str(tmp_path / "x.csv"))
    assert code != 0 and ".json hoặc .xlsx" in err
