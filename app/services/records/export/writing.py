"""Writing an export: the query, the rows in batches, the write-only workbook under a temporary name."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Select, String, func, select, type_coerce
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, AdminUnit, Citizen, FieldCategory, Petition, Visit
from app.models.base import CodeEnum
from app.services.common.actor import Actor
from app.services.common.errors import ValidationError
from app.services.records.export.columns import (
    BATCH,
    DATE_FORMAT,
    DATETIME_FORMAT,
    DEFAULT_COLUMNS,
    Cancelled,
    ExportCancelled,
    ExportColumn,
    Getter,
    Progress,
    Row,
    _catalogue,
    _Context,
    _Plan,
    check_columns,
)
from app.services.records.xlsx_safe import SafeTextColumn, atomic_path, text_cell
from app.services.security import audit, confidential
from app.services.security.crypto import EncryptedText
from app.services.security.permissions import Permission, require

# ---- export -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSpec:
    entity: str
    columns: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    ids: tuple[int, ...] | None = None  # the current filtered list, in its order


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def _visit_columns() -> dict[str, Any]:
    return {
        "id": Visit.id,
        "received_at": Visit.received_at,
        "received_on": Visit.received_on,
        "reception_kind": Visit.reception_kind,
        "head_count": Visit.head_count,
        "is_crowd": Visit.is_crowd,
        "matter_kind": Visit.matter_kind,
        "field_code": Visit.field_code,
        "summary": Visit.summary,
        "documents_received": Visit.documents_received,
        "outcome": Visit.outcome,
        "outcome_note": Visit.outcome_note,
        "matter_state": Visit.matter_state,
        "resolved_by": Visit.resolved_by,
        "officer_name": Visit.officer_name,
        "leader_name": Visit.leader_name,
        **_citizen_columns(),
        "confidential": Citizen.confidential,
    }


def _citizen_columns() -> dict[str, Any]:
    return {
        "citizen_id": Citizen.id,
        "full_name": Citizen.full_name,
        "id_number": Citizen.id_number,
        "birth_year": Citizen.birth_year,
        "phone": Citizen.phone,
        "address_detail": Citizen.address_detail,
        "commune_code": Citizen.commune_code,
        "province_code": Citizen.province_code,
    }


def _petition_columns() -> dict[str, Any]:
    return {
        "id": Petition.id,
        "reg_seq": Petition.reg_seq,
        "reg_year": Petition.reg_year,
        "received_on": Petition.received_on,
        "source": Petition.source,
        "incoming_doc_number": Petition.incoming_doc_number,
        "incoming_doc_date": Petition.incoming_doc_date,
        "sender_kind": Petition.sender_kind,
        "organisation_name": Petition.organisation_name,
        "head_count": Petition.head_count,
        "kind": Petition.kind,
        "field_code": Petition.field_code,
        "summary": Petition.summary,
        "eligible": Petition.eligible,
        "competence": Petition.competence,
        "status": Petition.status,
        "result": Petition.result,
        "closed_on": Petition.closed_on,
        **_citizen_columns(),
        "confidential": func.coalesce(Citizen.confidential, False),
    }


def _needed(entity: str, keys: Sequence[str]) -> set[str]:
    """The query columns the chosen export columns read (the id always: list order and look-ups)."""
    catalogue = _catalogue(entity)
    return {"id", *(name for key in keys if key in catalogue for name in catalogue[key].needs)}


def _raw(column: Any) -> Any:
    """Identity and vocabulary columns as stored: ``_Plan`` decodes them once per citizen / per code."""
    if isinstance(column.type, EncryptedText | CodeEnum):
        return type_coerce(column, String())
    return column


def _chosen(available: dict[str, Any], needed: set[str] | None) -> dict[str, Any]:
    return {name: column for name, column in available.items() if needed is None or name in needed}


def _select(chosen: dict[str, Any]) -> list[Any]:
    return [_raw(column).label(name) for name, column in chosen.items()]


def _statement(spec: ExportSpec) -> tuple[Select[Any], Any, dict[str, Any], Select[Any]]:
    """The query, the model's id column, each selected column's own type (in select order) and a count.

    The count feeds the progress bar only, so for visits it skips the join (every visit has its citizen).
    """
    needed = _needed(spec.entity, spec.columns or DEFAULT_COLUMNS.get(spec.entity, ()))
    if spec.entity == "visits":
        chosen = _chosen(_visit_columns(), needed)
        stmt = select(*_select(chosen)).join(Citizen, Citizen.id == Visit.citizen_id)
        count = select(func.count()).select_from(Visit).where(Visit.deleted_at.is_(None))
        stmt = stmt.where(Visit.deleted_at.is_(None))
        # ``received_on`` is the local day of ``received_at``: filtering on the equivalent
        # ``received_at`` range lets the database walk ix_visit_received_at_id in order
        # instead of sorting the whole period in a temporary B-tree.
        if spec.date_from:
            since = Visit.received_at >= _local_midnight(spec.date_from)
            stmt, count = stmt.where(since), count.where(since)
        if spec.date_to:
            until = Visit.received_at < _local_midnight(spec.date_to + dt.timedelta(days=1))
            stmt, count = stmt.where(until), count.where(until)
        return stmt.order_by(Visit.received_at, Visit.id), Visit.id, _types(chosen), count
    chosen = _chosen(_petition_columns(), needed)
    stmt = select(*_select(chosen)).outerjoin(Citizen, Citizen.id == Petition.citizen_id)
    stmt = stmt.where(Petition.deleted_at.is_(None))
    day = Petition.received_on
    if spec.date_from:
        stmt = stmt.where(day >= spec.date_from)
    if spec.date_to:
        stmt = stmt.where(day <= spec.date_to)
    count = select(func.count()).select_from(stmt.order_by(None).subquery())
    return stmt.order_by(day, Petition.reg_year, Petition.reg_seq), Petition.id, _types(chosen), count


def _types(chosen: dict[str, Any]) -> dict[str, Any]:
    return {name: column.type for name, column in chosen.items()}


def _local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in Vietnam time (``TZDateTime`` binds it as UTC, as stored)."""
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ)


