"""The reception desk: register, correct and list visits (lượt tiếp)."""

from __future__ import annotations

import datetime as dt
from array import array
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, Citizen, CitizenVersion, Visit, VisitParticipant
from app.models.enums import MatterKind, MatterState, ParticipantRole, ReceptionKind, VisitOutcome
from app.models.mixins import now_local
from app.services.common import catalogues, settings
from app.services.common.actor import Actor
from app.services.common.contracts import require_enums
from app.services.common.errors import NotFoundError, PermissionDenied, ValidationError
from app.services.common.text import fold, nfc, nfc_or_none, search_tokens
from app.services.common.vocab import label
from app.services.deadlines import reception_days
from app.services.reception import crowd, search
from app.services.reception.citizens import (
    CheckedCitizen,
    CitizenInput,
    check_citizen,
    format_address,
    save_citizen,
)
from app.services.reception.versions import Holder, pin_version, recorded_input
from app.services.security import audit, confidential
from app.services.security.permissions import Permission, require

LEADER_KINDS = (ReceptionKind.PERIODIC, ReceptionKind.AD_HOC)
RESOLVED_BY_MAX = 300  # the column's length (migration 0006)


@dataclass(frozen=True)
class VisitInput:
    """What the clerk typed on the reception form."""

    reception_kind: ReceptionKind
    citizen: CitizenInput
    summary: str
    matter_kind: MatterKind
    outcome: VisitOutcome
    received_at: dt.datetime | None = None
    citizen_id: int | None = None
    officer_name: str | None = None
    leader_name: str | None = None
    head_count: int = 1
    is_crowd: bool = False
    representatives: tuple[CitizenInput, ...] = ()
    field_code: str | None = None
    matter_state: MatterState | None = None
    outcome_note: str | None = None
    documents_received: str | None = None
    # "Cơ quan đã giải quyết" of the register (Mẫu số 03): who already resolved the matter, if anyone.
    resolved_by: str | None = None
    # The head's periodic reception held by a deputy on the head's behalf; received online.
    delegated: bool = False
    is_online: bool = False
    # On a correction: the visit was filed under the wrong person. The typed person gets their own
    # record (or the one holding their CCCD) instead of the recorded citizen being renamed.
    other_person: bool = False

    def __post_init__(self) -> None:
        require_enums(
            self,
            reception_kind=ReceptionKind,
            matter_kind=MatterKind,
            outcome=VisitOutcome,
            matter_state=MatterState,
        )


@dataclass(frozen=True)
class SavedVisit:
    id: int
    citizen_id: int
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Checked:
    data: VisitInput
    citizen: Any
    representatives: tuple[Any, ...]
    is_crowd: bool
    warnings: tuple[str, ...]


