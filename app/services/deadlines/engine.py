"""The deadline engine: legal time limits as data, and the date arithmetic that applies them.

Pure: no database, no UI. Rules come from ``resources/seeds/deadline_rules.json`` (an office may
correct lengths and units there, or per database through overrides handed in by ``clocks``);
the office calendar comes in as a ``WorkCalendar`` built by ``app.services.deadlines.calendar``.

Counting (domain.md §5): the day of the start event is not counted (Bộ luật Dân sự 2015, Điều 147);
a calendar-day limit whose last day is a day off ends on the next working day (Điều 148); working
days exclude Saturdays, Sundays, public holidays and compensatory days off, and include official
make-up working days; a suspension stops the clock and the remaining days resume after it; an
extension adds its days.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.models.enums import DayUnit
from app.paths import resource
from app.services.common import dated
from app.services.common.errors import NotFoundError, RuleViolation, ValidationError

RULES_FILE = resource("seeds", "deadline_rules.json")

# Rule codes other modules refer to (the JSON file must define them).
XU_LY_DON = "xu_ly_don"
THU_LY_KHIEU_NAI = "thu_ly_khieu_nai"
THOI_HIEU_KHIEU_NAI = "thoi_hieu_khieu_nai"
GQ_KHIEU_NAI_LAN_1 = "gq_khieu_nai_lan_1"
KHIEU_NAI_LAN_2 = "khieu_nai_lan_2"
GQ_KHIEU_NAI_LAN_2 = "gq_khieu_nai_lan_2"
THU_LY_TO_CAO = "thu_ly_to_cao"
CHUYEN_TO_CAO = "chuyen_to_cao"
GQ_TO_CAO = "gq_to_cao"
TRA_LOI_KIEN_NGHI = "tra_loi_kien_nghi"
CHO_KET_QUA_CHUYEN_DON = "cho_ket_qua_chuyen_don"
TRA_LOI_TAI_TIEP = "tra_loi_tiep_nhan_tai_tiep_cong_dan"
HIEU_LUC_QUYET_DINH = "hieu_luc_quyet_dinh_gq_khieu_nai"

UNIT_LABELS: dict[DayUnit, str] = {DayUnit.CALENDAR: "ngày", DayUnit.WORKING: "ngày làm việc"}
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
# A safety net against a calendar with (almost) no working days: never loop forever.
_MAX_SCAN_DAYS = 20 * 366


def fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def unit_label(unit: DayUnit) -> str:
    return UNIT_LABELS[unit]


# --- the office calendar -------------------------------------------------------------------------


class WorkCalendar:
    """Which days are working days: Monday–Friday, minus days off, plus make-up working days."""

    __slots__ = ("_days_off", "_workdays")

    def __init__(
        self,
        days_off: Mapping[dt.date, str] | Iterable[dt.date] = (),
        workdays: Mapping[dt.date, str] | Iterable[dt.date] = (),
    ) -> None:
        self._days_off: dict[dt.date, str] = _named(days_off, "Ngày nghỉ")
        self._workdays: dict[dt.date, str] = _named(workdays, "Ngày làm việc bù")

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._workdays:
            return True
        if day in self._days_off:
            return False
        return day.weekday() < 5

    def is_makeup_day(self, day: dt.date) -> bool:
        """An official Saturday/Sunday worked in exchange for another day off."""
        return day in self._workdays and day.weekday() >= 5

    def day_off_name(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day (holiday name, or the weekday), else None."""
        if self.is_working_day(day):
            return None
        return self._days_off.get(day) or WEEKDAYS[day.weekday()]

    def listed_day_off(self, day: dt.date) -> str | None:
        """The name of a listed holiday / compensatory day off (not an ordinary weekend)."""
        return self._days_off.get(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise RuleViolation("Lịch làm việc không có ngày làm việc nào: kiểm tra lại bảng ngày nghỉ.")

    @property
    def days_off(self) -> Mapping[dt.date, str]:
        return dict(self._days_off)

    @property
    def workdays(self) -> Mapping[dt.date, str]:
        return dict(self._workdays)


def _named(days: Mapping[dt.date, str] | Iterable[dt.date], default: str) -> dict[dt.date, str]:
    if isinstance(days, Mapping):
        return {d: str(n) for d, n in days.items()}
    return dict.fromkeys(days, default)


# --- rules as data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtensionAllowance:
    """How a rule may be extended: ``count`` extensions of up to ``days`` each, in which case."""

    case: str
    count: int
    days: int


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    source: str
    start_event: str
    length: int
    unit: DayUnit
    complicated: int | None = None
    remote: int | None = None
    complicated_remote: int | None = None
    extensions: tuple[ExtensionAllowance, ...] = ()
    to_confirm: str | None = None
    # The day this version of the rule took effect (None: since before any record) and the later
    # versions an amending law brought, oldest first: a clock follows the version in force on the
    # day it starts, so a period spanning an amendment applies each version where it applies.
    effective_from: dt.date | None = None
    amendments: tuple[Rule, ...] = ()

    def in_force(self, day: dt.date) -> Rule:
        """The version of the rule that applies to a clock started on ``day``."""
        applied = self
        for version in self.amendments:
            if version.effective_from is not None and version.effective_from <= day:
                applied = version
        return applied

    def versions(self) -> list[tuple[Rule, dt.date | None, dt.date | None]]:
        """Every version with the first and last day it applies (None: open-ended)."""
        return dated.spans([self, *self.amendments], lambda v: v.effective_from)

    def length_for(self, *, complicated: bool = False, remote: bool = False) -> tuple[int, str]:
        """The length that applies, and a Vietnamese note naming the variant used ("" for the base)."""
        if complicated and remote and self.complicated_remote is not None:
            return self.complicated_remote, "vụ việc phức tạp ở vùng sâu, vùng xa"
        if complicated and self.complicated is not None:
            return self.complicated, "vụ việc phức tạp"
        if remote and self.remote is not None:
            return self.remote, "vùng sâu, vùng xa, đi lại khó khăn"
        return self.length, ""

    @property
    def max_extensions(self) -> int:
        return max((e.count for e in self.extensions), default=0)

    @property
    def max_extension_days(self) -> int:
        """Longest single extension allowed."""
        return max((e.days for e in self.extensions), default=0)

    @property
    def max_extension_total(self) -> int:
        return max((e.count * e.days for e in self.extensions), default=0)

    def extensions_text(self) -> str:
        if not self.extensions:
            return "không được gia hạn"
        parts = [
            f"{e.case}: gia hạn {e.count} lần, mỗi lần không quá {e.days} {unit_label(self.unit)}"
            for e in self.extensions
        ]
        return "; ".join(parts)

    def length_text(self) -> str:
        unit = unit_label(self.unit)
        text = f"{self.length} {unit}"
        variants = [
            (self.complicated, "phức tạp"),
            (self.remote, "vùng sâu, vùng xa"),
            (self.complicated_remote, "phức tạp và vùng sâu, vùng xa"),
        ]
        extra = [f"{label} {n}" for n, label in variants if n is not None]
        return f"{text} ({'; '.join(extra)})" if extra else text


def _int_or_none(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError({"deadline_rules": f"Quy tắc thời hạn: “{where}” phải là số ngày dương."})
    return value


def _iso_date(value: Any, where: str) -> dt.date | None:
    return dated.iso_date(value, "deadline_rules", f"Quy tắc thời hạn, “{where}”")


def rule_from_dict(data: Mapping[str, Any]) -> Rule:
    """One rule from its JSON form, with a Vietnamese message naming what is wrong.

    ``amendments`` lists later versions, each a patch over the rule with its own ``effective_from``.
    """
    code = str(data.get("code") or "")
    try:
        unit = DayUnit(data.get("unit", DayUnit.CALENDAR.value))
    except ValueError:
        raise ValidationError(
            {"deadline_rules": f"Quy tắc “{code}”: đơn vị phải là “ngay” (ngày lịch) hoặc “ngay_lam_viec”."}
        ) from None
    length = _int_or_none(data.get("length"), f"{code}.length")
    if not code or length is None:
        raise ValidationError({"deadline_rules": f"Quy tắc “{code}” thiếu mã hoặc độ dài thời hạn."})
    variants = data.get("variants") or {}
    extensions = tuple(
        ExtensionAllowance(
            case=str(e.get("case", "")),
            count=_int_or_none(e.get("count"), f"{code}.extensions.count") or 0,
            days=_int_or_none(e.get("days"), f"{code}.extensions.days") or 0,
        )
        for e in data.get("extensions") or ()
    )
    return Rule(
        code=code,
        name=str(data.get("name") or code),
        source=str(data.get("source") or ""),
        start_event=str(data.get("start_event") or "ngày bắt đầu"),
        length=length,
        unit=unit,
        complicated=_int_or_none(variants.get("complicated"), f"{code}.complicated"),
        remote=_int_or_none(variants.get("remote"), f"{code}.remote"),
        complicated_remote=_int_or_none(variants.get("complicated_remote"), f"{code}.complicated_remote"),
        extensions=extensions,
        to_confirm=data.get("to_confirm") or None,
        effective_from=_iso_date(data.get("effective_from"), f"{code}.effective_from"),
        amendments=_amendments(data, code),
    )


def _amendments(data: Mapping[str, Any], code: str) -> tuple[Rule, ...]:
    base = {k: v for k, v in data.items() if k != "amendments"}
    versions = []
    for patch in data.get("amendments") or ():
        if not patch.get("effective_from"):
            raise ValidationError({"deadline_rules": f"Quy tắc “{code}”: mỗi lần sửa đổi cần “effective_from”."})
        merged = {**base, "to_confirm": None, **patch, "code": code}
        if "variants" in patch:
            merged["variants"] = {**dict(base.get("variants") or {}), **dict(patch["variants"])}
        versions.append(rule_from_dict(merged))
    ordered = tuple(sorted(versions, key=lambda v: v.effective_from or dt.date.min))
    start = _iso_date(data.get("effective_from"), f"{code}.effective_from")
    if start and ordered and ordered[0].effective_from and ordered[0].effective_from <= start:
        raise ValidationError({"deadline_rules": f"Quy tắc “{code}”: ngày sửa đổi phải sau ngày có hiệu lực."})
    return ordered


def rule_to_dict(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "source": rule.source,
        "start_event": rule.start_event,
        "length": rule.length,
        "unit": rule.unit.value,
        "variants": {
            "complicated": rule.complicated,
            "remote": rule.remote,
            "complicated_remote": rule.complicated_remote,
        },
        "extensions": [{"case": e.case, "count": e.count, "days": e.days} for e in rule.extensions],
        "to_confirm": rule.to_confirm,
        "effective_from": rule.effective_from.isoformat() if rule.effective_from else None,
        "amendments": [rule_to_dict(v) for v in rule.amendments],
    }


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """When a rule version applies, in words: "từ 01/07/2026", "từ 01/07/2014 đến 30/06/2026"."""
    if start and end:
        return f"từ {fmt(start)} đến {fmt(end)}"
    if start:
        return f"từ {fmt(start)}"
    return f"đến {fmt(end)}" if end else "mọi thời điểm (không ghi ngày có hiệu lực)"


@lru_cache(maxsize=4)
def _file_rules(path: Path) -> dict[str, Rule]:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationError({"deadline_rules": f"Không đọc được tệp quy tắc thời hạn {path}: {exc}"}) from exc
    rules = [rule_from_dict(item) for item in raw.get("rules", [])]
    return {r.code: r for r in rules}


def load_rules(path: Path | None = None, overrides: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Rule]:
    """Every rule, by code, in file order; ``overrides`` replaces fields of a rule (or adds one)."""
    rules = dict(_file_rules(path or RULES_FILE))
    for code, patch in (overrides or {}).items():
        base: dict[str, Any] = rule_to_dict(rules[code]) if code in rules else {"code": code}
        merged = _patched(base, patch, code)
        if "amendments" not in patch:
            # The office's reading of a rule holds in every version the law gave it, not only the first.
            version_patch = {k: v for k, v in patch.items() if k != "effective_from"}
            merged["amendments"] = [_patched(a, version_patch, code) for a in base.get("amendments") or ()]
        rules[code] = rule_from_dict(merged)
    return rules


def _patched(base: Mapping[str, Any], patch: Mapping[str, Any], code: str) -> dict[str, Any]:
    merged = {**base, **patch, "code": code}
    if "variants" in patch:
        merged["variants"] = {**dict(base.get("variants") or {}), **dict(patch["variants"])}
    return merged


def get_rule(code: str, rules: Mapping[str, Rule] | None = None) -> Rule:
    rules = load_rules() if rules is None else rules
    try:
        return rules[code]
    except KeyError:
        raise NotFoundError(f"Không có quy tắc thời hạn “{code}”. Các mã hợp lệ: {', '.join(rules)}.") from None


def check_extension(rule: Rule, *, previous_count: int, previous_days: int, days: int) -> None:
    """Refuse an extension the rule does not allow, naming the rule and its limits."""
    head = f"Quy tắc “{rule.name}” ({rule.source})"
    if not rule.extensions:
        raise RuleViolation(f"{head} không cho phép gia hạn thời hạn.")
    if days <= 0:
        raise RuleViolation("Số ngày gia hạn phải lớn hơn 0.")
    if days > rule.max_extension_days:
        raise RuleViolation(
            f"{head}: mỗi lần gia hạn không quá {rule.max_extension_days} {unit_label(rule.unit)} (đề nghị {days})."
        )
    if previous_count + 1 > rule.max_extensions:
        raise RuleViolation(
            f"{head} chỉ cho phép gia hạn tối đa {rule.max_extensions} lần ({rule.extensions_text()}); "
            f"thời hạn này đã được gia hạn {previous_count} lần."
        )
    if previous_days + days > rule.max_extension_total:
        raise RuleViolation(
            f"{head}: tổng thời gian gia hạn không quá {rule.max_extension_total} {unit_label(rule.unit)}."
        )


# --- the arithmetic ------------------------------------------------------------------------------

Suspension = tuple[dt.date, dt.date | None]


@dataclass(frozen=True)
class DueResult:
    due: dt.date
    steps: list[str] = field(default_factory=list)
    total: int = 0  # units counted (length + extension)
    unit: DayUnit = DayUnit.CALENDAR
    # While a suspension is open the clock stands still: ``due`` is the date it would have had
    # without the suspension, ``remaining`` what is left to count once it resumes.
    suspended_since: dt.date | None = None
    remaining: int | None = None


def compute_due(
    rule: Rule,
    start: dt.date,
    calendar: WorkCalendar,
    *,
    complicated: bool = False,
    remote: bool = False,
    extension_days: int = 0,
    suspensions: Sequence[Suspension] = (),
) -> DueResult:
    """The due date of ``rule`` started on ``start``, with the steps of the arithmetic in Vietnamese.

    The version of the rule in force on ``start`` applies.
    """
    base, rule = rule, rule.in_force(start)
    length, variant = rule.length_for(complicated=complicated, remote=remote)
    if extension_days < 0:
        raise RuleViolation("Số ngày gia hạn không được âm.")
    if extension_days and not rule.extensions:
        raise RuleViolation(f"Quy tắc “{rule.name}” ({rule.source}) không cho phép gia hạn thời hạn.")
    if extension_days > rule.max_extension_total:
        raise RuleViolation(
            f"Quy tắc “{rule.name}” ({rule.source}): tổng thời gian gia hạn không quá "
            f"{rule.max_extension_total} {unit_label(rule.unit)} ({rule.extensions_text()})."
        )
    header = [f"Quy tắc: {rule.name} — {rule.source}."]
    if base.amendments and rule.effective_from:
        header.append(f"Áp dụng cho thời hạn bắt đầu từ ngày {fmt(rule.effective_from)}.")
    length_line = f"Thời hạn: {length} {unit_label(rule.unit)} kể từ {rule.start_event}"
    header.append(f"{length_line} ({variant})." if variant else f"{length_line}.")
    result = due_for_length(
        start,
        length,
        rule.unit,
        calendar,
        extension_days=extension_days,
        suspensions=suspensions,
    )
    return replace(result, steps=header + result.steps)


def due_for_length(
    start: dt.date,
    length: int,
    unit: DayUnit,
    calendar: WorkCalendar,
    *,
    extension_days: int = 0,
    suspensions: Sequence[Suspension] = (),
) -> DueResult:
    """Count ``length + extension_days`` units after ``start``; the core of ``compute_due``."""
    label = unit_label(unit)
    total = length + extension_days
    steps: list[str] = []
    if extension_days:
        steps.append(f"Gia hạn: thêm {extension_days} {label}, tổng cộng {total} {label}.")
    steps.append(
        f"Ngày bắt đầu: {fmt(start)}; không tính ngày này, thời hạn tính từ ngày "
        f"{fmt(start + dt.timedelta(days=1))} (Bộ luật Dân sự 2015, Điều 147)."
    )
    closed = sorted((s, e) for s, e in suspensions if e is not None)
    open_since = min((s for s, e in suspensions if e is None), default=None)
    for s, e in closed:
        if e < s:
            raise RuleViolation(f"Ngày tiếp tục {fmt(e)} trước ngày tạm đình chỉ {fmt(s)}.")
        steps.append(
            f"Tạm đình chỉ từ {fmt(s)} đến {fmt(e)}: {(e - s).days} ngày không được tính; "
            f"thời hạn còn lại tiếp tục từ ngày {fmt(e + dt.timedelta(days=1))}."
        )

    def suspended(day: dt.date) -> bool:
        return any(s < day <= e for s, e in closed)

    counted = 0
    day = start
    first: dt.date | None = None
    weekends = 0
    days_off: list[dt.date] = []
    makeups: list[dt.date] = []
    remaining: int | None = None
    for _ in range(_MAX_SCAN_DAYS):
        if counted >= total:
            break
        day += dt.timedelta(days=1)
        if open_since is not None and day > open_since:
            remaining = total - counted
            break
        if suspended(day):
            continue
        if unit == DayUnit.WORKING:
            if not calendar.is_working_day(day):
                if day.weekday() >= 5 and calendar.listed_day_off(day) is None:
                    weekends += 1
                else:
                    days_off.append(day)
                continue
            if calendar.is_makeup_day(day):
                makeups.append(day)
        counted += 1
        first = first or day
    else:
        raise RuleViolation("Không tính được thời hạn: lịch làm việc không đủ ngày làm việc.")

    if remaining is not None:
        assert open_since is not None
        without = due_for_length(start, length, unit, calendar, extension_days=extension_days, suspensions=closed)
        steps.append(
            f"Đang tạm đình chỉ từ {fmt(open_since)}: thời hạn dừng lại, đã tính {total - remaining} {label}, "
            f"còn lại {remaining} {label} sẽ tiếp tục khi có quyết định tiếp tục giải quyết."
        )
        steps.append(f"Hạn trước khi tạm đình chỉ: {fmt(without.due)}.")
        return DueResult(without.due, steps, total, unit, suspended_since=open_since, remaining=remaining)

    last = day
    if unit == DayUnit.WORKING:
        skipped = []
        if weekends:
            skipped.append(f"{weekends} ngày thứ Bảy, Chủ nhật")
        if days_off:
            skipped.append(f"{len(days_off)} ngày nghỉ lễ, nghỉ bù ({_describe_days(days_off, calendar)})")
        line = f"Đếm {total} {label} từ {fmt(first or last)} đến {fmt(last)}"
        line += f"; bỏ qua {' và '.join(skipped)}" if skipped else ""
        if makeups:
            line += f"; có tính ngày làm bù {', '.join(fmt(d) for d in makeups)}"
        steps.append(line + ".")
        due = last
    else:
        steps.append(f"Đếm {total} ngày liên tục (kể cả ngày nghỉ) từ {fmt(first or last)} đến {fmt(last)}.")
        due = calendar.next_working_day(last)
        if due != last:
            steps.append(
                f"Ngày cuối cùng {fmt(last)} là ngày nghỉ ({calendar.day_off_name(last)}): thời hạn kết thúc vào "
                f"ngày làm việc tiếp theo {fmt(due)} (Bộ luật Dân sự 2015, Điều 148)."
            )
    steps.append(f"Hạn: {WEEKDAYS[due.weekday()]}, {fmt(due)}.")
    return DueResult(due, steps, total, unit)


def _describe_days(days: list[dt.date], calendar: WorkCalendar) -> str:
    """ "16/02/2026 – 20/02/2026 Tết Nguyên Đán; 27/04/2026 …", consecutive days grouped."""
    groups: list[list[dt.date]] = []
    for d in days:
        if groups and (d - groups[-1][-1]).days == 1:
            groups[-1].append(d)
        else:
            groups.append([d])
    parts = []
    for g in groups:
        name = _common_name([calendar.listed_day_off(d) or "" for d in g])
        span = fmt(g[0]) if len(g) == 1 else f"{fmt(g[0])} – {fmt(g[-1])}"
        parts.append(f"{span} {name}".strip())
    return "; ".join(parts)


def _common_name(names: list[str]) -> str:
    """The shared ending of several day names ("Giao thừa Tết Nguyên Đán", "Mùng hai Tết Nguyên Đán" → "Tết
    Nguyên Đán"), else the distinct names joined."""
    split = [n.split() for n in names if n]
    if not split:
        return ""
    common: list[str] = []
    for words in zip(*(reversed(w) for w in split), strict=False):
        if len(set(words)) != 1:
            break
        common.insert(0, words[0])
    if common:
        return " ".join(common)
    return ", ".join(dict.fromkeys(n for n in names if n))