def _rows(
    session: Session, stmt: Select[Any], model_id: Any, count: Select[Any], spec: ExportSpec
) -> tuple[int, Iterator[Any]]:
    # Core execution on the session's connection (same transaction): no ORM result layer per row.
    connection = session.connection()
    if spec.ids is not None:
        ids = list(spec.ids)

        def in_list_order() -> Iterator[Any]:
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                found = {r.id: r for r in connection.execute(stmt.where(model_id.in_(chunk)).order_by(None))}
                yield from (found[i] for i in chunk if i in found)

        return len(ids), in_list_order()
    total = connection.execute(count).scalar() or 0
    return total, iter(connection.execute(stmt.execution_options(yield_per=BATCH)))


@dataclass
class _Job:
    keys: tuple[str, ...]
    columns: list[ExportColumn]
    getters: list[Getter]  # per column: result row → the value the cell shows
    context: _Context
    total: int
    rows: Iterator[Any]


def _prepare(session: Session, actor: Actor, spec: ExportSpec) -> _Job:
    require(actor, Permission.EXPORT)
    keys = check_columns(spec.entity, spec.columns or DEFAULT_COLUMNS.get(spec.entity, ()))
    columns = [_catalogue(spec.entity)[k] for k in keys]
    if spec.date_from and spec.date_to and spec.date_to < spec.date_from:
        raise ValidationError({"period": "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."})
    context = _Context(
        actor=actor,
        units={code: name for code, name in session.execute(select(AdminUnit.code, AdminUnit.name))},
        fields={code: name for code, name in session.execute(select(FieldCategory.code, FieldCategory.name))},
        see_identity=confidential.can_see(actor),
    )
    stmt, model_id, types, count = _statement(spec)
    plan = _Plan(types, context, session.get_bind().dialect)
    total, rows = _rows(session, stmt, model_id, count, spec)
    return _Job(keys, columns, [col.make(plan) for col in columns], context, total, rows)


