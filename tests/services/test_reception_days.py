"""Leaders' reception days: planning from the dated minimum, the shortfall, bookings, holding the day,
the agenda, the printed list and programme, and the sessions the reception report counts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Booking, ReceptionDay, Visit
from app.models.enums import MatterKind, ReceptionKind
from app.models.reception_days import BookingStatus, DayMode, DayStatus
from app.services.common.actor import SYSTEM
from app.services.common.errors import RuleViolation, ValidationError
from app.services.deadlines import calendar
from app.services.printing import reception_day as printed
from app.services.reception_days import agenda, bookings, days
from app.services.reception_days.bookings import BookingInput
from app.services.reception_days.days import DayInput, PointInput
from app.services.reports import periods, service
from tests.helpers import add_visit, local
from tests.petition_builders import register
from tests.services.reports.test_reports import figure

D = dt.date
XA = "chu_tich_ubnd_xa"
LEADER = "Nguyễn Văn Chủ"
NOW = local(2026, 12, 7, 10, 0)
TODAY = D(2026, 12, 7)


def _plan(session: Session, year: int, month: int, **kw: object) -> days.PlannedMonth:
    return days.plan_month(
        session, SYSTEM, leader_name=LEADER, leader_title="Chủ tịch UBND xã", year=year, month=month, duty_code=XA, **kw
    )  # type: ignore[arg-type]


def _dates(session: Session) -> list[dt.date]:
    return list(session.scalars(select(ReceptionDay.held_on).order_by(ReceptionDay.held_on)))


def test_before_july_2026_the_commune_chairman_is_planned_one_working_day_a_week(session: Session) -> None:
    # April 2026: Mondays 6, 13, 20, 27; Monday 27/04 is the day off for Hùng Kings (Sunday 26/04).
    planned = _plan(session, 2026, 4, weekday=0)
    assert planned.required == 4
    dates = _dates(session)
    assert dates == [D(2026, 4, 6), D(2026, 4, 13), D(2026, 4, 20), D(2026, 4, 28)]
    cal = calendar.work_calendar(session, [2026])
    assert all(cal.is_working_day(d) for d in dates)
    assert planned.shortfall is None
    # Planning again adds nothing: the days already planned count.
    assert _plan(session, 2026, 4).created == ()


def test_from_july_2026_two_days_a_month_spread_over_the_month(session: Session) -> None:
    planned = _plan(session, 2026, 9)
    assert planned.required == 2
    dates = _dates(session)
    assert len(dates) == 2
    # 01–02/09 are Quốc khánh: never planned; one day in each half of the month.
    assert all(d not in (D(2026, 9, 1), D(2026, 9, 2)) for d in dates)
    assert dates[0].day <= 15 < dates[1].day
    day = days.day_view(session, planned.created[0])
    assert day.status == DayStatus.PLANNED and day.kind == ReceptionKind.PERIODIC
    assert day.leader_text == f"Chủ tịch UBND xã {LEADER}"


def test_shortfall_counts_each_side_of_the_change_under_its_own_rule(session: Session) -> None:
    # June (weekly: 5 Mondays 01, 08, 15, 22, 29) and July (2 a month): 7 days owed, 2 planned.
    for held_on in (D(2026, 6, 4), D(2026, 7, 9)):
        days.create_day(session, SYSTEM, DayInput(leader_name=LEADER, held_on=held_on, duty_code=XA))
    text = days.shortfall(session, LEADER, D(2026, 6, 1), D(2026, 7, 31), XA)
    assert text is not None
    assert "mức tối thiểu 7 ngày" in text
    assert "ít nhất 1 ngày trong 1 tuần" in text and "ít nhất 2 ngày trong 1 tháng" in text
    assert "01/07/2026" in text and "Cần bổ sung 5 ngày" in text
    # A cancelled day does not count; an ad hoc day is not periodic reception.
    _plan(session, 2026, 7)
    assert days.shortfall(session, LEADER, D(2026, 7, 1), D(2026, 7, 31), XA) is None
    july = days.list_days(session, D(2026, 7, 1), D(2026, 7, 31), leader_name=LEADER)
    days.set_status(session, SYSTEM, july[0].id, DayStatus.CANCELLED, "Lãnh đạo đi công tác")
    assert "Cần bổ sung 1 ngày" in (days.shortfall(session, LEADER, D(2026, 7, 1), D(2026, 7, 31), XA) or "")


def test_day_validation_is_in_vietnamese(session: Session) -> None:
    with pytest.raises(ValidationError) as err:
        days.create_day(session, SYSTEM, DayInput(leader_name="  ", held_on=D(2026, 5, 5), mode=DayMode.ONLINE))
    assert set(err.value.fields) == {"leader_name", "mode"}
    assert "trực tuyến" in err.value.fields["mode"] and "01/07/2026" in err.value.fields["mode"]
    with pytest.raises(ValidationError) as err:
        days.set_status(session, SYSTEM, _day(session), DayStatus.CANCELLED, "")
    assert err.value.fields == {"note": "Nhập lý do hủy ngày tiếp."}


def _day(session: Session, held_on: dt.date = TODAY, **kw: object) -> int:
    return days.create_day(session, SYSTEM, DayInput(leader_name=LEADER, held_on=held_on, duty_code=XA, **kw))  # type: ignore[arg-type]


def test_booking_validation_names_each_field(session: Session) -> None:
    day_id = _day(session)
    with pytest.raises(ValidationError) as err:
        bookings.add_booking(
            session,
            SYSTEM,
            day_id,
            BookingInput(full_name="", matter=" ", phone="12", id_number="0240", delegation_size=0),
        )
    assert set(err.value.fields) == {"full_name", "matter", "phone", "id_number", "delegation_size"}
    assert err.value.fields["matter"] == "Nhập nội dung công dân đăng ký trình bày."
    with pytest.raises(ValidationError) as err:
        bookings.add_booking(
            session, SYSTEM, day_id, BookingInput(full_name="Lê Thị Hoa", matter="Đất", connection_point_id=99)
        )
    assert "điểm cầu" in err.value.fields["connection_point_id"]
    days.set_status(session, SYSTEM, day_id, DayStatus.CANCELLED, "Bão")
    with pytest.raises(RuleViolation, match="đã hủy"):
        bookings.add_booking(session, SYSTEM, day_id, BookingInput(full_name="Lê Thị Hoa", matter="Đất"))


def test_holding_a_booking_registers_a_visit_of_the_day(session: Session) -> None:
    day_id = _day(session, place="Trụ sở UBND xã")
    booking_id = bookings.add_booking(
        session,
        SYSTEM,
        day_id,
        BookingInput(
            full_name="Lê Thị Hoa",
            matter="Đề nghị cấp giấy chứng nhận quyền sử dụng đất",
            phone="0912 345 678",
            id_number="024185001111",
            matter_kind=MatterKind.RECOMMENDATION,
            delegation_size=2,
        ),
    )
    saved = bookings.hold_booking(session, SYSTEM, booking_id, now=NOW)
    visit = session.get(Visit, saved.id)
    assert visit is not None
    assert (visit.reception_kind, visit.leader_name, visit.is_online) == (ReceptionKind.PERIODIC, LEADER, False)
    assert visit.reception_day_id == day_id and visit.head_count == 2
    assert visit.citizen.full_name == "Lê Thị Hoa"
    booking = session.get(Booking, booking_id)
    assert booking is not None and booking.status == BookingStatus.RECEIVED and booking.visit_id == saved.id
    assert days.day_view(session, day_id).status == DayStatus.HELD
    assert days.day_view(session, day_id).received == 1
    with pytest.raises(RuleViolation, match="đã được tiếp"):
        bookings.hold_booking(session, SYSTEM, booking_id, now=NOW)
    # A day still to come cannot be held.
    later = bookings.add_booking(session, SYSTEM, _day(session, D(2026, 12, 21)), BookingInput("Vũ Nam", "Đất"))
    with pytest.raises(RuleViolation, match="chưa đến"):
        bookings.hold_booking(session, SYSTEM, later, now=NOW)


def test_holding_the_day_marks_the_others_absent(session: Session) -> None:
    day_id = _day(session)
    first = bookings.add_booking(session, SYSTEM, day_id, BookingInput("Lê Thị Hoa", "Đất đai"))
    second = bookings.add_booking(session, SYSTEM, day_id, BookingInput("Vũ Văn Nam", "Chính sách"))
    bookings.hold_booking(session, SYSTEM, first, now=NOW)
    assert bookings.hold_day(session, SYSTEM, day_id) == 1
    assert [b.status for b in bookings.bookings_of(session, day_id)] == [BookingStatus.RECEIVED, BookingStatus.ABSENT]
    with pytest.raises(RuleViolation):
        bookings.mark_absent(session, SYSTEM, first)
    bookings.mark_absent(session, SYSTEM, second, absent=False)
    assert bookings.bookings_of(session, day_id)[1].status == BookingStatus.BOOKED


def test_agenda_lists_each_citizens_pending_petitions_with_their_deadlines(session: Session) -> None:
    saved = register(session, name="Nguyễn Văn Dũng", id_number="024085001234")
    day_id = _day(session)
    # Found by the CCCD already on file: the booking is linked to the citizen.
    bookings.add_booking(
        session, SYSTEM, day_id, BookingInput("Nguyễn Văn Dũng", "Hỏi kết quả đơn", id_number="024 085 001 234")
    )
    bookings.add_booking(session, SYSTEM, day_id, BookingInput("Trần Thị Mới", "Lần đầu đến"))
    facts = agenda.agenda(session, SYSTEM, day_id, as_of=D(2026, 12, 7))
    first, second = facts.items
    assert first.booking.citizen_id is not None
    assert [c.petition_id for c in first.pending] == [saved.id]
    case = first.pending[0]
    assert case.clocks, "the registration starts the processing clock"
    assert "hạn" in case.clocks[0].text() and f"{case.clocks[0].due_on:%d/%m/%Y}" in case.clocks[0].text()
    assert second.pending == ()


def test_online_day_with_connection_points(session: Session) -> None:
    day_id = _day(session, mode=DayMode.ONLINE, recording_ref="BB-TT-07-12.mp4")
    ids = days.set_connection_points(
        session,
        SYSTEM,
        day_id,
        [
            PointInput(unit_code="07627"),
            PointInput(unit_code="07615", contact_person="Ông Hải"),
            PointInput("", "Điểm cầu tỉnh"),
        ],
    )
    view = days.day_view(session, day_id)
    assert [p.unit_name for p in view.points][2] == "Điểm cầu tỉnh"
    assert view.points[0].unit_name and view.recording_ref == "BB-TT-07-12.mp4"
    with pytest.raises(ValidationError) as err:
        days.set_connection_points(session, SYSTEM, day_id, [PointInput(unit_code="9999999")])
    assert "9999999" in err.value.fields["points.0"]
    booking = bookings.add_booking(
        session, SYSTEM, day_id, BookingInput("Lê Thị Hoa", "Đất", connection_point_id=ids[1])
    )
    saved = bookings.hold_booking(session, SYSTEM, booking, now=NOW)
    assert session.get(Visit, saved.id).is_online  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        days.update_day(session, SYSTEM, day_id, DayInput(leader_name=LEADER, held_on=D(2026, 12, 7)))


def test_ad_hoc_day_opened_from_a_crowd_delegation_at_the_desk(session: Session) -> None:
    crowd = add_visit(session, head_count=12, is_crowd=True, received_at=local(2026, 12, 7, 9), summary="Đoàn 12 hộ")
    single = add_visit(session, name="Lê Thị Hoa", id_number=None, received_at=local(2026, 12, 7, 9))
    with pytest.raises(ValidationError, match="đoàn đông người"):
        days.open_ad_hoc_day(session, SYSTEM, single.id, leader_name=LEADER)
    day_id = days.open_ad_hoc_day(session, SYSTEM, crowd.id, leader_name=LEADER)
    visit = session.get(Visit, crowd.id)
    assert visit is not None and visit.reception_day_id == day_id
    assert (visit.reception_kind, visit.leader_name) == (ReceptionKind.AD_HOC, LEADER)
    view = days.day_view(session, day_id)
    assert (view.kind, view.status, view.held_on, view.received) == (
        ReceptionKind.AD_HOC,
        DayStatus.HELD,
        D(2026, 12, 7),
        1,
    )


def test_printed_list_and_agenda_read_back(session: Session) -> None:
    register(session, name="Nguyễn Văn Dũng", id_number="024085001234")
    day_id = _day(session, mode=DayMode.ONLINE, place="Hội trường UBND")
    days.set_connection_points(session, SYSTEM, day_id, [PointInput(unit_code="07627"), PointInput("", "Điểm cầu B")])
    bookings.add_booking(
        session, SYSTEM, day_id, BookingInput("Nguyễn Văn Dũng", "Hỏi kết quả", id_number="024085001234")
    )
    bookings.add_booking(session, SYSTEM, day_id, BookingInput("Đặng Thị Đào", "Chế độ chính sách", phone="0987654321"))
    listing = _text(printed.render_booking_list(session, SYSTEM, day_id))
    assert "DANH SÁCH CÔNG DÂN ĐĂNG KÝ TIẾP" in listing and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in listing
    assert "Nguyễn Văn Dũng" in listing and "Đặng Thị Đào" in listing and "Điểm cầu B" in listing
    programme = _text(printed.render_agenda(session, SYSTEM, day_id))
    assert "CHƯƠNG TRÌNH" in programme and "Nguyễn Văn Dũng" in programme
    assert "Đơn số 1/2026" in programme and "07/12/2026" in programme


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_report_counts_held_days_as_sessions_and_online_visits(session: Session) -> None:
    # Two leaders receive on the same date: two sessions, not one; a visit without a day counts its date.
    period = periods.month(2026, 11)  # 15/10–14/11/2026
    first = _day(session, D(2026, 11, 5))
    second = days.create_day(
        session, SYSTEM, DayInput(leader_name="Trần Phó", held_on=D(2026, 11, 5), mode=DayMode.ONLINE)
    )
    at = local(2026, 12, 7, 10)
    for day_id, name in ((first, "Lê Thị Hoa"), (second, "Vũ Văn Nam"), (second, "Đỗ Thị Mai")):
        booking = bookings.add_booking(session, SYSTEM, day_id, BookingInput(name, "Đất đai"))
        bookings.hold_booking(session, SYSTEM, booking, now=at)
    add_visit(
        session,
        name="Phạm Sơn",
        id_number=None,
        reception=ReceptionKind.PERIODIC,
        leader_name=LEADER,
        received_at=local(2026, 11, 12),
    )
    grid = service.grids(session, SYSTEM, period, ["TCD"])[0]
    head = "Tiếp định kỳ và đột xuất của Thủ trưởng"
    assert figure(grid, head, "Số kỳ tiếp") == 3
    assert figure(grid, head, "Thủ trưởng tiếp trực tiếp", "Lượt") == 4
    online = session.scalars(select(Visit).where(Visit.is_online.is_(True))).all()
    assert sorted(v.citizen.full_name for v in online) == ["Vũ Văn Nam", "Đỗ Thị Mai"]


def test_migration_0011_keeps_older_visits_and_downgrades(empty_db_url: str) -> None:
    """0011 adds the tables and ``visit.reception_day_id`` (empty for visits already recorded); its
    downgrade removes them again, and upgrading once more restores them."""
    from alembic import command
    from sqlalchemy import inspect, text

    from app.db import Database, alembic_config, make_engine, upgrade

    engine = make_engine(empty_db_url)
    upgrade(engine, "0010")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO citizen (id, full_name, name_folded, nationality, confidential, created_at, updated_at) "
                "VALUES (1, 'Đặng Thị Đào', 'dang thi dao', 'Việt Nam', :no, :t, :t)"
            ),
            {"t": dt.datetime(2026, 1, 5, 2, 0), "no": False},
        )
        conn.execute(
            text(
                "INSERT INTO visit (id, received_at, received_on, reception_kind, citizen_id, head_count, is_crowd, "
                "delegated, is_online, summary, summary_folded, matter_kind, outcome, created_at, updated_at) "
                "VALUES (1, :t, :on, 'dinh_ky', 1, 1, :no, :no, :no, 'Đề nghị', 'de nghi', 'kien_nghi', "
                "'huong_dan', :t, :t)"
            ),
            {"t": dt.datetime(2026, 1, 5, 2, 0), "on": D(2026, 1, 5), "no": False},
        )
    upgrade(engine, "0011")
    columns = {c["name"] for c in inspect(engine).get_columns("visit")}
    assert "reception_day_id" in columns
    with engine.connect() as conn:
        assert conn.execute(text("SELECT reception_day_id FROM visit WHERE id = 1")).scalar() is None
    command.downgrade(alembic_config(engine), "0010")
    inspector = inspect(engine)
    assert "reception_day" not in inspector.get_table_names()
    assert "reception_day_id" not in {c["name"] for c in inspector.get_columns("visit")}
    engine.dispose()
    db = Database(empty_db_url)
    with db.session() as s:
        assert s.get(Visit, 1) is not None and s.get(Visit, 1).reception_day_id is None  # type: ignore[union-attr]
    db.dispose()


def test_the_clerks_form_is_held_with_the_days_kind_leader_and_mode(session: Session) -> None:
    import dataclasses

    from app.models.enums import VisitOutcome

    day_id = _day(session, mode=DayMode.ONLINE, kind=ReceptionKind.AD_HOC)
    booking = bookings.add_booking(session, SYSTEM, day_id, BookingInput("Lê Thị Hoa", "Đất", phone="0912345678"))
    form = bookings.booking_visit_input(session, booking, now=NOW)
    assert (form.summary, form.citizen.phone, form.is_online, form.leader_name) == ("Đất", "0912345678", True, LEADER)
    typed = dataclasses.replace(
        form,
        summary="Đề nghị xem xét lại giá bồi thường",
        outcome=VisitOutcome.PETITION_RECEIVED,
        reception_kind=ReceptionKind.REGULAR,  # the day decides, whatever the form says
        leader_name=None,
        is_online=False,
    )
    saved = bookings.hold_booking(session, SYSTEM, booking, typed, now=NOW)
    visit = session.get(Visit, saved.id)
    assert visit is not None
    assert (visit.summary, visit.outcome) == ("Đề nghị xem xét lại giá bồi thường", VisitOutcome.PETITION_RECEIVED)
    assert (visit.reception_kind, visit.leader_name, visit.is_online) == (ReceptionKind.AD_HOC, LEADER, True)


def test_a_desk_visit_of_the_same_date_can_be_filed_under_the_day(session: Session) -> None:
    day_id = _day(session)
    same = add_visit(session, received_at=local(2026, 12, 7, 9), reception=ReceptionKind.PERIODIC, leader_name=LEADER)
    other = add_visit(session, name="Lê Thị Hoa", id_number=None, received_at=local(2026, 12, 4, 9))
    bookings.link_visit(session, SYSTEM, day_id, same.id)
    assert session.get(Visit, same.id).reception_day_id == day_id  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="04/12/2026, khác ngày tiếp 07/12/2026"):
        bookings.link_visit(session, SYSTEM, day_id, other.id)
    assert days.day_view(session, day_id).received == 1
