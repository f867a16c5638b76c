"""The audit trail in the words of the office: Vietnamese actions, targets and field changes.

The trail stores stable codes (``chuyen_don``, ``document`` #2, ``competence``) so that its hash
chain never depends on wording; a lead reading it needs "Chuyển đơn", "Văn bản số 15/PCĐ-BTCD",
"Thẩm quyền: (trống) → Thuộc thẩm quyền". Names of bodies, fields and units are looked up in one
query per kind for a whole page of entries. Citizens are shown by number only: the trail is read
by leads who may not see a denouncer's name.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AdminUnit, Agency, AuditEntry, FieldCategory, IssuedDocument, Petition, User
from app.models.enums import (
    AgencyLevel,
    Competence,
    DocumentType,
    Gender,
    HandlingAction,
    IdKind,
    Instance,
    MatterKind,
    MatterState,
    PetitionSource,
    PetitionStatus,
    ReceptionKind,
    ResolutionResult,
    Role,
    SenderKind,
    VisitOutcome,
)
from app.models.reception_days import BookingStatus, DayStatus
from app.models.waiting_queue import TicketStatus
from app.services.common import settings, vocab

EMPTY = "(trống)"
MAX_VALUE = 80  # a long summary is cut in the line; the full JSON stays in the tooltip

ACTION_LABELS: dict[str, str] = {
    "create": "Tạo mới",
    "update": "Sửa",
    "delete": "Xóa (mềm)",
    "print": "In",
    "export": "Xuất dữ liệu",
    "import": "Nhập dữ liệu",
    "issue": "Cấp số văn bản",
    "classify": "Phân loại đơn",
    "split": "Tách đơn",
    "merge": "Gộp vụ việc",
    "dismiss": "Bỏ qua gợi ý trùng",
    "reset": "Đặt lại mặc định",
    "reveal": "Xem danh tính bảo mật",
    "login": "Đăng nhập",
    "logout": "Đăng xuất",
    "login_failed": "Đăng nhập sai",
    "lockout": "Khóa do đăng nhập sai",
    "lock": "Khóa tài khoản",
    "unlock": "Mở khóa tài khoản",
    "password": "Đổi mật khẩu",
    "role": "Đổi vai trò",
    "backup": "Sao lưu",
    "restore": "Phục hồi",
    "key_export": "Xuất khóa khôi phục",
    "key_import": "Nhập khóa khôi phục",
    "refuse": "Từ chối gói dữ liệu",
    "replace": "Thay gói báo cáo gửi trước",
    "pin_key": "Ghim khóa ký mới của đơn vị",
    "dispose": "Ghi nhận tiêu hủy đơn lưu",
    "hold": "Tiếp công dân đã đăng ký",
    "link": "Gắn vào ngày tiếp",
    "status": "Đổi trạng thái",
    "call": "Mời người tiếp theo (hàng chờ)",
    "serve": "Đã tiếp (hàng chờ)",
    "leave": "Công dân bỏ về (hàng chờ)",
}

ENTITY_LABELS: dict[str, str] = {
    "visit": "Lượt tiếp",
    "visits": "Sổ tiếp công dân",
    "citizen": "Công dân",
    "petition": "Đơn",
    "petitions": "Sổ theo dõi đơn",
    "document": "Văn bản",
    "case": "Vụ việc",
    "case_link": "Gợi ý trùng của đơn",
    "user": "Tài khoản",
    "database": "Cơ sở dữ liệu",
    "setting": "Cấu hình",
    "agency": "Cơ quan",
    "field_category": "Lĩnh vực",
    "routing_rule": "Quy tắc gợi ý cơ quan",
    "calendar_day": "Lịch nghỉ",
    "deadline_rule": "Quy tắc thời hạn",
    "import_batch": "Đợt nhập dữ liệu",
    "export_profile": "Mẫu xuất dữ liệu",
    "report": "Báo cáo thống kê",
    "daily_log": "Sổ tiếp công dân",
    "morning_brief": "Bản tin đầu ngày",
    "dashboard": "Bản tin số liệu cho lãnh đạo",
    "data_key": "Khóa dữ liệu",
    "secret_package": "Gói dữ liệu sổ mật",
    "secret_register": "Ghép cặp sổ mật",
    "subordinate_unit": "Đơn vị cấp dưới",
    "report_package": "Gói báo cáo",
    "national_cases": "Dữ liệu vụ việc gửi CSDL quốc gia",
    "report_reminder": "Văn bản đôn đốc báo cáo",
    "petition_retention": "Danh sách đơn lưu hết hạn",
    "reception_day": "Ngày tiếp công dân của lãnh đạo",
    "reception_booking": "Đăng ký tiếp",
    "reception_day_list": "Danh sách công dân đăng ký tiếp",
    "reception_day_agenda": "Chương trình buổi tiếp",
    "queue_ticket": "Số thứ tự hàng chờ",
}

# Named settings groups recorded as the id of a "setting" entry.
SETTING_GROUPS = {"office": "Thông tin cơ quan"}

FIELD_LABELS: dict[str, str] = {
    # petition
    "number": "Số đơn",
    "received_on": "Ngày nhận",
    "source": "Nguồn đơn",
    "source_agency_id": "Cơ quan chuyển đến",
    "incoming_doc_number": "Số văn bản chuyển đến",
    "incoming_doc_date": "Ngày văn bản chuyển đến",
    "sender_kind": "Người gửi",
    "citizen_id": "Công dân",
    "organisation_name": "Tên cơ quan, tổ chức",
    "head_count": "Số người",
    "is_anonymous": "Nặc danh",
    "is_pseudonymous": "Mạo danh",
    "respondent_name": "Người bị khiếu nại, tố cáo",
    "respondent_level": "Cấp bị khiếu nại, tố cáo",
    "respondent_agency_id": "Cơ quan bị khiếu nại, tố cáo",
    "summary": "Tóm tắt nội dung",
    "kind": "Loại đơn",
    "disposed_on": "Ngày tiêu hủy",
    "minutes_ref": "Biên bản tiêu hủy",
    "filed_on": "Ngày lưu đơn",
    "field_code": "Lĩnh vực",
    "eligible": "Đủ điều kiện xử lý",
    "ineligible_reason": "Lý do không đủ điều kiện",
    "competence": "Thẩm quyền",
    "instance": "Lần giải quyết",
    "matter_state": "Tình trạng giải quyết",
    "resolved_by": "Cơ quan đã giải quyết",
    "is_beyond_level": "Vượt cấp",
    "is_prolonged": "Kéo dài",
    "is_complicated": "Phức tạp",
    "is_remote_area": "Vùng sâu, vùng xa",
    "duplicate_of_id": "Trùng với đơn",
    "status": "Trạng thái",
    "handling_agency_id": "Cơ quan xử lý",
    "forward_count": "Số lần chuyển",
    "case_id": "Vụ việc",
    "parties": "Người đứng đơn",
    "event_id": "Bước xử lý",
    "documents": "Văn bản ban hành",
    "children": "Các đơn tách ra",
    # visit
    "received_at": "Thời điểm tiếp",
    "reception_kind": "Hình thức tiếp",
    "officer_name": "Cán bộ tiếp",
    "leader_name": "Lãnh đạo tiếp",
    "is_crowd": "Đoàn đông người",
    "matter_kind": "Loại vụ việc",
    "outcome": "Kết quả tiếp",
    "outcome_note": "Ghi chú kết quả",
    "documents_received": "Tài liệu nhận",
    "representatives": "Người đại diện",
    # user (the name after the username), citizen
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "title": "Chức vụ",
    "role": "Vai trò",
    "active": "Đang hoạt động",
    "id_number": "Số định danh",
    "gender": "Giới tính",
    "birth_year": "Năm sinh",
    "phone": "Điện thoại",
    "province_code": "Tỉnh, thành phố",
    "commune_code": "Xã, phường",
    "address_detail": "Địa chỉ chi tiết",
    "confidential": "Bảo mật danh tính",
    # directory, routing, calendar
    "code": "Mã",
    "name": "Tên",
    "short_name": "Tên viết tắt",
    "level": "Cấp",
    "admin_unit_code": "Đơn vị hành chính",
    "parent_id": "Cơ quan cấp trên",
    "address": "Địa chỉ",
    "agency_id": "Cơ quan nhận",
    "target": "Nơi chuyển",
    "priority": "Thứ tự ưu tiên",
    "note": "Ghi chú",
    "day": "Ngày",
    "decision_ref": "Văn bản quyết định",
    # documents, files, reports
    "symbol": "Số, ký hiệu",
    "type": "Loại văn bản",
    "file": "Tệp",
    "size": "Dung lượng (byte)",
    "rows": "Số dòng",
    "columns": "Các cột",
    "imported": "Số dòng đã nhập",
    "rejected": "Số dòng bị loại",
    "dry_run": "Chạy thử",
    "visits": "Số lượt tiếp",
    "citizens": "Số công dân",
    "date_from": "Từ ngày",
    "date_to": "Đến ngày",
    "from": "Từ ngày",
    "to": "Đến ngày",
    "as_of": "Tính đến",
    "forms": "Biểu mẫu",
    "entity": "Loại dữ liệu",
    "other": "Đơn được gợi ý trùng",
    "items": "Các hồ sơ",
    "safety_copy": "Bản giữ lại dữ liệu cũ",
    "damaged_copy": "Bản hỏng được giữ lại",
    "key_id": "Mã khóa",
}

_FIELD_ORDER = {key: n for n, key in enumerate(FIELD_LABELS)}

# The same key means something else on some entities.
ENTITY_FIELD_LABELS: dict[tuple[str, str], str] = {
    ("visit", "kind"): "Loại vụ việc",
    ("agency", "kind"): "Loại cơ quan",
    ("calendar_day", "kind"): "Loại ngày",
    ("calendar_day", "source"): "Nguồn",
    ("calendar_day", "name"): "Tên ngày",
    ("database", "from"): "Từ bản sao lưu",
    ("export_profile", "name"): "Tên mẫu",
}

# Which vocabulary a stored code belongs to, by key: the label comes from ``vocab``.
FIELD_VOCABULARIES: dict[str, type[StrEnum]] = {
    "kind": MatterKind,
    "matter_kind": MatterKind,
    "competence": Competence,
    "instance": Instance,
    "matter_state": MatterState,
    "status": PetitionStatus,
    "source": PetitionSource,
    "sender_kind": SenderKind,
    "respondent_level": AgencyLevel,
    "level": AgencyLevel,
    "reception_kind": ReceptionKind,
    "outcome": VisitOutcome,
    "gender": Gender,
    "role": Role,
    "type": DocumentType,
    "id_kind": IdKind,
    "result": ResolutionResult,
}
# The same key in another entity's vocabulary: a status of the waiting queue or of a leader's
# reception day is not a petition status.
ENTITY_FIELD_VOCABULARIES: dict[tuple[str, str], type[StrEnum]] = {
    ("queue_ticket", "status"): TicketStatus,
    ("reception_day", "status"): DayStatus,
    ("reception_booking", "status"): BookingStatus,
}
AGENCY_KEYS = frozenset(
    {"source_agency_id", "respondent_agency_id", "handling_agency_id", "agency_id", "parent_id", "agency"}
)
UNIT_KEYS = frozenset({"province_code", "commune_code", "admin_unit_code"})
FIELD_KEYS = frozenset({"field_code"})
NUMBERED_KEYS = frozenset({"citizen_id", "duplicate_of_id", "case_id", "event_id", "parties", "representatives"})


def action_label(code: str) -> str:
    """ "chuyen_don" → "Chuyển đơn": the trail's own verbs first, then the handling actions."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    try:
        return vocab.label(HandlingAction(code))
    except ValueError:
        return code


