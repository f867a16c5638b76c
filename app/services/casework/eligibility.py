"""Why a petition is not processed or a complaint not accepted (Thông tư 05/2021; Luật Khiếu nại art. 11).

A catalogue of reason codes with Vietnamese labels, kept as data: the code is stored on the
petition (``ineligible_reason``) and counted by the reports; labels may be reworded freely.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models.enums import MatterKind

_ALL: frozenset[MatterKind] = frozenset(MatterKind)
_COMPLAINT = frozenset({MatterKind.COMPLAINT})


@dataclass(frozen=True)
class IneligibleReason:
    code: str
    label: str
    basis: str
    kinds: frozenset[MatterKind] = _ALL


REASONS: tuple[IneligibleReason, ...] = (
    IneligibleReason("nac_danh", "Đơn nặc danh, không rõ họ tên, địa chỉ người viết đơn", "Thông tư 05/2021/TT-TTCP"),
    IneligibleReason("mao_danh", "Đơn mạo danh, không có thông tin, tài liệu cụ thể", "Thông tư 05/2021/TT-TTCP"),
    IneligibleReason(
        "khong_ky_ten", "Đơn không có chữ ký hoặc điểm chỉ của người viết đơn", "Thông tư 05/2021/TT-TTCP"
    ),
    IneligibleReason("khong_doc_duoc", "Đơn viết không đọc được, nội dung không rõ ràng", "Thông tư 05/2021/TT-TTCP"),
    IneligibleReason(
        "trung_lap", "Đơn trùng nội dung với đơn đã tiếp nhận, đang được xử lý", "Thông tư 05/2021/TT-TTCP"
    ),
    IneligibleReason(
        "da_giai_quyet",
        "Vụ việc đã được giải quyết có hiệu lực pháp luật, không có tình tiết mới",
        "Thông tư 05/2021/TT-TTCP",
    ),
    IneligibleReason(
        "gui_nhieu_noi", "Đơn gửi đồng thời nhiều cơ quan, cơ quan mình chỉ nhận bản sao", "Thông tư 05/2021/TT-TTCP"
    ),
    IneligibleReason(
        "toa_an",
        "Vụ việc đã được Tòa án thụ lý hoặc đã có bản án, quyết định của Tòa án",
        "Luật Khiếu nại 2011, Điều 11",
    ),
    IneligibleReason(
        "het_thoi_hieu", "Khiếu nại khi đã hết thời hiệu", "Luật Khiếu nại 2011, Điều 9 và Điều 11", _COMPLAINT
    ),
    IneligibleReason(
        "khong_nang_luc",
        "Người khiếu nại không có năng lực hành vi dân sự đầy đủ mà không có người đại diện hợp pháp",
        "Luật Khiếu nại 2011, Điều 11",
        _COMPLAINT,
    ),
    IneligibleReason(
        "khong_doi_tuong",
        "Quyết định, hành vi không thuộc đối tượng khiếu nại, hoặc không liên quan trực tiếp "
        "đến quyền, lợi ích của người khiếu nại",
        "Luật Khiếu nại 2011, Điều 11",
        _COMPLAINT,
    ),
    IneligibleReason("da_rut", "Người khiếu nại đã rút đơn", "Luật Khiếu nại 2011, Điều 10 và Điều 11", _COMPLAINT),
    IneligibleReason("khac", "Lý do khác (ghi rõ)", "Thông tư 05/2021/TT-TTCP"),
)

BY_CODE = {reason.code: reason for reason in REASONS}


def reasons_for(kind: MatterKind | None) -> list[IneligibleReason]:
    """The reasons that apply to a petition of ``kind`` (all of them when the kind is not known yet)."""
    return [r for r in REASONS if kind is None or kind in r.kinds]


def label(code: str | None) -> str:
    if not code:
        return ""
    reason = BY_CODE.get(code)
    return reason.label if reason else code
