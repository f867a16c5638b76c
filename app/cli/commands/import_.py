"""``python -m app import register FILE.xlsx``: bring a legacy Excel reception register in."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.auth import signed_in
from app.cli.common import add_command, database, positive_int
from app.services.common.errors import ValidationError
from app.services.common.vocab import label
from app.services.records import importer
from app.services.security.permissions import Permission


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "import", "Nhập sổ tiếp công dân cũ từ tệp Excel; hoàn tác một lô đã nhập", run)
    parser.add_argument(
        "what",
        choices=["register", "mapping", "undo", "batches"],
        help=(
            "register: nhập sổ; mapping: chỉ xem đề xuất ánh xạ cột (JSON); undo: hoàn tác lô; batches: liệt kê các lô"
        ),
    )
    parser.add_argument("file", nargs="?", type=Path, help="tệp Excel (.xlsx) của sổ tiếp công dân")
    parser.add_argument("--dry-run", action="store_true", help="chạy thử: kiểm tra và báo cáo, không ghi gì")
    parser.add_argument(
        "--mapping", type=Path, metavar="TỆP.json", help='sửa ánh xạ cột: {"columns": {"B": "received_on"}}'
    )
    parser.add_argument("--batch", type=positive_int, help="số lô cần hoàn tác (với undo)")


def run(args: argparse.Namespace) -> int:
    if args.what == "mapping":
        return _show_mapping(args)
    db = database(args)
    actor = signed_in(args, db, Permission.IMPORT)
    if args.what == "batches":
        with db.session() as session:
            for b in importer.list_batches(session):
                note = f"\tđã hoàn tác {b.undone_at:%d/%m/%Y %H:%M}" if b.undone_at else ""
                print(f"lô #{b.id}\t{b.created_at:%d/%m/%Y %H:%M}\t{b.source_name}\t{b.imported} dòng{note}")
        return 0
    if args.what == "undo":
        if args.batch is None:
            raise ValidationError({"batch": "Cần --batch SỐ_LÔ (xem: python -m app import batches)."})
        with db.transaction() as session:
            undone = importer.undo_import(session, actor, args.batch)
        print(f"Đã hoàn tác lô #{args.batch}: {undone.visits} lượt tiếp, {undone.citizens} công dân.")
        return 0
    if args.file is None:
        raise ValidationError({"file": "Cần đường dẫn tệp Excel cần nhập."})
    corrections = importer.load_mapping_file(args.mapping) if args.mapping else None
    with db.transaction() as session:
        result = importer.run_import(session, actor, args.file, corrections=corrections, dry_run=args.dry_run)
    if args.dry_run:
        print("CHẠY THỬ — không ghi gì vào cơ sở dữ liệu.")
        for p in result.preview[:20]:
            print(f"  dòng {p.row}\t{p.received_on:%d/%m/%Y}\t{p.full_name}\t{label(p.kind)}\tcông dân {p.citizen}")
        if len(result.preview) > 20:
            print(f"  … và {result.imported - 20} dòng nữa")
    for issue in result.errors:
        print(f"dòng {issue.row}: {'; '.join(issue.reasons)}", file=sys.stderr)
    print(
        f"Công dân mới: {result.new_citizens}, đã có: {result.matched_citizens}; "
        f"bỏ qua {len(result.skipped)} dòng tiêu đề/cộng."
    )
    if result.batch_id is not None:
        print(f"Lô nhập #{result.batch_id} (hoàn tác: python -m app import undo --batch {result.batch_id})")
    if result.error_workbook is not None:
        print(f"Dòng lỗi và dòng bỏ qua: {result.error_workbook}")
    print(result.summary)
    return 0


def _show_mapping(args: argparse.Namespace) -> int:
    import json

    if args.file is None:
        raise ValidationError({"file": "Cần đường dẫn tệp Excel."})
    mapping = importer.propose_mapping(importer.read_sheet(args.file))
    data = {
        "header_row": mapping.header_row,
        "columns": {c.letter: c.target for c in mapping.columns},
        "headers": {c.letter: c.header for c in mapping.columns},
    }
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0
