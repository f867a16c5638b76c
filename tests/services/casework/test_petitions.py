"""Registering, classifying, splitting and listing petitions."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import AuditEntry, Case, Citizen, Petition, Visit
from app.models.enums import (
    Competence,
    DeadlineStatus,
    HandlingAction,
    MatterKind,
    ParticipantRole,
    PetitionSource,
    PetitionStatus,
    SenderKind,
)
from app.services.casework import petitions
from app.services.casework.petitions import PartyInput, PetitionFilter, SplitPart
from app.services.common.errors import PermissionDenied, RuleViolation, ValidationError
from app.services.deadlines import clocks
from app.services.security import confidential
from tests.helpers import add_visit
from tests.petition_builders import CLERK, HANDLER, LEAD, TODAY, agency_id, classify, person, petition_input, register


def _open_rules(session: Session, petition_id: int) -> set[str]:
    return {r.rule_code for r in clocks.clock_rows(session, petition_id) if r.status == DeadlineStatus.OPEN}


def test_register_numbers_events_clocks_case_and_audit(session: Session) -> None:
    first = register(session)
    second = register(session, summary="Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất")
    old = register(session, received_on=dt.date(2025, 12, 30))
    assert (first.number, second.number, old.number) == ("1/2026", "2/2026", "1/2025")
    petition = session.get(Petition, first.id)
    assert petition is not None
    assert petition.status == PetitionStatus.RECEIVED
    assert [e.action for e in petition.events] == [HandlingAction.RECEIVE]
    assert _open_rules(session, first.id) == {"xu_ly_don", "thu_ly_khieu_nai"}
    case = session.get(Case, petition.case_id)
    assert case is not None and case.first_received_on == dt.date(2026, 3, 2)
    audit = session.scalars(select(AuditEntry).where(AuditEntry.entity == "petition")).all()
    assert [a.action for a in audit] == ["create", "create", "create"]


def test_concurrent_desks_never_share_a_number(db_url: str) -> None:
    url = db_url
    # Each desk its own engine (opened here: migrations are not thread-safe), writing at once.
    desks = [Database(url) for _ in range(3)]
    errors: list[BaseException] = []

    def desk(db: Database) -> None:
        try:
            for _ in range(8):
                with db.transaction() as s:
                    petitions.register_petition(s, HANDLER, petition_input(), today=TODAY)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            db.dispose()

    threads = [threading.Thread(target=desk, args=(d,)) for d in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    db = Database(url)
    with db.session() as s:
        seqs = sorted(s.scalars(select(Petition.reg_seq).where(Petition.reg_year == 2026)))
    db.dispose()
    assert seqs == list(range(1, 25))


def test_number_taken_meanwhile_is_retried(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another desk took the number between our look-up and our insert: the unique constraint refuses, we retry."""
    register(session)
    real = session.scalar
    stale: list[bool] = []

    def scalar_seeing_an_old_register(statement: object, *args: object, **kwargs: object) -> object:
        if not stale and "max(petition.reg_seq)" in str(statement):
            stale.append(True)
            return None  # as if 1/2026 did not exist yet
        return real(statement, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(session, "scalar", scalar_seeing_an_old_register)
    saved = register(session)
    assert stale and saved.number == "2/2026"
    assert session.get(Petition, saved.id).status == PetitionStatus.RECEIVED  # type: ignore[union-attr]


def test_forwarded_petition_needs_the_source_document(session: Session) -> None:
    with pytest.raises(ValidationError) as err:
        register(session, source=PetitionSource.FORWARDED)
    assert set(err.value.fields) == {"source_agency_id", "incoming_doc_number", "incoming_doc_date"}
    saved = register(
        session,
        source=PetitionSource.FORWARDED,
        source_agency_id=agency_id(session, "TW.BTCDTW"),
        incoming_doc_number="125/BTCDTW-PC",
        incoming_doc_date=dt.date(2026, 2, 25),
    )
    view = petitions.detail(session, HANDLER, saved.id)
    assert view.source_agency == "Ban Tiếp công dân Trung ương"
    assert view.incoming_doc_number == "125/BTCDTW-PC"


def test_senders_anonymous_organisation_crowd(session: Session) -> None:
    with pytest.raises(ValidationError) as err:
        register(session, is_anonymous=True)
    assert "citizen.full_name" in err.value.fields
    anonymous = register(session, name=None, is_anonymous=True)
    assert session.get(Petition, anonymous.id).citizen_id is None  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as err:
        register(session, name=None, sender_kind=SenderKind.ORGANISATION)
    assert "organisation_name" in err.value.fields
    org = register(session, name=None, sender_kind=SenderKind.ORGANISATION, organisation_name="Công ty TNHH Hòa Bình")
    crowd = register(
        session,
        name=None,
        sender_kind=SenderKind.CROWD,
        head_count=23,
        parties=(
            PartyInput(person("Lê Văn Bình", "024080001111"), ParticipantRole.SIGNER),
            PartyInput(person("Đỗ Thị Hoa", "024180002222"), ParticipantRole.REPRESENTATIVE),
        ),
    )
    rows = {r.id: r for r in petitions.list_petitions(session, HANDLER)}
    assert rows[anonymous.id].sender == "Nặc danh"
    assert rows[org.id].sender == "Công ty TNHH Hòa Bình"
    # The representative is the named sender of a crowd petition.
    assert rows[crowd.id].sender == "Đỗ Thị Hoa và 22 người"
    view = petitions.detail(session, HANDLER, crowd.id)
    assert [(p.name, p.role) for p in view.parties] == [
        ("Lê Văn Bình", ParticipantRole.SIGNER),
        ("Đỗ Thị Hoa", ParticipantRole.REPRESENTATIVE),
    ]
    with pytest.raises(ValidationError) as err:
        register(
            session,
            name=None,
            sender_kind=SenderKind.CROWD,
            head_count=1,
            parties=(PartyInput(person("A B")), PartyInput(person("C D", None))),
        )
    assert "head_count" in err.value.fields


def test_denouncer_is_confidential_and_masked(session: Session) -> None:
    saved = register(
        session,
        kind=MatterKind.DENUNCIATION,
        summary="Tố cáo cán bộ địa chính nhận tiền",
        name="Hoàng Văn Tố",
        id_number="024085009999",
    )
    citizen = session.get(Citizen, saved.citizen_id)
    assert citizen is not None and citizen.confidential
    clerk_row = petitions.list_petitions(session, CLERK)[0]
    assert clerk_row.sender == confidential.MASK
    clerk_view = petitions.detail(session, CLERK, saved.id)
    assert clerk_view.masked and clerk_view.person is not None
    assert clerk_view.person.name == confidential.MASK and clerk_view.person.id_number == confidential.MASK
    lead_view = petitions.detail(session, LEAD, saved.id)
    assert lead_view.person is not None and lead_view.person.name == "Hoàng Văn Tố"
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "reveal")) is not None
    assert _open_rules(session, saved.id) == {"xu_ly_don", "thu_ly_to_cao"}


