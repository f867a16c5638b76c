"""Register export: visits or petitions to xlsx, with the columns the user picks and orders.

Streaming all the way: rows come from the database in batches (``yield_per``) and go straight into
a write-only workbook, so memory stays flat whatever the size. Text goes through
``xlsx_safe`` (never a formula), dates are real Excel dates shown dd/mm/yyyy, CCCD numbers stay
text (leading zeros kept). A denouncer's identity is masked for users without the right. The file
is written under a temporary name and renamed at the end: a cancelled or failed export leaves none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, AdminUnit, Citizen, ExportProfile, FieldCategory, Petition, Visit
from app.services import audit, confidential
from app.services.actor import Actor
from app.services.errors import AppError, NotFoundError, ValidationError
from app.services.permissions import Permission, require
from app.services.text import nfc
from app.services.vocab import label
from app.services.xlsx_safe import SafeTextColumn, atomic_path, text_cell

ENTITIES = ("visits", "petitions")
BATCH = 2_000
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class ExportCancelled(AppError):
    def __init__(self) -> None:
        super().__init__("Đã hủy xuất dữ liệu; không có tệp nào được tạo.")


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str
    width: float
    kind: str  # text | date | datetime | number
    value: Callable[[Any, _Context], Any]
    # The query columns ``value`` reads: an export selects (and decrypts) only what its columns need.
    needs: tuple[str, ...] = ()


@dataclass
class _Context:
    actor: Actor
    units: dict[str, str]
    fields: dict[str, str]
    see_identity: bool

    def identity(self, value: str | None, is_confidential: bool) -> str | None:
        if not is_confidential or self.see_identity:
            return value
        return confidential.MASK if value else None

    def address(self, r: Any) -> str | None:
        parts = [r.address_detail, self.units.get(r.commune_code or ""), self.units.get(r.province_code or "")]
        text = ", ".join(p for p in parts if p)
        return self.identity(text, bool(r.confidential)) if text else None


def _yes(value: bool | None) -> str:
    return "Có" if value else ""


def _identity(key: str, header: str, width: float, attr: str) -> ExportColumn:
    return ExportColumn(
        key,
        header,
        width,
        "text",
        lambda r, c: c.identity(getattr(r, attr), bool(r.confidential)),
        (attr, "confidential"),
    )


def _lbl(key: str, header: str, width: float, attr: str | None = None) -> ExportColumn:
    attr = attr or key
    return ExportColumn(key, header, width, "text", lambda r, c: label(getattr(r, attr)) or None, (attr,))


def _plain(key: str, header: str, width: float, kind: str = "text", attr: str | None = None) -> ExportColumn:
    attr = attr or key
    return ExportColumn(key, header, width, kind, lambda r, c: getattr(r, attr), (attr,))


def _local_time(r: Any, c: _Context) -> dt.datetime:
    # Excel has no time zones: write the local wall-clock time.
    return r.received_at.replace(tzinfo=None)  # type: ignore[no-any-return]


def _columns(*cols: ExportColumn) -> dict[str, ExportColumn]:
    return {c.key: c for c in cols}


_ADDRESS = ("address_detail", "commune_code", "province_code", "confidential")
_COMMON_CITIZEN = (
    _identity("citizen_name", "Họ và tên", 26, "full_name"),
    _identity("id_number", "Số CCCD/CMND", 15, "id_number"),
    ExportColumn(
        "birth_year",
        "Năm sinh",
        9,
        "number",
        lambda r, c: None if r.confidential and not c.see_identity else r.birth_year,
        ("birth_year", "confidential"),
    ),
    _identity("phone", "Điện thoại", 13, "phone"),
    ExportColumn("address", "Địa chỉ", 40, "text", lambda r, c: c.address(r), _ADDRESS),
)
_FIELD = ExportColumn("field", "Lĩnh vực", 22, "text", lambda r, c: c.fields.get(r.field_code or ""), ("field_code",))
_STT = ExportColumn("stt", "STT", 6, "number", lambda r, c: None)  # filled with the running number

VISIT_COLUMNS = _columns(
    _STT,
    _plain("received_on", "Ngày tiếp", 11, "date"),
    ExportColumn("received_at", "Thời gian tiếp", 16, "datetime", _local_time, ("received_at",)),
    _lbl("reception_kind", "Hình thức tiếp", 13),
    *_COMMON_CITIZEN,
    _plain("head_count", "Số người", 8, "number"),
    ExportColumn("is_crowd", "Đoàn đông người", 10, "text", lambda r, c: _yes(r.is_crowd), ("is_crowd",)),
    _lbl("matter_kind", "Phân loại", 13),
    _FIELD,
    _plain("summary", "Nội dung", 50),
    _plain("documents_received", "Tài liệu nhận", 24),
    _lbl("outcome", "Kết quả xử lý", 24),
    _plain("outcome_note", "Ghi chú kết quả", 24),
    _lbl("matter_state", "Tình trạng vụ việc", 22),
    _plain("officer_name", "Cán bộ tiếp", 20),
    _plain("leader_name", "Lãnh đạo tiếp", 20),
    _plain("id", "Mã lượt tiếp", 10, "number"),
)

PETITION_COLUMNS = _columns(
    _STT,
    ExportColumn("number", "Số đơn", 11, "text", lambda r, c: f"{r.reg_seq}/{r.reg_year}", ("reg_seq", "reg_year")),
    _plain("received_on", "Ngày nhận", 11, "date"),
    _lbl("source", "Nguồn đơn", 18),
    _plain("incoming_doc_number", "Số văn bản đến", 14),
    _plain("incoming_doc_date", "Ngày văn bản đến", 11, "date"),
    _lbl("sender_kind", "Người gửi là", 12),
    ExportColumn(
        "citizen_name",
        "Người gửi đơn",
        26,
        "text",
        lambda r, c: r.organisation_name or c.identity(r.full_name, bool(r.confidential)),
        ("organisation_name", "full_name", "confidential"),
    ),
    *_COMMON_CITIZEN[1:],
    _plain("head_count", "Số người", 8, "number"),
    _lbl("kind", "Phân loại", 13),
    _FIELD,
    _plain("summary", "Nội dung", 50),
    ExportColumn(
        "eligible",
        "Đủ điều kiện xử lý",
        10,
        "text",
        lambda r, c: None if r.eligible is None else ("Có" if r.eligible else "Không"),
        ("eligible",),
    ),
    _lbl("competence", "Thẩm quyền", 18),
    _lbl("status", "Trạng thái", 16),
    _lbl("result", "Kết quả giải quyết", 14),
    _plain("closed_on", "Ngày kết thúc", 11, "date"),
    _plain("id", "Mã đơn", 10, "number"),
)

CATALOGUE: dict[str, dict[str, ExportColumn]] = {"visits": VISIT_COLUMNS, "petitions": PETITION_COLUMNS}
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "visits": (
        "stt",
        "received_on",
        "citizen_name",
        "id_number",
        "address",
        "summary",
        "matter_kind",
        "documents_received",
        "outcome",
        "reception_kind",
        "leader_name",
    ),
    "petitions": (
        "stt",
        "number",
        "received_on",
        "citizen_name",
        "address",
        "source",
        "kind",
        "field",
        "summary",
        "competence",
        "status",
    ),
}


@dataclass(frozen=True)
class ColumnChoice:
    key: str
    header: str


def available_columns(entity: str) -> list[ColumnChoice]:
    return [ColumnChoice(c.key, c.header) for c in _catalogue(entity).values()]


def _catalogue(entity: str) -> dict[str, ExportColumn]:
    if entity not in CATALOGUE:
        raise ValidationError({"entity": "Chỉ xuất được “visits” (lượt tiếp) hoặc “petitions” (đơn thư)."})
    return CATALOGUE[entity]


def check_columns(entity: str, keys: Sequence[str]) -> tuple[str, ...]:
    catalogue = _catalogue(entity)
    unknown = [k for k in keys if k not in catalogue]
    if unknown:
        raise ValidationError(
            {"columns": f"Cột không có: {', '.join(unknown)}. Các cột dùng được: {', '.join(catalogue)}."}
        )
    if not keys:
        raise ValidationError({"columns": "Chọn ít nhất một cột để xuất."})
    if len(set(keys)) != len(keys):
        raise ValidationError({"columns": "Mỗi cột chỉ chọn một lần."})
    return tuple(keys)


# ---- profiles ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    entity: str
    columns: tuple[str, ...]


def list_profiles(session: Session, entity: str | None = None) -> list[Profile]:
    stmt = select(ExportProfile).order_by(ExportProfile.name)
    if entity:
        stmt = stmt.where(ExportProfile.entity == entity)
    return [Profile(p.id, p.name, p.entity, tuple(json.loads(p.columns_json))) for p in session.scalars(stmt)]


def get_profile(session: Session, name: str) -> Profile:
    row = session.scalar(select(ExportProfile).where(ExportProfile.name == nfc(name)))
    if row is None:
        raise NotFoundError(f"Không có mẫu xuất “{name}”. Lưu mẫu trong hộp thoại Xuất Excel trước.")
    return Profile(row.id, row.name, row.entity, tuple(json.loads(row.columns_json)))


def save_profile(session: Session, actor: Actor, name: str, entity: str, columns: Sequence[str]) -> Profile:
    """Create or replace the named profile (an ordered list of columns)."""
    require(actor, Permission.EXPORT)
    name = nfc(name or "")
    if not name:
        raise ValidationError({"name": "Đặt tên cho mẫu xuất."})
    keys = check_columns(entity, columns)
    row = session.scalar(select(ExportProfile).where(ExportProfile.name == name))
    before = None
    if row is None:
        row = ExportProfile(name=name, entity=entity, columns_json="[]")
        session.add(row)
    else:
        before = {"entity": row.entity, "columns": json.loads(row.columns_json)}
    row.entity = entity
    row.columns_json = json.dumps(list(keys))
    session.flush()
    audit.record(
        session,
        actor,
        "create" if before is None else "update",
        "export_profile",
        row.id,
        before=before,
        after={"name": name, "entity": entity, "columns": list(keys)},
    )
    return Profile(row.id, name, entity, keys)


def delete_profile(session: Session, actor: Actor, name: str) -> None:
    require(actor, Permission.EXPORT)
    profile = get_profile(session, name)
    row = session.get(ExportProfile, profile.id)
    session.delete(row)
    audit.record(session, actor, "delete", "export_profile", profile.id, before={"name": profile.name})


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
        "officer_name": Visit.officer_name,
        "leader_name": Visit.leader_name,
        **_citizen_columns(),
        "confidential": Citizen.confidential,
    }


def _citizen_columns() -> dict[str, Any]:
    return {
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


def _select(available: dict[str, Any], needed: set[str] | None) -> list[Any]:
    return [column.label(name) for name, column in available.items() if needed is None or name in needed]


def _visit_select(needed: set[str] | None = None) -> Any:
    return select(*_select(_visit_columns(), needed)).join(Citizen, Citizen.id == Visit.citizen_id)


def _petition_select(needed: set[str] | None = None) -> Any:
    return select(*_select(_petition_columns(), needed)).outerjoin(Citizen, Citizen.id == Petition.citizen_id)


def _statement(spec: ExportSpec) -> tuple[Select[Any], Any, Any]:
    needed = _needed(spec.entity, spec.columns or DEFAULT_COLUMNS.get(spec.entity, ()))
    if spec.entity == "visits":
        stmt, model_id, day = _visit_select(needed), Visit.id, Visit.received_on
        stmt = stmt.where(Visit.deleted_at.is_(None))
        # ``received_on`` is the local day of ``received_at``: filtering on the equivalent
        # ``received_at`` range lets the database walk ix_visit_received_at_id in order
        # instead of sorting the whole period in a temporary B-tree.
        if spec.date_from:
            stmt = stmt.where(Visit.received_at >= _local_midnight(spec.date_from))
        if spec.date_to:
            stmt = stmt.where(Visit.received_at < _local_midnight(spec.date_to + dt.timedelta(days=1)))
        return stmt.order_by(Visit.received_at, Visit.id), model_id, day
    stmt, model_id, day = _petition_select(needed), Petition.id, Petition.received_on
    stmt = stmt.where(Petition.deleted_at.is_(None))
    if spec.date_from:
        stmt = stmt.where(day >= spec.date_from)
    if spec.date_to:
        stmt = stmt.where(day <= spec.date_to)
    return stmt.order_by(Petition.received_on, Petition.reg_year, Petition.reg_seq), model_id, day


def _local_midnight(day: dt.date) -> dt.datetime:
    """The start of ``day`` in Vietnam time (``TZDateTime`` binds it as UTC, as stored)."""
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ)


def _rows(session: Session, spec: ExportSpec) -> tuple[int, Iterator[Any]]:
    stmt, model_id, _ = _statement(spec)
    if spec.ids is not None:
        ids = list(spec.ids)

        def in_list_order() -> Iterator[Any]:
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                found = {r.id: r for r in session.execute(stmt.where(model_id.in_(chunk)).order_by(None))}
                yield from (found[i] for i in chunk if i in found)

        return len(ids), in_list_order()
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return total, iter(session.execute(stmt.execution_options(yield_per=BATCH)))


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
    total, rows = _rows(session, spec)
    path = Path(path)
    with atomic_path(path) as tmp:
        written = _write(tmp, spec.entity, columns, rows, context, total, progress, cancelled)
    audit.record(
        session,
        actor,
        "export",
        spec.entity,
        None,
        after={
            "file": path.name,
            "rows": written,
            "columns": list(keys),
            "from": spec.date_from,
            "to": spec.date_to,
            "selection": "list" if spec.ids is not None else "period",
            "masked": not context.see_identity,
        },
    )
    return ExportResult(path, written)


SHEET_NAMES = {"visits": "Sổ tiếp công dân", "petitions": "Sổ theo dõi đơn"}


def _write(
    path: Path,
    entity: str,
    columns: list[ExportColumn],
    rows: Iterator[Any],
    context: _Context,
    total: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> int:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAMES[entity])
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = "A2"
    header_font = Font(name="Times New Roman", size=12, bold=True)
    wrap = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.append([text_cell(ws, col.header, font=header_font, alignment=wrap) for col in columns])
    # One reusable writer per column: plain text passes straight through (openpyxl's own fast path).
    writers: list[Callable[[Any], Any]] = []
    for col in columns:
        if col.kind == "text":
            writers.append(SafeTextColumn(ws).value)
        elif col.kind in ("date", "datetime"):
            writers.append(_DateColumn(ws, DATE_FORMAT if col.kind == "date" else DATETIME_FORMAT).value)
        else:
            writers.append(_identity_value)
    try:
        done = _append_rows(ws, writers, columns, rows, context, total, progress, cancelled)
    except BaseException:
        _discard(wb)
        raise
    wb.save(path)
    if progress is not None:
        progress(done, max(total, done))
    return done


def _discard(wb: Workbook) -> None:
    """Close an abandoned write-only workbook's streams (its file is removed by ``atomic_path``)."""
    for ws in wb.worksheets:
        for stream in (getattr(ws, "_rows", None), getattr(ws, "_writer", None)):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.close()


