"""Register export: visits or petitions to xlsx, with the columns the user picks and orders.

Streaming all the way: rows come from the database in batches (``yield_per``) and go straight into
a write-only workbook, so memory stays flat whatever the size. Text goes through
``xlsx_safe`` (never a formula), dates are real Excel dates shown dd/mm/yyyy, CCCD numbers stay
text (leading zeros kept). A denouncer's identity is masked for users without the right. The file
is written under a temporary name and renamed at the end: a cancelled or failed export leaves none.

Speed: per-cell Python work is kept to one call. Each column builds its function once (``_Plan``):
identities are decrypted once per citizen, codes become labels by dict look-up, and only free text
goes through the formula guard (bench/bench_export.py compares with openpyxl's bare write-only floor)."""

from __future__ import annotations

from app.services.records.export.columns import (
    BATCH,
    CATALOGUE,
    DATE_FORMAT,
    DATETIME_FORMAT,
    DEFAULT_COLUMNS,
    ENTITIES,
    PETITION_COLUMNS,
    VISIT_COLUMNS,
    Cancelled,
    ColumnChoice,
    ExportCancelled,
    ExportColumn,
    Getter,
    Progress,
    Row,
    available_columns,
    check_columns,
)
from app.services.records.export.profiles import Profile, delete_profile, get_profile, list_profiles, save_profile
from app.services.records.export.writing import SHEET_NAMES, ExportResult, ExportSpec, export, plain_values

__all__ = [
    "BATCH",
    "CATALOGUE",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "DEFAULT_COLUMNS",
    "ENTITIES",
    "PETITION_COLUMNS",
    "SHEET_NAMES",
    "VISIT_COLUMNS",
    "Cancelled",
    "ColumnChoice",
    "ExportCancelled",
    "ExportColumn",
    "ExportResult",
    "ExportSpec",
    "Getter",
    "Profile",
    "Progress",
    "Row",
    "available_columns",
    "check_columns",
    "delete_profile",
    "export",
    "get_profile",
    "list_profiles",
    "plain_values",
    "save_profile",
]