def action_choices() -> list[tuple[str, str]]:
    """Every action code a filter can offer, with its label (handling actions after the trail's own)."""
    return [*ACTION_LABELS.items(), *((a.value, vocab.label(a)) for a in HandlingAction)]


def field_label(entity: str, key: str) -> str:
    if (entity, key) in ENTITY_FIELD_LABELS:
        return ENTITY_FIELD_LABELS[(entity, key)]
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    definition = settings.REGISTRY.get(key)
    return definition.label if definition is not None else key


# ---- names looked up for a page ------------------------------------------------------------------


@dataclass
class _Names:
    petitions: dict[str, str] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)
    agencies: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)


def _ints(values: Iterable[object]) -> set[int]:
    found: set[int] = set()
    for value in values:
        try:
            found.add(int(str(value)))
        except ValueError:
            continue
    return found


def _lookup(session: Session, wanted: dict[str, set[str]]) -> _Names:
    names = _Names()
    if ids := _ints(wanted["petition"]):
        petitions = session.execute(
            select(Petition.id, Petition.reg_seq, Petition.reg_year).where(Petition.id.in_(ids))
        )
        names.petitions = {str(i): f"{seq}/{year}" for i, seq, year in petitions}
    if ids := _ints(wanted["document"]):
        rows = session.execute(select(IssuedDocument.id, IssuedDocument.symbol).where(IssuedDocument.id.in_(ids)))
        names.documents = {str(i): symbol for i, symbol in rows}
    if ids := _ints(wanted["user"]):
        users = session.execute(select(User.id, User.username, User.full_name).where(User.id.in_(ids)))
        names.users = {str(i): f"{username} ({full})" for i, username, full in users}
    if ids := _ints(wanted["agency"]):
        rows = session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids)))
        names.agencies = {str(i): name for i, name in rows}
    if codes := wanted["unit"]:
        units = session.execute(select(AdminUnit.code, AdminUnit.name).where(AdminUnit.code.in_(codes)))
        names.units = {code: name for code, name in units}
    if codes := wanted["field"]:
        fields = session.execute(select(FieldCategory.code, FieldCategory.name).where(FieldCategory.code.in_(codes)))
        names.fields = {code: name for code, name in fields}
    return names


