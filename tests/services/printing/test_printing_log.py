"""The reception register (Sổ tiếp công dân): columns, pagination, crowds, leaders, determinism, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.models.enums import MatterKind, ReceptionKind, Role
from app.services import printing
from app.services.common.actor import SYSTEM, Actor
from app.services.common.errors import PermissionDenied, ValidationError
from app.services.printing import daily_log, layout
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


def add(session: Session, minute: int, **kwargs: object) -> int:
    when = local(DAY.year, DAY.month, DAY.day, 7 + minute // 60, minute % 60)
    return visits.register_visit(session, SYSTEM, visit_input(received_at=when, **kwargs)).id  # type: ignore[arg-type]


def test_register_has_the_columns_and_the_rows(office: Session) -> None:
    add(office, 30, name="Lê Văn Thịnh", summary="Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất")
    data.add_crowd_visit(office, local(2026, 11, 20, 10, 0))
    text = data.pdf_text(printing.render_daily_log(office, SYSTEM, DAY))

    for header in [
        "SỔ TIẾP CÔNG DÂN",
        "Ngày 20/11/2026",
        "STT",
        "Ngày tiếp",
        "Tóm tắt nội dung",
        "Phân loại",
        "Tài liệu nộp kèm",
        "Hướng xử lý tại buổi tiếp",
        "Theo dõi kết quả",
        "Ghi chú",
        "BAN TIẾP CÔNG DÂN TỈNH",
    ]:
        assert header in text, header
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
            assert "Tóm tắt nội dung" in page and "Hướng xử lý tại buổi tiếp" in page
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
