"""Handling actions: legal effects (status, documents, clocks, events, audit) and refusals that change nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, IssuedDocument, Petition
from app.models.enums import (
    Competence,
    DeadlineStatus,
    DocumentType,
    HandlingAction,
    Instance,
    MatterKind,
    PetitionStatus,
    ResolutionResult,
)
from app.services.casework import actions, petitions
from app.services.casework.actions import ActionInput
from app.services.common import settings
from app.services.common.errors import PermissionDenied, RuleViolation, ValidationError
from app.services.deadlines import clocks
from tests.petition_builders import CLERK, HANDLER, TODAY, agency_id, classify, db_state, register

A = HandlingAction


def act(session: Session, petition_id: int, action: HandlingAction, **kw: object) -> actions.ActionOutcome:
    kw.setdefault("on", dt.date(2026, 3, 10))
    return actions.perform(session, HANDLER, petition_id, ActionInput(action, **kw), today=TODAY)  # type: ignore[arg-type]


def clock_state(session: Session, petition_id: int) -> dict[str, DeadlineStatus]:
    return {r.rule_code: r.status for r in clocks.clock_rows(session, petition_id)}


def refused(session: Session, petition_id: int, action: HandlingAction, match: str, **kw: object) -> None:
    before = db_state(session, petition_id)
    with pytest.raises(RuleViolation, match=match):
        act(session, petition_id, action, **kw)
    assert db_state(session, petition_id) == before


def doc_types(session: Session, petition_id: int) -> list[DocumentType]:
    return list(
        session.scalars(
            select(IssuedDocument.doc_type).where(IssuedDocument.petition_id == petition_id).order_by(IssuedDocument.id)
        )
    )


def accepted_complaint(session: Session, **classification: object) -> int:
    saved = register(session)
    classify(session, saved.id, **classification)
    act(session, saved.id, A.ACCEPT)
    return saved.id


def test_accept_complaint_issues_proposal_and_notice_and_starts_resolution_clock(session: Session) -> None:
    saved = register(session)
    classify(session, saved.id, is_complicated=True)
    outcome = act(session, saved.id, A.ACCEPT)
    assert outcome.status == PetitionStatus.ACCEPTED
    assert [d.doc_type for d in outcome.documents] == [DocumentType.ACCEPTANCE_PROPOSAL, DocumentType.ACCEPTANCE]
    state = clock_state(session, saved.id)
    assert state["xu_ly_don"] == DeadlineStatus.MET and state["thu_ly_khieu_nai"] == DeadlineStatus.MET
    assert state["gq_khieu_nai_lan_1"] == DeadlineStatus.OPEN
    gq = next(r for r in clocks.clock_rows(session, saved.id) if r.rule_code == "gq_khieu_nai_lan_1")
    assert gq.start_on == dt.date(2026, 3, 10) and gq.length == 45  # complicated: 45 days
    notice = session.get(IssuedDocument, outcome.documents[1].id)
    assert notice is not None
    content = json.loads(notice.content_json)
    assert content["petition_number"] == "1/2026" and content["petitioner_name"] == "Nguyễn Văn Dũng"
    assert content["due_on"] == gq.due_on.isoformat()
    assert "Luật Khiếu nại" in content["legal_basis"]
    event = petitions.detail(session, HANDLER, saved.id).events[-1]
    assert event.action == A.ACCEPT and set(event.documents) == {d.symbol for d in outcome.documents}
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "thu_ly")) is not None


def test_accept_second_instance_and_denunciation_clocks(session: Session) -> None:
    second = register(session)
    classify(session, second.id, instance=Instance.SECOND)
    act(session, second.id, A.ACCEPT)
    assert clock_state(session, second.id)["gq_khieu_nai_lan_2"] == DeadlineStatus.OPEN
    denunciation = register(session, kind=MatterKind.DENUNCIATION, summary="Tố cáo cán bộ xã", name="Ẩn Danh Tính")
    classify(session, denunciation.id, field_code="TN")
    act(session, denunciation.id, A.ACCEPT)
    assert clock_state(session, denunciation.id)["gq_to_cao"] == DeadlineStatus.OPEN
    assert clock_state(session, denunciation.id)["thu_ly_to_cao"] == DeadlineStatus.MET


def test_accept_refusals_change_nothing(session: Session) -> None:
    unclassified = register(session)
    refused(session, unclassified.id, A.ACCEPT, "Phân loại đơn trước")
    anonymous = register(session, name=None, is_anonymous=True)
    classify(session, anonymous.id)
    refused(session, anonymous.id, A.ACCEPT, r"đơn nặc danh không được thụ lý .*Luật Khiếu nại 2011, Điều 8")
    outside = register(session)
    classify(session, outside.id, competence=Competence.OUTSIDE)
    refused(session, outside.id, A.ACCEPT, r"không thuộc thẩm quyền .*Luật Khiếu nại 2011, Điều 11")
    ineligible = register(session)
    classify(session, ineligible.id, eligible=False, ineligible_reason="het_thoi_hieu")
    refused(session, ineligible.id, A.ACCEPT, "Khiếu nại khi đã hết thời hiệu")
    mixed = register(session, kind=MatterKind.MIXED)
    classify(session, mixed.id, field_code=None)
    refused(session, mixed.id, A.ACCEPT, "phải được tách trước")


def test_refuse_needs_a_reason_and_issues_the_notice(session: Session) -> None:
    saved = register(session)
    classify(session, saved.id, eligible=False, ineligible_reason="het_thoi_hieu")
    with pytest.raises(ValidationError) as err:
        act(session, saved.id, A.REFUSE)
    assert "reason" in err.value.fields
    outcome = act(session, saved.id, A.REFUSE, reason_code="het_thoi_hieu")
    assert outcome.status == PetitionStatus.NOT_ACCEPTED
    assert doc_types(session, saved.id) == [DocumentType.NON_ACCEPTANCE]
    content = json.loads(session.get(IssuedDocument, outcome.documents[0].id).content_json)  # type: ignore[union-attr]
    assert content["reason"] == "Khiếu nại khi đã hết thời hiệu"
    assert set(clock_state(session, saved.id).values()) <= {DeadlineStatus.MET, DeadlineStatus.CANCELLED}
    assert session.get(Petition, saved.id).closed_on == dt.date(2026, 3, 10)  # type: ignore[union-attr]


def test_forward_counts_and_flags_and_waits_for_the_answer(session: Session) -> None:
    saved = register(session, kind=MatterKind.RECOMMENDATION, summary="Kiến nghị sửa đường")
    classify(session, saved.id, field_code="HC_KHAC", competence=Competence.OUTSIDE)
    target = agency_id(session, "P24.SXD")
    outcome = act(session, saved.id, A.FORWARD, agency_id=target)
    assert outcome.status == PetitionStatus.FORWARDED and outcome.warnings == ()
    assert clock_state(session, saved.id)["cho_ket_qua_chuyen_don"] == DeadlineStatus.OPEN
    assert clock_state(session, saved.id)["xu_ly_don"] == DeadlineStatus.MET
    for _ in range(2):
        act(session, saved.id, A.FORWARD, agency_id=target)
    row = petitions.list_petitions(session, HANDLER)[0]
    assert row.forward_count == 3 and not row.over_forwarded
    fourth = act(session, saved.id, A.FORWARD, agency_id=agency_id(session, "P24.UBND"))
    assert fourth.warnings and "quá 3 lần" in fourth.warnings[0]
    row = petitions.list_petitions(session, HANDLER)[0]
    assert row.forward_count == 4 and row.over_forwarded and row.agency_name == "Ủy ban nhân dân tỉnh Bắc Ninh"
    waiting = [r for r in clocks.clock_rows(session, saved.id) if r.rule_code == "cho_ket_qua_chuyen_don"]
    assert [r.status for r in waiting].count(DeadlineStatus.OPEN) == 1
    settings.put(session, petitions.MAX_FORWARDS, 5)
    assert not petitions.list_petitions(session, HANDLER)[0].over_forwarded


def test_forward_denunciation_slip_hides_the_denouncer(session: Session) -> None:
    saved = register(
        session,
        kind=MatterKind.DENUNCIATION,
        summary="Tố cáo chủ tịch xã nhận tiền cấp đất",
        name="Hoàng Văn Tố",
        id_number="024085009999",
    )
    classify(session, saved.id, field_code="TN", competence=Competence.OUTSIDE)
    assert clock_state(session, saved.id)["chuyen_to_cao"] == DeadlineStatus.OPEN
    outcome = act(session, saved.id, A.FORWARD, agency_id=agency_id(session, "P24.TT"))
    assert clock_state(session, saved.id)["chuyen_to_cao"] == DeadlineStatus.MET
    doc = session.get(IssuedDocument, outcome.documents[0].id)
    assert doc is not None and doc.doc_type == DocumentType.FORWARDING
    assert doc.recipient == "Thanh tra tỉnh Bắc Ninh"
    text = doc.content_json
    assert "Hoàng" not in text and "024085009999" not in text
    content = json.loads(text)
    assert content["confidential"] is True and content["agency"] == "Thanh tra tỉnh Bắc Ninh"
    assert content["summary"] == "Tố cáo chủ tịch xã nhận tiền cấp đất" and content["petition_number"] == "1/2026"


def test_forward_refusals(session: Session) -> None:
    within = register(session)
    classify(session, within.id)
    refused(
        session,
        within.id,
        A.FORWARD,
        r"khiếu nại thuộc thẩm quyền phải được thụ lý",
        agency_id=agency_id(session, "P24.SXD"),
    )
    resolved = accepted_complaint(session)
    act(session, resolved, A.DECIDE, result=ResolutionResult.PARTLY_RIGHT)
    refused(
        session, resolved, A.FORWARD, "đơn đang ở trạng thái “Đã giải quyết”", agency_id=agency_id(session, "P24.SXD")
    )
    outside = register(session, kind=MatterKind.REFLECTION)
    classify(session, outside.id, competence=Competence.OUTSIDE)
    with pytest.raises(ValidationError) as err:
        act(session, outside.id, A.FORWARD)
    assert "agency_id" in err.value.fields


def test_guide_return_file(session: Session) -> None:
    guide = register(session)
    classify(session, guide.id, competence=Competence.OUTSIDE)
    assert act(session, guide.id, A.GUIDE, agency_id=agency_id(session, "P24.UBND")).status == PetitionStatus.GUIDED
    assert doc_types(session, guide.id) == [DocumentType.GUIDANCE]
    within = register(session)
    classify(session, within.id)
    refused(session, within.id, A.GUIDE, "chỉ hướng dẫn khi đơn không thuộc thẩm quyền")
    ret = register(session, documents_received="Đơn gốc; bản sao sổ đỏ")
    out = act(session, ret.id, A.RETURN, reason="Gửi nhầm cơ quan")
    assert out.status == PetitionStatus.RETURNED
    content = json.loads(session.get(IssuedDocument, out.documents[0].id).content_json)  # type: ignore[union-attr]
    assert content["items"] == ["Đơn gốc", "bản sao sổ đỏ"]
    filed = register(session, name=None, is_anonymous=True)
    classify(session, filed.id, eligible=False, ineligible_reason="nac_danh")
    out = act(session, filed.id, A.FILE)
    assert out.status == PetitionStatus.FILED and out.documents == ()
    assert (
        petitions.detail(session, HANDLER, filed.id).events[-1].reason
        == "Đơn nặc danh, không rõ họ tên, địa chỉ người viết đơn"
    )
    assert not [s for s in clock_state(session, filed.id).values() if s == DeadlineStatus.OPEN]


def test_remind_answer_close(session: Session) -> None:
    saved = register(session, kind=MatterKind.RECOMMENDATION)
    classify(session, saved.id, field_code="HC_KHAC", competence=Competence.OUTSIDE)
    refused(session, saved.id, A.REMIND, "chỉ được đôn đốc khi đơn ở trạng thái")
    fwd = act(session, saved.id, A.FORWARD, agency_id=agency_id(session, "P24.SXD"))
    out = act(session, saved.id, A.REMIND, on=dt.date(2026, 3, 19))
    assert out.status == PetitionStatus.FORWARDED
    reminder = json.loads(session.get(IssuedDocument, out.documents[0].id).content_json)  # type: ignore[union-attr]
    assert reminder["forwarded_symbol"] == fwd.documents[0].symbol and reminder["agency"] == "Sở Xây dựng tỉnh Bắc Ninh"
    out = act(session, saved.id, A.ANSWER_RECEIVED, on=dt.date(2026, 3, 20), note="Sở Xây dựng đã trả lời")
    assert out.status == PetitionStatus.CLOSED
    assert clock_state(session, saved.id)["cho_ket_qua_chuyen_don"] == DeadlineStatus.MET


def test_suspend_resume_extend_terminate(session: Session) -> None:
    saved = register(session, kind=MatterKind.DENUNCIATION, summary="Tố cáo cán bộ", name="Người Tố")
    classify(session, saved.id, field_code="TN")
    refused(session, saved.id, A.RESUME, "chỉ được tiếp tục giải quyết khi đơn ở trạng thái “Tạm đình chỉ”")
    act(session, saved.id, A.ACCEPT, on=dt.date(2026, 3, 5))
    due = {r.rule_code: r.due_on for r in clocks.clock_rows(session, saved.id)}["gq_to_cao"]
    out = act(session, saved.id, A.SUSPEND, reason="Chờ kết quả giám định", on=dt.date(2026, 3, 10))
    assert out.status == PetitionStatus.SUSPENDED
    assert clock_state(session, saved.id)["gq_to_cao"] == DeadlineStatus.SUSPENDED
    refused(
        session, saved.id, A.EXTEND, "chỉ được gia hạn khi đơn ở trạng thái “Đã thụ lý”", days=30, reason="Phức tạp"
    )
    act(session, saved.id, A.RESUME, on=dt.date(2026, 3, 17))
    moved = {r.rule_code: r.due_on for r in clocks.clock_rows(session, saved.id)}["gq_to_cao"]
    assert moved > due
    act(session, saved.id, A.EXTEND, days=30, reason="Vụ việc phức tạp", on=dt.date(2026, 3, 18))
    extended = {r.rule_code: r.due_on for r in clocks.clock_rows(session, saved.id)}["gq_to_cao"]
    assert extended > moved
    assert doc_types(session, saved.id).count(DocumentType.DECISION) == 3  # suspend, resume, extend
    out = act(session, saved.id, A.TERMINATE, reason="Người bị tố cáo đã chết", on=dt.date(2026, 3, 19))
    assert out.status == PetitionStatus.TERMINATED
    assert clock_state(session, saved.id)["gq_to_cao"] == DeadlineStatus.CANCELLED


def test_extend_only_denunciations_and_within_the_law(session: Session) -> None:
    complaint = accepted_complaint(session)
    refused(
        session, complaint, A.EXTEND, r"chỉ áp dụng cho đơn tố cáo .*Luật Tố cáo 2018, Điều 30", days=10, reason="x"
    )
    saved = register(session, kind=MatterKind.DENUNCIATION, summary="Tố cáo", name="Người Tố")
    classify(session, saved.id, field_code="TN")
    act(session, saved.id, A.ACCEPT)
    act(session, saved.id, A.EXTEND, days=30, reason="Phức tạp")
    act(session, saved.id, A.EXTEND, days=30, reason="Đặc biệt phức tạp")
    before = db_state(session, saved.id)
    with pytest.raises(RuleViolation):
        act(session, saved.id, A.EXTEND, days=30, reason="Lần ba")
    assert db_state(session, saved.id) == before


def test_decide_enforce_close(session: Session) -> None:
    saved = accepted_complaint(session)
    with pytest.raises(ValidationError) as err:
        act(session, saved, A.DECIDE)
    assert "result" in err.value.fields
    out = act(session, saved, A.DECIDE, result=ResolutionResult.RIGHT, on=dt.date(2026, 3, 15))
    assert out.status == PetitionStatus.RESOLVED
    assert clock_state(session, saved)["gq_khieu_nai_lan_1"] == DeadlineStatus.MET
    petition = session.get(Petition, saved)
    assert (
        petition is not None
        and petition.result == ResolutionResult.RIGHT
        and petition.decided_on == dt.date(2026, 3, 15)
    )
    act(session, saved, A.ENFORCE, on=dt.date(2026, 3, 18))
    refused(session, saved, A.ENFORCE, "đã được ghi nhận thi hành ngày 18/03/2026")
    assert act(session, saved, A.CLOSE).status == PetitionStatus.CLOSED


def test_withdrawn_petition_cannot_be_acted_on(session: Session) -> None:
    saved = accepted_complaint(session)
    out = act(session, saved, A.WITHDRAW, reason="Người khiếu nại rút đơn")
    assert out.status == PetitionStatus.WITHDRAWN
    assert clock_state(session, saved)["gq_khieu_nai_lan_1"] == DeadlineStatus.CANCELLED
    for action in (A.ACCEPT, A.FORWARD, A.DECIDE, A.SUSPEND, A.WITHDRAW, A.CLOSE):
        refused(
            session,
            saved,
            action,
            "đơn đang ở trạng thái “Đã rút đơn”",
            agency_id=agency_id(session, "P24.SXD"),
            reason="x",
        )


def test_permissions_and_dates(session: Session) -> None:
    saved = register(session)
    classify(session, saved.id)
    with pytest.raises(PermissionDenied):
        actions.perform(session, CLERK, saved.id, ActionInput(A.ACCEPT), today=TODAY)
    with pytest.raises(ValidationError) as err:
        act(session, saved.id, A.ACCEPT, on=dt.date(2026, 3, 1))
    assert "on" in err.value.fields


def test_available_actions_explain_why_not(session: Session) -> None:
    saved = register(session)
    classify(session, saved.id)
    menu = dict(actions.available(session, saved.id))
    assert menu[A.ACCEPT] is None and menu[A.REFUSE] is None and menu[A.WITHDRAW] is None
    assert menu[A.FORWARD] is not None and "Điều 27" in menu[A.FORWARD]
    assert menu[A.RESUME] is not None and set(menu) == set(actions.MENU)


def test_actions_keep_the_first_direction_and_acceptance_dates(session: Session) -> None:
    """What the reports read instead of grouping the events: the first dates, kept as actions happen."""
    saved = register(session)
    classify(session, saved.id)
    petition = session.get(Petition, saved.id)
    assert petition is not None and petition.handled_on is None and petition.accepted_on is None
    act(session, saved.id, A.ACCEPT, on=dt.date(2026, 3, 12))
    assert (petition.handled_on, petition.accepted_on) == (dt.date(2026, 3, 12), dt.date(2026, 3, 12))
    act(session, saved.id, A.DECIDE, result=ResolutionResult.RIGHT, on=dt.date(2026, 3, 13))
    assert (petition.handled_on, petition.accepted_on) == (dt.date(2026, 3, 12), dt.date(2026, 3, 12))
    forwarded = register(session, summary="Đơn phản ánh đường điện", kind=MatterKind.REFLECTION)
    classify(session, forwarded.id)
    act(session, forwarded.id, A.FORWARD, agency_id=agency_id(session, "P24.SXD"), on=dt.date(2026, 3, 11))
    other = session.get(Petition, forwarded.id)
    assert other is not None and (other.handled_on, other.accepted_on) == (dt.date(2026, 3, 11), None)
