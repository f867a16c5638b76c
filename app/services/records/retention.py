"""Filed petitions (lưu đơn) whose retention has passed: listed, exported, and marked once disposed of.

A petition that is not processed is filed and its paper kept at least the retention period of the
setting ``petition.filed_retention`` (1 year by default, with its source). Once that has passed the
paper may be destroyed by the office's procedure; the software then records *that* it was destroyed
(the day and the minutes), audited, so the list stops offering it. The petition row itself stays:
reports of past periods still count it, and nothing is deleted silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Petition, PetitionDisposal, PetitionEvent
from app.models.enums import HandlingAction, MatterKind, PetitionStatus
from app.services.casework import petitions
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.errors import ValidationError
from app.services.common.text import nfc_or_none
from app.services.common.vocab import label
from app.services.records import xlsx_safe
from app.services.security import audit
from app.services.security.permissions import Permission, require

MINUTES_MAX = 120  # the column's length (migration 0013)


@dataclass(frozen=True)
class RetentionRule:
    years: int
    source: str
    to_confirm: str | None = None

    def text(self) -> str:
        cited = f" ({self.source})" if self.source else ""
        return f"Đơn lưu được giữ ít nhất {self.years} năm kể từ ngày lưu{cited}."


def rule(session: Session) -> RetentionRule:
    raw: Any = settings.get(session, settings.FILED_RETENTION)
    try:
        years = int(raw["years"])
    except (KeyError, TypeError, ValueError):
        years = 0
    if years < 1:
        raise ValidationError({"petition.filed_retention": "Thời hạn lưu đơn (“years”) phải là số năm, từ 1 trở lên."})
    return RetentionRule(years, str(raw.get("source", "")), raw.get("to_confirm") or None)


def kept_until(filed_on: dt.date, years: int) -> dt.date:
    """The last day of the retention: the same day ``years`` later (29/02 → 28/02); disposal from the next day."""
    try:
        return filed_on.replace(year=filed_on.year + years)
    except ValueError:
        return filed_on.replace(year=filed_on.year + years, day=28)


@dataclass(frozen=True)
class ExpiredPetition:
    id: int
    number: str
    received_on: dt.date
    filed_on: dt.date
    kept_until: dt.date
    kind: MatterKind
    sender: str
    summary: str
    reason: str

    @property
    def kind_label(self) -> str:
        return label(self.kind)

    def cells(self) -> tuple[str, ...]:
        """The row as the list and the spreadsheet show it, after the running number."""
        return (
            self.number,
            f"{self.received_on:%d/%m/%Y}",
            f"{self.filed_on:%d/%m/%Y}",
            f"{self.kept_until:%d/%m/%Y}",
            self.kind_label,
            self.sender,
            self.summary,
            self.reason,
        )


def _filed_on(session: Session) -> Any:
    """Each filed petition's filing day: its latest "lưu đơn" step."""
    return (
        select(PetitionEvent.petition_id, func.max(PetitionEvent.occurred_on).label("filed_on"))
        .where(PetitionEvent.action == HandlingAction.FILE)
        .group_by(PetitionEvent.petition_id)
        .subquery()
    )


def expired(session: Session, actor: Actor, as_of: dt.date | None = None) -> list[ExpiredPetition]:
    """Filed petitions whose retention ended before ``as_of`` (today) and whose paper is not yet disposed of,
    oldest filing first; denouncers masked for ``actor``."""
    require(actor, Permission.PROCESS_PETITION)
    day = as_of or local_today()
    years = rule(session).years
    filed = _filed_on(session)
    rows = session.execute(
        select(Petition.id, filed.c.filed_on)
        .join(filed, filed.c.petition_id == Petition.id)
        .outerjoin(PetitionDisposal, PetitionDisposal.petition_id == Petition.id)
        .where(
            Petition.status == PetitionStatus.FILED,
            Petition.deleted_at.is_(None),
            PetitionDisposal.id.is_(None),
        )
        .order_by(filed.c.filed_on, Petition.id)
    ).all()
    due = [(pid, on) for pid, on in rows if kept_until(on, years) < day]
    if not due:
        return []
    shown = {r.id: r for r in petitions.petition_rows(session, actor, [pid for pid, _ in due])}
    reasons = dict(
        session.execute(
            select(PetitionEvent.petition_id, PetitionEvent.reason)
            .where(PetitionEvent.action == HandlingAction.FILE, PetitionEvent.petition_id.in_([p for p, _ in due]))
            .order_by(PetitionEvent.occurred_on, PetitionEvent.id)
        ).all()
    )
    return [
        ExpiredPetition(
            id=pid,
            number=shown[pid].number,
            received_on=shown[pid].received_on,
            filed_on=on,
            kept_until=kept_until(on, years),
            kind=shown[pid].kind,
            sender=shown[pid].sender,
            summary=shown[pid].summary,
            reason=reasons.get(pid) or "",
        )
        for pid, on in due
        if pid in shown
    ]