def test_desk_petition_takes_the_visit_citizen_and_case(session: Session) -> None:
    visit = add_visit(session)
    saved = register(session, name=None, source=PetitionSource.DESK, visit_id=visit.id, received_on=TODAY)
    petition = session.get(Petition, saved.id)
    stored_visit = session.get(Visit, visit.id)
    assert petition is not None and stored_visit is not None
    assert petition.citizen_id == visit.citizen_id
    assert petition.case_id is not None and petition.case_id == stored_visit.case_id


def test_classify_and_reclassify(session: Session) -> None:
    saved = register(session)
    with pytest.raises(ValidationError) as err:
        classify(session, saved.id, eligible=False)
    assert "ineligible_reason" in err.value.fields
    with pytest.raises(ValidationError) as err:
        classify(session, saved.id, eligible=False, ineligible_reason="khac")
    assert "ineligible_note" in err.value.fields
    warnings = classify(session, saved.id, field_code="HC_DD_BT", is_complicated=True)
    assert warnings == ()
    view = petitions.detail(session, HANDLER, saved.id)
    assert view.status == PetitionStatus.CLASSIFIED
    assert view.field_name == "Bồi thường, hỗ trợ, tái định cư khi thu hồi đất"
    assert view.competence == Competence.WITHIN and view.is_complicated
    assert view.events[-1].action == HandlingAction.CLASSIFY
    # It turns out to be a denunciation: the sender moves to a confidential record, the clock changes.
    classify(session, saved.id, kind=MatterKind.DENUNCIATION, field_code="HC_DD")
    petition = session.get(Petition, saved.id)
    assert petition is not None and petition.citizen is not None and petition.citizen.confidential
    assert petition.citizen_id != saved.citizen_id
    assert _open_rules(session, saved.id) == {"xu_ly_don", "thu_ly_to_cao"}
    with pytest.raises(PermissionDenied):
        petitions.classify(session, CLERK, saved.id, petitions.ClassificationInput(kind=MatterKind.COMPLAINT))


