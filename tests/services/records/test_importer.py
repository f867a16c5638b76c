"""Import of a legacy Excel register (tests/data/legacy_register.xlsx, made by make_legacy_register.py)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Citizen, ImportBatch, Visit
from app.models.enums import MatterKind, Role
from app.services.common.actor import SYSTEM, Actor
from app.services.common.errors import PermissionDenied, RuleViolation, ValidationError
from app.services.records import importer
from app.services.records.importer import CellError
from tests import reports_data as rd

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "legacy_register.xlsx"
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "so_cu"
    folder.mkdir()
    target = folder / "so_tiep_2024.xlsx"
    shutil.copy(SAMPLE, target)
    return target


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model).where(model.deleted_at.is_(None))) or 0


def test_a_title_right_above_the_headings_is_not_taken_for_a_group_row(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["SỔ TIẾP CÔNG DÂN NĂM 2024"])
    sheet.append(["STT", "Ngày tiếp", "Họ và tên", "Số CCCD", "Nội dung", "Loại đơn"])
    sheet.append([1, "05/03/2024", "Đinh Thị Hạnh", "024185001111", "Khiếu nại thu hồi đất", "Khiếu nại"])
    path = tmp_path / "so_co_tieu_de.xlsx"
    book.save(path)
    mapping = importer.propose_mapping(importer.read_sheet(path))
    assert mapping.header_rows == (2,)
    first = mapping.columns[0]
    assert (first.header, first.target) == ("STT", "stt")


def test_mapping_finds_the_two_level_header_below_the_title_rows(source: Path) -> None:
    mapping = importer.propose_mapping(importer.read_sheet(source))
    assert mapping.header_rows == (7, 8)
    targets = {c.letter: c.target for c in mapping.columns}
    assert targets == {
        "A": "stt",
        "B": "received_on",
        "C": "full_name",
        "D": "id_number",
        "E": "birth_year",
        "F": "address",
        "G": "summary",
        "H": "kind",
        "I": "documents",
        "J": "handling",
        "K": "result",
        "L": "note",
    }


def test_import_accounts_for_every_row_and_writes_the_error_workbook(session: Session, source: Path) -> None:
    result = importer.run_import(session, SYSTEM, source, today=TODAY)
    session.commit()
    assert (result.imported, result.rejected, result.total) == (66, 7, 73)
    assert result.summary == "Đã nhập 66 dòng, từ chối 7 dòng, tổng số 73 dòng."
    assert count(session, Visit) == 66
    reasons = {issue.row: issue.reasons for issue in result.errors}
    assert reasons[85] == ("Thiếu họ và tên.",)
    assert "không có thật" in reasons[86][0]
    assert "10 chữ số" in reasons[87][0]
    assert "số mũ" in reasons[90][0]
    assert reasons[91] == ("Thời gian tiếp không được sau thời điểm hiện tại.",)
    assert {s.reasons[0] for s in result.skipped} == {
        "Dòng đánh số cột",
        "Dòng tiêu đề nhóm (tháng, quý…)",
        "Dòng cộng, tổng",
    } or {s.reasons[0] for s in result.skipped} >= {"Dòng tiêu đề nhóm (tháng, quý…)", "Dòng cộng, tổng"}
    assert result.error_workbook == source.with_name("so_tiep_2024_loi.xlsx")
    ws = load_workbook(result.error_workbook)["Dòng lỗi"]
    header = [c.value for c in ws[1]]
    assert header[-2:] == ["Dòng gốc", "Lý do"] and header[2] == "Họ và tên"
    assert [ws.cell(r, len(header) - 1).value for r in range(2, 9)] == [85, 86, 87, 88, 89, 90, 91]
    assert ws.cell(3, 2).value == "31/02/2024"


def test_citizens_are_recomposed_padded_and_matched_not_duplicated(session: Session, source: Path) -> None:
    existing = rd.visit(session, dt.date(2023, 12, 1), name="Lê Đức Hưng", id_number="001072009876")
    session.commit()
    importer.run_import(session, SYSTEM, source, today=TODAY)
    session.commit()
    ordinary = session.scalars(select(Citizen).where(Citizen.confidential.is_(False), Citizen.deleted_at.is_(None)))
    people = {c.full_name: c for c in ordinary}
    # Ten people in the register: each appears once (plus separate protected records of denouncers).
    assert len(people) == 10
    assert all(unicodedata.is_normalized("NFC", name) for name in people)
    hung = people["Lê Đức Hưng"]
    assert hung.id_number == "001072009876"  # the number lost two zeros in Excel
    first = session.get(Visit, existing)
    assert first is not None and first.citizen_id == hung.id
    assert people["Hoàng Văn Thắng"].id_number is None  # matched by name and birth year


def test_dry_run_changes_nothing(session: Session, source: Path) -> None:
    result = importer.run_import(session, SYSTEM, source, dry_run=True, today=TODAY)
    session.commit()
    assert result.dry_run and result.batch_id is None
    assert result.imported == 66 and len(result.preview) == 66
    assert count(session, Visit) == 0 and count(session, Citizen) == 0
    assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_undo_soft_deletes_the_batch(session: Session, source: Path) -> None:
    keep = rd.visit(session, dt.date(2023, 12, 1), name="Lê Đức Hưng", id_number="001072009876")
    session.commit()
    result = importer.run_import(session, SYSTEM, source, today=TODAY)
    session.commit()
    assert result.batch_id is not None
    undone = importer.undo_import(session, SYSTEM, result.batch_id)
    session.commit()
    assert undone.visits == 66
    assert count(session, Visit) == 1 and session.get(Visit, keep).deleted_at is None  # type: ignore[union-attr]
    assert count(session, Citizen) == 1
    with pytest.raises(RuleViolation, match="đã được hoàn tác"):
        importer.undo_import(session, SYSTEM, result.batch_id)


def test_fixed_error_workbook_imports_again(session: Session, source: Path) -> None:
    result = importer.run_import(session, SYSTEM, source, today=TODAY)
    session.commit()
    assert result.error_workbook is not None
    wb = load_workbook(result.error_workbook)
    ws = wb["Dòng lỗi"]
    ws.cell(2, 3).value = "Nguyễn Thị Bổ Sung"  # the missing name
    ws.cell(3, 2).value = "28/02/2024"  # the impossible date
    fixed = source.with_name("da_sua.xlsx")
    wb.save(fixed)
    again = importer.run_import(session, SYSTEM, fixed, today=TODAY)
    session.commit()
    assert (again.imported, again.rejected) == (2, 5)


def test_mapping_corrections_from_a_json_file(session: Session, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Ngày", "Công dân", "Việc", "Loại", "Số giấy tờ"])
    ws.append([dt.date(2024, 5, 2), "Trần Văn Bình", "Hỏi về đất", "Kiến nghị", "024085001234"])
    path = tmp_path / "khac.xlsx"
    wb.save(path)
    with pytest.raises(ValidationError, match="Chưa xác định được cột: Họ và tên, Nội dung"):
        importer.run_import(session, SYSTEM, path, today=TODAY)
    mapping_file = tmp_path / "anh_xa.json"
    mapping_file.write_text(
        json.dumps({"columns": {"A": "received_on", "B": "full_name", "C": "summary", "D": "kind", "E": "id_number"}}),
        encoding="utf-8",
    )
    corrections = importer.load_mapping_file(mapping_file)
    sheet = importer.read_sheet(path)
    mapping = importer.apply_mapping(importer.propose_mapping(sheet), corrections)
    assert mapping.missing() == []
    result = importer.run_import(session, SYSTEM, path, corrections=corrections, today=TODAY)
    assert result.imported == 1


def test_import_needs_the_right(session: Session, source: Path) -> None:
    clerk = Actor(user_id=None, username="tiepdan", full_name="Cán bộ", role=Role.CLERK)
    with pytest.raises(PermissionDenied):
        importer.run_import(session, clerk, source)


# ---- cell parsers: any input gives a value or a clear Vietnamese error, never a crash --------------

cells = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.datetimes(),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(cells)
def test_parsers_never_crash(value: object) -> None:
    for parse in (
        lambda v: importer.parse_date(v, today=TODAY),
        importer.parse_id_number,
        importer.parse_name,
        importer.parse_kind,
        lambda v: importer.parse_int(v, "Năm sinh", 1900, 2026),
    ):
        try:
            parse(value)
        except CellError as exc:
            assert str(exc) and str(exc)[0].isupper()


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_read_back_in_every_spelling(day: dt.date) -> None:
    serial = (day - dt.date(1899, 12, 30)).days
    assert importer.parse_date(float(serial)) == day
    assert importer.parse_date(day.strftime("%d/%m/%Y")) == day
    assert importer.parse_date(f"{day.day}-{day.month}-{day.year}") == day
    assert importer.parse_date(day.isoformat()) == day


@given(st.from_regex(r"0(0[1-9]|[1-9][0-9])[0-3][0-9]{8}", fullmatch=True))
def test_cccd_that_lost_leading_zeros_is_padded(number: str) -> None:
    assert importer.parse_id_number(int(number)) == number
    assert importer.parse_id_number(float(int(number))) == number
    assert importer.parse_id_number(number) == number


@given(st.text(alphabet="ĐđĂăÂâÊêÔôƠơƯưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ abc", min_size=1))
def test_names_are_recomposed(name: str) -> None:
    try:
        parsed = importer.parse_name(unicodedata.normalize("NFD", name))
    except CellError:
        return
    assert parsed == " ".join(unicodedata.normalize("NFC", name).split())


def test_kinds_in_register_spelling() -> None:
    assert importer.parse_kind("Khiếu nại") == MatterKind.COMPLAINT
    assert importer.parse_kind("KHIẾU NẠI") == MatterKind.COMPLAINT
    assert importer.parse_kind("KN") == MatterKind.COMPLAINT
    assert importer.parse_kind("Kiến nghị, phản ánh") == MatterKind.RECOMMENDATION
    assert importer.parse_kind("Tố cáo") == MatterKind.DENUNCIATION
    assert importer.parse_kind("Khiếu nại, tố cáo") == MatterKind.MIXED
    with pytest.raises(CellError, match="không rõ"):
        importer.parse_kind("Hỏi đáp")