def mark_disposed(
    session: Session,
    actor: Actor,
    petition_ids: list[int],
    *,
    disposed_on: dt.date,
    minutes_ref: str,
    note: str | None = None,
) -> int:
    """Record that the paper of these filed petitions was destroyed on ``disposed_on`` under the minutes
    ``minutes_ref``; each is audited. Refuses (naming them) petitions whose retention had not passed."""
    require(actor, Permission.PROCESS_PETITION)
    errors: dict[str, str] = {}
    minutes = nfc_or_none(minutes_ref)
    if not minutes:
        errors["minutes_ref"] = "Ghi số, ngày biên bản tiêu hủy (vd. Biên bản số 03/BB-HĐ ngày 05/12/2026)."
    elif len(minutes) > MINUTES_MAX:
        errors["minutes_ref"] = f"Số biên bản dài quá {MINUTES_MAX} ký tự; viết gọn lại."
    if disposed_on > local_today():
        errors["disposed_on"] = "Ngày tiêu hủy không được sau ngày hôm nay."
    if not petition_ids:
        errors["petitions"] = "Chọn ít nhất một đơn đã hết thời hạn lưu."
    eligible = {p.id: p for p in expired(session, actor, disposed_on)} if petition_ids else {}
    refused = [pid for pid in petition_ids if pid not in eligible]
    if refused:
        numbers = ", ".join(_number(session, pid) for pid in refused)
        errors["petitions"] = (
            f"Đơn số {numbers} chưa hết thời hạn lưu vào ngày {disposed_on:%d/%m/%Y}, không phải đơn lưu "
            "hoặc đã ghi tiêu hủy; bỏ chọn các đơn này."
        )
    if errors:
        raise ValidationError(errors)
    assert minutes is not None
    for pid in dict.fromkeys(petition_ids):
        disposal = PetitionDisposal(
            petition_id=pid,
            disposed_on=disposed_on,
            minutes_ref=minutes,
            note=nfc_or_none(note),
            recorded_by=actor.user_id,
        )
        session.add(disposal)
        session.flush()
        audit.record(
            session,
            actor,
            "dispose",
            "petition",
            pid,
            after={"disposed_on": disposed_on, "minutes_ref": minutes, "filed_on": eligible[pid].filed_on},
            reason=minutes,
        )
    return len(set(petition_ids))


def _number(session: Session, petition_id: int) -> str:
    petition = session.get(Petition, petition_id)
    return petitions.number_of(petition.reg_seq, petition.reg_year) if petition is not None else f"#{petition_id}"


HEADERS = (
    "STT",
    "Số đơn",
    "Ngày nhận",
    "Ngày lưu",
    "Lưu đến hết ngày",
    "Loại đơn",
    "Người gửi",
    "Nội dung",
    "Lý do lưu",
)
WIDTHS = (6, 12, 12, 12, 16, 18, 28, 60, 40)


def export_xlsx(session: Session, actor: Actor, target: Path, as_of: dt.date | None = None) -> int:
    """The list of ``expired`` as an xlsx (every text cell through ``xlsx_safe``); returns the row count."""
    require(actor, Permission.EXPORT)
    day = as_of or local_today()
    rows = expired(session, actor, day)
    current = rule(session)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Đơn lưu hết hạn"
    bold = Font(name="Times New Roman", bold=True, size=13)
    xlsx_safe.write_text(ws, 1, 1, f"DANH SÁCH ĐƠN LƯU ĐÃ HẾT THỜI HẠN LƯU (tính đến ngày {day:%d/%m/%Y})", font=bold)
    xlsx_safe.write_text(ws, 2, 1, current.text())
    for col, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        xlsx_safe.write_text(ws, 4, col, title, font=bold, alignment=Alignment(wrap_text=True, vertical="center"))
        ws.column_dimensions[ws.cell(row=4, column=col).column_letter].width = width
    for n, r in enumerate(rows, start=1):
        line = 4 + n
        ws.cell(row=line, column=1, value=n)
        for col, text in enumerate(r.cells(), start=2):
            xlsx_safe.write_text(ws, line, col, text)
    ws.freeze_panes = "A5"
    with xlsx_safe.atomic_path(Path(target)) as tmp:
        wb.save(tmp)
    audit.record(session, actor, "export", "petition_retention", None, after={"as_of": day, "rows": len(rows)})
    return len(rows)
