"""Documents the citizen hands in (scans, photos, PDFs), attached to a visit or a petition.

The bytes are stored in the database (``Attachment.content``), never as a path on one desk's disk:
SQLite and PostgreSQL keep the same file, and a backup of the database carries it. A denunciation's
files are confidential like the denouncer's identity (Luật Tố cáo): their bytes are stored as
AES-256-GCM ciphertext under a sub-key of the database's data key, and only a user allowed to see
a denouncer's identity may open them. Adding, opening and removing are audited.
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePath

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.models import Attachment, Citizen, Petition, Visit
from app.models.mixins import now_local
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, PermissionDenied, StorageError, ValidationError
from app.services.security import audit, confidential, crypto
from app.services.security.permissions import Permission, require

MAX_SIZE_MB = settings.define("attachments.max_size_mb", 20, "Dung lượng tối đa của một tệp đính kèm (MB)")

# Extension -> (media type, what the first bytes must be).
MEDIA_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "tif": ("image/tiff", (b"II*\x00", b"MM\x00*")),
    "tiff": ("image/tiff", (b"II*\x00", b"MM\x00*")),
}
ALLOWED_TEXT = "PDF, JPG, JPEG, PNG, TIF, TIFF"
_PURPOSE = b"attachment.content"
_NONCE = 12


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    file_name: str
    media_type: str
    size: int
    page_count: int
    sha256: str
    encrypted: bool
    petition_id: int | None
    visit_id: int | None

    @property
    def size_text(self) -> str:
        return human_size(self.size)


def human_size(size: int) -> str:
    """ "850 byte", "12,4 KB", "3,1 MB" (Vietnamese decimal comma)."""
    if size < 1024:
        return f"{size} byte"
    value, unit = (size / 1024, "KB") if size < 1024 * 1024 else (size / (1024 * 1024), "MB")
    return f"{value:.1f} {unit}".replace(".", ",")


def _row(a: Attachment) -> AttachmentRow:
    return AttachmentRow(
        a.id, a.file_name, a.media_type, a.size, a.page_count, a.sha256, a.encrypted, a.petition_id, a.visit_id
    )


def _cipher(session: Session) -> AESGCM:
    key = crypto.key_for(session.get_bind().dialect)
    sub = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"tiepdan/attachment/v1").derive(key.master)
    return AESGCM(sub)


def _seal(session: Session, data: bytes) -> bytes:
    nonce = os.urandom(_NONCE)
    return nonce + _cipher(session).encrypt(nonce, data, _PURPOSE)


def _unseal(session: Session, sealed: bytes) -> bytes:
    try:
        return _cipher(session).decrypt(sealed[:_NONCE], sealed[_NONCE:], _PURPOSE)
    except (InvalidTag, ValueError) as exc:
        raise StorageError(crypto.BAD_CIPHERTEXT) from exc


def _clean_name(file_name: str) -> str:
    name = unicodedata.normalize("NFC", PurePath(file_name.replace("\\", "/")).name).strip()
    return name[:255]


def page_count(data: bytes, media_type: str) -> int:
    """Pages of a PDF (read with pypdf); an image is one page."""
    if media_type != "application/pdf":
        return 1
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(io.BytesIO(data)).pages)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(
            {
                "file": "Tệp PDF bị hỏng hoặc có mật khẩu, không đọc được số trang. "
                "Hãy quét hoặc lưu lại tệp rồi thêm lại."
            }
        ) from exc


def _owner(session: Session, petition_id: int | None, visit_id: int | None) -> tuple[Petition | None, Visit | None]:
    if (petition_id is None) == (visit_id is None):
        raise ValidationError({"owner": "Chọn một đơn hoặc một lượt tiếp để đính kèm tệp."})
    petition = session.get(Petition, petition_id) if petition_id is not None else None
    visit = session.get(Visit, visit_id) if visit_id is not None else None
    if petition_id is not None and (petition is None or petition.deleted_at is not None):
        raise NotFoundError(f"Không tìm thấy đơn số {petition_id}.")
    if visit_id is not None and (visit is None or visit.deleted_at is not None):
        raise NotFoundError(f"Không tìm thấy lượt tiếp số {visit_id}.")
    return petition, visit


def is_confidential(session: Session, petition: Petition | None, visit: Visit | None) -> bool:
    """A denunciation's files are protected like the denouncer's identity."""
    kind = petition.kind if petition is not None else visit.matter_kind if visit is not None else None
    if confidential.must_protect(kind):
        return True
    citizen_id = petition.citizen_id if petition is not None else visit.citizen_id if visit is not None else None
    citizen = session.get(Citizen, citizen_id) if citizen_id else None
    return bool(citizen is not None and citizen.confidential)


def check_file(session: Session, file_name: str, data: bytes) -> tuple[str, str]:
    """(clean name, media type) of an acceptable file, or a ValidationError saying what to fix."""
    name = _clean_name(file_name)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not name:
        raise ValidationError({"file": "Tệp không có tên. Chọn lại tệp cần đính kèm."})
    if ext not in MEDIA_TYPES:
        raise ValidationError(
            {"file": f"Không nhận loại tệp “{name}”. Chỉ đính kèm được tệp {ALLOWED_TEXT} (bản quét, ảnh chụp)."}
        )
    if not data:
        raise ValidationError({"file": f"Tệp “{name}” rỗng (0 byte). Quét hoặc chụp lại giấy tờ rồi thêm lại."})
    limit_mb = int(settings.get(session, MAX_SIZE_MB))
    if len(data) > limit_mb * 1024 * 1024:
        raise ValidationError(
            {
                "file": f"Tệp “{name}” nặng {human_size(len(data))}, quá giới hạn {limit_mb} MB. "
                "Quét lại với độ phân giải thấp hơn hoặc tách thành nhiều tệp."
            }
        )
    media_type, magics = MEDIA_TYPES[ext]
    if not data.startswith(magics):
        raise ValidationError(
            {"file": f"Nội dung tệp “{name}” không phải tệp {ext.upper()} như phần đuôi tên cho biết. Chọn đúng tệp."}
        )
    return name, media_type


def add_attachment(
    session: Session,
    actor: Actor,
    *,
    file_name: str,
    data: bytes,
    petition_id: int | None = None,
    visit_id: int | None = None,
) -> AttachmentRow:
    """Attach one file to a petition or a visit; refuses what the office cannot keep."""
    require(actor, Permission.REGISTER_VISIT)
    petition, visit = _owner(session, petition_id, visit_id)
    name, media_type = check_file(session, file_name, data)
    digest = hashlib.sha256(data).hexdigest()
    same = session.scalar(
        select(Attachment.file_name).where(
            Attachment.sha256 == digest,
            Attachment.deleted_at.is_(None),
            Attachment.petition_id == petition_id if petition_id is not None else Attachment.visit_id == visit_id,
        )
    )
    if same is not None:
        raise ValidationError({"file": f"Tệp “{name}” đã được đính kèm (trùng nội dung với tệp “{same}”)."})
    pages = page_count(data, media_type)
    secret = is_confidential(session, petition, visit)
    row = Attachment(
        petition_id=petition_id,
        visit_id=visit_id,
        file_name=name,
        media_type=media_type,
        sha256=digest,
        size=len(data),
        page_count=pages,
        encrypted=secret,
        content=_seal(session, data) if secret else data,
        added_by=actor.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "attachment",
        row.id,
        after={
            "file_name": name,
            "sha256": digest,
            "size": len(data),
            "petition_id": petition_id,
            "visit_id": visit_id,
        },
    )
    return _row(row)


def add_file(
    session: Session, actor: Actor, path: Path, *, petition_id: int | None = None, visit_id: int | None = None
) -> AttachmentRow:
    """Attach a file chosen on this desk's disk (its bytes are copied into the database)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError({"file": f"Không đọc được tệp “{path.name}”: {exc.strerror or exc}."}) from exc
    return add_attachment(session, actor, file_name=path.name, data=data, petition_id=petition_id, visit_id=visit_id)


