"""How autogenerate writes our column types into migration files."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy.types import TypeDecorator


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    # Migrations must not depend on model code that may change later: render our
    # TypeDecorators as the plain column type they store.
    if type_ == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False
