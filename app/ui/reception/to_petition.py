"""Lập đơn từ lượt tiếp: the petition handed in at a visit, registered from the visit's row (button,
context menu, Ctrl+D) or, right after the visit is saved with the result "Tiếp nhận đơn", from the
offer in the desk's message line.

The registration form opens in its own window, prefilled with the visit's citizen, content, kind,
field and documents, and linked to the visit; the clerk completes and saves it.
"""

from __future__ import annotations

import sys
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

from app.models.enums import VisitOutcome
from app.services.common.errors import AppError
from app.ui import feedback
from app.ui.context import UiContext

if TYPE_CHECKING:
    from app.services.casework.petitions import VisitDraft
    from app.ui.petitions.page import RegistrationDialog
    from app.ui.reception.page import ReceptionPage

# The petition services and the registration form load when a petition is first drafted from a
# visit, not with the desk: the desk's start-up does not wait for them.
PETITIONS_PAGE = "app.ui.petitions.page"

SHORTCUT = "Ctrl+D"  # Đơn
QUESTION = "Lập đơn cho lượt tiếp số {visit}?"
# The visit last offered a petition for, kept on the button: its target until a row is selected.
OFFERED = "offered_visit"


def open_registrations(owner: QWidget) -> list[RegistrationDialog]:
    """The registration windows opened from ``owner`` that hold unsaved input (none before the
    registration form was ever loaded)."""
    if PETITIONS_PAGE not in sys.modules:
        return []
    from app.ui.petitions.page import open_registrations

    return open_registrations(owner)


def _draft(parent: QWidget, ctx: UiContext, visit_id: int) -> VisitDraft | None:
    from app.services.casework import petitions

    try:
        with ctx.db.session() as session:
            return petitions.draft_from_visit(session, ctx.actor, visit_id)
    except AppError as exc:
        feedback.show_error(parent, exc)
        return None


def _open(parent: QWidget, ctx: UiContext, draft: VisitDraft) -> RegistrationDialog:
    from app.ui.petitions.page import RegistrationDialog

    dialog = RegistrationDialog(ctx, parent, visit_id=draft.data.visit_id)
    dialog.form.fill(draft.data, draft.earlier, sender_hidden=draft.sender_hidden)

    def saved(_petition_id: int) -> None:
        # "Đã tiếp nhận đơn số …" stays in the status bar; the form is done with this visit.
        feedback.show_status(parent, dialog.form.message.text())
        dialog.close()
        # Back to the desk, where the next citizen is waiting.
        parent.window().activateWindow()
        parent.setFocus(Qt.FocusReason.OtherFocusReason)

    dialog.form.saved.connect(saved)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    dialog.form.summary.setFocus()
    return dialog


def register_from_visit(parent: QWidget, ctx: UiContext, visit_id: int) -> RegistrationDialog | None:
    """The registration form prefilled from the visit (its row's button or context menu)."""
    draft = _draft(parent, ctx, visit_id)
    return _open(parent, ctx, draft) if draft is not None else None


def offer_after_save(page: ReceptionPage, visit_id: int) -> bool:
    """After a visit is saved with "Tiếp nhận đơn": offer, in the page's message line, to register the
    petition now (a link, and the shortcut). Never a modal box: the citizen is still at the desk and
    the clerk may go on to the next one; the offer stays on the visit's row."""
    from app.services.casework import petitions

    try:
        with page.ctx.db.session() as session:
            draft = petitions.draft_from_visit(session, page.ctx.actor, visit_id)
    except AppError:
        return False  # only an offer: the visit itself is saved
    if draft.outcome != VisitOutcome.PETITION_RECEIVED or draft.earlier:
        return False
    page.status.setText(
        f"{escape(page.status.text())} <a href='{visit_id}'>{QUESTION.format(visit=visit_id)} ({SHORTCUT})</a>"
    )
    page.petition_button.setProperty(OFFERED, visit_id)
    return True


def register_selected(page: ReceptionPage) -> RegistrationDialog | None:
    """The petition of the visit selected in the lists (else the one just offered after a save)."""
    row = page.selected_visit()
    visit_id = row.id if row is not None else page.petition_button.property(OFFERED)
    if visit_id is None:
        page.status.setText("Chọn một lượt tiếp trong danh sách bên dưới để lập đơn.")
        page.status.setStyleSheet("")
        return None
    return register_from_visit(page, page.ctx, visit_id)


def install(page: ReceptionPage) -> QPushButton:
    """The desk's "Lập đơn" button beside the printing buttons, and its shortcut, for the selected visit."""
    button = QPushButton(f"Lập đơn từ lượt tiếp ({SHORTCUT})")
    button.setToolTip("Tiếp nhận đơn công dân nộp tại lượt tiếp đang chọn: thông tin lượt tiếp được điền sẵn")
    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    button.clicked.connect(lambda: register_selected(page))
    bar = page.tabs.cornerWidget(Qt.Corner.TopRightCorner)
    layout = bar.layout() if bar is not None else None
    if layout is not None:
        layout.addWidget(button)
    QShortcut(
        QKeySequence(SHORTCUT),
        page,
        lambda: register_selected(page),
        context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
    )

    page.status.linkActivated.connect(lambda href: register_from_visit(page, page.ctx, int(href)))
    return button
