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
    parser.add_argument(
        "what",
        nargs="?",
        choices=["dashboard"],
        metavar="dashboard",
        help="“dashboard”: bản tin số liệu một trang cho lãnh đạo (tệp PDF) thay cho các biểu",
    )
    parser.add_argument(
        "--as-of", type=parse_date, metavar="NGÀY", help="dashboard: số liệu đến ngày (mặc định hôm nay)"
    )


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
    if args.what == "dashboard":
        return run_dashboard(args)
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


def run_dashboard(args: argparse.Namespace) -> int:
    """``report dashboard --as-of DATE -o FILE.pdf``: the leader's one-page briefing."""
    if args.period or args.date_from or args.date_to or args.form or args.version:
        only = "Bản tin chỉ dùng --as-of (ngày chốt số liệu), không dùng --period, --from/--to, --form, --version."
        raise ValidationError({"as_of": only})
    from app.services.printing.dashboard import render_dashboard  # PDF code only for this command

    db = database(args)
    actor = signed_in(args, db, Permission.REPORT)
    as_of = args.as_of or local_today()
    with db.transaction() as session:
        pdf = render_dashboard(session, actor, as_of)
    args.output.write_bytes(pdf)
    print(f"Đã in bản tin số liệu đến ngày {as_of:%d/%m/%Y}: {args.output}")
    return 0
