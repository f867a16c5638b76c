"""Receiving report packages at the upper office: check each one, then keep it whole or not at all.

A package is accepted when its signature holds, its unit is declared, its key is the one pinned for
the unit (pinned on the first package; a changed key is refused until the user accepts it), its
period is an official one, its form version is the one the upper office consolidates that period
with, every form of the version is there with the right number of rows and columns, and every
total adds up as the form definition says. Each package is written in its own savepoint; a re-sent
package replaces the earlier one of the same unit and period, on the audit trail.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import LOCAL_TZ, ReceivedPackage, SubordinateUnit
from app.services.common.actor import Actor
from app.services.common.errors import AppError, NotFoundError
from app.services.reports import forms, service
from app.services.reports.periods import PeriodKind
from app.services.security import audit
from app.services.security.permissions import Permission, require
from app.services.upward import package as pkg
from app.services.upward import signing


class Outcome(enum.StrEnum):
    IMPORTED = "imported"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"  # the very same file again
    KEY_CHANGED = "key_changed"  # refused until the user accepts the unit's new key
    REFUSED = "refused"


OUTCOME_LABELS = {
    Outcome.IMPORTED: "Đã nhập",
    Outcome.REPLACED: "Đã nhập, thay gói trước",
    Outcome.UNCHANGED: "Đã có, bỏ qua",
    Outcome.KEY_CHANGED: "Khóa ký đã đổi",
    Outcome.REFUSED: "Từ chối",
}


@dataclass(frozen=True)
class ImportResult:
    file_name: str
    outcome: Outcome
    message: str
    unit_code: str = ""
    unit_name: str = ""
    period_label: str = ""
    package_id: int | None = None

    @property
    def accepted(self) -> bool:
        return self.outcome in (Outcome.IMPORTED, Outcome.REPLACED, Outcome.UNCHANGED)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


class _Refused(AppError):
    def __init__(self, message: str, outcome: Outcome = Outcome.REFUSED) -> None:
        super().__init__(message)
        self.outcome = outcome


def package_files(paths: Iterable[Path]) -> list[Path]:
    """The package files among ``paths``: files as given, folders searched (with their sub-folders)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob(f"*{pkg.SUFFIX}") if p.is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _check(session: Session, package: pkg.Package) -> SubordinateUnit:
    """The declared unit the package comes from, once every check passed; else ``_Refused``."""
    if not package.signed:
        raise _Refused(
            "Chữ ký số không khớp với nội dung: gói đã bị sửa sau khi đơn vị ký, hoặc bị hỏng khi gửi. "
            "Đề nghị đơn vị gửi lại gói báo cáo."
        )
    unit = session.scalar(select(SubordinateUnit).where(SubordinateUnit.code == package.unit_code))
    if unit is None or not unit.active:
        raise _Refused(
            f"Đơn vị mã “{package.unit_code}” ({package.body}) chưa được khai báo là đơn vị cấp dưới. "
            "Khai báo đơn vị trong mục “Đơn vị cấp dưới” rồi nhập lại."
        )
    if package.period.kind == PeriodKind.CUSTOM:
        raise _Refused(
            f"Kỳ báo cáo từ {package.period.start:%d/%m/%Y} đến {package.period.end:%d/%m/%Y} không phải "
            "kỳ báo cáo chính thức (quý, 6 tháng, 9 tháng, năm)."
        )
    expected = service.form_version(session, package.period)
    if package.form_version != expected:
        raise _Refused(
            f"Gói lập theo bộ biểu {package.form_version or '(không ghi)'}, nhưng kỳ {package.period.title} "
            f"được tổng hợp theo bộ biểu {expected}. Đề nghị đơn vị lập lại gói theo bộ biểu {expected}."
        )
    definitions = {f.code: f for f in forms.all_forms(expected)}
    given = package.figures()
    absent = [code for code in definitions if code not in given]
    extra = [code for code in given if code not in definitions]
    if absent or extra:
        parts = [f"thiếu biểu {', '.join(absent)}" if absent else "", f"có biểu lạ {', '.join(extra)}" if extra else ""]
        raise _Refused(f"Gói không đúng bộ biểu {expected}: {'; '.join(p for p in parts if p)}.")
    for code, form in definitions.items():
        values = given[code]
        width = len(pkg.structure(form).paths)
        if len(values) != len(form.rows) or any(len(row) != width for row in values):
            raise _Refused(
                f"Biểu {code} trong gói có số dòng hoặc số cột khác định nghĩa biểu ({len(form.rows)} dòng, "
                f"{width} cột)."
            )
        problem = pkg.totals_problem(form, values)
        if problem:
            raise _Refused(f"Số liệu không cộng đúng: {problem}.")
    return unit


def _pin(session: Session, actor: Actor, unit: SubordinateUnit, package: pkg.Package, accept_new_key: bool) -> None:
    if unit.public_key == package.public_key:
        return
    if unit.public_key is None:
        unit.public_key = package.public_key
        unit.key_pinned_at = dt.datetime.now(LOCAL_TZ)
        return
    if not accept_new_key:
        raise _Refused(
            f"Khóa ký của {unit.name} đã thay đổi (khóa đã ghim {signing.fingerprint(unit.public_key)}, khóa trong "
            f"gói {signing.fingerprint(package.public_key)}). Gọi điện cho đơn vị để xác nhận đã cài lại máy hoặc "
            "đổi khóa; nếu đúng, chọn “Chấp nhận khóa mới” rồi nhập lại.",
            Outcome.KEY_CHANGED,
        )
    before = {"public_key": signing.fingerprint(unit.public_key)}
    unit.public_key = package.public_key
    unit.key_pinned_at = dt.datetime.now(LOCAL_TZ)
    after = {"public_key": signing.fingerprint(package.public_key)}
    audit.record(session, actor, "pin_key", "subordinate_unit", unit.id, before=before, after=after)


