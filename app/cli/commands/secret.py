"""``python -m app secret init|export|import|print|list|status``: sổ mật (denouncers' identities as state secrets).

Two machines. On the **confidential workstation** (standalone, never networked) every command
takes ``--store`` (the sổ mật file); ``--db`` there is that machine's own TiếpDân database, only
for its accounts. On the **networked desks** the commands run without ``--store``.

    máy sổ mật:   secret init --store SM.sqlite3 --pairing-out E:/ghep-cap.json
    máy nối mạng: secret init --pair E:/ghep-cap.json --on
    máy nối mạng: secret export -o E:/sang-so-mat.tdsm           (danh tính chuyển đi rồi bị xóa)
    máy sổ mật:   secret import --store SM.sqlite3 E:/sang-so-mat.tdsm
    máy sổ mật:   secret print --store SM.sqlite3 03/BN-BTCD -o bien-nhan.pdf
    máy sổ mật:   secret export --store SM.sqlite3 -o E:/xac-nhan.tdsm
    máy nối mạng: secret import E:/xac-nhan.tdsm
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.auth import signed_in
from app.cli.common import add_command, database
from app.services.common.errors import AppError, StorageError
from app.services.secret_register import networked, printing, store
from app.services.security import keys
from app.services.security.permissions import Permission


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = add_command(sub, "secret", "Sổ mật: danh tính người tố cáo trên máy không nối mạng", _missing)
    actions = parser.add_subparsers(dest="secret_command", metavar="VIỆC", parser_class=type(parser))

    init = actions.add_parser("init", help="tạo sổ mật (máy sổ mật) hoặc ghép cặp với sổ mật (máy nối mạng)")
    init.add_argument("--store", type=Path, help="tệp sổ mật cần tạo (trên máy sổ mật)")
    init.add_argument("--pairing-out", type=Path, help="tệp ghép cặp ghi ra USB (cùng --store)")
    init.add_argument("--pair", type=Path, help="tệp ghép cặp của máy sổ mật (trên máy nối mạng)")
    init.add_argument("--on", action="store_true", help="bật chế độ sổ mật sau khi ghép cặp")
    init.set_defaults(handler=run_init)

    export = actions.add_parser("export", help="lập gói dữ liệu niêm phong ra USB")
    export.add_argument("--store", type=Path, help="tệp sổ mật: lập gói xác nhận gửi máy nối mạng")
    export.add_argument("-o", "--output", type=Path, required=True, help="tệp gói dữ liệu (trên USB)")
    export.set_defaults(handler=run_export)

    import_ = actions.add_parser("import", help="nhập gói dữ liệu niêm phong từ USB")
    import_.add_argument("--store", type=Path, help="tệp sổ mật: nhập gói từ máy nối mạng")
    import_.add_argument("package", type=Path, help="tệp gói dữ liệu")
    import_.set_defaults(handler=run_import)

    print_ = actions.add_parser("print", help="in văn bản có danh tính người tố cáo (máy sổ mật)")
    print_.add_argument("--store", type=Path, required=True, help="tệp sổ mật")
    print_.add_argument("document", help="số/ký hiệu văn bản (ví dụ 03/BN-BTCD) hoặc mã văn bản")
    print_.add_argument("-o", "--output", type=Path, help="tệp PDF (mặc định: theo tên văn bản)")
    print_.set_defaults(handler=run_print)

    listing = actions.add_parser("list", help="các mã tham chiếu, họ tên, văn bản trong sổ mật (máy sổ mật)")
    listing.add_argument("--store", type=Path, required=True, help="tệp sổ mật")
    listing.set_defaults(handler=run_list)

    actions.add_parser("status", help="chế độ sổ mật của máy nối mạng: ghép cặp, danh tính chờ chuyển").set_defaults(
        handler=run_status
    )
    for child in actions.choices.values():
        child.add_argument("--db", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _missing(_args: argparse.Namespace) -> int:
    raise AppError("Thiếu việc cần làm: python -m app secret init|export|import|print|list|status (xem --help).")


def run_init(args: argparse.Namespace) -> int:
    if bool(args.store) == bool(args.pair):
        raise AppError("Dùng --store TỆP --pairing-out TỆP (máy sổ mật) hoặc --pair TỆP (máy nối mạng).")
    db = database(args)
    try:
        actor = signed_in(args, db, Permission.MANAGE_SETTINGS)
        if args.store:
            if not args.pairing_out:
                raise AppError("Thiếu --pairing-out: tệp ghép cặp ghi ra USB để mang sang máy nối mạng.")
            created = store.create_store(args.store, actor, args.pairing_out)
            created.dispose()
            print(f"Đã tạo sổ mật {args.store} (mã {created.station.station_id}).")
            print(f"Tệp ghép cặp: {args.pairing_out}. Mang sang máy nối mạng, ghép cặp xong thì hủy tệp này.")
            print(f"Khóa sổ mật lưu trong {keys.store_description()}. Xuất khóa khôi phục và cất nơi an toàn:")
            print(keys.recovery_text(created.key))
            return 0
        with db.transaction() as session:
            station = networked.pair(session, actor, args.pair)
            if args.on:
                networked.set_enabled(session, actor, True)
        print(f"Đã ghép cặp với sổ mật mã {station}." + (" Đã bật chế độ sổ mật." if args.on else ""))
        print(f"Hãy hủy tệp ghép cặp {args.pair} (xóa khỏi USB).")
        return 0
    finally:
        db.dispose()


def run_export(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        actor = signed_in(args, db, Permission.REVEAL_IDENTITY)
        if args.store:
            opened = store.open_store(args.store)
            try:
                package_id, references = store.export_acknowledgement(opened, actor, args.output)
            finally:
                opened.dispose()
            print(f"Đã ghi gói xác nhận {package_id} ({len(references)} mã tham chiếu) vào {args.output}.")
            return 0
        with db.transaction() as session:
            result = networked.export_to_station(session, actor, args.output)
        clean = networked.scrub_file(db.engine)
    finally:
        db.dispose()
    print(
        f"Đã ghi gói {result.package_id} vào {result.path}: "
        f"{len(result.references)} danh tính, {result.cases} hồ sơ, {result.documents} văn bản."
    )
    print(f"SHA-256: {result.sha256}. Danh tính đã chuyển được xóa khỏi cơ sở dữ liệu nối mạng.")
    if not clean:
        print(
            "Lưu ý: chưa ghi đè được hết tệp cơ sở dữ liệu (máy khác đang mở, hoặc máy chủ PostgreSQL). "
            "Đóng TiếpDân trên các máy rồi chạy lại lệnh export (không có danh tính mới thì gói rỗng).",
            file=sys.stderr,
        )
    return 0


def run_import(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        actor = signed_in(args, db, Permission.REVEAL_IDENTITY)
        if args.store:
            opened = store.open_store(args.store)
            try:
                result = store.import_package(opened, actor, args.package)
            finally:
                opened.dispose()
            print(
                f"Đã nhập gói {result.package_id}: {len(result.identities)} danh tính, "
                f"{result.cases} hồ sơ, {result.documents} văn bản."
            )
            return 0
        try:
            with db.transaction() as session:
                ack = networked.import_from_station(session, actor, args.package)
        except StorageError as exc:
            with db.transaction() as session:
                networked.record_refusal(session, actor, args.package, exc.user_message)
            raise
    finally:
        db.dispose()
    print(f"Đã nhập gói xác nhận {ack.package_id}: sổ mật đã nhận {len(ack.confirmed)} danh tính mới.")
    if ack.unknown:
        print(f"{len(ack.unknown)} mã tham chiếu không có trên máy này: {', '.join(ack.unknown)}.", file=sys.stderr)
    return 0


def run_print(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        actor = signed_in(args, db, Permission.REVEAL_IDENTITY)
    finally:
        db.dispose()
    opened = store.open_store(args.store)
    try:
        stem, pdf = printing.print_document(opened, actor, args.document)
    finally:
        opened.dispose()
    out = args.output or Path(f"{stem}.pdf")
    out.write_bytes(pdf)
    print(f"Đã ghi {out}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        actor = signed_in(args, db, Permission.REVEAL_IDENTITY)
    finally:
        db.dispose()
    opened = store.open_store(args.store)
    try:
        rows = store.entries(opened, actor)
    finally:
        opened.dispose()
    for entry in rows:
        documents = ", ".join(f"{symbol} (mã {doc_id})" for doc_id, _type, symbol in entry.documents) or "chưa có"
        print(f"{entry.reference}\t{entry.full_name}\tvăn bản: {documents}")
    print(f"Tổng số: {len(rows)} mã tham chiếu.")
    return 0


def run_status(args: argparse.Namespace) -> int:
    db = database(args)
    try:
        signed_in(args, db, Permission.REVEAL_IDENTITY)
        with db.session() as session:
            on = networked.enabled(session)
            station = networked.station_id(session)
            waiting = networked.awaiting_count(session)
    finally:
        db.dispose()
    print(f"Chế độ sổ mật: {'bật' if on else 'tắt'}. Sổ mật ghép cặp: {station or 'chưa ghép cặp'}.")
    print(f"Danh tính người tố cáo còn trên máy nối mạng, chờ chuyển: {waiting}.")
    return 0
