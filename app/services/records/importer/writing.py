"""Classifying and converting the rows, matching returning citizens, writing one import batch and its error workbook."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, Citizen, ImportBatch, Petition, User, Visit
from app.models.enums import MatterKind
from app.models.mixins import now_local
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, RuleViolation, ValidationError
from app.services.common.text import fold
from app.services.reception import visits
from app.services.reception.citizens import CitizenInput, citizen_input, id_digest
from app.services.records.importer.cells import (
    ERROR_SUFFIX,
    RECEIVED_HOUR,
    Cancelled,
    CellError,
    ImportCancelled,
    Progress,
    _text,
    is_blank,
    parse_date,
    parse_id_number,
    parse_int,
    parse_kind,
    parse_name,
    parse_outcome,
    parse_reception_kind,
)
from app.services.records.importer.mapping import (
    Mapping,
    Sheet,
    _is_numbering,
    apply_mapping,
    propose_mapping,
    read_sheet,
)
from app.services.records.xlsx_safe import atomic_path, write_text
from app.services.security import audit
from app.services.security.permissions import Permission, require

# ---- classifying and converting rows -------------------------------------------------------------


@dataclass(frozen=True)
class RowIssue:
    row: int  # 1-based, as Excel shows it
    reasons: tuple[str, ...]
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class PreviewRow:
    row: int
    received_on: dt.date
    full_name: str
    id_number: str | None
    kind: MatterKind
    summary: str
    citizen: str  # "mới" or "đã có (#id)"


@dataclass(frozen=True)
class ImportResult:
    batch_id: int | None
    dry_run: bool
    imported: int
    rejected: int
    skipped: tuple[RowIssue, ...]
    errors: tuple[RowIssue, ...]
    new_citizens: int
    matched_citizens: int
    error_workbook: Path | None
    preview: tuple[PreviewRow, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return self.imported + self.rejected

    @property
    def summary(self) -> str:
        return f"Đã nhập {self.imported} dòng, từ chối {self.rejected} dòng, tổng số {self.total} dòng."


def _skip_reason(row: Sequence[Any], mapping: Mapping) -> str | None:
    filled = [v for v in row if not is_blank(v)]
    if not filled:
        return "Dòng trống"
    if _is_numbering(row):
        return "Dòng đánh số cột"
    texts = [fold(_text(v)) for v in filled if isinstance(v, str)]
    name_col = mapping.column_of("full_name")
    name = fold(_text(row[name_col])) if name_col is not None else ""
    if any(re.match(r"^(cong|tong|tong cong|cong don)\b", t) for t in texts) and (
        not name or re.match(r"^(cong|tong)\b", name)
    ):
        return "Dòng cộng, tổng"
    date_col = mapping.column_of("received_on")
    if len(filled) == 1 and isinstance(filled[0], str) and (date_col is None or is_blank(row[date_col])):
        return "Dòng tiêu đề nhóm (tháng, quý…)"
    return None


@dataclass(frozen=True)
class _Parsed:
    visit: visits.VisitInput
    received_on: dt.date


def _cell(row: Sequence[Any], mapping: Mapping, target: str) -> Any:
    col = mapping.column_of(target)
    return None if col is None else row[col]


def _parse_row(row: Sequence[Any], mapping: Mapping, today: dt.date) -> tuple[_Parsed | None, list[str]]:
    reasons: list[str] = []

    def attempt(fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except CellError as exc:
            reasons.append(str(exc))
            return None

    received = attempt(lambda: parse_date(_cell(row, mapping, "received_on"), today=today))
    name = attempt(lambda: parse_name(_cell(row, mapping, "full_name")))
    id_number = attempt(lambda: parse_id_number(_cell(row, mapping, "id_number")))
    birth_year = attempt(lambda: parse_int(_cell(row, mapping, "birth_year"), "Năm sinh", 1900, today.year))
    head_count = attempt(lambda: parse_int(_cell(row, mapping, "head_count"), "Số người", 1, 10_000))
    kind = attempt(lambda: parse_kind(_cell(row, mapping, "kind")))
    summary = _text(_cell(row, mapping, "summary"))
    if not summary:
        reasons.append("Thiếu nội dung công dân trình bày.")
    if reasons:
        return None, reasons
    handling = _text(_cell(row, mapping, "handling"))
    notes = [t for t in (_text(_cell(row, mapping, "result")), _text(_cell(row, mapping, "note"))) if t]
    crowd_size = head_count or 1
    data = visits.VisitInput(
        reception_kind=parse_reception_kind(_cell(row, mapping, "reception_kind")),
        citizen=CitizenInput(
            full_name=name,
            id_number=id_number,
            birth_year=birth_year,
            phone=_text(_cell(row, mapping, "phone")) or None,
            address_detail=_text(_cell(row, mapping, "address")) or None,
        ),
        summary=summary,
        matter_kind=kind,
        outcome=parse_outcome(handling),
        received_at=dt.datetime.combine(received, dt.time(RECEIVED_HOUR), tzinfo=LOCAL_TZ),
        officer_name=_text(_cell(row, mapping, "officer")) or None,
        leader_name=_text(_cell(row, mapping, "leader")) or None,
        head_count=crowd_size,
        outcome_note="; ".join(([handling] if handling else []) + notes) or None,
        documents_received=_text(_cell(row, mapping, "documents")) or None,
    )
    return _Parsed(data, received), []


# ---- returning citizens -------------------------------------------------------------------------


def _find_citizen(session: Session, data: CitizenInput, protect: bool) -> int | None:
    """An existing citizen: by CCCD digest, else by exact folded name and birth year or address."""
    base = select(Citizen).where(Citizen.deleted_at.is_(None), Citizen.confidential.is_(protect))
    if data.id_number:
        found = session.scalar(
            base.where(Citizen.id_number_digest == id_digest(data.id_number)).order_by(Citizen.id).limit(1)
        )
        return found.id if found else None
    if protect or not (data.birth_year or data.address_detail):
        return None  # a denouncer's record is never matched by name (app.services.reception.citizens)
    candidates = session.scalars(base.where(Citizen.name_folded == fold(data.full_name)).order_by(Citizen.id))
    for c in candidates:
        if data.birth_year and c.birth_year == data.birth_year:
            return c.id
        if data.address_detail and c.address_detail and fold(c.address_detail) == fold(data.address_detail):
            return c.id
    return None


def _merged(session: Session, citizen_id: int, data: CitizenInput) -> CitizenInput:
    """The stored citizen with the register's values only filling what is blank (newer data wins)."""
    stored = citizen_input(session, citizen_id)
    return replace(
        stored,
        id_number=stored.id_number or data.id_number,
        birth_year=stored.birth_year or data.birth_year,
        phone=stored.phone or data.phone,
        address_detail=stored.address_detail or data.address_detail,
    )