def current_package(session: Session, unit_id: int, start: dt.date, end: dt.date) -> ReceivedPackage | None:
    return session.scalar(
        select(ReceivedPackage).where(
            ReceivedPackage.unit_id == unit_id,
            ReceivedPackage.period_start == start,
            ReceivedPackage.period_end == end,
            ReceivedPackage.replaced_at.is_(None),
        )
    )


def _store(
    session: Session,
    actor: Actor,
    unit: SubordinateUnit,
    package: pkg.Package,
    now: dt.datetime,
    *,
    origin: str = "package",
    unread_json: str | None = None,
) -> tuple[Outcome, ReceivedPackage]:
    """Keep ``package`` as the unit's report of its period; ``origin="workbook"``: a hand-filled workbook
    read by ``upward.legacy`` (no signature), with the cells it could not read."""
    earlier = current_package(session, unit.id, package.period.start, package.period.end)
    if earlier is not None and earlier.sha256 == package.sha256:
        return Outcome.UNCHANGED, earlier
    row = ReceivedPackage(
        unit_id=unit.id,
        period_start=package.period.start,
        period_end=package.period.end,
        period_kind=str(package.period.kind),
        form_version=package.form_version,
        body_name=package.body,
        made_at=package.made_at,
        received_at=now,
        file_name=package.file_name,
        sha256=package.sha256,
        public_key=package.public_key,
        figures_json=json.dumps(package.figures(), separators=(",", ":")),
        origin=origin,
        unread_json=unread_json,
    )
    session.add(row)
    session.flush()
    details = {
        "unit_code": unit.code,
        "from": package.period.start,
        "to": package.period.end,
        "file": package.file_name,
        "sha256": package.sha256[:16],
    }
    if origin != "package":
        details["origin"] = origin
    if earlier is None:
        audit.record(session, actor, "import", "report_package", row.id, after=details)
        return Outcome.IMPORTED, row
    earlier.replaced_at = now
    earlier.replaced_by_id = row.id
    before = {"package": earlier.id, "file": earlier.file_name, "made_at": earlier.made_at}
    audit.record(session, actor, "replace", "report_package", row.id, before=before, after=details)
    return Outcome.REPLACED, row


def import_package(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    accept_new_key: bool = False,
    now: dt.datetime | None = None,
) -> ImportResult:
    """Check and keep one package, in its own savepoint: a refused package leaves nothing behind."""
    require(actor, Permission.IMPORT)
    name = Path(path).name
    try:
        package = pkg.read_package(Path(path))
    except pkg.PackageError as exc:
        return ImportResult(name, Outcome.REFUSED, exc.user_message)
    label = package.period.label or package.period.title
    try:
        with session.begin_nested():
            unit = _check(session, package)
            _pin(session, actor, unit, package, accept_new_key)
            outcome, row = _store(session, actor, unit, package, now or dt.datetime.now(LOCAL_TZ))
    except _Refused as exc:
        known = session.scalar(select(SubordinateUnit.name).where(SubordinateUnit.code == package.unit_code))
        return ImportResult(name, exc.outcome, exc.user_message, package.unit_code, known or package.body, label)
    message = {
        Outcome.IMPORTED: f"Đã nhập báo cáo {label} của {unit.name}.",
        Outcome.REPLACED: f"Đã nhập báo cáo {label} của {unit.name}; gói gửi trước đó được thay thế (ghi nhật ký).",
        Outcome.UNCHANGED: f"Gói báo cáo {label} của {unit.name} đã được nhập trước đó; không có thay đổi.",
    }[outcome]
    return ImportResult(name, outcome, message, unit.code, unit.name, label, row.id)


def import_many(
    session: Session,
    actor: Actor,
    paths: Iterable[Path],
    *,
    accept_new_key: bool = False,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[ImportResult]:
    """Every package among ``paths`` (files or folders), one result each, in file order."""
    files = package_files(paths)
    results: list[ImportResult] = []
    for n, path in enumerate(files, 1):
        results.append(import_package(session, actor, path, accept_new_key=accept_new_key, now=now))
        if progress is not None:
            progress(n, len(files))
    return results


def summary(results: list[ImportResult]) -> str:
    """ "Đã nhập 28 gói (1 gói thay gói trước); từ chối 2 gói." """
    ok = [r for r in results if r.outcome in (Outcome.IMPORTED, Outcome.REPLACED)]
    replaced = sum(1 for r in results if r.outcome == Outcome.REPLACED)
    same = sum(1 for r in results if r.outcome == Outcome.UNCHANGED)
    refused = len(results) - len(ok) - same
    text = f"Đã nhập {len(ok)} gói"
    if replaced:
        text += f" ({replaced} gói thay gói gửi trước)"
    if same:
        text += f"; {same} gói đã có, bỏ qua"
    if refused:
        text += f"; từ chối {refused} gói (xem lý do từng gói)"
    return text + "."


def package_row(session: Session, package_id: int) -> ReceivedPackage:
    row = session.get(ReceivedPackage, package_id)
    if row is None:
        raise NotFoundError(f"Không tìm thấy gói báo cáo số {package_id}.")
    return row
