"""Filed petitions whose paper was disposed of once their retention passed (đơn lưu đã tiêu hủy)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base
from app.models.mixins import now_local


class PetitionDisposal(Base):
    """The paper of a filed petition was destroyed on ``disposed_on`` under the minutes ``minutes_ref``.

    The petition row itself stays (reports of past periods still count it); one disposal per petition.
    """

    __tablename__ = "petition_disposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id", ondelete="CASCADE"), unique=True)
    disposed_on: Mapped[dt.date]
    minutes_ref: Mapped[str] = mapped_column(String(120))  # "Biên bản số 03/BB-HĐTH ngày …"
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=now_local)
