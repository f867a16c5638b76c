"""Internal notes of the report forms stay off official output; the viewer's outline reads them out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from app.cli import main
from app.db import Database
from app.services.common.actor import SYSTEM
from app.services.common.errors import ValidationError
from app.services.reports import definitions, forms, periods, service
from tests import reports_data as rd

NOV = periods.month(2026, 11)
OFFICIAL = "Ban hành kèm theo Thông tư số 06/2025/TT-TTCP"
CIRCULARS = {
    "2021": {"Ban hành kèm theo Thông tư số 02/2021/TT-TTCP"},
    "2024": {"Ban hành kèm theo Thông tư số 01/2024/TT-TTCP", OFFICIAL},
}


def _texts(path: Path) -> dict[str, list[str]]:
    wb = load_workbook(path)
    return {ws.title: [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None] for ws in wb}


def _assert_official(path: Path) -> None:
    sheets = _texts(path)
    assert set(sheets) == {"TCD", "XLD", "GQKN", "GQTC", "KQTH", "QLKNTC"}
    for title, texts in sheets.items():
        assert OFFICIAL in texts, title
        leaked = [t for t in texts if "xác nhận" in t or "đối chiếu" in t]
        assert not leaked, (title, leaked)


def test_every_form_keeps_its_circular_line_and_its_unconfirmed_points_apart() -> None:
    for form in forms.every_form():
        assert {form.circular, *(text for _, text in form.circulars)} == CIRCULARS[form.version]
        assert form.to_confirm, form.code
    for form in forms.all_forms("2024"):
        assert form.circular_on(dt.date(2025, 9, 29)) == "Ban hành kèm theo Thông tư số 01/2024/TT-TTCP"
        assert form.circular_on(dt.date(2025, 9, 30)) == OFFICIAL
        assert any("Thông tư 06/2025/TT-TTCP" in note for note in form.to_confirm)


def test_the_workbook_carries_the_circular_but_no_internal_note(session: Session, tmp_path: Path) -> None:
    rd.visit(session, dt.date(2026, 11, 2))
    rd.petition(session, dt.date(2026, 11, 3))
    out = service.save_report(session, SYSTEM, NOV, tmp_path / "bc.xlsx", today=dt.date(2026, 11, 26))
    session.commit()
    _assert_official(out)


def test_the_cli_report_file_carries_no_internal_note(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli.xlsx"
    code = main(["report", "--db", db.url, "--from", "2026-10-15", "--to", "2026-11-14", "-o", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "xác nhận" not in printed
    _assert_official(out)


def _form(**extra: object) -> dict[str, object]:
    return {
        "code": "T",
        "title": "BIỂU THỬ",
        "source": "visit",
        "columns": [{"label": "Lượt", "measure": "count"}],
        **extra,
    }


def test_a_printed_text_with_an_internal_note_is_refused_when_the_form_loads() -> None:
    with pytest.raises(ValidationError, match="to_confirm"):
        forms.parse_form(_form(circular="Thông tư 06/2025/TT-TTCP (số hiệu biểu: cần xác nhận)"))
    with pytest.raises(ValidationError, match="ghi chú nội bộ"):
        forms.parse_form(_form(columns=[{"label": "Đoàn (cần đối chiếu)", "measure": "count"}]))


def test_points_to_confirm_of_rows_and_columns_say_where_they_are() -> None:
    form = forms.parse_form(
        _form(
            to_confirm="Số hiệu biểu",
            rows=[{"label": "Khiếu nại", "filter": {"matter_kind": "khieu_nai"}, "to_confirm": ["Gộp kiến nghị?"]}],
            columns=[
                {
                    "label": "Tiếp",
                    "children": [{"label": "Lượt", "measure": "count", "to_confirm": "Có tính lượt trực tuyến?"}],
                }
            ],
        )
    )
    assert form.points_to_confirm() == [
        ("Biểu", "Số hiệu biểu"),
        ("Dòng “Khiếu nại”", "Gộp kiến nghị?"),
        ("Cột “Tiếp › Lượt”", "Có tính lượt trực tuyến?"),
    ]
    lines = definitions.outline(form)
    assert [(line.kind, line.depth, line.label) for line in lines] == [
        ("base", 0, "Phạm vi"),
        ("row", 0, "Khiếu nại"),
        ("column", 0, "Tiếp"),
        ("column", 1, "Lượt"),
    ]
    assert lines[1].definition == "Phân loại: Khiếu nại"
    assert lines[3].definition == "đếm số lượt tiếp"
    assert lines[3].to_confirm == ("Có tính lượt trực tuyến?",)


def test_the_outline_reads_a_real_form_in_words() -> None:
    lines = definitions.outline(forms.get_form("TCD"))
    regular = next(line for line in lines if line.label == "Tiếp thường xuyên")
    assert regular.definition == "Hình thức tiếp: Thường xuyên"
    other = next(line for line in lines if line.label == "Lĩnh vực khác")
    assert "không phải (Lĩnh vực" in other.definition
    assert any(line.kind == "total" and line.label == "Tổng số" for line in lines)