# ---- the run ------------------------------------------------------------------------------------


def run_import(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    corrections: dict[str, str | None] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    today: dt.date | None = None,
    write_errors: bool = True,
) -> ImportResult:
    """Import one register file as one batch (or rehearse it with ``dry_run``: nothing is kept)."""
    require(actor, Permission.IMPORT)
    path = Path(path)
    sheet = read_sheet(path)
    mapping = propose_mapping(sheet)
    if corrections:
        mapping = apply_mapping(mapping, corrections)
    if mapping.missing():
        raise ValidationError(
            {"mapping": f"Chưa xác định được cột: {', '.join(mapping.missing())}. Chọn lại cột ở bước ánh xạ."}
        )
    today = today or now_local().date()
    outer = session.begin_nested()
    try:
        result = _run(session, actor, sheet, mapping, dry_run, progress, cancelled, today)
    except BaseException:
        outer.rollback()
        raise
    if dry_run:
        outer.rollback()
    else:
        outer.commit()
    workbook = None
    if write_errors and (result.errors or result.skipped):
        workbook = write_error_workbook(sheet, mapping, result.errors, result.skipped)
    return replace(result, error_workbook=workbook)


def _run(
    session: Session,
    actor: Actor,
    sheet: Sheet,
    mapping: Mapping,
    dry_run: bool,
    progress: Progress | None,
    cancelled: Cancelled | None,
    today: dt.date,
) -> ImportResult:
    batch = ImportBatch(source_name=sheet.path.name[:400], created_by=actor.user_id)
    session.add(batch)
    session.flush()
    last_citizen = session.scalar(select(func.max(Citizen.id))) or 0
    imported = new = matched = 0
    errors: list[RowIssue] = []
    skipped: list[RowIssue] = []
    preview: list[PreviewRow] = []
    rows = sheet.rows[mapping.header_row :]
    for offset, row in enumerate(rows):
        number = mapping.header_row + offset + 1
        if offset % 50 == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled()
            if progress is not None:
                progress(offset, len(rows))
        reason = _skip_reason(row, mapping)
        if reason:
            if reason != "Dòng trống":
                skipped.append(RowIssue(number, (reason,), tuple(row)))
            continue
        parsed, reasons = _parse_row(row, mapping, today)
        if parsed is None:
            errors.append(RowIssue(number, tuple(reasons), tuple(row)))
            continue
        data = parsed.visit
        protect = data.matter_kind == MatterKind.DENUNCIATION
        existing = _find_citizen(session, data.citizen, protect)
        if existing is not None:
            data = replace(data, citizen=_merged(session, existing, data.citizen), citizen_id=existing)
        try:
            with session.begin_nested():
                saved = visits.register_visit(session, actor, data)
                visit = session.get(Visit, saved.id)
                assert visit is not None
                visit.import_batch_id = batch.id
                citizen = session.get(Citizen, saved.citizen_id)
                assert citizen is not None
                is_new = saved.citizen_id > last_citizen and citizen.import_batch_id is None
                if is_new:
                    citizen.import_batch_id = batch.id
                session.flush()
        except ValidationError as exc:
            errors.append(RowIssue(number, tuple(exc.fields.values()), tuple(row)))
            continue
        imported += 1
        new += int(is_new)
        matched += int(existing is not None)
        if len(preview) < 200:
            preview.append(
                PreviewRow(
                    number,
                    parsed.received_on,
                    data.citizen.full_name,
                    data.citizen.id_number,
                    data.matter_kind,
                    data.summary,
                    f"đã có (#{existing})" if existing is not None else ("mới" if is_new else "đã có"),
                )
            )
    batch.imported = imported
    batch.rejected = len(errors)
    session.flush()
    audit.record(
        session,
        actor,
        "import",
        "import_batch",
        batch.id,
        after={"file": sheet.path.name, "imported": imported, "rejected": len(errors), "dry_run": dry_run},
    )
    if progress is not None:
        progress(len(rows), len(rows))
    return ImportResult(
        batch_id=None if dry_run else batch.id,
        dry_run=dry_run,
        imported=imported,
        rejected=len(errors),
        skipped=tuple(skipped),
        errors=tuple(errors),
        new_citizens=new,
        matched_citizens=matched,
        error_workbook=None,
        preview=tuple(preview),
    )


