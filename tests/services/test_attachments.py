"""Attachments kept in the database: checks, SHA-256, page count, encryption of a denunciation's files,
audit, the receipt that lists them with its lookup code, and a backup that carries them."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Attachment, AuditEntry, IssuedDocument
from app.models.enums import DocumentType, MatterKind, Role
from app.services import printing
from app.services.casework import documents
from app.services.common import settings
from app.services.common.actor import SYSTEM, Actor
from app.services.common.errors import NotFoundError, PermissionDenied, ValidationError
from app.services.records import attachments, backup
from tests import printing_data as data

CLERK = Actor(user_id=None, username="canbo", full_name="Phạm Thu Hà", role=Role.CLERK)
LEAD = Actor(user_id=None, username="lanhdao", full_name="Phạm Văn Lãnh", role=Role.LEAD)


def pdf_of(pages: int, marker: str = "TAI LIEU") -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for n in range(pages):
        canvas.drawString(100, 700, f"{marker} trang {n + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def png_of(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture
def office(session: Session) -> Session:
    data.setup_office(session)
    return session


def test_a_pdf_is_stored_with_its_hash_size_and_pages(office: Session) -> None:
    petition = data.add_petition(office)
    pdf = pdf_of(3)
    row = attachments.add_attachment(office, CLERK, petition_id=petition.id, file_name="Đơn khiếu nại.pdf", data=pdf)
    assert (row.page_count, row.size, row.sha256) == (3, len(pdf), hashlib.sha256(pdf).hexdigest())
    assert row.media_type == "application/pdf" and not row.encrypted
    image = attachments.add_attachment(office, CLERK, visit_id=petition.visit_id, file_name="ảnh.PNG", data=png_of())
    assert (image.media_type, image.page_count) == ("image/png", 1)
    # The petition lists its own files and those of the visit it came from.
    listed = attachments.list_attachments(office, petition_id=petition.id)
    assert [a.file_name for a in listed] == ["Đơn khiếu nại.pdf", "ảnh.PNG"]
    opened, plain = attachments.open_attachment(office, CLERK, row.id)
    assert plain == pdf and opened.file_name == "Đơn khiếu nại.pdf"
    actions = office.scalars(select(AuditEntry.action).where(AuditEntry.entity == "attachment")).all()
    assert actions == ["create", "create", "open"]


def test_bad_files_are_refused_with_what_to_fix(office: Session) -> None:
    petition = data.add_petition(office)

    def refused(name: str, content: bytes) -> str:
        with pytest.raises(ValidationError) as err:
            attachments.add_attachment(office, CLERK, petition_id=petition.id, file_name=name, data=content)
        return err.value.fields["file"]

    assert "Chỉ đính kèm được tệp PDF, JPG, JPEG, PNG, TIF, TIFF" in refused("ghi chú.docx", b"PK\x03\x04")
    assert "rỗng" in refused("trống.pdf", b"")
    assert "không phải tệp PDF" in refused("giả.pdf", png_of())
    assert "bị hỏng" in refused("hỏng.pdf", b"%PDF-1.4 not really")
    settings.put(office, attachments.MAX_SIZE_MB, 1)
    big = b"\xff\xd8\xff" + b"\x00" * (1024 * 1024)
    assert "quá giới hạn 1 MB" in refused("ảnh lớn.jpg", big)
    once = pdf_of(1)
    attachments.add_attachment(office, CLERK, petition_id=petition.id, file_name="a.pdf", data=once)
    assert "đã được đính kèm" in refused("bản khác.pdf", once)
    assert office.scalar(select(Attachment.id).where(Attachment.file_name == "bản khác.pdf")) is None


def test_a_denunciation_file_is_stored_encrypted_and_opened_only_by_who_may_see(office: Session) -> None:
    petition = data.add_petition(office, kind=MatterKind.DENUNCIATION)
    pdf = pdf_of(2, marker="BI MAT TO CAO")
    row = attachments.add_attachment(office, CLERK, petition_id=petition.id, file_name="tố cáo.pdf", data=pdf)
    assert row.encrypted and row.page_count == 2
    office.flush()
    raw = office.execute(text("SELECT content FROM attachment WHERE id = :i"), {"i": row.id}).scalar_one()
    assert bytes(raw) != pdf and b"BI MAT TO CAO" not in bytes(raw) and b"%PDF" not in bytes(raw)
    with pytest.raises(PermissionDenied, match="bảo mật"):
        attachments.open_attachment(office, CLERK, row.id)
    _, plain = attachments.open_attachment(office, LEAD, row.id)
    assert plain == pdf


def test_removed_files_leave_the_list_and_are_audited(office: Session) -> None:
    petition = data.add_petition(office)
    once = pdf_of(1)
    row = attachments.add_attachment(office, CLERK, petition_id=petition.id, file_name="x.pdf", data=once)
    attachments.remove_attachment(office, CLERK, row.id, "Nhầm tệp")
    assert attachments.list_attachments(office, petition_id=petition.id) == []
    with pytest.raises(NotFoundError):
        attachments.open_attachment(office, CLERK, row.id)
    entry = office.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).one()
    assert (entry.entity, entry.reason) == ("attachment", "Nhầm tệp")
    # The same file may be attached again once removed.
    attachments.add_attachment(office, CLERK, petition_id=petition.id, file_name="x.pdf", data=once)


def test_the_receipt_lists_the_files_and_prints_its_lookup_code(office: Session) -> None:
    petition = data.add_petition(office, name="Lê Văn Thịnh")
    assert petition.visit_id is not None
    attachments.add_attachment(office, CLERK, visit_id=petition.visit_id, file_name="Bản quét đơn.pdf", data=pdf_of(3))
    attachments.add_attachment(office, CLERK, petition_id=petition.id, file_name="Ảnh hiện trạng.png", data=png_of())
    ref, pdf = printing.receipt_for_visit(office, CLERK, petition.visit_id, ["Đơn khiếu nại"])
    body = data.pdf_text(pdf)
    assert "gồm 3 mục" in body
    assert "1. Đơn khiếu nại" in body
    assert "2. Tệp đính kèm: Bản quét đơn.pdf (3 trang)" in body
    assert "3. Tệp đính kèm: Ảnh hiện trạng.png" in body
    code = office.scalar(select(IssuedDocument.lookup_code).where(IssuedDocument.id == ref.id))
    assert code is not None and len(code) == 8 and set(code) <= set(documents.LOOKUP_ALPHABET)
    assert f"Mã tra cứu biên nhận: {documents.format_lookup_code(code)}" in body
    # The code opens the petition, typed in any reasonable way; other documents carry none.
    typed = f" {code[:4].lower()}-{code[4:]} ".replace("0", "O").replace("1", "l")
    assert documents.petition_by_lookup_code(office, typed) == petition.id
    assert documents.petition_by_lookup_code(office, "ZZZZ-ZZZZ") is None
    assert documents.petition_by_lookup_code(office, "Lê Văn") is None
    other = data.issue(office, petition, DocumentType.ACCEPTANCE)
    assert office.scalar(select(IssuedDocument.lookup_code).where(IssuedDocument.id == other.id)) is None


def test_lookup_codes_are_unique(office: Session) -> None:
    petition = data.add_petition(office)
    assert petition.visit_id is not None
    codes = {printing.receipt_for_visit(office, CLERK, petition.visit_id, ["Đơn"])[0].id for _ in range(5)}
    stored = set(office.scalars(select(IssuedDocument.lookup_code).where(IssuedDocument.id.in_(codes))))
    assert len(stored) == 5


@pytest.mark.sqlite_only
def test_a_backup_carries_the_files(db: Database, tmp_path: Path) -> None:
    pdf = pdf_of(2)
    with db.transaction() as session:
        data.setup_office(session)
        petition = data.add_petition(session, kind=MatterKind.DENUNCIATION)
        row = attachments.add_attachment(session, CLERK, petition_id=petition.id, file_name="chứng cứ.pdf", data=pdf)
    info = backup.backup_database(db, SYSTEM, tmp_path / "sao_luu.tdbak")
    with db.transaction() as session:
        attachments.remove_attachment(session, CLERK, row.id)
    fresh = Database(f"sqlite:///{tmp_path / 'moi.sqlite3'}")
    try:
        backup.restore(fresh, SYSTEM, info.path)
        restored = Database(fresh.url)
        with restored.transaction() as session:
            _, plain = attachments.open_attachment(session, LEAD, row.id)
        assert hashlib.sha256(plain).hexdigest() == hashlib.sha256(pdf).hexdigest()
        restored.dispose()
    finally:
        fresh.dispose()
