"""Vietnamese labels for the legal vocabularies (the codes live in app.models.enums)."""

from __future__ import annotations

from enum import StrEnum

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

# Pairs, not a dict literal: members of different vocabularies may share a code (the status
# "rut_don" and the action "rut_don"), and StrEnum members with equal codes are equal keys.
_PAIRS: tuple[tuple[StrEnum, str], ...] = (
    (ReceptionKind.REGULAR, "Thường xuyên"),
    (ReceptionKind.PERIODIC, "Định kỳ"),
    (ReceptionKind.AD_HOC, "Đột xuất"),
    (MatterKind.COMPLAINT, "Khiếu nại"),
    (MatterKind.DENUNCIATION, "Tố cáo"),
    (MatterKind.RECOMMENDATION, "Kiến nghị"),
    (MatterKind.REFLECTION, "Phản ánh"),
    (MatterKind.MIXED, "Nhiều nội dung"),
    (VisitOutcome.EXPLAINED, "Giải thích, trả lời trực tiếp"),
    (VisitOutcome.GUIDED, "Hướng dẫn gửi cơ quan có thẩm quyền"),
    (VisitOutcome.PETITION_RECEIVED, "Tiếp nhận đơn, tài liệu"),
    (VisitOutcome.FORWARDED, "Chuyển đơn đến cơ quan có thẩm quyền"),
    (VisitOutcome.APPOINTMENT, "Hẹn làm việc lại"),
    (VisitOutcome.REFUSED, "Từ chối tiếp"),
    (VisitOutcome.OTHER, "Khác"),
    (MatterState.UNRESOLVED, "Chưa được giải quyết"),
    (MatterState.RESOLVED_NO_DECISION, "Đã giải quyết, chưa có quyết định"),
    (MatterState.FIRST_DECISION, "Đã có quyết định giải quyết lần 1"),
    (MatterState.SECOND_DECISION, "Đã có quyết định giải quyết lần 2"),
    (MatterState.COURT_JUDGMENT, "Đã có bản án của Tòa án"),
    (Gender.MALE, "Nam"),
    (Gender.FEMALE, "Nữ"),
    (Gender.OTHER, "Khác"),
    (IdKind.CCCD, "CCCD"),
    (IdKind.CMND, "CMND cũ"),
    (IdKind.PASSPORT, "Hộ chiếu"),
    (PetitionSource.DESK, "Trực tiếp tại nơi tiếp công dân"),
    (PetitionSource.POST, "Qua bưu chính"),
    (PetitionSource.FORWARDED, "Cơ quan khác chuyển đến"),
    (PetitionSource.ONLINE, "Trực tuyến"),
    (SenderKind.INDIVIDUAL, "Cá nhân"),
    (SenderKind.ORGANISATION, "Cơ quan, tổ chức"),
    (SenderKind.CROWD, "Đông người"),
    (PetitionStatus.RECEIVED, "Mới tiếp nhận"),
    (PetitionStatus.CLASSIFIED, "Đã phân loại"),
    (PetitionStatus.ACCEPTED, "Đã thụ lý"),
    (PetitionStatus.FORWARDED, "Đã chuyển đơn"),
    (PetitionStatus.GUIDED, "Đã hướng dẫn"),
    (PetitionStatus.RETURNED, "Đã trả lại đơn"),
    (PetitionStatus.FILED, "Lưu đơn"),
    (PetitionStatus.WITHDRAWN, "Đã rút đơn"),
    (PetitionStatus.SUSPENDED, "Tạm đình chỉ"),
    (PetitionStatus.TERMINATED, "Đình chỉ"),
    (PetitionStatus.RESOLVED, "Đã giải quyết"),
    (PetitionStatus.SPLIT, "Đã tách đơn"),
    (PetitionStatus.NOT_ACCEPTED, "Không thụ lý"),
    (PetitionStatus.CLOSED, "Đã kết thúc"),
    (HandlingAction.RECEIVE, "Tiếp nhận"),
    (HandlingAction.CLASSIFY, "Phân loại"),
    (HandlingAction.ACCEPT, "Thụ lý"),
    (HandlingAction.REFUSE, "Không thụ lý"),
    (HandlingAction.FORWARD, "Chuyển đơn"),
    (HandlingAction.GUIDE, "Hướng dẫn"),
    (HandlingAction.RETURN, "Trả lại đơn"),
    (HandlingAction.FILE, "Lưu đơn"),
    (HandlingAction.REMIND, "Đôn đốc"),
    (HandlingAction.WITHDRAW, "Rút đơn"),
    (HandlingAction.SUSPEND, "Tạm đình chỉ"),
    (HandlingAction.RESUME, "Tiếp tục giải quyết"),
    (HandlingAction.TERMINATE, "Đình chỉ"),
    (HandlingAction.EXTEND, "Gia hạn"),
    (HandlingAction.SPLIT, "Tách đơn"),
    (HandlingAction.ANSWER_RECEIVED, "Nhận kết quả"),
    (HandlingAction.DECIDE, "Ban hành quyết định"),
    (HandlingAction.ENFORCE, "Thi hành quyết định"),
    (HandlingAction.CLOSE, "Kết thúc"),
    (HandlingAction.NOTIFY, "Thông báo trả lời"),
    (HandlingAction.INVITE_DIALOGUE, "Mời đối thoại"),
    (HandlingAction.HOLD_DIALOGUE, "Đối thoại"),
    (Role.CLERK, "Cán bộ tiếp công dân"),
    (Role.HANDLER, "Cán bộ xử lý đơn"),
    (Role.LEAD, "Lãnh đạo"),
    (Role.ADMIN, "Quản trị hệ thống"),
    (Competence.WITHIN, "Thuộc thẩm quyền"),
    (Competence.OUTSIDE, "Không thuộc thẩm quyền"),
    (Instance.FIRST, "Lần đầu"),
    (Instance.SECOND, "Lần hai"),
    (AgencyLevel.CENTRAL, "Trung ương"),
    (AgencyLevel.PROVINCE, "Cấp tỉnh"),
    (AgencyLevel.DEPARTMENT, "Sở, ngành cấp tỉnh"),
    (AgencyLevel.COMMUNE, "Cấp xã"),
    (AgencyLevel.OTHER, "Khác"),
    (ResolutionResult.RIGHT, "Đúng"),
    (ResolutionResult.PARTLY_RIGHT, "Có đúng, có sai"),
    (ResolutionResult.WRONG, "Sai"),
    (ResolutionResult.WITHDRAWN, "Rút đơn"),
    (DocumentType.RECEIPT, "Giấy biên nhận"),
    (DocumentType.APPOINTMENT, "Phiếu hẹn"),
    (DocumentType.REFUSAL, "Thông báo từ chối tiếp"),
    (DocumentType.GUIDANCE, "Phiếu hướng dẫn"),
    (DocumentType.FORWARDING, "Phiếu chuyển đơn"),
    (DocumentType.ACCEPTANCE_PROPOSAL, "Phiếu đề xuất thụ lý"),
    (DocumentType.ACCEPTANCE, "Thông báo thụ lý"),
    (DocumentType.NON_ACCEPTANCE, "Thông báo không thụ lý"),
    (DocumentType.RETURN, "Thông báo trả lại đơn"),
    (DocumentType.REMINDER, "Văn bản đôn đốc"),
    (DocumentType.DECISION, "Quyết định"),
    (DocumentType.DAILY_LOG, "Sổ tiếp công dân"),
    (DocumentType.NOTICE, "Thông báo trả lời"),
    (DocumentType.DIALOGUE_NOTICE, "Giấy mời đối thoại"),
    (DocumentType.DIALOGUE_MINUTES, "Biên bản đối thoại"),
    (DocumentType.RECEPTION_MINUTES, "Biên bản tiếp công dân"),
    (DocumentType.RECEPTION_CONCLUSION, "Thông báo kết luận tiếp công dân"),
)

LABELS: dict[tuple[type, str], str] = {(type(member), member.value): text for member, text in _PAIRS}

# The register groups recommendations and reflections as one kind, as the report forms do.
MATTER_KIND_REGISTER = {
    MatterKind.COMPLAINT: "Khiếu nại",
    MatterKind.DENUNCIATION: "Tố cáo",
    MatterKind.RECOMMENDATION: "Kiến nghị, phản ánh",
    MatterKind.REFLECTION: "Kiến nghị, phản ánh",
    MatterKind.MIXED: "Nhiều nội dung",
}


def label(value: StrEnum | None) -> str:
    if value is None:
        return ""
    return LABELS.get((type(value), value.value), str(value))


def choices(enum_type: type[StrEnum]) -> list[tuple[StrEnum, str]]:
    """Members of a vocabulary with their labels, in declaration order, for pickers."""
    return [(member, label(member)) for member in enum_type]
