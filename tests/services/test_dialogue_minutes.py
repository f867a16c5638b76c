"""Dialogue in complaint resolution (notice and minutes) and the minutes of a leader's reception:
numbered documents on the petition's timeline, printed in the state format and read back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import IssuedDocument, Petition
from app.models.enums import DeadlineStatus, DocumentType, HandlingAction, MatterKind, ReceptionKind
from app.services import printing
from app.services.casework import actions, minutes, petitions
from app.services.casework.actions import ActionInput
from app.services.common import settings
from app.services.common.errors import RuleViolation, ValidationError
from app.services.deadlines import followup
from app.services.printing import form_numbers
from app.services.reception import visits
from tests import printing_data as data
from tests.helpers import local, visit_input
from tests.petition_builders import HANDLER, TODAY, agency_id, classify, register

A = HandlingAction
HEADING = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
LEADER = "Phạm Văn Lãnh"


@pytest.fixture
def office(session: Session) -> Session:
    data.setup_office(session)
    return session


def accepted_complaint(session: Session) -> int:
    saved = register(session, name="Hoàng Thị Đào")
    classify(session, saved.id)
    actions.perform(session, HANDLER, saved.id, ActionInput(A.ACCEPT, on=dt.date(2026, 3, 4)), today=TODAY)
    return saved.id


def dialogue(session: Session, petition_id: int, action: HandlingAction, **details: object) -> actions.ActionOutcome:
    return actions.perform(
        session,
        HANDLER,
        petition_id,
        ActionInput(action, on=dt.date(2026, 3, 12), details=details),
        today=TODAY,
    )


def assert_state_format(text: str, doc_type: DocumentType) -> None:
    for expected in (*HEADING, "UBND TỈNH BẮC NINH", "BAN TIẾP CÔNG DÂN TỈNH"):
        assert expected in text, expected
    line = form_numbers.form_line(doc_type)
    entry = form_numbers.form_number(doc_type)
    # The number is data: none is confirmed for these forms, so none is printed (and the data says so).
    assert line == "" and not entry.confirmed and "(to confirm)" in entry.source
    assert not text.startswith("Mẫu số")


def test_dialogue_notice_and_minutes_are_numbered_on_the_timeline_and_printed(office: Session) -> None:
    pid = accepted_complaint(office)
    with pytest.raises(ValidationError) as err:
        dialogue(office, pid, A.INVITE_DIALOGUE)
    assert set(err.value.fields) == {"dialogue_at", "place"}

    invited = dialogue(
        office, pid, A.INVITE_DIALOGUE, dialogue_at=local(2026, 3, 18, 14, 0), place="Phòng họp số 2, trụ sở Ban"
    )
    with pytest.raises(ValidationError) as err:
        dialogue(office, pid, A.HOLD_DIALOGUE, dialogue_at=local(2026, 3, 18, 14, 0), place="Phòng họp số 2")
    assert set(err.value.fields) == {"participants", "content", "results"}
    held = dialogue(
        office,
        pid,
        A.HOLD_DIALOGUE,
        dialogue_at=local(2026, 3, 18, 14, 0),
        place="Phòng họp số 2, trụ sở Ban",
        participants=["Bà Hoàng Thị Đào, người khiếu nại", "Ông Trần Văn Xử, chuyên viên", "Ông Lý Văn Bị, UBND xã"],
        content="Người khiếu nại đề nghị xem xét lại đơn giá bồi thường đất ở.",
        results="Hai bên thống nhất đo đạc lại thửa đất số 215 trước ngày 25/3/2026.",
    )
    [notice] = invited.documents
    [record] = held.documents
    assert (notice.doc_type, record.doc_type) == (DocumentType.DIALOGUE_NOTICE, DocumentType.DIALOGUE_MINUTES)
    assert (notice.symbol, record.symbol) == ("01/GM-BTCD", "01/BB-BTCD")
    # Both are steps of the petition's timeline, each with its document.
    detail = petitions.detail(office, HANDLER, pid)
    assert [e.action for e in detail.events][-2:] == [A.INVITE_DIALOGUE, A.HOLD_DIALOGUE]
    assert [d.symbol for d in detail.documents][-2:] == ["01/GM-BTCD", "01/BB-BTCD"]

    text = data.pdf_text(printing.render_document(office, HANDLER, notice.id))
    assert_state_format(text, DocumentType.DIALOGUE_NOTICE)
    for expected in ("GIẤY MỜI", "Về việc đối thoại giải quyết khiếu nại", "Số: 01/GM-BTCD", "Hoàng Thị Đào"):
        assert expected in text, expected
    assert "14 giờ 00 phút, ngày 18 tháng 3 năm 2026" in text and "Phòng họp số 2" in text
    assert "Điều 30 và Điều 39 Luật Khiếu nại năm 2011" in text

    text = data.pdf_text(printing.render_document(office, HANDLER, record.id))
    assert_state_format(text, DocumentType.DIALOGUE_MINUTES)
    for expected in (
        "BIÊN BẢN ĐỐI THOẠI",
        "Số: 01/BB-BTCD",
        "I. Thành phần tham gia đối thoại",
        "Ông Lý Văn Bị, UBND xã",
        "II. Nội dung đối thoại",
        "III. Kết quả đối thoại",
        "đo đạc lại thửa đất số 215",
        "NGƯỜI KHIẾU NẠI (Ký, ghi rõ họ tên) Hoàng Thị Đào",
        "NGƯỜI CHỦ TRÌ ĐỐI THOẠI (Ký, ghi rõ họ tên) Trần Văn Xử",
    ):
        assert expected in text, expected
    assert "Kính gửi" not in text and "Nơi nhận" not in text


def test_dialogue_is_offered_for_accepted_complaints_only(office: Session) -> None:
    recommendation = register(office, summary="Kiến nghị sửa đường", kind=MatterKind.RECOMMENDATION)
    classify(office, recommendation.id)
    actions.perform(office, HANDLER, recommendation.id, ActionInput(A.ACCEPT, on=dt.date(2026, 3, 4)), today=TODAY)
    assert A.INVITE_DIALOGUE not in dict(actions.offered(office, recommendation.id))
    with pytest.raises(RuleViolation, match="chỉ áp dụng cho đơn khiếu nại"):
        dialogue(office, recommendation.id, A.INVITE_DIALOGUE, dialogue_at=local(2026, 3, 18), place="Trụ sở")


def leader_visit(session: Session, **extra: object) -> int:
    saved = visits.register_visit(
        session,
        HANDLER,
        visit_input(
            "Đinh Văn Bằng",
            reception=ReceptionKind.PERIODIC,
            leader_name=LEADER,
            received_at=local(2026, 3, 5, 8, 30),
            summary="Đề nghị giải quyết dứt điểm việc cấp giấy chứng nhận quyền sử dụng đất",
            **extra,
        ),
    )
    return saved.id


def conclusion(session: Session, visit_id: int, **kw: object) -> minutes.SavedConclusion:
    values: dict[str, object] = {
        "conclusions": "Giao Sở Nông nghiệp và Môi trường kiểm tra hồ sơ.\nTrả lời công dân bằng văn bản.",
        "assigned_agency_id": agency_id(session, "P24.SXD"),
        "due_on": dt.date(2026, 3, 20),
        "leader_title": "Phó Chủ tịch UBND tỉnh",
    }
    values.update(kw)
    return minutes.record_conclusion(
        session,
        HANDLER,
        visit_id,
        minutes.ConclusionInput(**values),
        today=dt.date(2026, 3, 5),  # type: ignore[arg-type]
    )


def test_reception_minutes_and_conclusion_notice_print_the_leader_body_and_deadline(office: Session) -> None:
    vid = leader_visit(office)
    notice = conclusion(office, vid)
    record = conclusion(office, vid, document=DocumentType.RECEPTION_MINUTES, participants="Ông Vũ Văn Cán, Sở XD")
    assert (notice.document.symbol, record.document.symbol) == ("01/TB-BTCD", "01/BB-BTCD")
    agency = office.scalar(select(IssuedDocument.recipient).where(IssuedDocument.id == notice.document.id))
    text = data.pdf_text(printing.render_document(office, HANDLER, notice.document.id))
    assert_state_format(text, DocumentType.RECEPTION_CONCLUSION)
    for expected in (
        "THÔNG BÁO",
        "Kết luận của người chủ trì tiếp công dân",
        "Số: 01/TB-BTCD",
        LEADER,
        "Phó Chủ tịch UBND tỉnh",
        "Đinh Văn Bằng",
        "kiểm tra hồ sơ",
        f"Giao {agency}",
        "trước ngày 20/03/2026",
        "Nơi nhận",
    ):
        assert expected in text, expected
    text = data.pdf_text(printing.render_document(office, HANDLER, record.document.id))
    assert_state_format(text, DocumentType.RECEPTION_MINUTES)
    for expected in (
        "BIÊN BẢN TIẾP CÔNG DÂN",
        "08 giờ 30 phút, ngày 05 tháng 3 năm 2026",
        "Người chủ trì tiếp: Phạm Văn Lãnh, Phó Chủ tịch UBND tỉnh",
        "Ông Vũ Văn Cán, Sở XD",
        "III. Ý kiến kết luận của người chủ trì",
        "Trả lời công dân bằng văn bản.",
        "CÔNG DÂN (Ký, ghi rõ họ tên) Đinh Văn Bằng",
        "NGƯỜI CHỦ TRÌ TIẾP (Ký, ghi rõ họ tên) Phạm Văn Lãnh",
    ):
        assert expected in text, expected


def test_the_conclusion_deadline_is_a_follow_up_until_the_body_reports(office: Session) -> None:
    vid = leader_visit(office)
    saved = conclusion(office, vid)
    board = followup.board(office, HANDLER, dt.date(2026, 3, 23))
    [late] = [i for i in board.overdue if i.conclusion_id == saved.id]
    assert (late.petition_id, late.visit_id, late.days_late) == (None, vid, 3)
    assert late.petition_number == "Lượt tiếp 05/03/2026" and late.sender == "Đinh Văn Bằng"
    assert late.rule_name == f"{followup.CONCLUSION} ({LEADER})"
    assert followup.status_text(late, dt.date(2026, 3, 23)) == "hạn 20/03/2026, trễ 3 ngày"
    minutes.record_report(office, HANDLER, saved.id, dt.date(2026, 3, 23), "Sở đã kiểm tra", today=dt.date(2026, 3, 23))
    board = followup.board(office, HANDLER, dt.date(2026, 3, 23))
    assert not [i for i in board.overdue + board.due_today + board.due_soon if i.conclusion_id == saved.id]
    [row] = minutes.for_visit(office, vid)
    assert (row.status, row.closed_on, row.report_note) == (DeadlineStatus.MET, dt.date(2026, 3, 23), "Sở đã kiểm tra")
    with pytest.raises(RuleViolation, match="đã được ghi nhận báo cáo ngày 23/03/2026"):
        minutes.record_report(office, HANDLER, saved.id, today=dt.date(2026, 3, 23))


def test_a_conclusion_links_the_petition_of_the_visit_and_shows_on_its_timeline(office: Session) -> None:
    vid = leader_visit(office)
    draft = petitions.draft_from_visit(office, HANDLER, vid).data
    pid = petitions.register_petition(office, HANDLER, draft, today=TODAY).id
    saved = conclusion(office, vid)
    [row] = minutes.for_petition(office, pid)
    assert (row.id, row.petition_id, row.petition_number) == (
        saved.id,
        pid,
        petitions.detail(office, HANDLER, pid).number,
    )
    assert saved.document.symbol in [d.symbol for d in petitions.detail(office, HANDLER, pid).documents]
    board = followup.board(office, HANDLER, dt.date(2026, 3, 18))
    [soon] = [i for i in board.due_soon if i.conclusion_id == saved.id]
    assert soon.petition_id == pid and soon.days_left == 2


def test_what_the_minutes_need_is_said_field_by_field_and_nothing_is_stored(office: Session) -> None:
    vid = leader_visit(office)
    with pytest.raises(ValidationError) as err:
        conclusion(office, vid, conclusions="  ", assigned_agency_id=None, due_on=dt.date(2026, 3, 1))
    assert err.value.fields == {
        "conclusions": "Nhập ý kiến kết luận của lãnh đạo tại buổi tiếp.",
        "assigned_agency_id": "Chọn cơ quan, đơn vị được giao thực hiện kết luận (trong danh bạ).",
        "due_on": "Hạn báo cáo không được trước ngày tiếp công dân (05/03/2026).",
    }
    assert minutes.for_visit(office, vid) == []
    regular = visits.register_visit(
        office, HANDLER, visit_input("Lê Văn Thường", id_number=None, received_at=local(2026, 3, 5))
    )
    with pytest.raises(RuleViolation, match="chỉ lập biên bản, thông báo kết luận cho buổi lãnh đạo tiếp"):
        conclusion(office, regular.id)
    assert settings.get(office, settings.OFFICE_SYMBOL) == "BTCD"
    assert office.get(Petition, 1) is None
