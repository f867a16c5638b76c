"""The reception register (Sổ tiếp công dân): columns, pagination, crowds, leaders, determinism, audit."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, replace

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.models.enums import DocumentType, MatterKind, MatterState, PetitionStatus, ReceptionKind, Role, VisitOutcome
from app.services import printing
from app.services.casework import documents
from app.services.common.actor import SYSTEM, Actor
from app.services.common.errors import PermissionDenied, ValidationError
from app.services.printing import daily_log, form_numbers, layout
from app.services.reception import visits
from app.services.security.confidential import MASK
from tests import printing_data as data
from tests.helpers import local, visit_input

DAY = dt.date(2026, 11, 20)
CLERK = Actor(user_id=None, username="canbo", full_name="Phạm Thu Hà", role=Role.CLERK)


@pytest.fixture
def office(session: Session) -> Session:
    data.setup_office(session)
    return session


def add(session: Session, minute: int, outcome: VisitOutcome | None = None, **kwargs: object) -> int:
    when = local(DAY.year, DAY.month, DAY.day, 7 + minute // 60, minute % 60)
    typed = visit_input(received_at=when, **kwargs)  # type: ignore[arg-type]
    if outcome is not None:
        typed = replace(typed, outcome=outcome)
    return visits.register_visit(session, SYSTEM, typed).id


def test_register_has_the_columns_and_the_rows(office: Session) -> None:
    add(office, 30, name="Lê Văn Thịnh", summary="Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất")
    data.add_crowd_visit(office, local(2026, 11, 20, 10, 0))
    text = data.pdf_text(printing.render_daily_log(office, SYSTEM, DAY))

    for header in [
        "Mẫu số 03",
        "SỔ TIẾP CÔNG DÂN",
        "Ngày 20/11/2026",
        "STT",
        "Ngày tiếp",
        "Nội dung vụ việc",
        "Phân loại đơn",
        "Số người",
        "Cơ quan đã giải quyết",
        "Hướng xử lý",
        "Theo dõi kết quả giải quyết",
        "Ghi chú",
        "BAN TIẾP CÔNG DÂN TỈNH",
    ]:
        assert header in text, header
    assert "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10) (11) (12)" in text
    assert "Lê Văn Thịnh" in text and "CCCD: 024085001234" in text
    assert "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất" in text
    assert "Đoàn đông người: 23 người." in text
    assert "Đỗ Văn Hùng" in text and "Ngô Thị Lan" in text and "Vũ Đình Khải" in text
    assert "Lãnh đạo tiếp: Nguyễn Văn Quang" in text
    assert "Kiến nghị, phản ánh" in text
    assert "Tổng số: 2 lượt tiếp, 24 người; trong đó 1 đoàn đông người." in text
    assert "Bắc Ninh, ngày 20 tháng 11 năm 2026" in text and data.SIGNER in text
    assert "Trang 1/" in text
    assert all(name.startswith("LiberationSerif") and emb for name, emb in data.pdf_fonts(_log(office)))


def test_each_heading_stands_over_its_numbered_column_in_the_template_order(office: Session) -> None:
    add(office, 10)
    placed = _placed(_log(office))
    columns = form_numbers.register_layout().columns
    edges = _edges()

    assert len(columns) == 12 and columns[6].heading == "Cơ quan đã giải quyết"
    for k in range(12):
        assert _column_of(_find(placed, f"({k + 1})").x, edges) == k
    # "Hướng xử lý" is one heading over the three sub-columns (8)–(10), above their own headings.
    group = _find(placed, "Hướng xử lý")
    assert edges[7] < group.x < edges[10] and group.y > _find(placed, "Thụ lý").y
    for k in (7, 8, 9):
        first_word = columns[k].heading.split()[0]
        assert _column_of(_find(placed, first_word, near=edges[k]).x, edges) == k


def test_the_outcome_marks_its_handling_column_and_a_forwarding_names_the_body(office: Session) -> None:
    add(office, 10, name="Người Nhận Đơn", id_number=None, outcome=VisitOutcome.PETITION_RECEIVED)
    add(office, 20, name="Người Được Hướng Dẫn", id_number=None, outcome=VisitOutcome.GUIDED)
    forwarded = add(office, 30, name="Người Được Chuyển", id_number=None, outcome=VisitOutcome.FORWARDED)
    add(office, 40, name="Người Được Giải Thích", id_number=None, outcome=VisitOutcome.EXPLAINED)
    documents.issue_document(
        office, SYSTEM, DocumentType.FORWARDING, visit_id=forwarded, recipient="Thanh tra tỉnh Bắc Ninh"
    )
    placed = _placed(_log(office))
    edges = _edges()

    assert _row_cells(placed, 1, edges)[7] == "x" and not _row_cells(placed, 1, edges).keys() & {8, 9}
    assert _row_cells(placed, 2, edges)[8] == "x" and not _row_cells(placed, 2, edges).keys() & {7, 9}
    third = _row_cells(placed, 3, edges)
    assert third[9].startswith("Thanh tra tỉnh") and not third.keys() & {7, 8}
    assert "Phiếu chuyển đơn số 01/PCĐ" in third[10]
    fourth = _row_cells(placed, 4, edges)
    assert not fourth.keys() & {7, 8, 9} and fourth[11].startswith("Giải thích, trả lời")


def test_a_petition_forwarded_since_moves_the_mark_and_names_the_agency(office: Session) -> None:
    agency = data.add_agency(office, "Sở Xây dựng tỉnh Bắc Ninh")
    petition = data.add_petition(office, day=DAY, agency=agency)
    petition.status = PetitionStatus.FORWARDED
    office.flush()
    row = _row_cells(_placed(_log(office)), 1, _edges())
    assert row[9].startswith("Sở Xây dựng") and 8 not in row  # the desk had guided (visit_input's outcome)
    assert "Đơn số 1/2026: Đã chuyển đơn" in row[10]


def test_the_body_that_resolved_the_matter_before_fills_column_7(office: Session) -> None:
    add(
        office,
        10,
        resolved_by="Chủ tịch UBND xã An Lạc",
        matter_state=MatterState.FIRST_DECISION,
    )
    add(office, 20, name="Người Chưa Giải Quyết", id_number=None, matter_state=MatterState.UNRESOLVED)
    placed = _placed(_log(office))
    assert _row_cells(placed, 1, _edges())[6] == "Chủ tịch UBND xã An Lạc Đã có quyết định giải quyết lần 1"
    assert 6 not in _row_cells(placed, 2, _edges())


@dataclass(frozen=True)
class _Placed:
    text: str
    x: float
    y: float
    page: int


def _placed(pdf: bytes) -> list[_Placed]:
    """Every line of text with where it starts on its page (points from the bottom left)."""
    found: list[_Placed] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):

        def visit(text: str, cm: list[float], tm: list[float], *_: object, number: int = number) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                found.append(_Placed(unicodedata.normalize("NFC", text.strip()), x, y, number))

        page.extract_text(visitor_text=visit)
    return found


def _edges() -> list[float]:
    """The x of each column's left edge, and of the table's right edge, from the register's layout."""
    edges = [layout.MARGIN_LEFT]
    for column in form_numbers.register_layout().columns:
        edges.append(edges[-1] + column.width * mm)
    return edges


