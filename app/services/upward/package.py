"""The report package (``.tdbc``): one zip holding the form workbook, the figures as JSON, and a signature.

``so_lieu.json`` names the office (its unit code and body), the period, the form version and every
figure keyed by form, row and column; it also carries the SHA-256 of the workbook, so the one
Ed25519 signature in ``chu_ky.json`` (over the exact bytes of ``so_lieu.json``) covers both. The
public key travels in the package; the receiving office pins it per unit on the first import. No
personal data is in a package: only counts, amounts and the office's own names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from app import __version__
from app.models import LOCAL_TZ
from app.services.common import settings
from app.services.common.actor import Actor
from app.services.common.clock import local_today
from app.services.common.errors import AppError, ValidationError
from app.services.records.xlsx_safe import atomic_path
from app.services.reports import engine, periods, service, xlsx
from app.services.reports.forms import Column, FormDef
from app.services.reports.periods import Period, PeriodKind
from app.services.security import audit
from app.services.security.permissions import Permission, require
from app.services.upward import signing

FORMAT = "tiepdan-report-package"
FORMAT_VERSION = 1
SUFFIX = ".tdbc"
WORKBOOK = "bao_cao.xlsx"
DATA = "so_lieu.json"
SIGNATURE = "chu_ky.json"
MAX_MEMBER_BYTES = 20_000_000  # a real package is far smaller; larger is not a package of ours

Number = int | float

UNIT_CODE = settings.define(
    "upward.unit_code",
    "",
    "Mã đơn vị khi gửi báo cáo lên cấp trên (để trống: mã xã, phường nơi đặt trụ sở, hoặc mã tỉnh; "
    "sở, ngành ghi mã cơ quan trong danh bạ)",
)


class PackageError(AppError):
    """A file that is not a readable, intact report package."""


def unit_code(session: Session) -> str:
    """The code this office reports under: its own setting, else its commune, else its province."""
    own = str(settings.get(session, UNIT_CODE) or "").strip()
    if own:
        return own
    commune = str(settings.get(session, settings.OFFICE_COMMUNE) or "").strip()
    return commune or str(settings.get(session, settings.OFFICE_PROVINCE) or "").strip()


def set_unit_code(session: Session, actor: Actor, code: str) -> str:
    """Store the code this office reports under (blank: back to the seat's code); audited."""
    require(actor, Permission.MANAGE_SETTINGS)
    cleaned = code.strip()
    if len(cleaned) > 40 or any(c.isspace() for c in cleaned):
        raise ValidationError({"unit_code": "Mã đơn vị không có khoảng trắng và dài tối đa 40 ký tự (ví dụ 07210)."})
    before = str(settings.get(session, UNIT_CODE) or "")
    if before != cleaned:
        settings.put(session, UNIT_CODE, cleaned)
        audit.record(
            session, actor, "update", "setting", UNIT_CODE.key, before={"value": before}, after={"value": cleaned}
        )
    return unit_code(session)


# ---- the shape of a form, from its definition ----------------------------------------------------


@dataclass(frozen=True)
class Structure:
    """A form's columns as the engine numbers them: each leaf's path, and each total with its parts."""

    paths: tuple[tuple[str, ...], ...]
    totals: tuple[tuple[int, tuple[int, ...]], ...]


def structure(form: FormDef) -> Structure:
    """The engine's column order (a group's total first, then its parts) without touching a database."""
    paths: list[tuple[str, ...]] = []
    totals: list[tuple[int, tuple[int, ...]]] = []

    def walk(columns: tuple[Column, ...], prefix: tuple[str, ...]) -> list[int]:
        """Number the leaves under ``columns``; return, per column in order, the columns it adds up to."""
        summed: list[int] = []
        for column in columns:
            if column.is_leaf:
                summed.append(len(paths))
                paths.append((*prefix, column.label))
                continue
            total_index: int | None = None
            if column.total:
                total_index = len(paths)
                paths.append((*prefix, column.label, column.total))
            parts = walk(column.children, (*prefix, column.label))
            if total_index is not None:
                totals.append((total_index, tuple(parts)))
            summed += [total_index] if total_index is not None else parts
        return summed

    walk(form.columns, ())
    return Structure(tuple(paths), tuple(sorted(totals)))


def totals_problem(form: FormDef, values: list[list[Number]]) -> str | None:
    """Where a total of ``values`` is not the sum of its parts, in words; None when all add up."""
    shape = structure(form)
    for r, row in enumerate(values):
        for total, parts in shape.totals:
            expected = sum(row[p] for p in parts)
            if abs(row[total] - expected) > 1e-6 * max(1.0, abs(expected)):
                where = " › ".join(shape.paths[total])
                return (
                    f"biểu {form.code}, dòng {r + 1}, cột {total + 1} “{where}”: tổng {_num(row[total])} "
                    f"khác tổng các cột thành phần {_num(expected)}"
                )
    return None


def _num(value: Number) -> str:
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else f"{value:,.2f}".replace(",", " ")


# ---- writing -------------------------------------------------------------------------------------


def package_name(code: str, period: Period) -> str:
    return f"BaoCao_{code or 'donvi'}_{period.start:%Y%m%d}_{period.end:%Y%m%d}{SUFFIX}"


def figures_data(grids: list[engine.ReportGrid]) -> list[dict[str, Any]]:
    return [
        {
            "code": g.form.code,
            "title": g.form.title,
            "columns": [" › ".join(leaf.path) for leaf in g.leaves],
            "rows": list(g.row_labels),
            "values": [list(row) for row in g.values],
        }
        for g in grids
    ]


def data_bytes(
    *,
    unit: str,
    body: str,
    governing_body: str,
    period: Period,
    version: str,
    made_at: dt.datetime,
    forms: list[dict[str, Any]],
    workbook_sha256: str,
) -> bytes:
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "software": f"TiếpDân {__version__}",
        "office": {"unit_code": unit, "body": body, "governing_body": governing_body},
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "kind": str(period.kind),
            "label": period.label,
        },
        "form_version": version,
        "made_at": made_at.isoformat(),
        "workbook": {"name": WORKBOOK, "sha256": workbook_sha256},
        "forms": forms,
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def zip_bytes(data: bytes, signature: bytes, workbook: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(DATA, data)
        zf.writestr(SIGNATURE, signature)
        zf.writestr(WORKBOOK, workbook)
    return buffer.getvalue()


def signature_bytes(key: Ed25519PrivateKey, data: bytes) -> bytes:
    record = {
        "algorithm": signing.ALGORITHM,
        "signed": DATA,
        "public_key": signing.public_text(key),
        "signature": signing.sign(key, data),
    }
    return json.dumps(record, indent=1).encode("utf-8")


def build_package(
    session: Session,
    actor: Actor,
    period: Period,
    path: Path,
    *,
    version: str | None = None,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Compute every form of ``period``, and write the signed package to ``path`` (whole or not at all)."""
    require(actor, Permission.REPORT)
    if period.kind == PeriodKind.CUSTOM:
        raise_custom()
    grids = service.grids(session, actor, period, None, version)
    today = today or local_today()
    made_at = now or dt.datetime.now(LOCAL_TZ)
    with tempfile.TemporaryDirectory(prefix="tiepdan-package-") as folder:
        written = Path(folder) / WORKBOOK
        xlsx.write_workbook(grids, service.letterhead(session), written, today)
        workbook = written.read_bytes()
    code = unit_code(session)
    data = data_bytes(
        unit=code,
        body=str(settings.get(session, settings.OFFICE_NAME)),
        governing_body=str(settings.get(session, settings.GOVERNING_BODY)),
        period=period,
        version=grids[0].form.version if grids else service.form_version(session, period, version),
        made_at=made_at,
        forms=figures_data(grids),
        workbook_sha256=hashlib.sha256(workbook).hexdigest(),
    )
    key = signing.office_key(session)
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(zip_bytes(data, signature_bytes(key, data), workbook))
    audit.record(
        session,
        actor,
        "export",
        "report_package",
        None,
        after={
            "unit_code": code,
            "from": period.start,
            "to": period.end,
            "version": grids[0].form.version if grids else None,
            "file": Path(path).name,
        },
    )
    return Path(path)


def raise_custom() -> None:
    raise PackageError(
        "Gói báo cáo gửi cấp trên chỉ lập cho kỳ báo cáo chính thức (quý, 6 tháng, 9 tháng, năm hoặc tháng), "
        "không lập cho khoảng ngày tự chọn."
    )


# ---- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormFigures:
    code: str
    values: list[list[Number]]


@dataclass(frozen=True)
class Package:
    file_name: str
    sha256: str  # of the whole file
    unit_code: str
    body: str
    period: Period
    form_version: str
    made_at: dt.datetime
    forms: tuple[FormFigures, ...]
    public_key: str
    signed: bool  # the signature matches the data and the workbook matches its digest

    def figures(self) -> dict[str, list[list[Number]]]:
        return {f.code: f.values for f in self.forms}


def standard_period(start: dt.date, end: dt.date, kind: str) -> Period | None:
    """The official period of ``kind`` with exactly these dates, or None."""
    try:
        k = PeriodKind(kind)
    except ValueError:
        return None
    candidates: list[Period] = []
    if k == PeriodKind.MONTH:
        candidates = [periods.month(end.year, end.month)]
    elif k == PeriodKind.QUARTER and end.month % 3 == 0:
        candidates = [periods.quarter(end.year, end.month // 3)]
    elif k in (PeriodKind.HALF, PeriodKind.NINE, PeriodKind.YEAR):
        candidates = [periods.of_kind(k, end.year)]
    return next((p for p in candidates if p.start == start and p.end == end), None)


def _bad(name: str, what: str) -> PackageError:
    return PackageError(f"Tệp {name}: {what}")


def read_package(path: Path) -> Package:
    """Open and check the form of a package file; whether the signature holds is in ``signed``."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _bad(path.name, f"không đọc được ({exc.strerror}).") from exc
    return read_package_bytes(path.name, raw)


def read_package_bytes(name: str, raw: bytes) -> Package:
    not_ours = "không phải gói báo cáo TiếpDân (.tdbc) hoặc đã bị hỏng."
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            members = {info.filename: info for info in zf.infolist()}
            if not {DATA, SIGNATURE, WORKBOOK} <= set(members):
                raise _bad(name, not_ours)
            if any(members[m].file_size > MAX_MEMBER_BYTES for m in (DATA, SIGNATURE, WORKBOOK)):
                raise _bad(name, not_ours)
            data, sig_raw, workbook = (zf.read(m) for m in (DATA, SIGNATURE, WORKBOOK))
    except (zipfile.BadZipFile, OSError, KeyError, EOFError) as exc:
        raise _bad(name, not_ours) from exc
    try:
        info = json.loads(data.decode("utf-8"))
        sig = json.loads(sig_raw.decode("utf-8"))
        if info.get("format") != FORMAT:
            raise _bad(name, not_ours)
        if int(info.get("format_version", 0)) > FORMAT_VERSION:
            raise _bad(name, "được lập bằng phiên bản TiếpDân mới hơn; cập nhật TiếpDân rồi nhập lại.")
        office, period_data = info["office"], info["period"]
        start = dt.date.fromisoformat(period_data["start"])
        end = dt.date.fromisoformat(period_data["end"])
        kind = str(period_data.get("kind", "custom"))
        made_at = dt.datetime.fromisoformat(info["made_at"])
        forms = tuple(
            FormFigures(str(f["code"]), [[_number(v) for v in row] for row in f["values"]]) for f in info["forms"]
        )
        public_key, signature = str(sig["public_key"]), str(sig["signature"])
        workbook_digest = str(info["workbook"]["sha256"])
    except PackageError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise _bad(name, not_ours) from exc
    period = standard_period(start, end, kind) or Period(start, end, PeriodKind.CUSTOM)
    signed = (
        sig.get("algorithm") == signing.ALGORITHM
        and signing.verify(public_key, signature, data)
        and hashlib.sha256(workbook).hexdigest() == workbook_digest
    )
    if made_at.tzinfo is None:
        made_at = made_at.replace(tzinfo=LOCAL_TZ)
    return Package(
        file_name=name,
        sha256=hashlib.sha256(raw).hexdigest(),
        unit_code=str(office.get("unit_code", "")).strip(),
        body=str(office.get("body", "")).strip(),
        period=period,
        form_version=str(info.get("form_version", "")),
        made_at=made_at,
        forms=forms,
        public_key=public_key,
        signed=signed,
    )


def _number(value: Any) -> Number:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"not a number: {value!r}")
    if value < 0 or value != value:  # negative or NaN
        raise ValueError(f"not a figure: {value!r}")
    return value
