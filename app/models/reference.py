"""Catalogues and directories: administrative units, fields, agencies, calendar, users, settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, true
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, CodeEnum
from app.models.enums import AdminLevel, AgencyLevel, CalendarDayKind, Instance, MatterKind, Role
from app.models.mixins import Timestamps, now_local


class AdminUnit(Base):
    """A province or commune (NSO code), with validity so that old addresses stay readable."""

    __tablename__ = "admin_unit"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_folded: Mapped[str] = mapped_column(String(120), index=True)
    division_type: Mapped[str] = mapped_column(String(40))
    level: Mapped[AdminLevel] = mapped_column(CodeEnum(AdminLevel))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.code"), index=True)
    valid_from: Mapped[dt.date | None]
    valid_to: Mapped[dt.date | None]


class FieldCategory(Base):
    """Field / sub-field of a matter (đất đai, nhà ở, chế độ chính sách…), the rows of the report forms."""

    __tablename__ = "field_category"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("field_category.code"))
    applies_to: Mapped[str] = mapped_column(String(80), default="")  # comma-separated MatterKind codes
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)


class Agency(Timestamps, Base):
    """A body in the directory of competent bodies (forwarding targets, sources of forwarded petitions)."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_folded: Mapped[str] = mapped_column(String(300), index=True)
    short_name: Mapped[str | None] = mapped_column(String(80))
    level: Mapped[AgencyLevel] = mapped_column(CodeEnum(AgencyLevel))
    kind: Mapped[str] = mapped_column(String(40), default="")  # ubnd, thanh_tra, cong_an, toa_an, vks, so…
    admin_unit_code: Mapped[str | None] = mapped_column(ForeignKey("admin_unit.code"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    address: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)


class RoutingRule(Base):
    """Suggests the competent body from the kind, the field and the respondent's level (editable data)."""

    __tablename__ = "routing_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_kind: Mapped[MatterKind | None] = mapped_column(CodeEnum(MatterKind))
    field_code: Mapped[str | None] = mapped_column(ForeignKey("field_category.code"))
    respondent_level: Mapped[AgencyLevel | None] = mapped_column(CodeEnum(AgencyLevel))
    instance: Mapped[Instance | None] = mapped_column(CodeEnum(Instance))
    # A fixed body, or (when null) a body found from the petition: see ``target``.
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    # "respondent": the body complained about itself; "respondent_parent": its superior body.
    target: Mapped[str | None] = mapped_column(String(40))
    priority: Mapped[int] = mapped_column(Integer, default=100)
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True, server_default=true())


class CalendarDay(Base):
    """An office calendar entry overriding the normal Monday–Friday week (holiday, day off, make-up day)."""

    __tablename__ = "calendar_day"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    kind: Mapped[CalendarDayKind] = mapped_column(CodeEnum(CalendarDayKind))
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(40), default="holidays")  # holidays | office
    decision_ref: Mapped[str | None] = mapped_column(String(200))


class User(Timestamps, Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str | None] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(CodeEnum(Role))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]


class Setting(Base):
    """Office settings (names, symbols, signers, number prefixes, rule parameters) as JSON text."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now_local, onupdate=now_local)
