"""Checks of what a service is handed by its caller (a programming error, not a user's).

A Qt combo can hand back a ``StrEnum`` as a plain ``str``; a service that then calls
``kind.value`` fails far from the cause. Input dataclasses check their enum fields on creation, so
the mistake shows at the boundary, naming the field.
"""

from __future__ import annotations

import enum
from typing import Any


def require_enums(obj: Any, **fields: type[enum.Enum]) -> None:
    """Raise ``TypeError`` unless each named field of ``obj`` is a member of its enum (or ``None``)."""
    for name, kind in fields.items():
        value = getattr(obj, name)
        if value is not None and not isinstance(value, kind):
            raise TypeError(f"{type(obj).__name__}.{name} must be a {kind.__name__}, not {type(value).__name__}")
