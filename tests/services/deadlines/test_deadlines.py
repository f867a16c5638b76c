"""The deadline engine on its own: every rule, Tết, weekends, make-up Saturdays, suspension, extension."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.models.enums import DayUnit
from app.services.common.errors import NotFoundError, RuleViolation
from app.services.deadlines import engine
from app.services.deadlines.calendar import package_calendar
from app.services.deadlines.engine import WorkCalendar, compute_due, get_rule, load_rules

D = dt.date
CAL = package_calendar(range(2025, 2030))
RULES = load_rules()


def due(code: str, start: dt.date, **kwargs: object) -> dt.date:
    return compute_due(RULES[code], start, CAL, **kwargs).due  # type: ignore[arg-type]


def test_the_rules_file_defines_every_rule_the_petition_actions_use() -> None:
    assert list(RULES) == [
        "xu_ly_don",
        "thu_ly_khieu_nai",
        "thoi_hieu_khieu_nai",
        "gq_khieu_nai_lan_1",
        "khieu_nai_lan_2",
        "gq_khieu_nai_lan_2",
        "thu_ly_to_cao",
        "chuyen_to_cao",
        "gq_to_cao",
        "tra_loi_tiep_nhan_tai_tiep_cong_dan",
        "hieu_luc_quyet_dinh_gq_khieu_nai",
        "tra_loi_kien_nghi",
        "cho_ket_qua_chuyen_don",
        "thi_hanh_quyet_dinh_gq_khieu_nai",
    ]
    for rule in RULES.values():
        assert rule.source and rule.name and rule.start_event
    # Working days where the law says so, calendar days otherwise (domain.md §5).
    working = {c for c, r in RULES.items() if r.unit == DayUnit.WORKING}
    assert working == {"xu_ly_don", "thu_ly_to_cao", "chuyen_to_cao", "tra_loi_tiep_nhan_tai_tiep_cong_dan"}


# Start Monday 02/03/2026: no holiday until 30/04, so each length shows plainly.
@pytest.mark.parametrize(
    ("code", "flags", "expected"),
    [
        ("xu_ly_don", {}, D(2026, 3, 16)),  # 10 working days
        ("thu_ly_khieu_nai", {}, D(2026, 3, 12)),
        ("thoi_hieu_khieu_nai", {}, D(2026, 6, 1)),  # day 90 = Sunday 31/05 → Monday
        ("gq_khieu_nai_lan_1", {}, D(2026, 4, 1)),
        ("gq_khieu_nai_lan_1", {"complicated": True}, D(2026, 4, 16)),
        ("gq_khieu_nai_lan_1", {"remote": True}, D(2026, 4, 16)),
        # 60 days = Friday 01/05 (Labour Day), then the weekend → Monday 04/05
        ("gq_khieu_nai_lan_1", {"complicated": True, "remote": True}, D(2026, 5, 4)),
        ("khieu_nai_lan_2", {}, D(2026, 4, 1)),
        ("khieu_nai_lan_2", {"remote": True}, D(2026, 4, 16)),
        ("khieu_nai_lan_2", {"complicated": True}, D(2026, 4, 1)),  # no complicated variant
        ("gq_khieu_nai_lan_2", {}, D(2026, 4, 16)),
        ("gq_khieu_nai_lan_2", {"complicated": True}, D(2026, 5, 4)),
        ("gq_khieu_nai_lan_2", {"remote": True}, D(2026, 5, 4)),
        ("gq_khieu_nai_lan_2", {"complicated": True, "remote": True}, D(2026, 5, 11)),
        ("thu_ly_to_cao", {}, D(2026, 3, 11)),  # 7 working days
        ("thu_ly_to_cao", {"complicated": True}, D(2026, 3, 16)),  # verification at several places: 10
        ("chuyen_to_cao", {}, D(2026, 3, 9)),  # 5 working days
        ("gq_to_cao", {}, D(2026, 4, 1)),
        ("gq_to_cao", {"extension_days": 30}, D(2026, 5, 4)),
        ("gq_to_cao", {"extension_days": 60}, D(2026, 6, 1)),
        ("tra_loi_kien_nghi", {}, D(2026, 3, 17)),
        ("cho_ket_qua_chuyen_don", {}, D(2026, 4, 1)),
    ],
)
def test_every_rule_from_a_plain_monday(code: str, flags: dict[str, object], expected: dt.date) -> None:
    assert due(code, D(2026, 3, 2), **flags) == expected


def test_working_days_skip_tet_2026() -> None:
    result = compute_due(RULES["xu_ly_don"], D(2026, 2, 10), CAL)
    # 11–13/02, then Tết 16–20/02 and two weekends are skipped: 23–27/02, 02–03/03.
    assert result.due == D(2026, 3, 3)
    text = "\n".join(result.steps)
    assert "16/02/2026 – 20/02/2026 Tết Nguyên Đán" in text
    assert "không tính ngày này" in text


def test_calendar_deadline_ending_on_a_sunday_before_tet_2026_moves_past_tet() -> None:
    result = compute_due(RULES["thu_ly_khieu_nai"], D(2026, 2, 5), CAL)
    assert result.due == D(2026, 2, 23)  # day 10 = Sunday 15/02; 16–20 Tết; 21–22 weekend
    assert any("15/02/2026 là ngày nghỉ (Chủ nhật)" in s and "Điều 148" in s for s in result.steps)


def test_working_days_skip_tet_2027_as_the_holidays_package_lays_it_out() -> None:
    # holidays 0.109: 04/02/2027 (29 Tết) to 10/02/2027 (mùng năm) are days off.
    assert not CAL.is_working_day(D(2027, 2, 4))
    assert not CAL.is_working_day(D(2027, 2, 10))
    assert due("thu_ly_to_cao", D(2027, 2, 1)) == D(2027, 2, 17)


def test_calendar_deadline_ending_on_a_sunday_moves_to_monday() -> None:
    assert due("thu_ly_khieu_nai", D(2026, 3, 5)) == D(2026, 3, 16)


def test_calendar_deadline_ending_on_a_compensatory_day_off_moves_past_national_day() -> None:
    # Day 30 = Sunday 30/08; 31/08 is off (swapped for Saturday 22/08); 01–02/09 Quốc khánh.
    assert due("cho_ket_qua_chuyen_don", D(2026, 7, 31)) == D(2026, 9, 3)


def test_make_up_saturday_counts_as_a_working_day() -> None:
    result = compute_due(RULES["chuyen_to_cao"], D(2026, 8, 19), CAL)
    assert result.due == D(2026, 8, 25)  # Thu 20, Fri 21, Sat 22 (make-up), Mon 24, Tue 25
    assert any("làm bù 22/08/2026" in s for s in result.steps)
    without = WorkCalendar(CAL.days_off, {})
    assert compute_due(RULES["chuyen_to_cao"], D(2026, 8, 19), without).due == D(2026, 8, 26)


def test_calendar_deadline_ending_on_a_make_up_saturday_stays_there() -> None:
    assert due("thu_ly_khieu_nai", D(2026, 8, 12)) == D(2026, 8, 22)


def test_suspension_stops_the_clock_and_the_rest_resumes_after() -> None:
    rule = RULES["gq_khieu_nai_lan_1"]
    plain = compute_due(rule, D(2026, 3, 2), CAL).due
    suspended = compute_due(rule, D(2026, 3, 2), CAL, suspensions=[(D(2026, 3, 10), D(2026, 3, 20))])
    assert plain == D(2026, 4, 1)
    assert suspended.due == D(2026, 4, 13)  # +10 days = Saturday 11/04 → Monday 13/04
    assert any("Tạm đình chỉ từ 10/03/2026 đến 20/03/2026" in s for s in suspended.steps)


def test_suspension_of_a_working_day_clock_skips_only_the_suspended_days() -> None:
    # xu_ly_don from Mon 02/03: 3,4,5 counted; suspended 05–12/03 (06, 09–12 not counted).
    result = compute_due(RULES["xu_ly_don"], D(2026, 3, 2), CAL, suspensions=[(D(2026, 3, 5), D(2026, 3, 12))])
    assert result.due == D(2026, 3, 23)  # 13, 16–20, 23 → the remaining 7 working days


def test_open_suspension_reports_what_is_left() -> None:
    result = compute_due(RULES["gq_to_cao"], D(2026, 3, 2), CAL, suspensions=[(D(2026, 3, 12), None)])
    assert result.suspended_since == D(2026, 3, 12)
    assert result.remaining == 20
    assert result.due == D(2026, 4, 1)  # the due date before the suspension


def test_extension_beyond_what_the_rule_allows_is_refused() -> None:
    with pytest.raises(RuleViolation, match="Giải quyết tố cáo"):
        due("gq_to_cao", D(2026, 3, 2), extension_days=61)
    with pytest.raises(RuleViolation, match="không cho phép gia hạn"):
        due("gq_khieu_nai_lan_1", D(2026, 3, 2), extension_days=5)


def test_check_extension_allows_two_for_a_denunciation_and_refuses_the_third() -> None:
    rule = RULES["gq_to_cao"]
    engine.check_extension(rule, previous_count=0, previous_days=0, days=30)
    engine.check_extension(rule, previous_count=1, previous_days=30, days=30)
    with pytest.raises(RuleViolation, match=r"tối đa 2 lần.*đã được gia hạn 2 lần"):
        engine.check_extension(rule, previous_count=2, previous_days=60, days=10)
    with pytest.raises(RuleViolation, match="không quá 30 ngày"):
        engine.check_extension(rule, previous_count=0, previous_days=0, days=31)


def test_unknown_rule_lists_the_valid_codes() -> None:
    with pytest.raises(NotFoundError, match="Các mã hợp lệ: xu_ly_don, thu_ly_khieu_nai"):
        get_rule("giai_quyet", RULES)


def test_overrides_change_length_and_unit_without_code() -> None:
    rules = load_rules(overrides={"gq_khieu_nai_lan_1": {"unit": "ngay_lam_viec"}, "tra_loi_kien_nghi": {"length": 20}})
    assert rules["gq_khieu_nai_lan_1"].unit == DayUnit.WORKING
    assert rules["gq_khieu_nai_lan_1"].complicated == 45  # untouched fields stay
    assert rules["tra_loi_kien_nghi"].length == 20
    assert compute_due(rules["gq_khieu_nai_lan_1"], D(2026, 3, 2), CAL).due == D(2026, 4, 13)


starts = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))


@settings(max_examples=150, deadline=None)
@given(
    start=starts,
    code=st.sampled_from(list(RULES)),
    complicated=st.booleans(),
    remote=st.booleans(),
    pause=st.one_of(st.none(), st.tuples(st.integers(0, 40), st.integers(0, 40))),
)
def test_due_is_after_start_and_always_a_working_day(
    start: dt.date, code: str, complicated: bool, remote: bool, pause: tuple[int, int] | None
) -> None:
    rule = RULES[code]
    suspensions = []
    if pause is not None:
        begin = start + dt.timedelta(days=pause[0])
        suspensions.append((begin, begin + dt.timedelta(days=pause[1])))
    result = compute_due(rule, start, CAL, complicated=complicated, remote=remote, suspensions=suspensions)
    length, _ = rule.length_for(complicated=complicated, remote=remote)
    assert result.due > start
    assert result.due >= start + dt.timedelta(days=length)
    assert CAL.is_working_day(result.due)
    if suspensions:
        assert result.due >= compute_due(rule, start, CAL, complicated=complicated, remote=remote).due


@settings(max_examples=80, deadline=None)
@given(start=starts, extra=st.integers(1, 60))
def test_an_extension_never_brings_the_due_date_earlier(start: dt.date, extra: int) -> None:
    rule = RULES["gq_to_cao"]
    assert compute_due(rule, start, CAL, extension_days=extra).due >= compute_due(rule, start, CAL).due
