"""The opaque reference that stands for a denouncer's identity on the networked desks.

After the identity has gone to the confidential workstation, the citizen record keeps only
``label(reference)`` in place of the name, so every list, detail and search result of the networked
desks shows the reference and "Danh tính lưu tại sổ mật" and nothing else. Nothing in this module is
secret: a reference says which record it is, never who.
"""

from __future__ import annotations

import re
import secrets

PREFIX = "TC"
STORED_TEXT = "Danh tính lưu tại sổ mật"
SEPARATOR = " · "
_PATTERN = re.compile(rf"^({PREFIX}-\d{{4}}-\d{{6}})(?:{re.escape(SEPARATOR)}{STORED_TEXT})?$")


def new_reference(year: int) -> str:
    """A random reference of the intake year: ``TC-2026-004217`` (uniqueness is the caller's check)."""
    return f"{PREFIX}-{year:04d}-{secrets.randbelow(1_000_000):06d}"


def label(reference: str) -> str:
    """What the networked desks show and store in place of the denouncer's name."""
    return f"{reference}{SEPARATOR}{STORED_TEXT}"


def parse(value: str | None) -> str | None:
    """The reference of a stored label (or a bare reference); None for anything else, e.g. a name."""
    if not value:
        return None
    found = _PATTERN.match(value.strip())
    return found.group(1) if found else None


def is_label(value: str | None) -> bool:
    return parse(value) is not None