def _column_of(x: float, edges: list[float]) -> int:
    """The column a line starting at ``x`` sits in; -1 outside the table."""
    return next((k for k in range(len(edges) - 1) if edges[k] - 1 <= x < edges[k + 1]), -1)


def _find(placed: list[_Placed], text: str, near: float | None = None) -> _Placed:
    hits = [p for p in placed if p.text == text or p.text.startswith(text + " ")]
    assert hits, text
    return min(hits, key=lambda p: abs(p.x - near)) if near is not None else hits[0]


def _row_cells(placed: list[_Placed], number: int, edges: list[float]) -> dict[int, str]:
    """Row ``number`` as the reader sees it: column index → the cell's text (its lines joined).

    A row runs from its STT down to the next line that starts in the first column (the next STT,
    or the closing "Tổng số" line)."""
    first = [p for p in placed if _column_of(p.x, edges) == 0]
    top = next(p for p in first if p.text == str(number))
    # Cells of a row start within a point of its STT's baseline.
    floor = max((p.y + 1 for p in first if p.page == top.page and p.y < top.y - 1), default=0.0)
    cells: dict[int, list[str]] = {}
    for p in placed:
        column = _column_of(p.x, edges)
        if p.page == top.page and floor < p.y <= top.y + 1 and column >= 0:
            cells.setdefault(column, []).append(p.text)
    return {k: " ".join(v) for k, v in cells.items()}