def _check(session: Session, data: VisitInput, now: dt.datetime) -> _Checked:
    errors: dict[str, str] = {}
    main = check_citizen(data.citizen, prefix="citizen", today=now.date(), session=session)
    errors.update(main.errors)
    reps = tuple(
        check_citizen(rep, prefix=f"representatives.{i}", today=now.date(), session=session)
        for i, rep in enumerate(data.representatives)
    )
    for rep in reps:
        errors.update(rep.errors)
    received_at = data.received_at or now
    if received_at.tzinfo is None:
        received_at = received_at.replace(tzinfo=LOCAL_TZ)
    if received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = "Thời gian tiếp không được sau thời điểm hiện tại."
    summary = nfc(data.summary or "")
    if not summary:
        errors["summary"] = "Nhập tóm tắt nội dung công dân trình bày."
    leader = nfc_or_none(data.leader_name)
    if data.reception_kind in LEADER_KINDS and not leader:
        errors["leader_name"] = "Tiếp định kỳ hoặc đột xuất phải ghi tên lãnh đạo chủ trì."
    crowd_min = int(settings.get(session, settings.CROWD_MIN_PEOPLE))
    if data.head_count < 1:
        errors["head_count"] = "Số người phải từ 1 trở lên."
    elif data.head_count > 10_000:
        errors["head_count"] = "Số người quá lớn; kiểm tra lại."
    elif data.is_crowd and data.head_count < crowd_min:
        errors["head_count"] = f"Đoàn đông người phải có từ {crowd_min} người trở lên."
    if len(nfc_or_none(data.resolved_by) or "") > RESOLVED_BY_MAX:
        errors["resolved_by"] = f"Tên cơ quan đã giải quyết dài quá {RESOLVED_BY_MAX} ký tự; viết gọn lại."
    field_code = data.field_code or None
    errors.update(catalogues.field_error(session, field_code, data.matter_kind))
    if errors:
        raise ValidationError(errors)
    cleaned = VisitInput(
        **{
            **data.__dict__,
            "received_at": received_at,
            "summary": summary,
            "field_code": field_code,
            "leader_name": leader,
            "officer_name": nfc_or_none(data.officer_name),
            "outcome_note": nfc_or_none(data.outcome_note),
            "documents_received": nfc_or_none(data.documents_received),
            "resolved_by": nfc_or_none(data.resolved_by),
        }
    )
    is_crowd = data.is_crowd or data.head_count >= crowd_min
    warnings = (
        main.warnings
        + tuple(w for rep in reps for w in rep.warnings)
        + crowd.warnings(session, data.head_count, len(reps), is_crowd=is_crowd)
        + _delegation_warnings(data, received_at)
    )
    return _Checked(cleaned, main, reps, is_crowd, warnings)


def _delegation_warnings(data: VisitInput, received_at: dt.datetime) -> tuple[str, ...]:
    """A head's periodic reception delegated to a deputy on a day the law forbids it: warned, kept."""
    if not data.delegated or data.reception_kind != ReceptionKind.PERIODIC:
        return ()
    warning = reception_days.delegation_warning(received_at.astimezone(LOCAL_TZ).date())
    return (warning,) if warning else ()


def _person(
    session: Session,
    actor: Actor,
    checked: CheckedCitizen,
    earlier: Holder | None,
    *,
    citizen_id: int | None,
    protect: bool,
    prefix: str,
) -> tuple[Citizen, CitizenVersion]:
    """The citizen of a visit (or of one of its representatives) and the version it records.

    A correction that leaves the person as the visit recorded them keeps that version and leaves
    the citizen's record alone: re-saving an old visit must not move the citizen back to the
    address they had then.
    """
    kept = earlier.citizen if earlier is not None else None
    if kept is not None and citizen_id in (None, kept.id) and kept.confidential == protect:
        assert earlier is not None
        if checked.data == check_citizen(recorded_input(earlier), prefix=prefix, session=session).data:
            return kept, earlier.citizen_version or pin_version(session, kept)
    citizen = save_citizen(session, checked, citizen_id, confidential=protect, actor=actor, prefix=prefix)
    return citizen, pin_version(session, citizen)


def _apply(visit: Visit, checked: _Checked, person: tuple[Citizen, CitizenVersion]) -> None:
    data = checked.data
    assert data.received_at is not None
    visit.received_at = data.received_at
    visit.received_on = data.received_at.astimezone(LOCAL_TZ).date()
    visit.reception_kind = data.reception_kind
    visit.officer_name = data.officer_name
    visit.leader_name = data.leader_name
    visit.citizen, visit.citizen_version = person
    visit.head_count = data.head_count
    visit.is_crowd = checked.is_crowd
    visit.summary = data.summary
    visit.summary_folded = fold(data.summary)
    visit.matter_kind = data.matter_kind
    visit.field_code = data.field_code
    visit.matter_state = data.matter_state
    visit.outcome = data.outcome
    visit.outcome_note = data.outcome_note
    visit.documents_received = data.documents_received
    visit.resolved_by = data.resolved_by
    visit.delegated = data.delegated and data.reception_kind != ReceptionKind.REGULAR
    visit.is_online = data.is_online


