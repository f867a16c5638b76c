"""The next morning the lead opens Theo dõi: the complaint forwarded yesterday waits for the
department's answer, under that department, with its due date and the officer handling it.
(The day's register printed from the reception page is tests/ui/jobs/test_printing.py.)"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Deadline, Petition, User
from app.models.enums import DeadlineStatus, Role
from app.services.casework import assignment
from app.ui.context import UiContext
from app.ui.followup.board import FollowupPage
from app.ui.main_window import MainWindow
from tests.ui.jobs.helpers import click, screens
from tests.ui.jobs.test_classify_forward import (
    SUMMARY,
    classify_and_forward,
    open_petition,
    register_complaint,
)

OFFICER = "Lê Văn Hùng"


def _give_to_officer(ctx: UiContext) -> None:
    """The lead gave the complaint to a handler (the assigning itself: test_assign_officer.py)."""
    with ctx.db.transaction() as session:
        officer = User(username="hung", full_name=OFFICER, role=Role.HANDLER, active=True)
        session.add(officer)
        session.flush()
        [petition_id] = session.scalars(select(Petition.id)).all()
        assignment.assign_officer(session, ctx.actor, [petition_id], officer.id)


def test_the_forwarded_complaint_waits_on_the_board_with_its_due_date_and_officer(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, tmp_path: Path
) -> None:
    number = register_complaint(desk_ctx)
    _give_to_officer(desk_ctx)
    window = open_petition(qtbot, desk, number)
    classify_and_forward(qtbot, window)
    window.close()

    rail = desk.rail
    [item] = rail.findItems("Theo dõi", Qt.MatchFlag.MatchExactly)
    click(rail.viewport(), rail.visualItemRect(item).center())
    board = desk.section("followup")
    assert isinstance(board, FollowupPage) and desk.current_key() == "followup"
    tab_bar = board.tabs.tabBar()

    def titles() -> list[str]:
        return [board.tabs.tabText(i) for i in range(board.tabs.count())]

    qtbot.waitUntil(lambda: "Chờ kết quả đơn đã chuyển (1)" in titles(), timeout=3000)
    waiting = titles().index("Chờ kết quả đơn đã chuyển (1)")
    click(tab_bar, tab_bar.tabRect(waiting).center())
    assert board.tabs.currentWidget() is board.waiting

    with desk_ctx.db.session() as session:
        clock = session.scalars(select(Deadline).where(Deadline.status == DeadlineStatus.OPEN)).all()
        due = {d.due_on for d in clock}
    assert len(due) == 1, "one clock runs: the wait for the department's answer"
    [row] = board.waiting.rows()
    assert row[:4] == [number, "Nguyễn Văn Dũng", SUMMARY, "Chờ kết quả giải quyết đơn đã chuyển"]
    assert row[4] == f"{due.pop():%d/%m/%Y}" and row[5].startswith("Còn ") and row[5].endswith(" ngày")
    assert row[6] == OFFICER
    assert board.waiting.group_titles() == ["Sở NN&MT — 1 việc"]  # the department, by its short name
    desk.grab().save(str(screens(tmp_path) / "followup_forwarded.png"))
