"""Citizens: the people who come to the desk or send petitions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CodeEnum
from app.models.enums import Gender, IdKind
from app.models.mixins import SoftDelete, Timestamps, now_local
from app.services.security.crypto import EncryptedText


class Citizen(Timestamps, SoftDelete, Base):
    __tablename__ = "citizen"
    # Lookups by number always say which kind of record (ordinary / confidential) they want. Without
    # this pair index SQLite walks the two-valued ``confidential`` index instead (save_citizen took
    # 570 ms at 200,000 citizens; bench/perf_desk.py save).
    __table_args__ = (Index("ix_citizen_digest_confidential", "id_number_digest", "confidential"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Identity fields are stored encrypted (AES-GCM, app.services.security.crypto) and read back in clear.
    full_name: Mapped[str] = mapped_column(EncryptedText("citizen.full_name"))
    # Lower-case, tone-free, đ→d: what every search compares against (see services.text).
    # Empty for a confidential record, so that the search index never holds a denouncer's name.
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    id_number: Mapped[str | None] = mapped_column(EncryptedText("citizen.id_number"))
    # Exact-lookup key for the identity number (a keyed hash, so the number itself can be encrypted).
    id_number_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    id_kind: Mapped[IdKind | None] = mapped_column(CodeEnum(IdKind))
    gender: Mapped[Gender | None] = mapped_column(CodeEnum(Gender))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(EncryptedText("citizen.phone"))
    province_code: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.code"))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.code"))
    address_detail: Mapped[str | None] = mapped_column(EncryptedText("citizen.address_detail"))
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    nationality: Mapped[str | None] = mapped_column(String(60), default="Việt Nam")
    # A denouncer's record (Luật Tố cáo): kept apart from ordinary records, masked for users
    # without the right to see it, never matched by name.
    confidential: Mapped[bool] = mapped_column(default=False, index=True)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"), index=True)


class CitizenVersion(Base):
    """What a citizen's record said when a visit or a petition was recorded.

    A visit, a petition and the papers printed for them show the person as they were then: when
    the citizen later moves or a name is corrected, the earlier register pages and receipts keep
    the old address. The identity columns reuse the citizen's encryption purposes, so a version is
    a plain copy of the ciphertext.
    """

    __tablename__ = "citizen_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizen.id"), index=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now_local)
    full_name: Mapped[str] = mapped_column(EncryptedText("citizen.full_name"))
    id_number: Mapped[str | None] = mapped_column(EncryptedText("citizen.id_number"))
    phone: Mapped[str | None] = mapped_column(EncryptedText("citizen.phone"))
    province_code: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.code"))
    commune_code: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.code"))
    address_detail: Mapped[str | None] = mapped_column(EncryptedText("citizen.address_detail"))
    confidential: Mapped[bool] = mapped_column(default=False)