def _set_representatives(session: Session, actor: Actor, visit: Visit, checked: _Checked) -> None:
    earlier = list(visit.participants)
    people = [
        _person(
            session,
            actor,
            rep,
            earlier[position] if position < len(earlier) else None,
            citizen_id=None,
            # A denunciation's representatives are denouncers too (Luật Tố cáo): kept confidential.
            protect=confidential.must_protect(visit.matter_kind),
            prefix=f"representatives.{position}",
        )
        for position, rep in enumerate(checked.representatives)
    ]
    visit.participants.clear()
    session.flush()
    for position, (citizen, version) in enumerate(people):
        visit.participants.append(
            VisitParticipant(
                citizen=citizen, citizen_version=version, role=ParticipantRole.REPRESENTATIVE, position=position
            )
        )


def visit_snapshot(visit: Visit) -> dict[str, Any]:
    return {
        "received_at": visit.received_at,
        "reception_kind": visit.reception_kind,
        "officer_name": visit.officer_name,
        "leader_name": visit.leader_name,
        "citizen_id": visit.citizen_id,
        "head_count": visit.head_count,
        "is_crowd": visit.is_crowd,
        "summary": visit.summary,
        "matter_kind": visit.matter_kind,
        "field_code": visit.field_code,
        "matter_state": visit.matter_state,
        "outcome": visit.outcome,
        "outcome_note": visit.outcome_note,
        "documents_received": visit.documents_received,
        "resolved_by": visit.resolved_by,
        "delegated": visit.delegated,
        "is_online": visit.is_online,
        "representatives": [p.citizen_id for p in visit.participants],
    }


def check_visit(session: Session, data: VisitInput, *, now: dt.datetime | None = None) -> tuple[str, ...]:
    """Validate without storing: raises ``ValidationError`` with every bad field, else returns the warnings.

    The form calls it when it already has errors of its own (an unknown commune typed, no kind
    chosen), so the clerk sees every problem at once rather than in rounds.
    """
    return _check(session, data, now or now_local()).warnings


def register_visit(session: Session, actor: Actor, data: VisitInput, *, now: dt.datetime | None = None) -> SavedVisit:
    """Validate and store a new visit (and its citizen); raises ``ValidationError`` with every bad field."""
    require(actor, Permission.REGISTER_VISIT)
    checked = _check(session, data, now or now_local())
    protect = confidential.must_protect(data.matter_kind)
    person = _person(
        session, actor, checked.citizen, None, citizen_id=data.citizen_id, protect=protect, prefix="citizen"
    )
    visit = Visit(created_by=actor.user_id)
    _apply(visit, checked, person)
    session.add(visit)
    session.flush()
    _set_representatives(session, actor, visit, checked)
    session.flush()
    audit.record(session, actor, "create", "visit", visit.id, after=visit_snapshot(visit))
    return SavedVisit(visit.id, visit.citizen_id, checked.warnings)


def update_visit(
    session: Session, actor: Actor, visit_id: int, data: VisitInput, *, now: dt.datetime | None = None
) -> SavedVisit:
    """Correct a visit; the audit entry keeps what changed, before and after."""
    require(actor, Permission.EDIT_VISIT)
    visit = _get(session, visit_id)
    checked = _check(session, data, now or now_local())
    before_visit = visit_snapshot(visit)
    person = _person(
        session,
        actor,
        checked.citizen,
        visit,
        citizen_id=_corrected_citizen(data, visit),
        protect=confidential.must_protect(data.matter_kind),
        prefix="citizen",
    )
    _apply(visit, checked, person)
    _set_representatives(session, actor, visit, checked)
    session.flush()
    old, new = audit.changes(before_visit, visit_snapshot(visit))
    if old or new:
        audit.record(session, actor, "update", "visit", visit.id, before=old, after=new)
    return SavedVisit(visit.id, visit.citizen_id, checked.warnings)


