"""Produce the periodic reports: evaluate the forms for a period and save the workbook."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.orm import Session

from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.reports import engine, forms, periods, xlsx
from app.services.reports.periods import Period, PeriodKind
from app.services.security import audit
from app.services.security.permissions import Permission, require

PREPARED_BY = settings.define("report.prepared_by", "", "Người lập biểu báo cáo")
FORM_VERSION = settings.define(
    "report.form_version",
    "",
    "Phiên bản bộ biểu báo cáo (để trống: bộ biểu có hiệu lực vào ngày cuối kỳ báo cáo)",
)


def letterhead(session: Session) -> xlsx.Letterhead:
    return xlsx.Letterhead(
        governing_body=str(settings.get(session, settings.GOVERNING_BODY)),
        office=str(settings.get(session, settings.OFFICE_NAME)),
        place=str(settings.get(session, settings.PLACE_NAME)),
        signer_title=str(settings.get(session, settings.SIGNER_TITLE)),
        signer_authority=str(settings.get(session, settings.SIGNER_AUTHORITY)),
        signer_name=str(settings.get(session, settings.SIGNER_NAME)),
        prepared_by=str(settings.get(session, PREPARED_BY)),
    )


MONTHLY = settings.define(
    "report.monthly",
    False,
    "Cho phép lập báo cáo theo tháng (Thông tư 01/2024/TT-TTCP chỉ quy định báo cáo quý, 6 tháng, 9 tháng, năm)",
)


def period_kinds(session: Session) -> list[PeriodKind]:
    """The periods the office reports on: the circular's, plus the month when the office asks for it."""
    kinds = list(PeriodKind)
    return kinds if settings.get(session, MONTHLY) else [k for k in kinds if k != PeriodKind.MONTH]


def default_period(session: Session, today: dt.date) -> Period:
    """The latest period that has ended: a month when the office reports monthly, else a quarter."""
    if settings.get(session, MONTHLY):
        return periods.last_completed_month(today)
    return periods.last_completed_quarter(today)


def form_version(session: Session, period: Period, version: str | None = None) -> str:
    """The form set a report of ``period`` uses: the one asked for, the office's choice, or the set in
    force on the period's last day."""
    return version or str(settings.get(session, FORM_VERSION) or "") or forms.version_on(period.end)


def selected_forms(codes: Sequence[str] | None = None, version: str | None = None) -> list[forms.FormDef]:
    if not codes:
        return list(forms.all_forms(version))
    return [forms.get_form(code, version) for code in codes]


def grids(
    session: Session,
    actor: Actor,
    period: Period,
    codes: Sequence[str] | None = None,
    version: str | None = None,
) -> list[engine.ReportGrid]:
    """Every figure of the chosen forms (all forms of the version by default) for ``period``."""
    require(actor, Permission.REPORT)
    return engine.evaluate_all(session, selected_forms(codes, form_version(session, period, version)), period)


def save_report(
    session: Session,
    actor: Actor,
    period: Period,
    path: Path,
    codes: Sequence[str] | None = None,
    *,
    today: dt.date | None = None,
    computed: Sequence[engine.ReportGrid] | None = None,
    version: str | None = None,
) -> Path:
    """Write the workbook (one sheet per form) and record the export in the audit trail."""
    require(actor, Permission.REPORT)
    result = list(computed) if computed is not None else grids(session, actor, period, codes, version)
    xlsx.write_workbook(result, letterhead(session), Path(path), today or local_today())
    audit.record(
        session,
        actor,
        "export",
        "report",
        None,
        after={
            "forms": [g.form.code for g in result],
            "version": result[0].form.version if result else None,
            "from": period.start,
            "to": period.end,
            "file": Path(path).name,
        },
    )
    return Path(path)
