"""``python -m app upward``: report packages to the body above, and their consolidation there.

upward package      lập gói báo cáo đã ký (.tdbc) gửi cấp trên
upward units        khai báo, xem các đơn vị cấp dưới
upward import       nhập gói báo cáo (tệp hoặc thư mục)
upward import-workbook  nhập bảng tính biểu báo cáo đơn vị điền tay (không có gói, không chữ ký)
upward tracker      theo dõi đơn vị đã gửi / gửi muộn / chưa gửi; in văn bản đôn đốc
upward consolidate  biểu tổng hợp số liệu các đơn vị cấp dưới ra tệp Excel
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import acting, add_command, parse_date, positive_int
from app.services.common.clock import local_today
from app.services.common.errors import ValidationError
from app.services.reports.periods import Period, PeriodKind
from app.services.security.permissions import Permission


def _period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period",
        choices=[k.value for k in PeriodKind if k != PeriodKind.CUSTOM],
        default="quarter",
        help="kỳ báo cáo: quarter (mặc định), 6m, 9m, year, month",
    )
    parser.add_argument("--year", type=positive_int, help="năm của kỳ báo cáo (mặc định: năm nay)")
    parser.add_argument("--number", type=positive_int, help="số quý (1–4) hoặc số tháng (1–12)")


def _period(args: argparse.Namespace) -> Period:
    from app.services.reports import periods

    today = local_today()
    if args.period in ("quarter", "month") and args.number is None:
        last = (
            periods.last_completed_quarter(today) if args.period == "quarter" else periods.last_completed_month(today)
        )
        if args.year is None or args.year == last.end.year:
            return last
        raise ValidationError({"number": "Cho biết số quý (--number 1–4) hoặc số tháng của kỳ báo cáo."})
    return periods.of_kind(args.period, args.year or today.year, args.number)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "upward", "Báo cáo lên cấp trên: gói báo cáo, tổng hợp số liệu cấp dưới", _help)
    inner = parser.add_subparsers(dest="upward_command", metavar="VIỆC")

    pack = add_command(inner, "package", "Lập gói báo cáo đã ký số (.tdbc) để gửi cấp trên", run_package)
    _period_options(pack)
    pack.add_argument("-o", "--output", type=Path, required=True, metavar="TỆP.tdbc", help="tệp gói báo cáo")

    units_cmd = add_command(inner, "units", "Khai báo và liệt kê các đơn vị cấp dưới", run_units)
    units_cmd.add_argument("--add", nargs="+", metavar="MÃ", help="khai báo đơn vị theo mã xã, phường hoặc mã cơ quan")
    units_cmd.add_argument("--all-communes", action="store_true", help="khai báo mọi xã, phường của tỉnh")
    units_cmd.add_argument("--candidates", action="store_true", help="liệt kê các đơn vị có thể khai báo")

    receive_cmd = add_command(inner, "import", "Nhập gói báo cáo của đơn vị cấp dưới (tệp hoặc thư mục)", run_import)
    receive_cmd.add_argument("paths", nargs="+", type=Path, metavar="TỆP_HOẶC_THƯ_MỤC")
    receive_cmd.add_argument(
        "--accept-new-key",
        action="store_true",
        help="chấp nhận khóa ký mới của đơn vị đã đổi khóa (sau khi đã gọi điện xác nhận)",
    )

    workbook_cmd = add_command(
        inner,
        "import-workbook",
        "Nhập bảng tính biểu báo cáo đơn vị cấp dưới điền tay theo mẫu (không có gói, không chữ ký)",
        run_import_workbook,
    )
    workbook_cmd.add_argument("--unit", required=True, metavar="MÃ", help="mã đơn vị cấp dưới đã khai báo")
    _period_options(workbook_cmd)
    workbook_cmd.add_argument("file", type=Path, metavar="TỆP.xlsx", help="bảng tính biểu báo cáo của đơn vị")

    track = add_command(inner, "tracker", "Theo dõi tình hình gửi báo cáo của các đơn vị cấp dưới", run_tracker)
    _period_options(track)
    track.add_argument("--reminder", type=Path, metavar="TỆP.pdf", help="in văn bản đôn đốc các đơn vị chưa gửi")

    cons = add_command(inner, "consolidate", "Lập biểu tổng hợp số liệu các đơn vị cấp dưới", run_consolidate)
    _period_options(cons)
    cons.add_argument("--include-own", action="store_true", help="cộng cả số liệu của cơ quan mình")
    cons.add_argument("--as-of", type=parse_date, help=argparse.SUPPRESS)
    cons.add_argument("-o", "--output", type=Path, required=True, metavar="TỆP.xlsx", help="tệp Excel kết quả")


def _help(args: argparse.Namespace) -> int:
    raise ValidationError(
        {"command": "Chọn việc: package, units, import, import-workbook, tracker hoặc consolidate (xem --help)."}
    )


def run_package(args: argparse.Namespace) -> int:
    from app.services.upward import package, signing

    period = _period(args)
    with acting(args, Permission.REPORT) as (db, actor), db.transaction() as session:
        path = package.build_package(session, actor, period, args.output)
        code = package.unit_code(session)
        fingerprint = signing.fingerprint(signing.public_text(signing.office_key(session)))
    print(f"Đã lập gói báo cáo {period.title} của đơn vị mã {code}: {path}")
    print(f"Dấu khóa ký của cơ quan (đọc cho cấp trên khi cần xác nhận): {fingerprint}")
    return 0


def run_units(args: argparse.Namespace) -> int:
    from app.services.upward import units

    need = Permission.MANAGE_SETTINGS if args.add or args.all_communes else Permission.REPORT
    with acting(args, need) as (db, actor), db.transaction() as session:
        if args.candidates:
            for c in units.candidates(session):
                print(f"{c.code}\t{units.KIND_LABELS[c.kind]}\t{c.name}")
            return 0
        codes = list(args.add or [])
        if args.all_communes:
            codes += [c.code for c in units.candidates(session) if c.kind == "commune"]
        if codes:
            added = units.declare(session, actor, codes)
            print(f"Đã khai báo {len(added)} đơn vị cấp dưới.")
        rows = units.list_units(session)
    for u in rows:
        print(f"{u.code}\t{u.kind_label}\t{u.name}\t{u.fingerprint}")
    print(f"Có {len(rows)} đơn vị cấp dưới.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from app.services.upward import receive

    with acting(args, Permission.IMPORT) as (db, actor), db.transaction() as session:
        results = receive.import_many(session, actor, args.paths, accept_new_key=args.accept_new_key)
    if not results:
        raise ValidationError({"paths": "Không tìm thấy tệp gói báo cáo (.tdbc) nào."})
    for r in results:
        print(f"{r.file_name}\t{r.outcome_label}\t{r.message}")
    print(receive.summary(results))
    return 0 if all(r.accepted for r in results) else 1


def run_import_workbook(args: argparse.Namespace) -> int:
    from app.services.upward import legacy

    period = _period(args)
    with acting(args, Permission.IMPORT) as (db, actor), db.transaction() as session:
        result = legacy.import_workbook(session, actor, args.file, args.unit, period)
    for line in legacy.report_lines(result):
        print(line)
    return 0 if result.accepted else 1


def run_tracker(args: argparse.Namespace) -> int:
    from app.services.upward import tracker

    period = _period(args)
    with acting(args, Permission.REPORT) as (db, actor), db.transaction() as session:
        board = tracker.tracker(session, actor, period)
        pdf = tracker.reminder_pdf(session, actor, period) if args.reminder and board.missing else None
    for r in board.rows:
        when = f"{r.received_at:%d/%m/%Y %H:%M}" if r.received_at else ""
        print(f"{r.code}\t{r.name}\t{r.label}\t{when}")
    print(f"{period.title}: {board.summary()}")
    if args.reminder:
        if pdf is None:
            print("Không có đơn vị nào chưa gửi: không lập văn bản đôn đốc.")
        else:
            args.reminder.write_bytes(pdf)
            print(f"Đã lập văn bản đôn đốc {len(board.missing)} đơn vị chưa gửi: {args.reminder}")
    return 0


def run_consolidate(args: argparse.Namespace) -> int:
    from app.services.upward import consolidate

    period = _period(args)
    with acting(args, Permission.REPORT) as (db, actor), db.transaction() as session:
        result = consolidate.consolidate(session, actor, period, include_own=args.include_own)
        consolidate.save_xlsx(session, actor, result, args.output, today=args.as_of)
    units = sum(1 for s in result[0].sources if s.kind == "unit") if result else 0
    print(f"Đã tổng hợp {len(result)} biểu của {units} đơn vị, {period.title}: {args.output}")
    if result and result[0].missing:
        print(f"Chưa có số liệu của {len(result[0].missing)} đơn vị: {', '.join(result[0].missing)}")
    return 0