def _corrected_citizen(data: VisitInput, visit: Visit) -> int | None:
    """The record a correction files the visit under: one the clerk chose, else none for another
    person, else the recorded citizen (whose record the correction then updates)."""
    if data.citizen_id is not None:
        return data.citizen_id
    return None if data.other_person else visit.citizen_id


def delete_visit(session: Session, actor: Actor, visit_id: int, reason: str) -> None:
    """Soft delete with a reason: the row stays, hidden from lists and reports."""
    require(actor, Permission.EDIT_VISIT)
    reason = nfc(reason or "")
    if not reason:
        raise ValidationError({"reason": "Nhập lý do xóa lượt tiếp."})
    visit = _get(session, visit_id)
    visit.deleted_at = now_local()
    visit.delete_reason = reason
    audit.record(session, actor, "delete", "visit", visit.id, before=visit_snapshot(visit), reason=reason)


def _get(session: Session, visit_id: int) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy lượt tiếp số {visit_id}.")
    return visit


def visit_input(session: Session, actor: Actor, visit_id: int) -> VisitInput:
    """The stored visit as form data, for the correction dialog.

    It carries the person unmasked, so a denunciation is refused to users without the right to
    see the denouncer (the lists mask them through ``visit_rows``).
    """
    visit = _get(session, visit_id)
    if confidential.must_protect(visit.matter_kind) and not confidential.can_see(actor):
        raise PermissionDenied(
            f"Lượt tiếp số {visit_id} là tố cáo: danh tính người tố cáo được bảo mật, tài khoản "
            f"“{actor.username}” không có quyền xem. Liên hệ lãnh đạo để được phân công."
        )
    return VisitInput(
        reception_kind=visit.reception_kind,
        citizen=recorded_input(visit),
        summary=visit.summary,
        matter_kind=visit.matter_kind,
        outcome=visit.outcome,
        received_at=visit.received_at,
        citizen_id=visit.citizen_id,
        officer_name=visit.officer_name,
        leader_name=visit.leader_name,
        head_count=visit.head_count,
        is_crowd=visit.is_crowd,
        representatives=tuple(recorded_input(p) for p in visit.participants),
        field_code=visit.field_code,
        matter_state=visit.matter_state,
        outcome_note=visit.outcome_note,
        documents_received=visit.documents_received,
        resolved_by=visit.resolved_by,
        delegated=visit.delegated,
        is_online=visit.is_online,
    )


# ---- lists -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    reception_kind: ReceptionKind | None = None
    matter_kind: MatterKind | None = None
    text: str = ""


@dataclass(frozen=True)
class VisitRow:
    id: int
    received_at: dt.datetime
    reception_kind: ReceptionKind
    citizen_name: str
    id_number: str | None
    address: str
    head_count: int
    is_crowd: bool
    matter_kind: MatterKind
    summary: str
    outcome: VisitOutcome
    officer_name: str | None
    leader_name: str | None

    @property
    def reception_kind_label(self) -> str:
        return label(self.reception_kind)

    @property
    def matter_kind_label(self) -> str:
        return label(self.matter_kind)

    @property
    def outcome_label(self) -> str:
        return label(self.outcome)


SORT_COLUMNS: dict[str, Any] = {
    "received_at": Visit.received_at,
    "citizen": Visit.citizen_sort,
    "reception_kind": Visit.reception_kind,
    "matter_kind": Visit.matter_kind,
    "head_count": Visit.head_count,
    "outcome": Visit.outcome,
}