def test_field_must_fit_the_kind(session: Session) -> None:
    saved = register(session)
    with pytest.raises(ValidationError) as err:
        classify(session, saved.id, field_code="TN")  # corruption: denunciations only
    assert "field_code" in err.value.fields


def test_duplicate_link_warns(session: Session) -> None:
    first = register(session)
    second = register(session)
    warnings = classify(session, second.id, duplicate_of_id=first.id)
    assert warnings == ("Đơn trùng với đơn số 1/2026.",)
    assert petitions.detail(session, HANDLER, second.id).duplicate_of_number == "1/2026"


def test_split_mixed_petition(session: Session) -> None:
    saved = register(session, kind=MatterKind.MIXED, summary="Khiếu nại thu hồi đất và tố cáo cán bộ địa chính")
    with pytest.raises(ValidationError):
        petitions.split(session, HANDLER, saved.id, [SplitPart(MatterKind.COMPLAINT, "Khiếu nại")], on=TODAY)
    children = petitions.split(
        session,
        HANDLER,
        saved.id,
        [
            SplitPart(MatterKind.COMPLAINT, "Khiếu nại quyết định thu hồi đất", "HC_DD"),
            SplitPart(MatterKind.DENUNCIATION, "Tố cáo cán bộ địa chính nhận tiền", "TN"),
        ],
        on=TODAY,
    )
    assert [c.number for c in children] == ["2/2026", "3/2026"]
    parent = petitions.detail(session, HANDLER, saved.id)
    assert parent.status == PetitionStatus.SPLIT
    assert [c.number for c in parent.children] == ["2/2026", "3/2026"]
    assert not _open_rules(session, saved.id)
    complaint, denunciation = (session.get(Petition, c.id) for c in children)
    assert complaint is not None and denunciation is not None
    assert complaint.parent_id == saved.id and complaint.case_id == session.get(Petition, saved.id).case_id  # type: ignore[union-attr]
    assert _open_rules(session, complaint.id) == {"xu_ly_don", "thu_ly_khieu_nai"}
    assert _open_rules(session, denunciation.id) == {"xu_ly_don", "thu_ly_to_cao"}
    assert denunciation.citizen is not None and denunciation.citizen.confidential
    assert complaint.citizen is not None and not complaint.citizen.confidential
    with pytest.raises(RuleViolation, match="Chỉ tách đơn có nhiều nội dung"):
        petitions.split(
            session,
            HANDLER,
            complaint.id,
            [SplitPart(MatterKind.COMPLAINT, "a"), SplitPart(MatterKind.REFLECTION, "b")],
        )


def test_list_filters_and_text_search(session: Session) -> None:
    a = register(session, name="Nguyễn Văn Dũng")
    b = register(session, name="Trần Thị Lan", kind=MatterKind.RECOMMENDATION, summary="Kiến nghị sửa đường liên thôn")
    c = register(session, name="Phạm Đức Anh", source=PetitionSource.ONLINE, summary="Phản ánh ô nhiễm tiếng ồn")
    classify(session, a.id)

    def ids(**kw: object) -> list[int]:
        return list(petitions.petition_ids(session, PetitionFilter(**kw)))  # type: ignore[arg-type]

    assert set(ids()) == {a.id, b.id, c.id}
    assert ids(status=PetitionStatus.CLASSIFIED) == [a.id]
    assert ids(kind=MatterKind.RECOMMENDATION) == [b.id]
    assert ids(source=PetitionSource.ONLINE) == [c.id]
    assert ids(text="nguyen van dung") == [a.id]
    assert ids(text="o nhiem") == [c.id]
    assert ids(text="2/2026") == [b.id]
    rows = petitions.petition_rows(session, HANDLER, [c.id, a.id])
    assert [r.number for r in rows] == ["3/2026", "1/2026"]
    assert rows[1].status_label == "Đã phân loại"
