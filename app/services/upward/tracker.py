"""Who has sent the report of a period: sent, late, missing, re-sent; and the reminder letter for the missing.

A report is due a number of days after the period's last day (an office setting: the circular's
deadline for each level is set by the receiving body). A unit that has not sent by then is late
when it sends, missing until it does. The reminder letter (văn bản đôn đốc báo cáo) is an ordinary
official letter of the office, built from the shared printing helpers.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from dataclasses import dataclass

from reportlab.platypus import Flowable
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import ReceivedPackage
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.errors import ValidationError
from app.services.printing import fonts, layout
from app.services.printing.layout import b, esc, short_date
from app.services.printing.office import Office, office_from_settings, sentence_case
from app.services.reports import forms, service
from app.services.reports.periods import Period
from app.services.security import audit
from app.services.security.permissions import Permission, require
from app.services.upward import units

DUE_DAYS = settings.define(
    "upward.due_days",
    5,
    "Số ngày sau ngày cuối kỳ báo cáo mà đơn vị cấp dưới phải gửi báo cáo (hạn nộp do cấp trên quy định)",
)


class Status(enum.StrEnum):
    SENT = "sent"
    LATE = "late"
    MISSING = "missing"


STATUS_LABELS = {Status.SENT: "Đã gửi đúng hạn", Status.LATE: "Gửi muộn", Status.MISSING: "Chưa gửi"}


@dataclass(frozen=True)
class TrackerRow:
    unit_id: int
    code: str
    name: str
    status: Status
    received_at: dt.datetime | None  # of the package in force
    first_received_at: dt.datetime | None  # of the first package: decides on time or late
    replaced: int  # how many earlier packages the one in force replaced
    package_id: int | None
    days_late: int = 0
    origin: str = "package"  # "workbook": a hand-filled workbook read by upward.legacy (no signature)

    @property
    def label(self) -> str:
        text = STATUS_LABELS[self.status]
        if self.status == Status.LATE:
            text += f" ({self.days_late} ngày)"
        if self.replaced:
            text += f"; đã gửi lại, thay {self.replaced} gói trước"
        if self.origin == "workbook":
            text += "; nhập từ bảng tính, không chữ ký"
        return text


@dataclass(frozen=True)
class Tracker:
    period: Period
    due_on: dt.date
    today: dt.date
    rows: tuple[TrackerRow, ...]

    def count(self, status: Status) -> int:
        return sum(1 for r in self.rows if r.status == status)

    @property
    def missing(self) -> list[TrackerRow]:
        return [r for r in self.rows if r.status == Status.MISSING]

    @property
    def replaced(self) -> list[TrackerRow]:
        return [r for r in self.rows if r.replaced]

    @property
    def overdue(self) -> bool:
        """The due date has passed: a missing unit is now in arrears."""
        return self.today > self.due_on

    def summary(self) -> str:
        counts = Counter(r.status for r in self.rows)
        resent = len(self.replaced)
        text = (
            f"{len(self.rows)} đơn vị: {counts[Status.SENT]} đã gửi đúng hạn, {counts[Status.LATE]} gửi muộn, "
            f"{counts[Status.MISSING]} chưa gửi"
        )
        if resent:
            text += f"; {resent} đơn vị đã gửi lại"
        return f"{text}. Hạn gửi: {self.due_on:%d/%m/%Y}."


def due_date(session: Session, period: Period) -> dt.date:
    return period.end + dt.timedelta(days=int(settings.get(session, DUE_DAYS)))


def set_due_days(session: Session, actor: Actor, days: int) -> None:
    """How many days after a period's end the units' reports are due; audited."""
    require(actor, Permission.MANAGE_SETTINGS)
    if not 0 <= days <= 60:
        raise ValidationError({"due_days": "Hạn gửi báo cáo phải từ 0 đến 60 ngày sau ngày cuối kỳ."})
    before = int(settings.get(session, DUE_DAYS))
    if before != days:
        settings.put(session, DUE_DAYS, days)
        audit.record(session, actor, "update", "setting", DUE_DAYS.key, before={"value": before}, after={"value": days})


def tracker(session: Session, actor: Actor, period: Period, *, today: dt.date | None = None) -> Tracker:
    """Each active declared unit with the state of its report of ``period``."""
    require(actor, Permission.REPORT)
    due = due_date(session, period)
    packages = session.execute(
        select(
            ReceivedPackage.id,
            ReceivedPackage.unit_id,
            ReceivedPackage.received_at,
            ReceivedPackage.replaced_at,
            ReceivedPackage.origin,
        ).where(ReceivedPackage.period_start == period.start, ReceivedPackage.period_end == period.end)
    ).all()
    first: dict[int, dt.datetime] = {}
    current: dict[int, tuple[int, dt.datetime]] = {}
    origins: dict[int, str] = {}
    earlier: Counter[int] = Counter()
    for package_id, unit_id, received_at, replaced_at, origin in packages:
        if unit_id not in first or received_at < first[unit_id]:
            first[unit_id] = received_at
        if replaced_at is None:
            current[unit_id] = (package_id, received_at)
            origins[unit_id] = origin
        else:
            earlier[unit_id] += 1
    rows: list[TrackerRow] = []
    for unit in units.list_units(session):
        if unit.id not in current:
            rows.append(TrackerRow(unit.id, unit.code, unit.name, Status.MISSING, None, None, 0, None))
            continue
        package_id, received_at = current[unit.id]
        first_day = first[unit.id].date()
        late = (first_day - due).days
        status = Status.LATE if late > 0 else Status.SENT
        rows.append(
            TrackerRow(
                unit.id,
                unit.code,
                unit.name,
                status,
                received_at,
                first[unit.id],
                earlier[unit.id],
                package_id,
                max(late, 0),
                origins[unit.id],
            )
        )
    return Tracker(period, due, today or local_today(), tuple(rows))


def received_count(session: Session, period: Period) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(ReceivedPackage)
            .where(
                ReceivedPackage.period_start == period.start,
                ReceivedPackage.period_end == period.end,
                ReceivedPackage.replaced_at.is_(None),
            )
        )
        or 0
    )


# ---- the reminder letter -------------------------------------------------------------------------

REMINDER_DAYS = settings.define(
    "upward.reminder_days",
    3,
    "Số ngày (kể từ ngày ký văn bản đôn đốc) để đơn vị cấp dưới gửi báo cáo còn thiếu",
)
ADDRESSEES_LISTED = 4  # more missing units than this: "Kính gửi" names them as a group, the body lists them


def reminder_story(
    office: Office,
    tracked: Tracker,
    missing: list[TrackerRow],
    *,
    issued_on: dt.date,
    answer_by: dt.date,
    circular: str,
) -> list[Flowable]:
    fonts.register()  # the header measures its lines when it is made
    period = tracked.period
    office_text = office.name_in_text or sentence_case(office.name)
    names = [r.name for r in missing]
    to = names if len(names) <= ADDRESSEES_LISTED else ["Các đơn vị có tên tại danh sách dưới đây"]
    label = period.label or period.title
    what = label[:1].lower() + label[1:]  # "quý III năm 2026": the numeral stays in capitals
    number = f"……/{office.symbol}" if office.symbol else "……"  # numbered by the clerk's office on issue
    story: list[Flowable] = [
        layout.OfficeHeader(office, number, issued_on, excerpt=f"V/v đôn đốc gửi báo cáo {what}"),
        layout.addressee(*to),
        layout.para(
            f"Thực hiện chế độ báo cáo công tác tiếp công dân, xử lý đơn, giải quyết khiếu nại, tố cáo theo "
            f"{esc(circular)}, các đơn vị gửi báo cáo {esc(what)} (số liệu tính từ ngày "
            f"{short_date(period.start)} đến ngày {short_date(period.end)}) về {esc(office_text)} trước ngày "
            f"{b(short_date(tracked.due_on))}."
        ),
        layout.para(
            f"Đến ngày {short_date(issued_on)}, {esc(office_text)} chưa nhận được báo cáo của {len(names)} đơn vị sau:"
        ),
        *layout.numbered(names),
        layout.para(
            f"{esc(office_text)} đề nghị các đơn vị nêu trên khẩn trương hoàn thành, gửi báo cáo (gói báo cáo lập "
            f"bằng phần mềm TiếpDân kèm biểu mẫu) về {esc(office_text)} trước ngày {b(short_date(answer_by))} để "
            "tổng hợp, báo cáo cấp trên theo quy định."
        ),
    ]
    filed = f"Lưu: VT, {office.symbol}" if office.symbol else "Lưu: VT"
    story.append(layout.closing(["Như trên", filed], layout.office_signature(office)))
    return story


def reminder_pdf(
    session: Session,
    actor: Actor,
    period: Period,
    *,
    unit_ids: list[int] | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The reminder letter to the units that have not sent the report of ``period`` (or to ``unit_ids``
    among them); audited as a print."""
    require(actor, Permission.REPORT)
    today = today or local_today()
    tracked = tracker(session, actor, period, today=today)
    missing = [r for r in tracked.missing if unit_ids is None or r.unit_id in unit_ids]
    if not missing:
        raise ValidationError({"units": f"Mọi đơn vị đã gửi báo cáo kỳ {period.title}."})
    version = service.form_version(session, period)
    circular = forms.all_forms(version)[0].circular_on(period.end).removeprefix("Ban hành kèm theo ").strip()
    answer_by = today + dt.timedelta(days=int(settings.get(session, REMINDER_DAYS)))
    office = office_from_settings(session)
    story = reminder_story(office, tracked, missing, issued_on=today, answer_by=answer_by, circular=circular)
    pdf = layout.build_pdf(
        story, title_text="Văn bản đôn đốc báo cáo", author=office.name, canvasmaker=layout.LetterCanvas
    )
    audit.record(
        session,
        actor,
        "print",
        "report_reminder",
        None,
        after={"from": period.start, "to": period.end, "units": [r.code for r in missing]},
    )
    return pdf