def filter_conditions(session: Session, flt: VisitFilter) -> list[ColumnElement[bool]]:
    """The WHERE clauses of ``flt`` (the dashboard counts with the same ones as the list)."""
    conds: list[ColumnElement[bool]] = [Visit.deleted_at.is_(None)]
    if flt.date_from:
        conds.append(Visit.received_on >= flt.date_from)
    if flt.date_to:
        conds.append(Visit.received_on <= flt.date_to)
    if flt.reception_kind:
        conds.append(Visit.reception_kind == flt.reception_kind)
    if flt.matter_kind:
        conds.append(Visit.matter_kind == flt.matter_kind)
    if search_tokens(flt.text):
        conds.append(search.visit_text_matches(session, flt.text))
    return conds


def visit_ids(session: Session, flt: VisitFilter, sort: str = "received_at", descending: bool = True) -> array[int]:
    """Every matching visit id in display order: filtering and sorting happen in SQL.

    An ``array('q')`` of a million ids is 8 MB, so the list view can hold them all and
    fetch the rows a page at a time.
    """
    column = SORT_COLUMNS.get(sort, Visit.received_at)
    # By name, one person's visits stay together (two people of one name apart), in the order of
    # the index over the visit's copy of the name: no join, no sort.
    keys = [column, Visit.citizen_id, Visit.id] if sort == "citizen" else [column, Visit.id]
    order = [key.desc() if descending else key.asc() for key in keys]
    stmt = select(Visit.id).where(*filter_conditions(session, flt)).order_by(*order)
    # Through the Core connection and its DB-API cursor: an ORM result would first buffer a
    # million row objects (about 150 MB and seconds of row processing) before the first id.
    result = session.connection().execute(stmt)
    ids: array[int] = array("q")
    try:
        while chunk := result.cursor.fetchmany(50_000):
            ids.extend([row[0] for row in chunk])
    finally:
        result.close()
    return ids


def visit_rows(session: Session, actor: Actor, ids: list[int] | array[int]) -> list[VisitRow]:
    """The rows for ``ids``, in the same order (a page of the list); denouncers masked for ``actor``."""
    id_list = list(ids)
    if not id_list:
        return []
    # The person as the visit recorded them; visits older than versions show the citizen's record.
    shown = [
        func.coalesce(getattr(CitizenVersion, name), getattr(Citizen, name)).label(name)
        for name in ("full_name", "id_number", "address_detail", "commune_code", "province_code")
    ]
    rows = session.execute(
        select(
            Visit.id,
            Visit.received_at,
            Visit.reception_kind,
            *shown,
            Visit.head_count,
            Visit.is_crowd,
            Visit.matter_kind,
            Visit.summary,
            Visit.outcome,
            Visit.officer_name,
            Visit.leader_name,
            Citizen.confidential,
        )
        .join(Citizen, Citizen.id == Visit.citizen_id)
        .outerjoin(CitizenVersion, CitizenVersion.id == Visit.citizen_version_id)
        .where(Visit.id.in_(id_list))
    ).all()
    names = catalogues.unit_names(session, {code for r in rows for code in (r.commune_code, r.province_code) if code})
    by_id = {
        r.id: VisitRow(
            id=r.id,
            received_at=r.received_at,
            reception_kind=r.reception_kind,
            citizen_name=confidential.shown(actor, r.full_name, r.confidential) or "",
            id_number=confidential.shown(actor, r.id_number, r.confidential),
            address=confidential.shown(
                actor,
                format_address(r.address_detail, names.get(r.commune_code or ""), names.get(r.province_code or "")),
                r.confidential,
            )
            or "",
            head_count=r.head_count,
            is_crowd=r.is_crowd,
            matter_kind=r.matter_kind,
            summary=r.summary,
            outcome=r.outcome,
            officer_name=r.officer_name,
            leader_name=r.leader_name,
        )
        for r in rows
    }
    return [by_id[i] for i in id_list if i in by_id]


def visits_on(session: Session, actor: Actor, day: dt.date) -> list[VisitRow]:
    """Today's board: the day's visits, newest first."""
    ids = visit_ids(session, VisitFilter(date_from=day, date_to=day))
    return visit_rows(session, actor, ids)
