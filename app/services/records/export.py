"""Register export: visits or petitions to xlsx, with the columns the user picks and orders.

Streaming all the way: rows come from the database in batches (``yield_per``) and go straight into
a write-only workbook, so memory stays flat whatever the size. Text goes through
``xlsx_safe`` (never a formula), dates are real Excel dates shown dd/mm/yyyy, CCCD numbers stay
text (leading zeros kept). A denouncer's identity is masked for users without the right. The file
is written under a temporary name and renamed at the end: a cancelled or failed export leaves none.

Speed: per-cell Python work is kept to one call. Each column builds its function once (``_Plan``):
identities are decrypted once per citizen, codes become labels by dict look-up, and only free text
goes through the formula guard (bench/bench_export.py compares with openpyxl's bare write-only floor).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import Select, String, func, select, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, AdminUnit, Citizen, ExportProfile, FieldCategory, Petition, Visit
from app.models.base import CodeEnum
from app.services.common.actor import Actor
from app.services.common.errors import AppError, NotFoundError, ValidationError
from app.services.common.text import nfc
from app.services.common.vocab import label
from app.services.records.xlsx_safe import SafeTextColumn, atomic_path, text_cell
from app.services.security import audit, confidential
from app.services.security.crypto import EncryptedText
from app.services.security.permissions import Permission, require

ENTITIES = ("visits", "petitions")
BATCH = 2_000
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class ExportCancelled(AppError):
    def __init__(self) -> None:
        super().__init__("Đã hủy xuất dữ liệu; không có tệp nào được tạo.")


Row = Sequence[Any]
Getter = Callable[[Row], Any]

_MISSING: Any = object()
# Decrypted identities kept per citizen while one export runs; cleared when full so memory stays flat.
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class ExportColumn:
    key: str
    header: str
    width: float
    kind: str  # text | date | datetime | number
    # Builds, once per export, the function from a result row to the value the cell shows.
    make: Callable[[_Plan], Getter]
    # The query columns the built function reads: an export selects (and decrypts) only those.
    needs: tuple[str, ...] = ()
    # False for text that can never be read as a formula (fixed labels, "Có", "12/2026"): no check per cell.
    guard: bool = True


@dataclass
class _Context:
    actor: Actor
    units: dict[str, str]
    fields: dict[str, str]
    see_identity: bool


class _Plan:
    """What the column functions of one export share, set up before the first row.

    Rows are read by position. Identity columns arrive as stored ciphertext and vocabulary columns
    as their raw codes (see ``_raw``): an identity is then decrypted once per citizen rather than
    once per visit, and a code becomes its label by one dict look-up.
    """

    def __init__(self, types: dict[str, Any], context: _Context, dialect: Dialect) -> None:
        self.index = {name: i for i, name in enumerate(types)}
        self.types = types
        self.context = context
        self.dialect = dialect

    def get(self, name: str) -> Getter:
        return itemgetter(self.index[name])

    def per_citizen(self, value: Getter) -> Getter:
        """``value`` computed once per citizen (it must depend on the citizen's columns only)."""
        owner = self.index["citizen_id"]
        cache: dict[Any, Any] = {}

        def cached(row: Row) -> Any:
            key = row[owner]
            found = cache.get(key, _MISSING)
            if found is _MISSING:
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                found = cache[key] = value(row)
            return found

        return cached

    def plain(self, name: str) -> Getter:
        """A column's stored value, decrypted when the column is encrypted (not cached)."""
        column_type, i = self.types[name], self.index[name]
        if not isinstance(column_type, EncryptedText):
            return itemgetter(i)
        decode, dialect = column_type.process_result_value, self.dialect
        return lambda row: decode(row[i], dialect)

    def text(self, name: str) -> Getter:
        """A citizen column's value, decrypted once per citizen."""
        if not isinstance(self.types[name], EncryptedText):
            return self.get(name)
        return self.per_citizen(self.plain(name))

    def label(self, name: str) -> Getter:
        enum_type = self.types[name].enum_type
        labels: dict[str | None, str | None] = {m.value: label(m) or None for m in enum_type}
        labels[None] = None
        i = self.index[name]

        def value(row: Row) -> str | None:
            code = row[i]
            found = labels.get(code, _MISSING)
            # An unknown code fails as reading it through its column type would.
            return label(enum_type(code)) or None if found is _MISSING else found

        return value

    def shown(self, value: Getter) -> Getter:
        """``value``, or the mask for a denouncer when the user may not see identities."""
        if self.context.see_identity:
            return value
        secret = self.get("confidential")

        def masked(row: Row) -> Any:
            if secret(row):
                return confidential.MASK if value(row) else None
            return value(row)

        return masked


_CITIZEN = ("citizen_id", "confidential")


def _identity(key: str, header: str, width: float, attr: str) -> ExportColumn:
    return ExportColumn(key, header, width, "text", lambda p: p.shown(p.text(attr)), (attr, *_CITIZEN))


def _lbl(key: str, header: str, width: float, attr: str | None = None) -> ExportColumn:
    attr = attr or key
    return ExportColumn(key, header, width, "text", lambda p: p.label(attr), (attr,), guard=False)


def _plain(key: str, header: str, width: float, kind: str = "text", attr: str | None = None) -> ExportColumn:
    attr = attr or key
    return ExportColumn(key, header, width, kind, lambda p: p.get(attr), (attr,))


def _birth_year(p: _Plan) -> Getter:
    year = p.get("birth_year")
    if p.context.see_identity:
        return year
    secret = p.get("confidential")
    return lambda row: None if secret(row) else year(row)


def _address(p: _Plan) -> Getter:
    detail, commune, province = p.plain("address_detail"), p.get("commune_code"), p.get("province_code")
    units = p.context.units

    def text(row: Row) -> str | None:
        parts = (detail(row), units.get(commune(row) or ""), units.get(province(row) or ""))
        return ", ".join(part for part in parts if part) or None

    return p.shown(p.per_citizen(text))


def _field(p: _Plan) -> Getter:
    code, fields = p.get("field_code"), p.context.fields
    return lambda row: fields.get(code(row) or "")


def _yes(attr: str) -> Callable[[_Plan], Getter]:
    def make(p: _Plan) -> Getter:
        flag = p.get(attr)
        return lambda row: "Có" if flag(row) else None

    return make


def _local_time(p: _Plan) -> Getter:
    at = p.get("received_at")
    # Excel has no time zones: write the local wall-clock time.
    return lambda row: at(row).replace(tzinfo=None)


def _sender(p: _Plan) -> Getter:
    organisation, person = p.get("organisation_name"), p.shown(p.text("full_name"))
    return lambda row: organisation(row) or person(row)


def _number(p: _Plan) -> Getter:
    seq, year = p.get("reg_seq"), p.get("reg_year")
    return lambda row: f"{seq(row)}/{year(row)}"


def _eligible(p: _Plan) -> Getter:
    flag = p.get("eligible")
    return lambda row: None if (v := flag(row)) is None else ("Có" if v else "Không")


def _columns(*cols: ExportColumn) -> dict[str, ExportColumn]:
    return {c.key: c for c in cols}


_ADDRESS = ("address_detail", "commune_code", "province_code", *_CITIZEN)
_COMMON_CITIZEN = (
    _identity("citizen_name", "Họ và tên", 26, "full_name"),
    _identity("id_number", "Số CCCD/CMND", 15, "id_number"),
    ExportColumn("birth_year", "Năm sinh", 9, "number", _birth_year, ("birth_year", "confidential")),
    _identity("phone", "Điện thoại", 13, "phone"),
    ExportColumn("address", "Địa chỉ", 40, "text", _address, _ADDRESS),
)
_FIELD = ExportColumn("field", "Lĩnh vực", 22, "text", _field, ("field_code",))
_STT = ExportColumn("stt", "STT", 6, "number", lambda p: lambda row: None)  # filled with the running number

VISIT_COLUMNS = _columns(
    _STT,
    _plain("received_on", "Ngày tiếp", 11, "date"),
    ExportColumn("received_at", "Thời gian tiếp", 16, "datetime", _local_time, ("received_at",)),
    _lbl("reception_kind", "Hình thức tiếp", 13),
    *_COMMON_CITIZEN,
    _plain("head_count", "Số người", 8, "number"),
    ExportColumn("is_crowd", "Đoàn đông người", 10, "text", _yes("is_crowd"), ("is_crowd",), guard=False),
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
    ExportColumn("number", "Số đơn", 11, "text", _number, ("reg_seq", "reg_year"), guard=False),
    _plain("received_on", "Ngày nhận", 11, "date"),
    _lbl("source", "Nguồn đơn", 18),
    _plain("incoming_doc_number", "Số văn bản đến", 14),
    _plain("incoming_doc_date", "Ngày văn bản đến", 11, "date"),
    _lbl("sender_kind", "Người gửi là", 12),
    ExportColumn("citizen_name", "Người gửi đơn", 26, "text", _sender, ("organisation_name", "full_name", *_CITIZEN)),
    *_COMMON_CITIZEN[1:],
    _plain("head_count", "Số người", 8, "number"),
    _lbl("kind", "Phân loại", 13),
    _FIELD,
    _plain("summary", "Nội dung", 50),
    ExportColumn("eligible", "Đủ điều kiện xử lý", 10, "text", _eligible, ("eligible",), guard=False),
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