def _append_rows(
    ws: Any,
    writers: list[Callable[[Any], Any]],
    columns: list[ExportColumn],
    rows: Iterator[Any],
    context: _Context,
    total: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> int:
    extract = [col.value for col in columns]
    stt = [i for i, col in enumerate(columns) if col.key == "stt"]
    done = 0
    for row in rows:
        values = [write(get(row, context)) for write, get in zip(writers, extract, strict=True)]
        done += 1
        for i in stt:
            values[i] = done
        ws.append(values)
        if done % 500 == 0:
            if cancelled is not None and cancelled():
                raise ExportCancelled()
            if progress is not None:
                progress(done, total)
    if cancelled is not None and cancelled():
        raise ExportCancelled()
    return done


def _identity_value(value: Any) -> Any:
    return value


class _DateColumn:
    """A reused styled cell: a date shown dd/mm/yyyy (a real Excel date, not text)."""

    def __init__(self, ws: Any, number_format: str) -> None:
        self._cell = WriteOnlyCell(ws)
        self._cell.number_format = number_format

    def value(self, value: Any) -> Any:
        if value is None:
            return None
        # Assigning ``.value`` re-checks the number format against the style table (costly per cell);
        # the type is known, so set it directly (the writer turns 'd' into a serial number each time).
        self._cell._value = value
        self._cell.data_type = "d"
        return self._cell
