"""Sổ mật (state-secret register) models: the networked side's references and the confidential store.

A denouncer's identity is a state secret (QĐ 774/QĐ-TTg; Luật Bảo vệ bí mật nhà nước 2025 art. 5 k2).
In "sổ mật" mode the networked database keeps, for each denouncer, only ``SecretReference``: an
opaque code such as ``TC-2026-004217`` that stands in the citizen record once the identity has
been exported. The identity itself lives in a separate SQLite file on a standalone workstation,
described by ``StoreBase`` (its own metadata, never created in the networked database).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, ClassVar

from sqlalchemy import ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.models.base import NAMING_CONVENTION, Base, CodeEnum, TZDateTime
from app.models.mixins import now_local


class TransferState(enum.StrEnum):
    """Where a denouncer's identity is: still typed on the networked desk, sent, or confirmed received."""

    PENDING = "cho_chuyen"  # typed at intake, awaiting export to the confidential workstation
    EXPORTED = "da_chuyen"  # in a sealed package, wiped from the networked database
    CONFIRMED = "da_nhan"  # the confidential workstation acknowledged the package


class SecretReference(Base):
    """Networked database: the opaque reference of one denouncer's citizen record."""

    __tablename__ = "secret_reference"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), unique=True)
    state: Mapped[TransferState] = mapped_column(CodeEnum(TransferState), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    exported_at: Mapped[dt.datetime | None]
    # The package that carried the identity (its id is printed on the package's label).
    package_id: Mapped[str | None] = mapped_column(String(40), index=True)
    confirmed_at: Mapped[dt.datetime | None]


# ---- the confidential store (its own SQLite file) --------------------------------------------------


class StoreBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: TZDateTime()}


class StoreMeta(StoreBase):
    """Key/value facts of the store: its id, its key's id, the sealed transfer keys, the office."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class StoredIdentity(StoreBase):
    """One denouncer: the identity fields as AES-GCM ciphertext under the store's own key."""

    __tablename__ = "stored_identity"

    reference: Mapped[str] = mapped_column(String(20), primary_key=True)
    # JSON of the identity (name, CCCD, phone, address, …), sealed (app.services.secret_register.store).
    identity_sealed: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    package_id: Mapped[str] = mapped_column(String(40))


class StoredCase(StoreBase):
    """The case state of a reference as the networked side last reported it (no identity)."""

    __tablename__ = "stored_case"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), index=True)
    holder: Mapped[str] = mapped_column(String(12))  # "petition" | "visit"
    holder_id: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), default="")
    received_on: Mapped[dt.date | None]
    kind: Mapped[str] = mapped_column(String(32), default="")
    status: Mapped[str] = mapped_column(String(60), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=now_local)


class StoredDocument(StoreBase):
    """A document issued on the networked side for a reference, as the facts its template prints."""

    __tablename__ = "stored_document"

    id: Mapped[int] = mapped_column(primary_key=True)  # the networked issued_document id
    reference: Mapped[str] = mapped_column(String(20), index=True)
    doc_type: Mapped[str] = mapped_column(String(32))
    symbol: Mapped[str] = mapped_column(String(80))
    issued_on: Mapped[dt.date]
    facts_json: Mapped[str] = mapped_column(Text)


class StorePackage(StoreBase):
    """Every package the store imported or wrote: a package is never imported twice."""

    __tablename__ = "store_package"

    package_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    direction: Mapped[str] = mapped_column(String(16))  # "in" | "out"
    file_name: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(default=now_local)
    count: Mapped[int] = mapped_column(Integer, default=0)


class StoreAudit(StoreBase):
    """The confidential workstation's own audit trail, hash-chained like ``AuditEntry``."""

    __tablename__ = "store_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=now_local)
    username: Mapped[str] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(40))
    detail_json: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64), default="")