def _log(session: Session) -> bytes:
    return printing.render_daily_log(session, SYSTEM, DAY)


def test_two_hundred_visits_paginate_with_repeated_header_and_page_numbers(office: Session) -> None:
    for n in range(200):
        add(
            office,
            n * 3,
            name=f"Nguyễn Văn Thứ {n + 1}",
            id_number=f"0240850{n:05d}",
            summary=data.LONG_SUMMARY if n % 7 == 0 else "Hỏi về chế độ",
        )
    pages = data.pdf_pages(printing.render_daily_log(office, SYSTEM, DAY))

    assert len(pages) > 5
    for number, page in enumerate(pages, 1):
        assert f"Trang {number}/{len(pages)}" in page
        if "Nguyễn Văn Thứ" in page:  # every page of the table repeats its header
            assert "Nội dung vụ việc" in page and "Hướng xử lý" in page and "(12)" in page
    text = " ".join(pages)
    positions = [text.index(f"Nguyễn Văn Thứ {n} CCCD") for n in (1, 2, 100, 200)]
    assert positions == sorted(positions)
    assert data.SIGNER in pages[-1]


def test_rows_follow_the_time_of_reception(office: Session) -> None:
    add(office, 120, name="Người Thứ Hai", id_number=None)
    add(office, 10, name="Người Thứ Nhất", id_number=None)
    rows = daily_log.collect_rows(office, SYSTEM, DAY, DAY)
    assert [r.number for r in rows] == [1, 2]
    assert "Người Thứ Nhất" in rows[0].who_text and "Người Thứ Hai" in rows[1].who_text


def test_same_day_printed_twice_is_the_same_document(office: Session) -> None:
    add(office, 10, name="Lê Văn Thịnh")
    data.add_crowd_visit(office, local(2026, 11, 20, 10, 0))
    assert _log(office) == _log(office)


def test_a_range_has_a_period_title(office: Session) -> None:
    add(office, 10)
    text = data.pdf_text(printing.render_daily_log(office, SYSTEM, dt.date(2026, 11, 1), DAY))
    assert "Từ ngày 01/11/2026 đến ngày 20/11/2026" in text


def test_denouncers_are_masked_for_users_who_may_not_see_them(office: Session) -> None:
    add(office, 10, name="Hoàng Văn Tố", id_number="001090012345", kind=MatterKind.DENUNCIATION)
    masked = daily_log.collect_rows(office, CLERK, DAY, DAY)
    assert "Hoàng Văn Tố" not in masked[0].who_text and "001090012345" not in masked[0].who_text
    assert MASK in masked[0].who_text
    text = data.pdf_text(daily_log.build_log(layout.office_from_settings(office), masked, DAY, DAY))
    assert "Hoàng Văn Tố" not in text
    assert "Hoàng Văn Tố" in daily_log.collect_rows(office, SYSTEM, DAY, DAY)[0].who_text


def test_leader_reception_names_the_leader(office: Session) -> None:
    add(office, 10, reception=ReceptionKind.AD_HOC, leader_name="Nguyễn Văn Quang")
    assert "Lãnh đạo tiếp: Nguyễn Văn Quang" in data.pdf_text(_log(office))


def test_print_is_audited_with_the_range(office: Session) -> None:
    add(office, 10)
    _log(office)
    entry = office.scalars(select(AuditEntry).where(AuditEntry.action == "print")).one()
    assert entry.entity == "daily_log"
    assert '"date_from": "2026-11-20"' in (entry.after_json or "") and '"visits": 1' in (entry.after_json or "")


def test_empty_day_still_prints_a_register_page(office: Session) -> None:
    text = data.pdf_text(_log(office))
    assert "Không có lượt tiếp công dân nào trong thời gian này." in text


def test_bad_range_and_missing_right_are_refused(office: Session) -> None:
    with pytest.raises(ValidationError):
        printing.render_daily_log(office, SYSTEM, DAY, DAY - dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        printing.render_daily_log(office, CLERK, DAY)


def test_a_too_long_resolving_body_is_refused_with_what_to_fix(office: Session) -> None:
    with pytest.raises(ValidationError) as err:
        add(office, 10, resolved_by="Ủy ban " * 60)
    assert "cơ quan đã giải quyết" in err.value.user_message
