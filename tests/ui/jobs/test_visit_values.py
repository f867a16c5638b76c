"""Every choice of the reception form, typed by a clerk: across these visits each reception kind,
matter kind, outcome, matter state, sex and every Lĩnh vực of the catalogue is chosen once at least,
a crowd delegation with its representatives included. Each visit is checked where the clerk looks
(its row in today's list) and where the reports read it (the database)."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Citizen, FieldCategory, Visit
from app.models.enums import Gender, MatterKind, MatterState, ReceptionKind, VisitOutcome
from app.services.common import vocab
from app.services.printing import daily_log
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.reception.page import ReceptionPage
from tests.printing_data import pdf_text
from tests.ui.jobs.helpers import (
    CTRL,
    ENTER,
    choose,
    click,
    pause_for_type_ahead,
    reception_page,
    shown_rows,
)
from tests.ui.typing import focused, press, type_text

# The catalogue as the form lists it: code, label in the picker, what the clerk types to find it.
FIELDS: list[tuple[str, str, str]] = [
    ("HC", "Lĩnh vực hành chính", "linh vuc hanh chinh"),
    ("HC_DD", "Đất đai", "dat dai"),
    ("HC_DD_BT", "Bồi thường, hỗ trợ, tái định cư khi thu hồi đất", "tai dinh cu"),
    ("HC_DD_GCN", "Cấp giấy chứng nhận quyền sử dụng đất", "giay chung nhan"),
    ("HC_DD_TC", "Tranh chấp, lấn chiếm đất đai", "tranh chap"),
    ("HC_NO", "Nhà ở, tài sản", "nha o"),
    ("HC_CS", "Chế độ chính sách, chế độ cán bộ, công chức, viên chức", "che do"),
    ("HC_MT", "Môi trường", "moi truong"),
    ("HC_KHAC", "Lĩnh vực hành chính khác", "hanh chinh khac"),
    ("TP", "Lĩnh vực tư pháp", "tu phap"),
    ("DANG", "Về Đảng, đoàn thể", "dang"),
    ("TN", "Tham nhũng", "tham nhung"),
    ("KHAC", "Lĩnh vực khác", "linh vuc khac"),
]
NAMES = [
    "Nguyễn Văn Thắng",
    "Trần Thị Ngọc Ánh",
    "Lê Hoàng Đức",
    "Phạm Thị Hương",
    "Hoàng Văn Lực",
    "Vũ Thị Thu Trang",
    "Đặng Quốc Việt",
    "Bùi Thị Hằng",
    "Đỗ Mạnh Cường",
    "Hồ Thị Yến",
    "Ngô Đình Khải",
    "Dương Thị Lụa",
    "Lý Văn Sỹ",
]
KINDS = list(MatterKind)
OUTCOMES = list(VisitOutcome)
STATES: list[MatterState | None] = [None, *MatterState]
GENDERS: list[Gender | None] = [None, Gender.MALE, Gender.FEMALE, Gender.OTHER]
RECEPTIONS = list(ReceptionKind)
CROWD_CASES = {4, 9}  # a delegation of six with two representatives
LEADER = "Nguyễn Văn Quang"


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    field: tuple[str, str, str]
    reception: ReceptionKind
    kind: MatterKind
    outcome: VisitOutcome
    state: MatterState | None
    gender: Gender | None
    crowd: bool

    @property
    def id_number(self) -> str:
        """A CCCD whose 4th–6th digits agree with the sex and birth year (none for "Khác" or blank)."""
        if self.gender not in (Gender.MALE, Gender.FEMALE):
            return ""
        century = "0" if self.gender == Gender.MALE else "1"
        return f"024{century}{self.birth_year % 100:02d}{NAMES.index(self.name):06d}"

    @property
    def birth_year(self) -> int:
        return 1950 + NAMES.index(self.name) * 3


def _cases() -> list[Case]:
    cases = []
    for i, field in enumerate(FIELDS):
        kind = MatterKind.DENUNCIATION if field[0] == "TN" else KINDS[i % len(KINDS)]  # corruption: denounced only
        cases.append(
            Case(
                NAMES[i],
                field,
                RECEPTIONS[i % len(RECEPTIONS)],
                kind,
                OUTCOMES[i % len(OUTCOMES)],
                STATES[i % len(STATES)],
                GENDERS[i % len(GENDERS)],
                i in CROWD_CASES,
            )
        )
    return cases


CASES = _cases()


def test_the_cases_use_every_value_of_every_picker() -> None:
    """The parametrisation below really covers each enum value and the whole field catalogue."""
    assert {c.reception for c in CASES} == set(ReceptionKind)
    assert {c.kind for c in CASES} == set(MatterKind)
    assert {c.outcome for c in CASES} == set(VisitOutcome)
    assert {c.state for c in CASES} == set(STATES)
    assert {c.gender for c in CASES} == set(GENDERS)
    assert {c.crowd for c in CASES} == {True, False}


def test_the_fields_typed_are_the_whole_catalogue(desk_ctx: UiContext) -> None:
    with desk_ctx.db.session() as session:
        codes = session.scalars(select(FieldCategory.code).where(FieldCategory.active.is_(True))).all()
    assert sorted(codes) == sorted(code for code, _label, _typed in FIELDS)


def _offers(combo: QComboBox, typed: str) -> QAbstractItemView:
    """Type some words without tones into a long list (field, commune): the offers open under it."""
    combo.setFocus()
    type_text(focused(), typed)
    completer = combo.completer()
    assert completer is not None
    popup = completer.popup()
    assert popup is not None and popup.isVisible(), f"no offers for “{typed}”"
    return popup


def _row_of(popup: QAbstractItemView, wanted: str) -> int:
    offers = [str(popup.model().index(r, 0).data()) for r in range(popup.model().rowCount())]
    assert wanted in offers, offers
    return offers.index(wanted)


def _click_offer(combo: QComboBox, typed: str, wanted: str) -> None:
    popup = _offers(combo, typed)
    index = popup.model().index(_row_of(popup, wanted), 0)
    click(popup.viewport(), popup.visualRect(index).center())
    assert combo.currentText() == wanted


def _arrow_to_offer(combo: QComboBox, typed: str, wanted: str) -> None:
    popup = _offers(combo, typed)
    for _ in range(_row_of(popup, wanted) + 1):
        press(popup, Qt.Key.Key_Down)
    press(popup, ENTER)
    assert combo.currentText() == wanted


def _type_representatives(table: QTableWidget, people: list[tuple[str, str]]) -> None:
    """Into the delegation's table, cell by cell: the first key opens the cell's editor, Enter closes it."""
    for row, person in enumerate(people):
        for col, text in enumerate(person):
            table.setFocus()
            table.setCurrentCell(row, col)
            type_text(table, text[0])
            type_text(focused(), text[1:])
            press(focused(), ENTER)
            item = table.item(row, col)
            assert item is not None and item.text() == text


def _summary(case: Case) -> str:
    return f"Trình bày về {case.field[1].lstrip('— ').lower()} tại thôn Đông"


def _type_the_visit(qtbot: QtBot, page: ReceptionPage, case: Case) -> None:
    form = page.form
    choose(form.kind, vocab.label(case.reception))
    if case.reception != ReceptionKind.REGULAR:
        assert form.leader.isEnabled() and form.leader_label.text().endswith("*")
        form.leader.setFocus()
        type_text(focused(), LEADER)
    form.full_name.setFocus()
    type_text(focused(), case.name)
    if case.id_number:
        form.id_number.setFocus()
        type_text(focused(), case.id_number)
        # The CCCD carries the sex and the year of birth: the form proposes them.
        assert form.gender.currentText() == vocab.label(case.gender)
        assert form.birth_year.text() == str(case.birth_year)
    elif case.gender is not None:
        choose(form.gender, vocab.label(case.gender))
        form.birth_year.setFocus()
        type_text(focused(), str(case.birth_year))
    form.phone.setFocus()
    type_text(focused(), f"0912{NAMES.index(case.name):06d}")
    assert form.province.currentText() == "Bắc Ninh"  # the office's province, proposed
    _click_offer(form.commune, "an lac", "Xã An Lạc")
    form.address.setFocus()
    type_text(focused(), "Thôn Đông")
    if case.crowd:
        form.head_count.setFocus()
        form.head_count.selectAll()
        type_text(focused(), "6")
        assert form.is_crowd.isChecked(), "six people are a crowd delegation"
        _type_representatives(
            form.representatives, [("Nguyễn Văn Hải", "024078000111"), ("Trần Thị Mơ", "024180000222")]
        )
    form.summary.setFocus()
    type_text(focused(), _summary(case))
    choose(form.matter_kind, vocab.label(case.kind))
    _click_offer(form.field_code, case.field[2], case.field[1])
    if case.state is not None:
        choose(form.matter_state, vocab.label(case.state))
    choose(form.outcome, vocab.label(case.outcome))
    pause_for_type_ahead()
    form.outcome_note.setFocus()
    type_text(focused(), "Đã giải thích quy định cho công dân")
    press(focused(), Qt.Key.Key_S, CTRL)
    assert "Đã lưu lượt tiếp số" in page.status.text(), (page.status.text(), form.general.text())


@pytest.mark.parametrize("case", CASES, ids=[f"{c.field[0]}-{c.kind.value}-{c.outcome.value}" for c in CASES])
def test_a_visit_typed_with_these_choices_is_listed_and_stored_as_chosen(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext, case: Case
) -> None:
    page = reception_page(qtbot, desk)

    _type_the_visit(qtbot, page, case)

    model = page.board.model
    qtbot.waitUntil(lambda: any(r["Công dân"] == case.name for r in shown_rows(model)))
    [row] = [r for r in shown_rows(model) if r["Công dân"] == case.name]
    assert row["CCCD/CMND"] == case.id_number
    assert row["Địa chỉ"] == "Thôn Đông, Xã An Lạc, Bắc Ninh"
    assert row["Hình thức"] == vocab.label(case.reception)
    assert row["Số người"] == ("6 (đoàn)" if case.crowd else "1")
    assert row["Loại"] == vocab.label(case.kind)
    assert row["Tóm tắt nội dung"] == _summary(case)
    assert row["Kết quả"] == vocab.label(case.outcome)
    assert row["Cán bộ tiếp"] == desk_ctx.actor.full_name

    with desk_ctx.db.session() as session:
        visit = session.scalars(select(Visit)).one()
        assert (visit.reception_kind, visit.matter_kind, visit.outcome) == (case.reception, case.kind, case.outcome)
        assert (visit.field_code, visit.matter_state) == (case.field[0], case.state)
        assert visit.leader_name == (None if case.reception == ReceptionKind.REGULAR else LEADER)
        assert (visit.is_crowd, visit.head_count) == (case.crowd, 6 if case.crowd else 1)
        assert [p.citizen.full_name for p in visit.participants] == (
            ["Nguyễn Văn Hải", "Trần Thị Mơ"] if case.crowd else []
        )
        citizen = session.get(Citizen, visit.citizen_id)
        assert citizen is not None and citizen.full_name == case.name
        assert citizen.gender == case.gender
        assert citizen.birth_year == (case.birth_year if case.gender is not None else None)
        assert citizen.commune_code is not None and citizen.confidential == (case.kind == MatterKind.DENUNCIATION)


def test_a_clerk_on_the_keyboard_alone_takes_the_offers_with_the_arrow_keys(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext
) -> None:
    """Name to save without the mouse: Enter moves on, ↓ goes down the offers, Enter takes one."""
    page = reception_page(qtbot, desk)
    form = page.form
    form.full_name.setFocus()
    type_text(focused(), "Cao Thị Mận")
    press(focused(), ENTER)
    assert form.id_number.hasFocus()
    for _ in ("id_number", "gender", "birth_year", "phone", "province"):
        press(focused(), ENTER)
    assert form.commune.hasFocus() or form.commune.isAncestorOf(focused())
    _arrow_to_offer(form.commune, "an lac", "Xã An Lạc")
    assert form.address.hasFocus(), "taking an offer moves on, as Enter does everywhere"
    form.summary.setFocus()
    type_text(focused(), "Tranh chấp ranh giới đất với hộ liền kề")
    choose(form.matter_kind, "Khiếu nại")
    _arrow_to_offer(form.field_code, "dat dai", "Đất đai")
    choose(form.outcome, "Hướng dẫn gửi cơ quan có thẩm quyền")
    press(focused(), Qt.Key.Key_S, CTRL)
    assert "Đã lưu lượt tiếp số" in page.status.text(), page.status.text()
    with desk_ctx.db.session() as session:
        visit = session.scalars(select(Visit)).one()
        assert visit.field_code == "HC_DD" and visit.citizen.commune_code is not None


def test_a_field_typed_in_full_without_tones_is_taken(qtbot: QtBot, desk: MainWindow) -> None:
    """“dat dai” is the name of a field and a part of another's ("Tranh chấp, lấn chiếm đất đai"):
    the exact name wins, no "không có trong danh sách"."""
    page = desk.section("reception")
    assert isinstance(page, ReceptionPage)
    line = page.form.field_code.lineEdit()
    assert line is not None
    type_text(line, "dat dai")
    page.form.field_code.commit_text()
    assert page.form.field_code.value() == "HC_DD"
    assert page.form.field_code.currentText() == "Đất đai"


def test_the_body_that_resolved_the_matter_before_goes_to_column_7_of_the_register(
    qtbot: QtBot, desk: MainWindow, desk_ctx: UiContext
) -> None:
    """Rarely known, so Enter passes it by; the clerk reaches it with Tab from the state of the matter."""
    page = desk.section("reception")
    assert isinstance(page, ReceptionPage)
    form = page.form
    type_text(form.full_name, "Lò Văn Pấng")
    type_text(form.summary, "Khiếu nại lần hai quyết định giải quyết khiếu nại")
    choose(form.matter_kind, "Khiếu nại")
    form.matter_state.setFocus()
    press(form.matter_state, Qt.Key.Key_Tab)
    assert form.resolved_by.hasFocus()
    type_text(focused(), "UBND xã An Lạc")
    choose(form.outcome, "Hướng dẫn gửi cơ quan có thẩm quyền")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert "Đã lưu lượt tiếp số" in page.status.text(), page.status.text()
    with desk_ctx.db.session() as session:
        visit = session.scalars(select(Visit)).one()
        assert visit.resolved_by == "UBND xã An Lạc"
        pdf = daily_log.render_daily_log(session, desk_ctx.actor, visit.received_on)
    assert "UBND xã An Lạc" in pdf_text(pdf)
