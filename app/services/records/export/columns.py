"""The columns a register export can carry, each building its cell function once per export."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy.engine import Dialect

from app.services.common.actor import Actor
from app.services.common.errors import AppError, ValidationError
from app.services.common.vocab import label
from app.services.security import confidential
from app.services.security.crypto import EncryptedText

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
    _plain("resolved_by", "Cơ quan đã giải quyết", 24),
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
