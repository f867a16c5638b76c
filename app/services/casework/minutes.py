"""Minutes of a leader's reception (Biên bản / Thông báo kết luận tiếp công dân) and their follow-up.

When the head of the body (or a deputy) receives citizens — periodic or ad hoc reception — each
citizen received gets the leader's conclusions in writing: a numbered "Biên bản tiếp công dân" or
"Thông báo kết luận tiếp công dân", naming the body given the task and the date by which it reports.
That date is a follow-up of its own (``ReceptionConclusion``): the board lists it, as overdue once
passed, until the assigned body's report is recorded (``record_report``).

The conclusion belongs to the visit, and to the petition when the matter was registered as one
(it then shows on that petition's timeline with the other documents).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Agency, IssuedDocument, Petition, ReceptionConclusion, Visit
from app.models.enums import DeadlineStatus, DocumentType, ReceptionKind
from app.services.casework.documents import IssuedRef, issue_document
from app.services.casework.petitions import number_of
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.errors import NotFoundError, RuleViolation, ValidationError
from app.services.common.text import nfc_or_none
from app.services.common.vocab import label
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

DOCUMENTS = (DocumentType.RECEPTION_CONCLUSION, DocumentType.RECEPTION_MINUTES)
LEADER_RECEPTIONS = (ReceptionKind.PERIODIC, ReceptionKind.AD_HOC)
STATUS_LABELS = {
    DeadlineStatus.OPEN: "Đang theo dõi",
    DeadlineStatus.MET: "Đã báo cáo",
    DeadlineStatus.CANCELLED: "Đã hủy",
}


@dataclass(frozen=True)
class ConclusionInput:
    """What the minutes dialog asks for."""

    conclusions: str
    assigned_agency_id: int | None
    due_on: dt.date | None
    document: DocumentType = DocumentType.RECEPTION_CONCLUSION
    petition_id: int | None = None  # default: the petition registered from the visit, if any
    leader_title: str | None = None
    participants: str | None = None  # others present (officers, the assigned body's representative…)
    place: str | None = None


@dataclass(frozen=True)
class SavedConclusion:
    id: int
    document: IssuedRef


@dataclass(frozen=True)
class ConclusionRow:
    id: int
    visit_id: int
    petition_id: int | None
    petition_number: str
    leader_name: str
    conclusions: str
    agency_name: str
    due_on: dt.date
    status: DeadlineStatus
    status_label: str
    closed_on: dt.date | None
    report_note: str
    document_id: int | None
    symbol: str


def _visit(session: Session, visit_id: int) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy lượt tiếp số {visit_id}.")
    return visit


def is_leader_reception(visit: Visit) -> bool:
    return bool(visit.leader_name) or visit.reception_kind in LEADER_RECEPTIONS


def _petition_of(session: Session, visit: Visit, petition_id: int | None) -> Petition | None:
    if petition_id is None:
        return session.scalars(
            select(Petition)
            .where(Petition.visit_id == visit.id, Petition.deleted_at.is_(None))
            .order_by(Petition.id)
            .limit(1)
        ).first()
    petition = session.get(Petition, petition_id)
    if petition is None or petition.deleted_at is not None:
        raise ValidationError({"petition_id": f"Không tìm thấy đơn số {petition_id}."})
    same_case = visit.case_id is not None and petition.case_id == visit.case_id
    if petition.visit_id != visit.id and not same_case:
        raise ValidationError({"petition_id": "Đơn đã chọn không thuộc lượt tiếp hoặc vụ việc này."})
    return petition


def _check(session: Session, visit: Visit, data: ConclusionInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not nfc_or_none(data.conclusions):
        errors["conclusions"] = "Nhập ý kiến kết luận của lãnh đạo tại buổi tiếp."
    if data.assigned_agency_id is None:
        errors["assigned_agency_id"] = "Chọn cơ quan, đơn vị được giao thực hiện kết luận (trong danh bạ)."
    elif session.get(Agency, data.assigned_agency_id) is None:
        errors["assigned_agency_id"] = "Cơ quan đã chọn không có trong danh bạ; chọn trong danh sách."
    if data.due_on is None:
        errors["due_on"] = "Chọn hạn báo cáo kết quả (dd/MM/yyyy)."
    elif data.due_on < visit.received_on:
        errors["due_on"] = f"Hạn báo cáo không được trước ngày tiếp công dân ({visit.received_on:%d/%m/%Y})."
    if data.document not in DOCUMENTS:
        errors["document"] = "Chọn biên bản tiếp công dân hoặc thông báo kết luận."
    return errors


def record_conclusion(
    session: Session, actor: Actor, visit_id: int, data: ConclusionInput, *, today: dt.date | None = None
) -> SavedConclusion:
    """Number the minutes (or conclusion notice) of the visit and open its dated follow-up."""
    require(actor, Permission.PRINT_SLIP)
    visit = _visit(session, visit_id)
    if not is_leader_reception(visit):
        raise RuleViolation(
            f"Lượt tiếp ngày {visit.received_on:%d/%m/%Y} là tiếp thường xuyên, không ghi lãnh đạo tiếp: "
            "chỉ lập biên bản, thông báo kết luận cho buổi lãnh đạo tiếp công dân (định kỳ hoặc đột xuất). "
            "Sửa lượt tiếp, ghi tên lãnh đạo chủ trì trước."
        )
    errors = _check(session, visit, data)
    if errors:
        raise ValidationError(errors)
    petition = _petition_of(session, visit, data.petition_id)
    agency = session.get(Agency, data.assigned_agency_id)
    assert agency is not None and data.due_on is not None
    # Each line the leader's conclusions were typed on stays a paragraph of the document.
    paragraphs = [t for t in (nfc_or_none(line) for line in data.conclusions.splitlines()) if t]
    conclusions = "\n".join(paragraphs)
    content: dict[str, object] = {
        "kind": visit.matter_kind.value,
        "received_at": visit.received_at.isoformat(),
        "received_on": visit.received_on.isoformat(),
        "summary": visit.summary,
        "receiver_name": visit.officer_name or actor.full_name,
        "leader_name": visit.leader_name or "",
        "conclusions": paragraphs,
        "agency": agency.name,
        "due_on": data.due_on.isoformat(),
    }
    for key, value in (
        ("leader_title", data.leader_title),
        ("participants", data.participants),
        ("place", data.place),
        ("agency_address", agency.address),
    ):
        if nfc_or_none(value):
            content[key] = nfc_or_none(value)
    if petition is not None:
        content["petition_number"] = number_of(petition.reg_seq, petition.reg_year)
    issued_on = today or local_today()
    ref = issue_document(
        session,
        actor,
        data.document,
        visit_id=visit.id,
        petition_id=petition.id if petition else None,
        recipient=agency.name,
        content=content,
        issued_on=max(issued_on, visit.received_on),
    )
    row = ReceptionConclusion(
        visit_id=visit.id,
        petition_id=petition.id if petition else None,
        document_id=ref.id,
        leader_name=visit.leader_name,
        conclusions=conclusions,
        assigned_agency_id=agency.id,
        due_on=data.due_on,
        status=DeadlineStatus.OPEN,
        created_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "reception_conclusion",
        row.id,
        after={"visit_id": visit.id, "document": ref.symbol, "agency_id": agency.id, "due_on": data.due_on},
    )
    return SavedConclusion(row.id, ref)


def record_report(
    session: Session,
    actor: Actor,
    conclusion_id: int,
    reported_on: dt.date | None = None,
    note: str | None = None,
    *,
    today: dt.date | None = None,
) -> None:
    """The assigned body reported the result: the follow-up closes on ``reported_on``."""
    require(actor, Permission.PROCESS_PETITION)
    row = session.get(ReceptionConclusion, conclusion_id)
    if row is None:
        raise NotFoundError(f"Không tìm thấy kết luận tiếp công dân số {conclusion_id}.")
    if row.status != DeadlineStatus.OPEN:
        raise RuleViolation(f"Kết luận này đã được ghi nhận báo cáo ngày {row.closed_on:%d/%m/%Y}.")
    today = today or local_today()
    on = reported_on or today
    visit = session.get_one(Visit, row.visit_id)
    if on > today:
        raise ValidationError({"reported_on": "Ngày báo cáo không được sau ngày hôm nay."})
    if on < visit.received_on:
        raise ValidationError(
            {"reported_on": f"Ngày báo cáo không được trước ngày tiếp công dân ({visit.received_on:%d/%m/%Y})."}
        )
    row.status = DeadlineStatus.MET
    row.closed_on = on
    row.report_note = nfc_or_none(note)
    session.flush()
    audit.record(session, actor, "report", "reception_conclusion", row.id, after={"closed_on": on})


def _rows(session: Session, *conditions: object) -> list[ConclusionRow]:
    stmt = (
        select(ReceptionConclusion, Agency.name, IssuedDocument.symbol, Petition.reg_seq, Petition.reg_year)
        .outerjoin(Agency, Agency.id == ReceptionConclusion.assigned_agency_id)
        .outerjoin(IssuedDocument, IssuedDocument.id == ReceptionConclusion.document_id)
        .outerjoin(Petition, Petition.id == ReceptionConclusion.petition_id)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(ReceptionConclusion.id)
    )
    return [
        ConclusionRow(
            id=row.id,
            visit_id=row.visit_id,
            petition_id=row.petition_id,
            petition_number=number_of(seq, year) if seq is not None else "",
            leader_name=row.leader_name or "",
            conclusions=row.conclusions,
            agency_name=agency or "",
            due_on=row.due_on,
            status=row.status,
            status_label=STATUS_LABELS[row.status],
            closed_on=row.closed_on,
            report_note=row.report_note or "",
            document_id=row.document_id,
            symbol=symbol or "",
        )
        for row, agency, symbol, seq, year in session.execute(stmt)
    ]


def for_visit(session: Session, visit_id: int) -> list[ConclusionRow]:
    return _rows(session, ReceptionConclusion.visit_id == visit_id)


def for_petition(session: Session, petition_id: int) -> list[ConclusionRow]:
    """The conclusions about a petition: recorded with it, or at the visit it was handed in at."""
    visit_id = session.scalar(select(Petition.visit_id).where(Petition.id == petition_id))
    owners = [ReceptionConclusion.petition_id == petition_id]
    if visit_id is not None:
        owners.append(ReceptionConclusion.visit_id == visit_id)
    return _rows(session, or_(*owners))


@dataclass(frozen=True)
class VisitForMinutes:
    """What the minutes dialog shows of the visit before the leader's conclusions are typed."""

    visit_id: int
    received_at: dt.datetime
    citizen_name: str  # masked for a denouncer the actor may not see
    leader_name: str
    reception_label: str
    summary: str
    petition_id: int | None
    petition_number: str
    is_leader_reception: bool
    earlier: tuple[ConclusionRow, ...]


def visit_for_minutes(session: Session, actor: Actor, visit_id: int, petition_id: int | None = None) -> VisitForMinutes:
    visit = _visit(session, visit_id)
    petition = _petition_of(session, visit, petition_id)
    protect = confidential.must_protect(visit.matter_kind) or visit.citizen.confidential
    return VisitForMinutes(
        visit_id=visit.id,
        received_at=visit.received_at,
        citizen_name=confidential.shown(actor, visit.citizen.full_name, protect) or "",
        leader_name=visit.leader_name or "",
        reception_label=label(visit.reception_kind),
        summary=visit.summary,
        petition_id=petition.id if petition else None,
        petition_number=number_of(petition.reg_seq, petition.reg_year) if petition else "",
        is_leader_reception=is_leader_reception(visit),
        earlier=tuple(for_visit(session, visit.id)),
    )


def visit_of_petition(session: Session, petition_id: int) -> int | None:
    """The visit a petition was handed in at (the minutes of the petition belong to it)."""
    return session.scalar(select(Petition.visit_id).where(Petition.id == petition_id))
