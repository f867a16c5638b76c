"""``python -m app report``: the inspectorate's periodic report forms as one xlsx workbook."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from app.cli.auth import signed_in
from app.cli.common import add_command, database, parse_date, positive_int
from app.services.common.clock import local_today
from app.services.common.errors import ValidationError
from app.services.reports import forms, periods, service
from app.services.security.permissions import Permission


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    codes = ", ".join(f.code for f in forms.all_forms())
    parser = add_command(sub, "report", "Lập báo cáo định kỳ (biểu TCD, XLD, KQGQ) ra tệp Excel", run)
    parser.add_argument("--from", dest="date_from", type=parse_date, help="từ ngày (YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", type=parse_date, help="đến ngày (YYYY-MM-DD)")
    parser.add_argument(
        "--period",
        choices=[k.value for k in periods.PeriodKind if k != periods.PeriodKind.CUSTOM],
        help="kỳ báo cáo theo Nghị định 09/2019: month, quarter, 6m, 9m, year",
    )
    parser.add_argument("--year", type=positive_int, help="năm của kỳ báo cáo")
    parser.add_argument("--number", type=positive_int, help="số tháng (1–12) hoặc số quý (1–4)")
    parser.add_argument("--form", action="append", metavar="MÃ", help=f"chỉ lập biểu này (có thể lặp lại): {codes}")
    parser.add_argument(
        "--version",
        choices=forms.versions(),
        help="bộ biểu báo cáo (mặc định: bộ biểu có hiệu lực vào ngày cuối kỳ)",
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="TỆP.xlsx", help="tệp Excel kết quả")


def period_from_args(args: argparse.Namespace, today: dt.date | None = None) -> periods.Period | None:
    """The period the arguments name; None when they name none (the office's default applies)."""
    if args.period:
        if args.date_from or args.date_to:
            raise ValidationError({"period": "Dùng --period hoặc --from/--to, không dùng cả hai."})
        year = args.year or (today or local_today()).year
        return periods.of_kind(args.period, year, args.number)
    if args.date_from and args.date_to:
        return periods.custom(args.date_from, args.date_to)
    if args.date_from or args.date_to:
        raise ValidationError({"period": "Cần cả --from và --to (hoặc dùng --period)."})
    return None


def run(args: argparse.Namespace) -> int:
    asked = period_from_args(args)
    db = database(args)
    actor = signed_in(args, db, Permission.REPORT)
    with db.transaction() as session:
        period = asked or service.default_period(session, local_today())
        if period.kind not in service.period_kinds(session):
            monthly_off = "Cơ quan chưa bật báo cáo theo tháng (cấu hình “report.monthly”)"
            raise ValidationError({"period": f"{monthly_off}; dùng quarter, 6m, 9m hoặc year."})
        result = service.grids(session, actor, period, args.form, args.version)
        service.save_report(session, actor, period, args.output, computed=result)
    for grid in result:
        print(f"{grid.form.code}\t{grid.form.title}\t{len(grid.leaves)} cột")
    version = result[0].form.version if result else ""
    print(f"Đã lập {len(result)} biểu (bộ biểu {version}), {period.line.lower()}: {args.output}")
    return 0
