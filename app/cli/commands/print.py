"""``python -m app print …``: the reception register and every issued document, as PDF files."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.orm import Session

from app.cli.auth import signed_in
from app.cli.common import add_command, database, parse_date, positive_int
from app.models import IssuedDocument, Petition, Visit
from app.models.enums import DocumentType
from app.services import printing
from app.services.common.errors import AppError, NotFoundError, ValidationError
from app.services.printing.template import Template


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "print", "In sổ tiếp công dân và các văn bản đã cấp số ra tệp PDF", _usage)
    kinds = parser.add_subparsers(dest="document", metavar="VĂN BẢN", parser_class=type(parser))
    log = add_command(kinds, "daily-log", "Sổ tiếp công dân của một ngày hoặc một khoảng ngày", run_daily_log)
    log.add_argument("--date", type=parse_date, required=True, metavar="YYYY-MM-DD", help="ngày (hoặc ngày đầu)")
    log.add_argument("--to", type=parse_date, metavar="YYYY-MM-DD", help="ngày cuối (mặc định: bằng --date)")
    _output(log)
    brief = add_command(kinds, "brief", "Bản tin sáng: việc quá hạn, đến hạn, chờ kết quả, chờ thi hành", run_brief)
    brief.add_argument("--date", type=parse_date, metavar="YYYY-MM-DD", help="ngày của bản tin (mặc định: hôm nay)")
    _output(brief)
    for template in printing.TEMPLATES.values():
        doc = add_command(kinds, template.command, _help(template), run_document)
        doc.set_defaults(template=template)
        owner = doc.add_mutually_exclusive_group(required=True)
        owner.add_argument("--petition", type=positive_int, metavar="ID", help="văn bản mới nhất loại này của đơn")
        owner.add_argument("--visit", type=positive_int, metavar="ID", help="văn bản mới nhất loại này của lượt tiếp")
        owner.add_argument("--document", type=positive_int, metavar="ID", help="văn bản theo số thứ tự trong sổ")
        if template.doc_type == DocumentType.RECEIPT:
            doc.add_argument(
                "--item",
                action="append",
                default=[],
                metavar="TÀI LIỆU",
                help="với --visit: cấp giấy biên nhận mới cho các tài liệu này (lặp lại cho mỗi tài liệu)",
            )
        _output(doc)


def _help(template: Template) -> str:
    return f"{template.name} (của --petition, --visit, hoặc --document)"


def _output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="tệp PDF cần ghi")


def _usage(args: argparse.Namespace) -> int:
    raise AppError("chọn loại văn bản cần in, ví dụ: print daily-log --date 2026-11-24 -o so.pdf (xem print --help).")


def _write(path: Path, pdf: bytes) -> None:
    try:
        path.write_bytes(pdf)
    except OSError as exc:
        raise AppError(f"không ghi được tệp {path}: {exc.strerror}. Kiểm tra thư mục và quyền ghi.") from exc
    print(f"Đã ghi {path} ({len(pdf) // 1024} KB).")


def run_daily_log(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signed_in(args, db)
    with db.transaction() as session:
        pdf = printing.render_daily_log(session, actor, args.date, args.to)
        _write(args.output, pdf)
    return 0


def run_brief(args: argparse.Namespace) -> int:
    db = database(args)
    actor = signed_in(args, db)
    with db.transaction() as session:
        pdf = printing.render_morning_brief(session, actor, args.date)
        _write(args.output, pdf)
    return 0


def _document_id(session: Session, args: argparse.Namespace, template: Template) -> int:
    if args.document is not None:
        document = session.get(IssuedDocument, args.document)
        if document is not None and document.doc_type != template.doc_type:
            other = printing.TEMPLATES.get(document.doc_type)
            raise ValidationError(
                {
                    "document": f"văn bản số {args.document} là {other.name if other else document.doc_type.value}, "
                    f"không phải {template.name.lower()}; dùng đúng lệnh in."
                }
            )
        return int(args.document)
    if args.petition is not None:
        if session.get(Petition, args.petition) is None:
            raise NotFoundError(f"Không tìm thấy đơn số {args.petition}.")
        return printing.latest_document(session, template.doc_type, petition_id=args.petition)
    if session.get(Visit, args.visit) is None:
        raise NotFoundError(f"Không tìm thấy lượt tiếp số {args.visit}.")
    return printing.latest_document(session, template.doc_type, visit_id=args.visit)


def run_document(args: argparse.Namespace) -> int:
    template: Template = args.template
    db = database(args)
    actor = signed_in(args, db)
    with db.transaction() as session:
        items = getattr(args, "item", [])
        if template.doc_type == DocumentType.RECEIPT and args.visit is not None and items:
            ref, pdf = printing.receipt_for_visit(session, actor, args.visit, items)
            print(f"Đã cấp giấy biên nhận số {ref.symbol}.")
        else:
            if items:
                raise ValidationError({"item": "--item chỉ dùng cùng --visit để cấp giấy biên nhận mới."})
            pdf = printing.render_document(session, actor, _document_id(session, args, template))
        _write(args.output, pdf)
    return 0
