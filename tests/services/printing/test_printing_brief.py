"""The morning brief (bản tin sáng): a one- or two-page summary of the follow-up board, then an appendix."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, AuditEntry, Petition, User
from app.models.enums import Competence, HandlingAction, MatterKind, Role
from app.services import demo, printing
from app.services.casework import actions
from app.services.casework.actions import ActionInput
from app.services.common.actor import Actor
from app.services.deadlines import followup
from app.services.printing.morning_brief import APPENDIX, SUMMARY_OVERDUE
from tests import printing_data as data
from tests.petition_builders import HANDLER, TODAY, agency_id, classify, register

NOW = dt.datetime(2026, 11, 26, 10, 30, tzinfo=LOCAL_TZ)
LEAD = Actor(user_id=None, username="lanhdao", full_name="Trần Minh Đức", role=Role.LEAD)
# Two weeks after the demo's "today", nothing done: the week's due dates have become overdue too.
AS_OF = dt.date(2026, 12, 10)
OFFICERS = [f"Cán bộ Xử Lý Số {n:02d}" for n in range(1, 13)]


def _appendix_page(pages: list[str]) -> int:
    return next(n for n, text in enumerate(pages) if APPENDIX in text)


def test_brief_of_a_small_board_is_one_page_of_summary_and_the_appendix(session: Session) -> None:
    data.setup_office(session)
    saved = register(session, kind=MatterKind.RECOMMENDATION, summary="Kiến nghị sửa đường liên thôn")
    classify(session, saved.id, field_code="HC_KHAC", competence=Competence.OUTSIDE)
    actions.perform(
        session,
        HANDLER,
        saved.id,
        ActionInput(HandlingAction.FORWARD, on=dt.date(2026, 3, 10), agency_id=agency_id(session, "P24.SXD")),
        today=TODAY,
    )
    register(session, summary="Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất")
    pdf = printing.render_morning_brief(session, HANDLER, dt.date(2026, 6, 1))
    pages = data.pdf_pages(pdf)

    first = pages[0]
    for expected in [
        "BẢN TIN THEO DÕI XỬ LÝ ĐƠN",
        "Ngày 01/06/2026",
        "chờ kết quả của cơ quan được chuyển đơn: 1",
        "I. Số việc theo cán bộ và theo cơ quan",
        "Sở XD",  # the body the petition was forwarded to has its line
        "II. Việc quá hạn (",
        "Trang 1/",
    ]:
        assert expected in first, expected
    assert _appendix_page(pages) == 1
    appendix = pages[1]
    assert "4. Chờ kết quả của cơ quan được chuyển đơn (1)" in appendix
    assert "2. Đến hạn hôm nay (0)" in appendix and "Kiến nghị sửa đường liên thôn" in appendix
    assert all(name.startswith("LiberationSerif") and emb for name, emb in data.pdf_fonts(pdf))
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "morning_brief")).one()
    assert '"as_of": "2026-06-01"' in (entry.after_json or "")


def _demo_office(session: Session) -> None:
    """Demo-sized data (thousands of visits), its open petitions shared among twelve officers."""
    demo.generate(session, 5000, seed=7, now=NOW)
    data.setup_office(session)
    users = [
        User(username=f"xuly{n}", full_name=name, role=Role.HANDLER, password_hash="-", active=True, failed_logins=0)
        for n, name in enumerate(OFFICERS)
    ]
    session.add_all(users)
    session.flush()
    petitions = session.scalars(select(Petition).order_by(Petition.id)).all()
    for n, petition in enumerate(petitions):
        # Uneven shares, so that the busiest officers are a clear order.
        petition.assigned_officer_id = users[min(n % 20, len(users) - 1)].id
    session.flush()


def test_brief_of_demo_data_puts_the_figures_and_the_overdue_list_on_page_one(session: Session) -> None:
    _demo_office(session)
    board = followup.board(session, LEAD, AS_OF)
    lists = [board.overdue, board.due_today, board.due_soon, board.awaiting_answer, board.awaiting_enforcement]
    assert len(board.overdue) > SUMMARY_OVERDUE  # more than the summary lists: the rest go to the appendix
    pages = data.pdf_pages(printing.render_morning_brief(session, LEAD, AS_OF))

    first = pages[0]
    assert "BẢN TIN THEO DÕI XỬ LÝ ĐƠN" in first and "Ngày 10/12/2026" in first
    assert f"Tổng hợp: quá hạn: {len(board.overdue)}; đến hạn hôm nay: {len(board.due_today)};" in first
    totals = " ".join(str(n) for n in [*map(len, lists), sum(map(len, lists))])
    assert f"Tổng cộng {totals}" in first  # the officers' table and the bodies' table add up to the board
    assert first.count(f"Tổng cộng {totals}") == 2
    busiest = OFFICERS[-1]  # the last officer holds the largest share
    assert busiest in first and "Các cán bộ khác (5)" in first
    assert f"II. Việc quá hạn ({len(board.overdue)})" in first
    assert board.overdue[0].petition_number in first  # the most late first

    appendix = _appendix_page(pages)
    assert appendix in (1, 2), "the summary takes one or two pages"
    summary = " ".join(pages[:appendix])
    assert f"Còn {len(board.overdue) - SUMMARY_OVERDUE} việc quá hạn khác: xem Phụ lục, mục 1." in summary
    rest = " ".join(pages[appendix:])
    assert f"1. Quá hạn ({len(board.overdue)})" in rest
    assert f"5. Chờ thi hành quyết định ({len(board.awaiting_enforcement)})" in rest
    assert all(item.petition_number in rest for item in board.overdue)
    assert len(pages) > appendix + 2  # the long lists are the appendix, not the summary
