"""Clerk decisions about suggested case links: a candidate dismissed once is not offered again."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.mixins import now_local


class CaseDismissal(Base):
    """ "Not the same matter": the petition ``petition_id`` is not related to the item ``other_key``."""

    __tablename__ = "case_dismissal"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id", ondelete="CASCADE"), index=True)
    # "petition:12" or "visit:40": the candidate the clerk said is another matter.
    other_key: Mapped[str] = mapped_column(String(40))
    dismissed_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    dismissed_at: Mapped[dt.datetime] = mapped_column(default=now_local)