# ---- one entry -----------------------------------------------------------------------------------


def _loads(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _moment(text: str) -> str | None:
    """ISO dates and moments as the office writes them; None when ``text`` is not one."""
    if len(text) == 10:
        try:
            return f"{dt.date.fromisoformat(text):%d/%m/%Y}"
        except ValueError:
            return None
    if len(text) >= 16 and text[4] == "-" and "T" in text:
        try:
            return f"{dt.datetime.fromisoformat(text):%d/%m/%Y %H:%M}"
        except ValueError:
            return None
    return None


def _cut(text: str) -> str:
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1].rstrip() + "…"


def _value(key: str, value: Any, names: _Names, entity: str = "") -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(_value(key, item, names, entity) for item in value)
    if isinstance(value, dict):
        return _cut(json.dumps(value, ensure_ascii=False))
    text = str(value)
    if key in AGENCY_KEYS:
        return names.agencies.get(text, f"cơ quan số {text}")
    if key in UNIT_KEYS:
        return names.units.get(text, text)
    if key in FIELD_KEYS:
        return names.fields.get(text, text)
    if key in NUMBERED_KEYS:
        return f"số {text}"
    vocabulary = ENTITY_FIELD_VOCABULARIES.get((entity, key)) or FIELD_VOCABULARIES.get(key)
    if vocabulary is not None and text in {m.value for m in vocabulary}:
        return vocab.label(vocabulary(text))
    return _cut(_moment(text) or text)