# ---- the error workbook -------------------------------------------------------------------------


def error_workbook_path(source: Path) -> Path:
    return source.with_name(f"{source.stem}{ERROR_SUFFIX}.xlsx")


def write_error_workbook(
    sheet: Sheet, mapping: Mapping, errors: Sequence[RowIssue], skipped: Sequence[RowIssue]
) -> Path:
    """Rejected rows with their original cells, row number and reason; fix them and import this file."""
    target = error_workbook_path(sheet.path)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Dòng lỗi"
    bold = Font(name="Times New Roman", size=12, bold=True)
    normal = Font(name="Times New Roman", size=12)
    red = Font(name="Times New Roman", size=12, color="C00000")
    headers = [c.header.split(" / ")[-1] if c.header else "" for c in mapping.columns]
    all_headers = [*headers, "Dòng gốc", "Lý do"]
    wrap = Alignment(wrap_text=True, vertical="top")
    for col, text in enumerate(all_headers, start=1):
        write_text(ws, 1, col, text, font=bold, alignment=Alignment(horizontal="center", wrap_text=True))
        ws.cell(1, col).fill = PatternFill("solid", fgColor="DDEBF7")
    for r, issue in enumerate(errors, start=2):
        for col, value in enumerate(issue.values, start=1):
            _write_value(ws, r, col, value, normal)
        ws.cell(r, len(headers) + 1, issue.row).font = normal
        write_text(ws, r, len(headers) + 2, "; ".join(issue.reasons), font=red, alignment=wrap)
    for col, text in enumerate(all_headers, start=1):
        ws.column_dimensions[get_column_letter(col)].width = min(40, max(9, len(text) + 4))
    ws.column_dimensions[get_column_letter(len(all_headers))].width = 60
    ws.freeze_panes = "A2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    other = wb.create_sheet("Dòng bỏ qua")
    write_text(other, 1, 1, "Dòng gốc", font=bold)
    write_text(other, 1, 2, "Lý do bỏ qua", font=bold)
    write_text(other, 1, 3, "Nội dung dòng", font=bold)
    for r, issue in enumerate(skipped, start=2):
        other.cell(r, 1, issue.row)
        write_text(other, r, 2, issue.reasons[0])
        write_text(other, r, 3, " | ".join(_text(v) for v in issue.values if not is_blank(v))[:500])
    other.column_dimensions["B"].width = 30
    other.column_dimensions["C"].width = 80
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


