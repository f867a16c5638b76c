"""Test data for the printing tests: an office, petitions and issued documents of every type.

Petitions are stored directly (the petition service is built separately); visits and documents go
through the real services.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Agency, Citizen, Petition
from app.models.enums import (
    AgencyLevel,
    DocumentType,
    MatterKind,
    PetitionSource,
    PetitionStatus,
    ReceptionKind,
    SenderKind,
)
from app.services.casework import documents
from app.services.common import settings
from app.services.common.actor import SYSTEM
from app.services.common.text import fold
from app.services.printing.layout import OFFICE_NAME_IN_TEXT
from app.services.reception import visits
from tests.helpers import local, visit_input

SIGNER = "Trần Minh Đức"
LONG_NAME = "Nguyễn Thị Phương Thảo Hoàng Bảo Ngọc Tôn Nữ Diễm Kiều"
LONG_SUMMARY = (
    "Khiếu nại Quyết định số 1234/QĐ-UBND ngày 15/3/2026 của Chủ tịch UBND xã An Lạc về việc thu hồi "
    "đất, bồi thường, hỗ trợ và tái định cư khi thực hiện dự án mở rộng Quốc lộ 18; đề nghị xem xét lại "
    "đơn giá bồi thường đất ở, cây cối, hoa màu và công trình phụ trên thửa đất số 215, tờ bản đồ số 12, "
    "vì cho rằng đơn giá áp dụng thấp hơn giá thị trường và chưa tính khoản hỗ trợ chuyển đổi nghề nghiệp."
)


def setup_office(session: Session) -> None:
    settings.put(session, settings.SIGNER_NAME, SIGNER)
    settings.put(session, settings.SIGNER_TITLE, "PHÓ TRƯỞNG BAN")
    settings.put(session, settings.SIGNER_AUTHORITY, "KT. TRƯỞNG BAN")
    settings.put(session, OFFICE_NAME_IN_TEXT, "Ban Tiếp công dân tỉnh")


def add_agency(session: Session, name: str = "Ủy ban nhân dân xã Yên Phong") -> Agency:
    agency = Agency(name=name, name_folded=fold(name), level=AgencyLevel.COMMUNE, address="Thôn Đông, xã Yên Phong")
    session.add(agency)
    session.flush()
    return agency


def add_petition(
    session: Session,
    *,
    name: str = "Lê Văn Thịnh",
    id_number: str = "024085001234",
    kind: MatterKind = MatterKind.COMPLAINT,
    summary: str = LONG_SUMMARY,
    day: dt.date = dt.date(2026, 11, 20),
    agency: Agency | None = None,
) -> Petition:
    """A petition handed in at a visit (so the citizen record goes through the visit service)."""
    saved = visits.register_visit(
        session,
        SYSTEM,
        visit_input(
            name,
            id_number=id_number,
            summary=summary,
            kind=kind,
            received_at=local(day.year, day.month, day.day, 9, 30),
            documents_received="Đơn khiếu nại (02 trang); Bản sao Quyết định 1234/QĐ-UBND",
            officer_name="Phạm Thu Hà",
        ),
    )
    seq = (session.scalar(select(func.max(Petition.reg_seq))) or 0) + 1
    petition = Petition(
        reg_year=day.year,
        reg_seq=seq,
        received_on=day,
        source=PetitionSource.DESK,
        sender_kind=SenderKind.INDIVIDUAL,
        citizen_id=saved.citizen_id,
        summary=summary,
        summary_folded=fold(summary),
        kind=kind,
        status=PetitionStatus.RECEIVED,
        visit_id=saved.id,
        handling_agency_id=agency.id if agency else None,
        documents_received="Đơn (02 trang); Bản sao CCCD",
    )
    session.add(petition)
    session.flush()
    return petition


def citizen_of(session: Session, petition: Petition) -> Citizen:
    citizen = session.get(Citizen, petition.citizen_id)
    assert citizen is not None
    return citizen


CONTENT: dict[DocumentType, dict[str, object]] = {
    DocumentType.APPOINTMENT: {
        "appointment_at": "2026-11-27T08:30:00+07:00",
        "place": "Trụ sở Ban Tiếp công dân tỉnh, số 10 đường Lý Thái Tổ",
        "purpose": "Đối thoại về phương án bồi thường",
        "bring": "Bản gốc Giấy chứng nhận quyền sử dụng đất",
    },
    DocumentType.REFUSAL: {"reason": "Vụ việc đã được giải quyết đúng chính sách, pháp luật và đã được hướng dẫn."},
    DocumentType.GUIDANCE: {"agency": "Ủy ban nhân dân xã Yên Phong", "agency_address": "Thôn Đông, xã Yên Phong"},
    DocumentType.FORWARDING: {"agency": "Thanh tra tỉnh Bắc Ninh"},
    DocumentType.ACCEPTANCE_PROPOSAL: {"handler_name": "Phạm Thu Hà", "reason": "Đơn đủ điều kiện thụ lý."},
    DocumentType.ACCEPTANCE: {"due_on": "2026-12-31"},
    DocumentType.NON_ACCEPTANCE: {"reason": "Đơn khiếu nại gửi sau khi hết thời hiệu khiếu nại (Điều 9)."},
    DocumentType.RETURN: {"reason": "Đơn gửi không đúng cơ quan có thẩm quyền.", "returned_items": ["Bản gốc đơn"]},
    DocumentType.REMINDER: {"agency": "Ủy ban nhân dân xã Yên Phong", "due_on": "2026-12-15"},
    DocumentType.RECEIPT: {"items": ["Đơn khiếu nại (02 trang)", "Bản sao Quyết định số 1234/QĐ-UBND"]},
    DocumentType.DECISION: {
        "title": "Quyết định tạm đình chỉ việc giải quyết",
        "reason": "Chờ kết quả giám định chữ ký.",
        "action": "tam_dinh_chi",
    },
}


def issue(
    session: Session, petition: Petition, doc_type: DocumentType, day: dt.date = dt.date(2026, 11, 24)
) -> documents.IssuedRef:
    content = dict(CONTENT.get(doc_type, {}))
    recipient = content.get("agency") if doc_type in (DocumentType.FORWARDING, DocumentType.REMINDER) else None
    return documents.issue_document(
        session,
        SYSTEM,
        doc_type,
        petition_id=petition.id,
        recipient=str(recipient) if recipient else None,
        content=content,
        issued_on=day,
    )


def add_crowd_visit(session: Session, when: dt.datetime) -> int:
    from app.services.reception.citizens import CitizenInput

    reps = tuple(
        CitizenInput(full_name=n, id_number=None, province_code="24")
        for n in ("Đỗ Văn Hùng", "Ngô Thị Lan", "Vũ Đình Khải")
    )
    saved = visits.register_visit(
        session,
        SYSTEM,
        visit_input(
            "Đỗ Văn Hùng",
            id_number=None,
            received_at=when,
            head_count=23,
            is_crowd=True,
            representatives=reps,
            reception=ReceptionKind.PERIODIC,
            leader_name="Nguyễn Văn Quang",
            summary="Đoàn công dân thôn Đông kiến nghị về ô nhiễm môi trường từ cụm công nghiệp.",
            kind=MatterKind.RECOMMENDATION,
        ),
    )
    return saved.id


def pdf_text(pdf: bytes) -> str:
    """All text of a PDF as a user would search it: NFC, white space collapsed."""
    import io
    import unicodedata

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_pages(pdf: bytes) -> list[str]:
    import io
    import unicodedata

    from pypdf import PdfReader

    return [
        " ".join(unicodedata.normalize("NFC", p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def pdf_fonts(pdf: bytes) -> set[tuple[str, bool]]:
    """(base font name, embedded?) of every font the pages use."""
    import io

    from pypdf import PdfReader

    found: set[tuple[str, bool]] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        if not fonts:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = bool(
                descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            )
            name = str(font.get("/BaseFont", "")).lstrip("/")
            found.add((name.split("+", 1)[-1], embedded))
    return found