def list_attachments(
    session: Session, *, petition_id: int | None = None, visit_id: int | None = None
) -> list[AttachmentRow]:
    """The files of a petition (and of the visit it came from), or of a visit (and of the petitions
    registered from it), oldest first."""
    owners = []
    if petition_id is not None:
        owners.append(Attachment.petition_id == petition_id)
        origin = session.scalar(select(Petition.visit_id).where(Petition.id == petition_id))
        if origin is not None and visit_id is None:
            visit_id = origin
    if visit_id is not None:
        owners.append(Attachment.visit_id == visit_id)
        if petition_id is None:  # a visit shows the files of the petitions registered from it too
            owners.append(Attachment.petition_id.in_(select(Petition.id).where(Petition.visit_id == visit_id)))
    if not owners:
        return []
    rows = session.scalars(
        select(Attachment).where(or_(*owners), Attachment.deleted_at.is_(None)).order_by(Attachment.id)
    )
    return [_row(a) for a in rows]


def _get(session: Session, attachment_id: int) -> Attachment:
    row = session.get(Attachment, attachment_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"Không tìm thấy tệp đính kèm số {attachment_id} (có thể đã bị xóa).")
    return row


def open_attachment(session: Session, actor: Actor, attachment_id: int) -> tuple[AttachmentRow, bytes]:
    """The file's plain bytes (decrypted when confidential), checked against its SHA-256; audited."""
    row = _get(session, attachment_id)
    if row.encrypted and not confidential.can_see(actor):
        raise PermissionDenied(
            "Tệp thuộc đơn tố cáo, được bảo mật như danh tính người tố cáo: chỉ người được xem danh tính mới mở được."
        )
    data = _unseal(session, row.content) if row.encrypted else row.content
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise StorageError(
            f"Tệp “{row.file_name}” không còn nguyên vẹn (mã SHA-256 không khớp). Phục hồi từ bản sao lưu."
        )
    audit.record(session, actor, "open", "attachment", row.id, after={"file_name": row.file_name})
    return _row(row), data


def remove_attachment(session: Session, actor: Actor, attachment_id: int, reason: str = "") -> None:
    """Take a file off its record (kept in the database, marked deleted); audited."""
    require(actor, Permission.REGISTER_VISIT)
    row = _get(session, attachment_id)
    row.deleted_at = now_local()
    row.delete_reason = reason.strip() or None
    audit.record(
        session, actor, "delete", "attachment", row.id, before={"file_name": row.file_name}, reason=row.delete_reason
    )
