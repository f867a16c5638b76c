"""What every screen receives: the open database and the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass

from app.db import Database
from app.services.common.actor import Actor


@dataclass
class UiContext:
    db: Database
    actor: Actor
