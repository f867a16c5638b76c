"""``python -m app export visits|petitions``: the register of a period to xlsx, columns as chosen.

``python -m app export national``: the period's case records for the national database (JSON or xlsx).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from app.cli.auth import signed_in
from app.cli.common import add_command, database, parse_date
from app.models.enums import Role
from app.services.common.errors import ValidationError
from app.services.records import export
from app.services.security.permissions import Permission, allowed


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "export", "Xuất sổ tiếp công dân hoặc sổ theo dõi đơn ra tệp Excel", run)
    parser.add_argument(
        "entity",
        choices=(*export.ENTITIES, "national"),
        help="visits (lượt tiếp), petitions (đơn thư) hoặc national (hồ sơ vụ việc gửi CSDL quốc gia)",
    )
    parser.add_argument("--from", dest="date_from", type=parse_date, help="từ ngày (YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", type=parse_date, help="đến ngày (YYYY-MM-DD)")
    parser.add_argument("--profile", metavar="TÊN", help="dùng mẫu xuất đã lưu (chọn và thứ tự cột)")
    parser.add_argument("--columns", metavar="CỘT,CỘT", help="danh sách cột, cách nhau bằng dấu phẩy")
    parser.add_argument("--save-profile", metavar="TÊN", help="lưu danh sách --columns thành mẫu xuất")
    parser.add_argument("--list-columns", action="store_true", help="liệt kê các cột có thể xuất rồi thoát")
    parser.add_argument(
        "--mask",
        action="store_true",
        help="che danh tính người tố cáo như tài khoản không có quyền (national: che mọi danh tính)",
    )
    parser.add_argument(
        "--changed-only", action="store_true", help="national: chỉ hồ sơ mới và hồ sơ thay đổi từ lần xuất trước"
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="TỆP.xlsx", help="tệp kết quả (.xlsx; national: .json hoặc .xlsx)"
    )


def run(args: argparse.Namespace) -> int:
    if args.entity == "national":
        return _run_national(args)
    if args.list_columns:
        for choice in export.available_columns(args.entity):
            print(f"{choice.key}\t{choice.header}")
        return 0
    if args.output is None:
        raise ValidationError({"output": "Cần -o TỆP.xlsx (tệp kết quả)."})
    if args.profile and args.columns:
        raise ValidationError({"columns": "Dùng --profile hoặc --columns, không dùng cả hai."})
    db = database(args)
    actor = signed_in(args, db, Permission.EXPORT)
    if args.mask and allowed(actor, Permission.REVEAL_IDENTITY):
        # --mask: the file as an account without the reveal right sees it (denouncers' identities hidden).
        actor = dataclasses.replace(actor, role=Role.HANDLER)
    with db.transaction() as session:
        columns: tuple[str, ...] = ()
        if args.profile:
            profile = export.get_profile(session, args.profile)
            if profile.entity != args.entity:
                raise ValidationError(
                    {"profile": f"Mẫu “{profile.name}” dùng cho {profile.entity}, không phải {args.entity}."}
                )
            columns = profile.columns
        elif args.columns:
            columns = tuple(c.strip() for c in args.columns.split(",") if c.strip())
            if args.save_profile:
                export.save_profile(session, actor, args.save_profile, args.entity, columns)
        spec = export.ExportSpec(args.entity, columns, args.date_from, args.date_to)

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                print(f"\r{done}/{total} dòng", end="", file=sys.stderr)

        result = export.export(session, actor, spec, args.output, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"Đã xuất {result.rows} dòng: {result.path}")
    return 0


def _run_national(args: argparse.Namespace) -> int:
    from app.services.records import national

    if args.output is None:
        raise ValidationError({"output": "Cần -o TỆP.json hoặc TỆP.xlsx (tệp kết quả)."})
    db = database(args)
    actor = signed_in(args, db, Permission.EXPORT)
    spec = national.NationalSpec(args.date_from, args.date_to, changed_only=args.changed_only, mask=args.mask)
    with db.transaction() as session:
        result = national.export_national(session, actor, spec, args.output)
    print(
        f"Đã xuất {result.exported} hồ sơ vụ việc: {result.path} "
        f"(mới {result.new}, thay đổi {result.changed}, không đổi {result.unchanged})"
    )
    return 0
