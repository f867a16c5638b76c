"""A counter per table, raised in the transaction that changed it, so other desks can tell."""

from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class ChangeTopic(Base):
    __tablename__ = "change_topic"

    topic: Mapped[str] = mapped_column(String(60), primary_key=True)  # a table name
    version: Mapped[int] = mapped_column(BigInteger, default=0)
