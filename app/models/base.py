"""Declarative base, naming convention and column types shared by every model."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.compiler import TypeCompiler

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@compiles(String, "postgresql")
def _nominal_length_varchar(type_: String, compiler: TypeCompiler, **kw: Any) -> str:
    # A String's length documents the expected size; SQLite never enforces it, and the services
    # do not check every one (the forms allow up to 200 characters in a 120-character column).
    # Enforced on PostgreSQL alone, the same save or import that works on SQLite would fail there
    # with "value too long": the same code must keep the same data on both, so no limit here either.
    collation = f' COLLATE "{type_.collation}"' if type_.collation else ""
    return f"VARCHAR{collation}"


# Named constraints let Alembic alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class TZDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored as UTC and returned in Vietnam time.

    SQLite keeps no offset, so a naive value would be ambiguous between desks; we
    refuse naive input and normalise to UTC on the way in.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: attach a timezone before storing")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        stored = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        assert isinstance(stored, dt.datetime)
        return stored.replace(tzinfo=dt.UTC).astimezone(LOCAL_TZ)


class CodeEnum(TypeDecorator[enum.Enum]):
    """Stores a ``StrEnum`` member as its stable code (a short string), never its name."""

    impl = String(32)
    cache_ok = True

    def __init__(self, enum_type: type[enum.StrEnum], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enum_type = enum_type

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(self.enum_type(value).value)

    def process_result_value(self, value: Any, dialect: Dialect) -> enum.Enum | None:
        if value is None:
            return None
        return self.enum_type(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: TZDateTime()}
