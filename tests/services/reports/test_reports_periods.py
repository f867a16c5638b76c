"""Reporting periods of Nghị định 09/2019 art. 12."""

import datetime as dt
import itertools

import pytest

from app.services.common.errors import ValidationError
from app.services.reports import periods

D = dt.date


def test_month_runs_from_the_15th_of_the_previous_month_to_the_14th() -> None:
    p = periods.month(2026, 11)
    assert (p.start, p.end) == (D(2026, 10, 15), D(2026, 11, 14))
    assert p.line == "Số liệu tính từ ngày 15/10/2026 đến ngày 14/11/2026"
    january = periods.month(2026, 1)
    assert (january.start, january.end) == (D(2025, 12, 15), D(2026, 1, 14))


def test_quarter_half_nine_months_and_year() -> None:
    assert (periods.quarter(2026, 1).start, periods.quarter(2026, 1).end) == (D(2025, 12, 15), D(2026, 3, 14))
    assert (periods.quarter(2026, 4).start, periods.quarter(2026, 4).end) == (D(2026, 9, 15), D(2026, 12, 14))
    assert periods.quarter(2026, 4).label == "Quý IV năm 2026"
    assert (periods.half_year(2026).start, periods.half_year(2026).end) == (D(2025, 12, 15), D(2026, 6, 14))
    assert (periods.nine_months(2026).start, periods.nine_months(2026).end) == (D(2025, 12, 15), D(2026, 9, 14))
    assert (periods.year_period(2026).start, periods.year_period(2026).end) == (D(2025, 12, 15), D(2026, 12, 14))


def test_consecutive_months_tile_the_year_without_gap_or_overlap() -> None:
    months = [periods.month(2026, m) for m in range(1, 13)]
    assert months[0].start == periods.year_period(2026).start
    assert months[-1].end == periods.year_period(2026).end
    for earlier, later in itertools.pairwise(months):
        assert later.start == earlier.end + dt.timedelta(days=1)


def test_default_is_the_last_completed_reporting_month() -> None:
    assert periods.last_completed_month(D(2026, 11, 26)) == periods.month(2026, 11)
    assert periods.last_completed_month(D(2026, 11, 14)) == periods.month(2026, 10)
    assert periods.last_completed_month(D(2026, 1, 3)) == periods.month(2025, 12)


def test_bad_numbers_and_reversed_ranges_are_refused_in_vietnamese() -> None:
    with pytest.raises(ValidationError, match="tháng phải từ 1 đến 12"):
        periods.month(2026, 13)
    with pytest.raises(ValidationError, match="Ngày kết thúc"):
        periods.custom(D(2026, 5, 1), D(2026, 4, 1))


def test_the_last_completed_quarter_follows_the_cut_off_on_the_14th() -> None:
    assert periods.last_completed_quarter(D(2026, 11, 26)) == periods.quarter(2026, 3)
    assert periods.last_completed_quarter(D(2026, 12, 14)) == periods.quarter(2026, 3)
    assert periods.last_completed_quarter(D(2026, 12, 15)) == periods.quarter(2026, 4)
    # Quarter I runs 15/12 of the year before to 14/03 (Thông tư 01/2024).
    assert periods.quarter(2027, 1).start == D(2026, 12, 15) and periods.quarter(2027, 1).end == D(2027, 3, 14)
