"""The petition screens (Đơn thư): list, registration form, classification, actions, timeline.

Other screens open a petition with ``open_petition(parent, ctx, petition_id)``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import UiContext


def open_petition(parent: QWidget | None, ctx: UiContext, petition_id: int) -> QWidget:
    """Show the petition in its own window (non-modal) and return the window."""
    from app.ui.petitions.detail import PetitionDialog  # imported on use: keeps section start-up light

    dialog = PetitionDialog(ctx, petition_id, parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