def _changes(entity: str, before: dict[str, Any], after: dict[str, Any], names: _Names) -> tuple[str, ...]:
    parts: list[str] = []
    # The trail stores keys sorted; the order of FIELD_LABELS is the order a form shows them.
    for key in sorted(dict.fromkeys([*before, *after]), key=lambda k: _FIELD_ORDER.get(k, len(_FIELD_ORDER))):
        name = field_label(entity, key)
        if key in before and key in after:
            parts.append(
                f"{name}: {_value(key, before[key], names, entity)} → {_value(key, after[key], names, entity)}"
            )
        elif key in after:
            parts.append(f"{name}: {_value(key, after[key], names, entity)}")
        else:
            parts.append(f"{name}: {_value(key, before[key], names, entity)} → (xóa)")
    return tuple(parts)


def _target(entity: str, entity_id: str | None, names: _Names) -> str:
    kind = ENTITY_LABELS.get(entity, entity)
    if not entity_id:
        return kind
    if entity == "petition" and entity_id in names.petitions:
        return f"Đơn số {names.petitions[entity_id]}"
    if entity == "document" and entity_id in names.documents:
        return f"Văn bản số {names.documents[entity_id]}"
    if entity == "user" and entity_id in names.users:
        return f"Tài khoản {names.users[entity_id]}"
    if entity == "agency" and entity_id in names.agencies:
        return f"Cơ quan {names.agencies[entity_id]}"
    if entity == "setting":
        return f"Cấu hình: {SETTING_GROUPS.get(entity_id, field_label(entity, entity_id))}"
    if entity == "calendar_day":
        return f"{kind} ngày {_moment(entity_id) or entity_id}"
    return f"{kind} số {entity_id}"


@dataclass(frozen=True)
class EntryText:
    """What the viewer shows of one entry."""

    action: str
    target: str
    changes: tuple[str, ...]


def _wanted(entries: Sequence[AuditEntry], parsed: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {k: set() for k in ("petition", "document", "user", "agency", "unit", "field")}
    for entry, (before, after) in zip(entries, parsed, strict=True):
        if entry.entity_id and entry.entity in wanted:
            wanted[entry.entity].add(entry.entity_id)
        for key, value in (*before.items(), *after.items()):
            group = (
                "agency" if key in AGENCY_KEYS else "unit" if key in UNIT_KEYS else "field" if key in FIELD_KEYS else ""
            )
            if group and value is not None:
                wanted[group].update(str(v) for v in (value if isinstance(value, list) else [value]))
    return wanted


def describe(session: Session, entries: Sequence[AuditEntry]) -> list[EntryText]:
    """The Vietnamese text of each entry of a page, with the names it refers to looked up once."""
    parsed = [(_loads(e.before_json), _loads(e.after_json)) for e in entries]
    names = _lookup(session, _wanted(entries, parsed))
    return [
        EntryText(action_label(e.action), _target(e.entity, e.entity_id, names), _changes(e.entity, b, a, names))
        for e, (b, a) in zip(entries, parsed, strict=True)
    ]
