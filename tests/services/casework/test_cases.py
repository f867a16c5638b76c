"""Cases: related items while typing, link (merge) and dismiss, old vs newly arising."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.models import Case, Petition, Visit
from app.models.enums import MatterKind
from app.services.casework import cases
from app.services.casework.cases import MatterDraft
from app.services.security import confidential
from tests.helpers import add_visit, local
from tests.petition_builders import CLERK, HANDLER, register


def test_same_person_items_come_first(session: Session) -> None:
    visit = add_visit(session, received_at=local(2026, 1, 10))
    other = register(
        session, name="Trần Thị Lan", id_number="024180005555", summary="Khiếu nại thu hồi đất bồi thường thấp"
    )
    found = cases.related(
        session, HANDLER, MatterDraft(citizen_id=visit.citizen_id, summary="Khiếu nại thu hồi đất bồi thường thấp")
    )
    keys = [c.key for c in found]
    assert keys[0] == f"visit:{visit.id}" and found[0].same_person and found[0].reason_label == "Cùng người"
    assert f"petition:{other.id}" in keys
    match = next(c for c in found if c.key == f"petition:{other.id}")
    assert not match.same_person and match.person == "Trần Thị Lan" and match.score > 0.9


def test_same_matter_by_summary_or_respondent(session: Session) -> None:
    a = register(session, name="Lê Văn Bình", summary="Khiếu nại việc UBND phường Kinh Bắc thu hồi đất ruộng thôn Đông")
    register(session, name="Đỗ Thị Hoa", summary="Kiến nghị sửa chữa trường học", kind=MatterKind.RECOMMENDATION)
    draft = MatterDraft(summary="Khiếu nại UBND phường Kinh Bắc thu hồi đất ruộng của gia đình")
    assert [c.item_id for c in cases.related(session, HANDLER, draft)] == [a.id]
    b = register(
        session, name="Vũ Văn Cường", summary="Đề nghị xem xét lại", respondent_name="Công ty Xây dựng Hòa Bình"
    )
    by_respondent = MatterDraft(summary="Đề nghị xem xét lại việc san lấp", respondent_name="công ty xây dựng hòa bình")
    assert b.id in [c.item_id for c in cases.related(session, HANDLER, by_respondent)]
    assert cases.related(session, HANDLER, MatterDraft(summary="Phản ánh tiếng ồn karaoke")) == []


def test_a_respondent_typed_in_capitals_or_without_tones_finds_the_same_petitions(session: Session) -> None:
    """SQLite's lower() folds ASCII only: "ĐỖ" and "Đỗ" must still be one respondent, on both databases."""
    earlier = register(
        session, name="Mai Văn Tâm", summary="Tố cáo việc thu tiền sai quy định", respondent_name="Ông Đỗ Văn Đức"
    )
    for typed in ("ÔNG ĐỖ VĂN ĐỨC", "ong do van duc"):
        found = cases.related(session, HANDLER, MatterDraft(summary="Phản ánh khác hẳn", respondent_name=typed))
        assert [c.item_id for c in found] == [earlier.id], typed


def test_denouncer_is_masked_in_candidates(session: Session) -> None:
    register(
        session, kind=MatterKind.DENUNCIATION, name="Hoàng Văn Tố", summary="Tố cáo cán bộ địa chính nhận tiền cấp đất"
    )
    found = cases.related(session, CLERK, MatterDraft(summary="Tố cáo cán bộ địa chính nhận tiền cấp đất sai"))
    assert found and found[0].person == confidential.MASK


def test_link_merges_cases_and_dismiss_hides(session: Session) -> None:
    visit = add_visit(session, received_at=local(2025, 11, 20))
    first = register(session, name="Trần Thị Lan", summary="Khiếu nại thu hồi đất bồi thường thấp")
    second = register(session, name="Phạm Văn Nam", summary="Khiếu nại thu hồi đất bồi thường thấp quá")
    p1, p2 = session.get(Petition, first.id), session.get(Petition, second.id)
    assert p1 is not None and p2 is not None and p1.case_id != p2.case_id
    case_id = cases.link(session, HANDLER, f"petition:{first.id}", f"visit:{visit.id}")
    v = session.get(Visit, visit.id)
    assert v is not None and v.case_id == case_id == p1.case_id
    case = session.get(Case, case_id)
    assert case is not None and case.first_received_on == dt.date(2025, 11, 20)
    assert cases.case_age(case, dt.date(2025, 12, 15)) == "cũ"
    assert cases.case_age(case, dt.date(2025, 11, 15)) == "mới phát sinh"
    old_case = p2.case_id
    cases.link(session, HANDLER, f"petition:{second.id}", f"petition:{first.id}")
    assert p2.case_id == case_id
    dropped = session.get(Case, old_case)
    assert dropped is not None and dropped.deleted_at is not None
    assert set(cases.case_view(session, case_id).petition_ids) == {first.id, second.id}
    # Items already in the petition's case are not offered; a dismissed one is not offered again.
    third = register(session, name="Ngô Thị Mai", summary="Khiếu nại thu hồi đất bồi thường thấp")
    draft = MatterDraft(summary="Khiếu nại thu hồi đất bồi thường thấp", exclude_petition_id=first.id, case_id=case_id)
    assert [c.item_id for c in cases.related(session, HANDLER, draft)] == [third.id]
    cases.dismiss(session, HANDLER, first.id, f"petition:{third.id}")
    assert cases.related(session, HANDLER, draft) == []