def _write_value(ws: Any, row: int, col: int, value: Any, font: Font) -> None:
    if is_blank(value):
        return
    if isinstance(value, str):
        write_text(ws, row, col, value, font=font)
        return
    if isinstance(value, dt.timedelta | dt.time):
        write_text(ws, row, col, str(value), font=font)
        return
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)  # calamine reads every number as a float; 67.0 was typed as 67
    cell = ws.cell(row, col, value)
    cell.font = font
    if isinstance(value, dt.date | dt.datetime):
        cell.number_format = "dd/mm/yyyy"
    elif isinstance(value, int) and value >= 10**8:
        cell.number_format = "0"  # an identity number stored as a number: show every digit


# ---- undo ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UndoResult:
    visits: int
    citizens: int


def undo_import(session: Session, actor: Actor, batch_id: int) -> UndoResult:
    """Soft-delete every visit and citizen the batch created (a citizen still used elsewhere stays)."""
    require(actor, Permission.IMPORT)
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFoundError(f"Không tìm thấy lô nhập dữ liệu số {batch_id}.")
    if batch.undone_at is not None:
        raise RuleViolation(f"Lô nhập số {batch_id} đã được hoàn tác lúc {batch.undone_at:%H:%M %d/%m/%Y}.")
    now = now_local()
    reason = f"Hoàn tác lô nhập dữ liệu số {batch_id} ({batch.source_name})"
    removed = 0
    for visit in session.scalars(select(Visit).where(Visit.import_batch_id == batch_id, Visit.deleted_at.is_(None))):
        visit.deleted_at = now
        visit.delete_reason = reason
        removed += 1
    session.flush()
    citizens = 0
    for citizen in session.scalars(
        select(Citizen).where(Citizen.import_batch_id == batch_id, Citizen.deleted_at.is_(None))
    ):
        in_use = session.scalar(
            select(func.count()).select_from(Visit).where(Visit.citizen_id == citizen.id, Visit.deleted_at.is_(None))
        ) or session.scalar(
            select(func.count())
            .select_from(Petition)
            .where(Petition.citizen_id == citizen.id, Petition.deleted_at.is_(None))
        )
        if not in_use:
            citizen.deleted_at = now
            citizen.delete_reason = reason
            citizens += 1
    batch.undone_at = now
    session.flush()
    audit.record(
        session,
        actor,
        "delete",
        "import_batch",
        batch_id,
        after={"visits": removed, "citizens": citizens},
        reason=reason,
    )
    return UndoResult(removed, citizens)


@dataclass(frozen=True)
class BatchRow:
    id: int
    source_name: str
    created_at: dt.datetime
    imported: int
    rejected: int
    undone_at: dt.datetime | None
    created_by: str = ""  # the importing user's full name ("" for the command line)


def list_batches(session: Session) -> list[BatchRow]:
    """Every import batch, newest first, with the name of the user who ran it."""
    rows = session.execute(
        select(ImportBatch, User.full_name)
        .outerjoin(User, User.id == ImportBatch.created_by)
        .order_by(ImportBatch.id.desc())
    )
    return [
        BatchRow(b.id, b.source_name, b.created_at, b.imported, b.rejected, b.undone_at, name or "") for b, name in rows
    ]
