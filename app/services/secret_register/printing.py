"""Documents that need the denouncer's identity, printed on the confidential workstation.

The networked side sent each document as the facts its template prints (facts.load there, the
person left out); here the person comes from the store and the same template renders it
(printing.render.pdf_of), unmasked: the station is the one place allowed to print the name.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select

from app.models.enums import DocumentType, MatterKind
from app.models.secret_register import StoredDocument, StoredIdentity, StoreMeta
from app.services.common.actor import Actor
from app.services.common.errors import NotFoundError, StorageError
from app.services.printing import facts, layout, render
from app.services.secret_register.store import SecretStore, record
from app.services.security.permissions import Permission, require

_DEFAULT_OFFICE = layout.Office("", "", "", "", "", "", "")


def _facts(data: dict[str, Any], office: layout.Office, identity: dict[str, Any]) -> facts.Facts:
    content = dict(data.get("content") or {})
    for key in ("petitioner_name", "petitioner_id_number", "petitioner_address", "petitioner_phone"):
        content.pop(key, None)
    person = facts.Person(
        name=str(identity.get("full_name") or ""),
        id_number=str(identity.get("id_number") or ""),
        address=str(identity.get("address") or ""),
        phone=str(identity.get("phone") or ""),
    )
    kind = data.get("kind")
    return facts.Facts(
        office=office,
        doc_type=DocumentType(data["doc_type"]),
        document_id=int(data["document_id"]),
        symbol=str(data["symbol"]),
        issued_on=dt.date.fromisoformat(str(data["issued_on"])),
        recipient=str(data.get("recipient") or ""),
        content=content,
        kind=MatterKind(kind) if kind in {k.value for k in MatterKind} else None,
        petitioner=person,
        head_count=int(data.get("head_count") or 1),
        organisation=str(data.get("organisation") or ""),
        is_denouncer=True,
        masked=False,
        officer_name=str(data.get("officer_name") or ""),
        petition_id=data.get("petition_id"),
        visit_id=data.get("visit_id"),
    )


def print_document(store: SecretStore, actor: Actor, document: int | str) -> tuple[str, bytes]:
    """(file-name stem, PDF) of a stored document, by its networked id or its symbol ("03/BN-BTCD")."""
    require(actor, Permission.REVEAL_IDENTITY)
    require(actor, Permission.PRINT_SLIP)
    with store.transaction() as session:
        stmt = select(StoredDocument)
        text = str(document).strip()
        stmt = (
            stmt.where(StoredDocument.id == int(text)) if text.isdigit() else stmt.where(StoredDocument.symbol == text)
        )
        row = session.scalars(stmt.order_by(StoredDocument.id.desc()).limit(1)).first()
        if row is None:
            raise NotFoundError(
                f"Sổ mật chưa có văn bản “{text}”. Nhập gói dữ liệu mới nhất từ máy nối mạng rồi in lại."
            )
        identity_row = session.get(StoredIdentity, row.reference)
        if identity_row is None:
            raise NotFoundError(f"Sổ mật chưa có danh tính của mã tham chiếu {row.reference}.")
        office_meta = session.get(StoreMeta, "office")
        office = layout.Office(**json.loads(office_meta.value)) if office_meta is not None else _DEFAULT_OFFICE
        try:
            data = json.loads(row.facts_json)
        except ValueError as exc:
            raise StorageError(f"Văn bản {row.symbol} trong sổ mật bị hỏng; nhập lại gói dữ liệu.") from exc
        template = render.template_for(DocumentType(row.doc_type))
        pdf = render.pdf_of(template, _facts(data, office, store.unseal(identity_row.identity_sealed)))
        record(session, actor, "print", {"reference": row.reference, "document": row.id, "symbol": row.symbol})
    stem = f"{template.command}-{row.symbol.replace('/', '-')}"
    return stem, pdf
