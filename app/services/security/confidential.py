"""Protecting a denouncer's identity (Luật Tố cáo): who may see it, and what others see instead."""

from __future__ import annotations

from app.models.enums import MatterKind
from app.services.common.actor import Actor
from app.services.security import secret_references
from app.services.security.permissions import Permission, allowed

MASK = "[Bảo mật danh tính]"


def must_protect(kind: MatterKind | None) -> bool:
    """A person presenting a denunciation is a denouncer: their identity is confidential."""
    return kind == MatterKind.DENUNCIATION


def can_see(actor: Actor) -> bool:
    return allowed(actor, Permission.REVEAL_IDENTITY)


def shown(actor: Actor, value: str | None, confidential: bool) -> str | None:
    """The value itself, or the mask when it is confidential and ``actor`` may not see it.

    A sổ mật reference ("TC-2026-004217 · Danh tính lưu tại sổ mật") is no identity: shown to all."""
    if not confidential or value is None or can_see(actor) or secret_references.is_label(value):
        return value
    return MASK