def plain_values(session: Session, actor: Actor, spec: ExportSpec) -> tuple[list[str], Iterator[list[Any]]]:
    """The headers and, row by row, the values ``export`` writes, as plain Python values.

    No styles and no formula guard: a reference for comparisons (``bench/bench_export.py`` gives
    these to a bare openpyxl workbook as the speed floor), never for writing a file.
    """
    job = _prepare(session, actor, spec)
    stt = [i for i, col in enumerate(job.columns) if col.key == "stt"]

    def values() -> Iterator[list[Any]]:
        for done, row in enumerate(job.rows, start=1):
            cells = [get(row) for get in job.getters]
            for i in stt:
                cells[i] = done
            yield cells

    return [col.header for col in job.columns], values()


def export(
    session: Session,
    actor: Actor,
    spec: ExportSpec,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Write the register to ``path``; ``progress(done, total)`` is called as rows are written.

    Raises ``ExportCancelled`` when ``cancelled()`` turns true; no file is left behind then.
    """
    job = _prepare(session, actor, spec)
    path = Path(path)
    with atomic_path(path) as tmp:
        written = _write(tmp, spec.entity, job, progress, cancelled)
    audit.record(
        session,
        actor,
        "export",
        spec.entity,
        None,
        after={
            "file": path.name,
            "rows": written,
            "columns": list(job.keys),
            "from": spec.date_from,
            "to": spec.date_to,
            "selection": "list" if spec.ids is not None else "period",
            "masked": not job.context.see_identity,
        },
    )
    return ExportResult(path, written)


SHEET_NAMES = {"visits": "Sổ tiếp công dân", "petitions": "Sổ theo dõi đơn"}


def _write(path: Path, entity: str, job: _Job, progress: Progress | None, cancelled: Cancelled | None) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAMES[entity])
    for i, col in enumerate(job.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    header_font = Font(name="Times New Roman", size=12, bold=True)
    wrap = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.append([text_cell(ws, col.header, font=header_font, alignment=wrap) for col in job.columns])
    # One function per column, chosen once: result row → what ``ws.append`` takes for that cell.
    writers: list[Getter] = []
    for col, get in zip(job.columns, job.getters, strict=True):
        if col.kind == "text" and col.guard:
            writers.append(SafeTextColumn(ws).wrap(get))
        elif col.kind in ("date", "datetime"):
            writers.append(_DateColumn(ws, DATE_FORMAT if col.kind == "date" else DATETIME_FORMAT).wrap(get))
        else:
            writers.append(get)
    try:
        done = _append_rows(ws, writers, job, progress, cancelled)
    except BaseException:
        _discard(wb)
        raise
    wb.save(path)
    if progress is not None:
        progress(done, max(job.total, done))
    return done


def _discard(wb: Workbook) -> None:
    """Close an abandoned write-only workbook's streams (its file is removed by ``atomic_path``)."""
    for ws in wb.worksheets:
        for stream in (getattr(ws, "_rows", None), getattr(ws, "_writer", None)):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.close()


def _append_rows(
    ws: Any, writers: list[Getter], job: _Job, progress: Progress | None, cancelled: Cancelled | None
) -> int:
    stt = [i for i, col in enumerate(job.columns) if col.key == "stt"]
    append, total = ws.append, job.total
    done = 0
    for row in job.rows:
        values = [write(row) for write in writers]
        done += 1
        for i in stt:
            values[i] = done
        append(values)
        if done % 500 == 0:
            if cancelled is not None and cancelled():
                raise ExportCancelled()
            if progress is not None:
                progress(done, total)
    if cancelled is not None and cancelled():
        raise ExportCancelled()
    return done


class _DateColumn:
    """A reused styled cell: a date shown dd/mm/yyyy (a real Excel date, not text)."""

    def __init__(self, ws: Any, number_format: str) -> None:
        self._cell = WriteOnlyCell(ws)
        self._cell.number_format = number_format

    def wrap(self, get: Getter) -> Getter:
        cell = self._cell

        def value(row: Row) -> Any:
            day = get(row)
            if day is None:
                return None
            # Assigning ``.value`` re-checks the number format against the style table (costly per
            # cell); the type is known, so set it directly (the writer turns 'd' into a serial number).
            cell._value = day
            cell.data_type = "d"
            return cell

        return value
