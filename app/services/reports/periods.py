"""Reporting periods and cut-off dates (Nghị định 09/2019/NĐ-CP art. 12, domain.md §7).

A month runs from the 15th of the previous month to the 14th of the reporting month; a quarter from
the 15th of the month before it to the 14th of its last month; 6 months, 9 months and a year all start
on 15/12 of the previous year and end on 14/06, 14/09 and 14/12. Any from–to range is allowed too.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from app.services.common.errors import ValidationError

CUTOFF_DAY = 14  # the last day of a period; the next period starts on the 15th


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "6m"
    NINE = "9m"
    YEAR = "year"
    CUSTOM = "custom"


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    kind: PeriodKind = PeriodKind.CUSTOM
    label: str = ""

    @property
    def line(self) -> str:
        """The period line printed under the title of every form."""
        return f"Số liệu tính từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    @property
    def title(self) -> str:
        return self.label or f"Từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"


def _start_of_month_period(year: int, month: int) -> dt.date:
    """The 15th of the month before ``month`` of ``year``."""
    if month == 1:
        return dt.date(year - 1, 12, CUTOFF_DAY + 1)
    return dt.date(year, month - 1, CUTOFF_DAY + 1)


def custom(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise ValidationError({"period": "Ngày kết thúc kỳ báo cáo phải sau hoặc bằng ngày bắt đầu."})
    return Period(start, end, PeriodKind.CUSTOM)


def month(year: int, number: int) -> Period:
    _check(number, 1, 12, "tháng")
    return Period(
        _start_of_month_period(year, number),
        dt.date(year, number, CUTOFF_DAY),
        PeriodKind.MONTH,
        f"Tháng {number} năm {year}",
    )


def quarter(year: int, number: int) -> Period:
    _check(number, 1, 4, "quý")
    first, last = 3 * number - 2, 3 * number
    return Period(
        _start_of_month_period(year, first),
        dt.date(year, last, CUTOFF_DAY),
        PeriodKind.QUARTER,
        f"Quý {ROMAN[number]} năm {year}",
    )


def half_year(year: int) -> Period:
    return Period(dt.date(year - 1, 12, 15), dt.date(year, 6, 14), PeriodKind.HALF, f"6 tháng đầu năm {year}")


def nine_months(year: int) -> Period:
    return Period(dt.date(year - 1, 12, 15), dt.date(year, 9, 14), PeriodKind.NINE, f"9 tháng năm {year}")


def year_period(year: int) -> Period:
    return Period(dt.date(year - 1, 12, 15), dt.date(year, 12, 14), PeriodKind.YEAR, f"Năm {year}")


def of_kind(kind: PeriodKind | str, year: int, number: int | None = None) -> Period:
    """The official period of ``kind``; ``number`` is the month (1–12) or the quarter (1–4)."""
    kind = PeriodKind(kind)
    if kind in (PeriodKind.MONTH, PeriodKind.QUARTER) and number is None:
        raise ValidationError({"number": "Chọn tháng hoặc quý của kỳ báo cáo."})
    if kind == PeriodKind.MONTH:
        assert number is not None
        return month(year, number)
    if kind == PeriodKind.QUARTER:
        assert number is not None
        return quarter(year, number)
    if kind == PeriodKind.HALF:
        return half_year(year)
    if kind == PeriodKind.NINE:
        return nine_months(year)
    if kind == PeriodKind.YEAR:
        return year_period(year)
    raise ValidationError({"period": "Kỳ tùy chọn cần ngày bắt đầu và ngày kết thúc."})


def month_containing(day: dt.date) -> Period:
    """The reporting month that ``day`` falls in (from the 15th the next month's period runs)."""
    if day.day <= CUTOFF_DAY:
        return month(day.year, day.month)
    if day.month == 12:
        return month(day.year + 1, 1)
    return month(day.year, day.month + 1)


def last_completed_month(today: dt.date) -> Period:
    """The default in the Báo cáo section: the latest reporting month that has ended before ``today``."""
    current = month_containing(today)
    return month_containing(current.start - dt.timedelta(days=1))


def quarter_containing(day: dt.date) -> Period:
    """The reporting quarter ``day`` falls in (from the 15th of a quarter's last month the next runs)."""
    month_period = month_containing(day)
    year, month_number = month_period.end.year, month_period.end.month
    return quarter(year, (month_number - 1) // 3 + 1)


def last_completed_quarter(today: dt.date) -> Period:
    current = quarter_containing(today)
    return quarter_containing(current.start - dt.timedelta(days=1))


def _check(number: int, low: int, high: int, what: str) -> None:
    if not low <= number <= high:
        raise ValidationError({"number": f"Số {what} phải từ {low} đến {high}."})
