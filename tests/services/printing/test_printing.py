"""Issued documents print in the state format: heading, number, office, fields, signer, embedded font."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, AuditEntry, IssuedDocument
from app.models.enums import DocumentType, MatterKind, Role
from app.services import printing
from app.services.casework import documents
from app.services.common.actor import SYSTEM, Actor
from app.services.common.errors import NotFoundError, ValidationError
from app.services.printing import form_numbers
from app.services.printing.facts import MASK_NOTE
from tests import printing_data as data
from tests.helpers import add_visit

CLERK = Actor(user_id=None, username="canbo", full_name="Phạm Thu Hà", role=Role.CLERK)
LEAD = Actor(user_id=None, username="lanhdao", full_name="Trần Minh Đức", role=Role.LEAD)

# What a reader checks on each document besides the common parts.
EXPECTED: dict[DocumentType, list[str]] = {
    DocumentType.RECEIPT: ["GIẤY BIÊN NHẬN", "Đơn khiếu nại (02 trang)", "NGƯỜI NỘP", "NGƯỜI NHẬN"],
    DocumentType.APPOINTMENT: ["PHIẾU HẸN", "08 giờ 30 phút, ngày 27 tháng 11 năm 2026", "Giấy chứng nhận"],
    DocumentType.REFUSAL: ["THÔNG BÁO", "từ chối tiếp công dân", "đã được hướng dẫn"],
    DocumentType.GUIDANCE: ["PHIẾU HƯỚNG DẪN", "Ủy ban nhân dân xã Yên Phong", "Thôn Đông"],
    DocumentType.FORWARDING: ["PHIẾU CHUYỂN ĐƠN", "Kính gửi: Thanh tra tỉnh Bắc Ninh"],
    DocumentType.ACCEPTANCE_PROPOSAL: ["PHIẾU ĐỀ XUẤT THỤ LÝ", "Phạm Thu Hà", "NGƯỜI ĐỀ XUẤT"],
    DocumentType.ACCEPTANCE: ["thụ lý giải quyết khiếu nại", "31/12/2026"],
    DocumentType.NON_ACCEPTANCE: ["không thụ lý giải quyết khiếu nại", "hết thời hiệu"],
    DocumentType.RETURN: ["trả lại đơn", "Bản gốc đơn", "không đúng cơ quan"],
    DocumentType.REMINDER: ["V/v đôn đốc giải quyết đơn khiếu nại", "15/12/2026", "Ủy ban nhân dân xã Yên Phong"],
    DocumentType.DECISION: ["QUYẾT ĐỊNH Về việc tạm đình chỉ việc giải quyết", "Căn cứ Nghị định số 124/2020/NĐ-CP"],
}
TO_CITIZEN = {
    DocumentType.RECEIPT,
    DocumentType.APPOINTMENT,
    DocumentType.REFUSAL,
    DocumentType.GUIDANCE,
    DocumentType.ACCEPTANCE,
    DocumentType.NON_ACCEPTANCE,
    DocumentType.RETURN,
}


@pytest.fixture
def office(session: Session) -> Session:
    data.setup_office(session)
    return session


@pytest.mark.parametrize("doc_type", list(EXPECTED), ids=lambda t: t.value)
def test_each_document_prints_the_state_format_and_its_fields(office: Session, doc_type: DocumentType) -> None:
    petition = data.add_petition(office, name=data.LONG_NAME)
    ref = data.issue(office, petition, doc_type)
    text = data.pdf_text(printing.render_document(office, SYSTEM, ref.id))

    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND TỈNH BẮC NINH",
        "BAN TIẾP CÔNG DÂN TỈNH",
        f"Số: {ref.symbol}",
        "Bắc Ninh, ngày 24 tháng 11 năm 2026",
        *EXPECTED[doc_type],
    ]:
        assert expected in text, expected
    if doc_type in TO_CITIZEN:
        assert data.LONG_NAME in text  # a long name wraps but is printed whole
    if doc_type not in (DocumentType.RECEIPT, DocumentType.ACCEPTANCE_PROPOSAL):
        assert "KT. TRƯỞNG BAN PHÓ TRƯỞNG BAN" in text
        assert "Nơi nhận:" in text
    if doc_type != DocumentType.RECEIPT:  # the receipt is signed by the two people at the desk
        assert data.SIGNER in text


@pytest.mark.parametrize("doc_type", list(EXPECTED), ids=lambda t: t.value)
def test_only_the_bundled_font_is_used_and_it_is_embedded(office: Session, doc_type: DocumentType) -> None:
    ref = data.issue(office, data.add_petition(office), doc_type)
    fonts = data.pdf_fonts(printing.render_document(office, SYSTEM, ref.id))
    assert fonts
    assert all(name.startswith("LiberationSerif") and embedded for name, embedded in fonts), fonts


def test_denunciation_forwarding_slip_withholds_the_denouncer(office: Session) -> None:
    name, number = "Hoàng Văn Tố", "001090012345"
    petition = data.add_petition(
        office,
        name=name,
        id_number=number,
        kind=MatterKind.DENUNCIATION,
        summary=f"Tôi là {name}, CCCD {number}, tố cáo cán bộ địa chính xã nhận tiền của dân.",
    )
    ref = data.issue(office, petition, DocumentType.FORWARDING)
    text = data.pdf_text(printing.render_document(office, SYSTEM, ref.id))

    assert name not in text and name.upper() not in text
    assert number not in text
    assert MASK_NOTE in text
    assert "cán bộ địa chính xã nhận tiền của dân" in text  # the content still goes to the competent body
    assert "Kính gửi: Thanh tra tỉnh Bắc Ninh" in text


def test_complaint_forwarding_slip_names_the_complainant_in_the_recipients(office: Session) -> None:
    petition = data.add_petition(office, name="Lê Văn Thịnh")
    ref = data.issue(office, petition, DocumentType.FORWARDING)
    text = data.pdf_text(printing.render_document(office, SYSTEM, ref.id))
    assert "Ông/bà Lê Văn Thịnh (để biết)" in text
    assert MASK_NOTE not in text


def test_denunciation_reminder_to_another_body_withholds_the_denouncer(office: Session) -> None:
    petition = data.add_petition(office, name="Hoàng Văn Tố", kind=MatterKind.DENUNCIATION)
    forwarded = data.issue(office, petition, DocumentType.FORWARDING)
    ref = data.issue(office, petition, DocumentType.REMINDER)
    text = data.pdf_text(printing.render_document(office, SYSTEM, ref.id))
    assert "Hoàng Văn Tố" not in text
    assert f"Phiếu chuyển đơn số {forwarded.symbol}" in text


def test_internal_proposal_shows_a_denouncer_only_to_who_may_see_it(office: Session) -> None:
    petition = data.add_petition(office, name="Hoàng Văn Tố", kind=MatterKind.DENUNCIATION)
    ref = data.issue(office, petition, DocumentType.ACCEPTANCE_PROPOSAL)
    assert "Hoàng Văn Tố" not in data.pdf_text(printing.render_document(office, CLERK, ref.id))
    assert "Hoàng Văn Tố" in data.pdf_text(printing.render_document(office, LEAD, ref.id))


def test_printing_records_who_and_when(office: Session) -> None:
    ref = data.issue(office, data.add_petition(office), DocumentType.GUIDANCE)
    printing.render_document(office, CLERK, ref.id)
    document = office.get(IssuedDocument, ref.id)
    assert document is not None and document.printed_at is not None
    entry = office.scalars(select(AuditEntry).where(AuditEntry.action == "print")).one()
    assert (entry.entity, entry.entity_id, entry.username) == ("document", str(ref.id), "canbo")
    assert ref.symbol in (entry.after_json or "")


def test_same_document_prints_the_same_bytes(office: Session) -> None:
    ref = data.issue(office, data.add_petition(office), DocumentType.ACCEPTANCE)
    assert printing.render_document(office, SYSTEM, ref.id) == printing.render_document(office, SYSTEM, ref.id)


def test_a_denunciation_decision_does_not_name_the_denouncer(office: Session) -> None:
    petition = data.add_petition(office, name="Hoàng Văn Tố", kind=MatterKind.DENUNCIATION)
    ref = data.issue(office, petition, DocumentType.DECISION)
    text = data.pdf_text(printing.render_document(office, LEAD, ref.id))
    assert "Hoàng Văn Tố" not in text and MASK_NOTE in text


def test_decomposed_input_prints_composed(office: Session) -> None:
    petition = data.add_petition(office)
    nfd = unicodedata.normalize("NFD", "Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất")
    ref = documents.issue_document(
        office, SYSTEM, DocumentType.GUIDANCE, petition_id=petition.id, content={"note": nfd}
    )
    assert "Đề nghị xem xét việc cấp giấy chứng nhận quyền sử dụng đất" in data.pdf_text(
        printing.render_document(office, SYSTEM, ref.id)
    )


def test_receipt_for_visit_numbers_and_lists_what_was_handed_in(office: Session) -> None:
    petition = data.add_petition(office, name="Lê Văn Thịnh")
    assert petition.visit_id is not None
    ref, pdf = printing.receipt_for_visit(
        office, CLERK, petition.visit_id, ["Đơn khiếu nại", "Ảnh hiện trạng (05 ảnh)"]
    )
    text = data.pdf_text(pdf)
    assert ref.symbol.endswith("/GBN-BTCD") and f"Số: {ref.symbol}" in text
    assert "1. Đơn khiếu nại" in text and "2. Ảnh hiện trạng (05 ảnh)" in text
    assert "Lê Văn Thịnh" in text and "Phạm Thu Hà" in text  # both sides sign
    assert "Hồi 09 giờ 30 phút, ngày 20 tháng 11 năm 2026" in text
    assert printing.latest_document(office, DocumentType.RECEIPT, visit_id=petition.visit_id) == ref.id


def test_receipt_items_default_to_what_the_visit_recorded(office: Session) -> None:
    petition = data.add_petition(office)
    assert petition.visit_id is not None
    _, pdf = printing.receipt_for_visit(office, CLERK, petition.visit_id, [])
    assert "2. Bản sao Quyết định 1234/QĐ-UBND" in data.pdf_text(pdf)


def test_receipt_needs_at_least_one_item(office: Session) -> None:
    saved = add_visit(office)
    with pytest.raises(ValidationError) as err:
        printing.receipt_for_visit(office, CLERK, saved.id, ["  "])
    assert "ít nhất một" in err.value.user_message


def test_missing_documents_say_what_is_missing(office: Session) -> None:
    petition = data.add_petition(office)
    with pytest.raises(NotFoundError, match="chưa có phiếu chuyển đơn"):
        printing.latest_document(office, DocumentType.FORWARDING, petition_id=petition.id)
    with pytest.raises(NotFoundError, match="Không tìm thấy văn bản số 999"):
        printing.render_document(office, SYSTEM, 999)


def test_desk_issues_appointment_and_refusal_for_a_visit(office: Session) -> None:
    visit = add_visit(office, name="Đinh Thị Ánh")
    at = dt.datetime(2026, 12, 2, 14, 0, tzinfo=LOCAL_TZ)
    ref, pdf = printing.issue_for_visit(
        office, CLERK, visit.id, DocumentType.APPOINTMENT, {"appointment_at": at, "purpose": "Đối thoại"}
    )
    text = data.pdf_text(pdf)
    assert ref.symbol.endswith("/PH-BTCD") and "PHIẾU HẸN" in text
    assert "14 giờ 00 phút, ngày 02 tháng 12 năm 2026" in text and "Kính gửi: Ông/bà Đinh Thị Ánh" in text

    with pytest.raises(ValidationError, match="lý do từ chối"):
        printing.issue_for_visit(office, CLERK, visit.id, DocumentType.REFUSAL, {"reason": " "})
    _, pdf = printing.issue_for_visit(office, CLERK, visit.id, DocumentType.REFUSAL, {"reason": "Say rượu."})
    assert "với lý do: Say rượu." in data.pdf_text(pdf)


def test_document_numbers_below_ten_take_a_leading_zero(office: Session) -> None:
    petition = data.add_petition(office)
    refs = [data.issue(office, petition, DocumentType.FORWARDING) for _ in range(10)]
    assert [r.symbol for r in refs[:2]] == ["01/PCĐ-BTCD", "02/PCĐ-BTCD"] and refs[9].symbol == "10/PCĐ-BTCD"
    assert "Số: 09/PCĐ-BTCD" in data.pdf_text(printing.render_document(office, SYSTEM, refs[8].id))


@pytest.mark.parametrize("doc_type", list(EXPECTED), ids=lambda t: t.value)
def test_the_official_form_number_is_printed_top_right_where_it_is_known(
    office: Session, doc_type: DocumentType
) -> None:
    known = form_numbers.form_number(doc_type)
    petition = data.add_petition(office)
    pdf = printing.render_document(office, SYSTEM, data.issue(office, petition, doc_type).id)
    lines: list[tuple[str, float, float]] = []
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(
        visitor_text=lambda text, cm, tm, *_: lines.append((text.strip(), tm[4] + cm[4], tm[5] + cm[5]))
    )
    numbers = [(text, x, y) for text, x, y in lines if text.startswith("Mẫu số")]
    if known.form_no is None:
        assert not known.confirmed and numbers == []  # an unconfirmed number is never printed
        return
    text, x, y = numbers[0]
    heading_y = next(y for text, _, y in lines if text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    # The first line of the page, in the right half, above the national heading.
    assert text == known.form_no and x > A4[0] / 2 and y > heading_y
    assert data.pdf_text(pdf).startswith(known.form_no)


def test_every_document_type_has_its_form_number_entry_with_a_source() -> None:
    for doc_type in DocumentType:
        entry = form_numbers.form_number(doc_type)
        assert entry.instrument and entry.source, doc_type
    assert form_numbers.form_line(DocumentType.ACCEPTANCE_PROPOSAL) == "Mẫu số 01"
    assert form_numbers.form_line(DocumentType.DAILY_LOG) == "Mẫu số 03"
