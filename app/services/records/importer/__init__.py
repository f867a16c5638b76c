"""Import of legacy reception registers (Sổ tiếp công dân kept in Excel).

Real registers have title rows above the table, one- or two-level merged headers in any order and
spelling, a numbered column row, month separators and subtotal rows ("Cộng", "Tổng"), dates as
Excel serials or as dd/mm/yyyy text, CCCD numbers stored as numbers (leading zeros lost), and
names typed in decomposed Unicode. The sheet is read with python-calamine; a mapping step proposes
which column is which (folded keyword match) and the user may correct it; every data row goes
through the reception service (same validation as the desk) or is reported with its row number
and reason in an error workbook beside the source, which the user can fix and import again.
One run is one ``ImportBatch``; ``undo_import`` soft-deletes everything it created."""

from __future__ import annotations

from app.services.records.importer.cells import (
    ERROR_SUFFIX,
    HEADER_SCAN_ROWS,
    RECEIVED_HOUR,
    Cancelled,
    CellError,
    ImportCancelled,
    Progress,
    is_blank,
    parse_date,
    parse_id_number,
    parse_int,
    parse_kind,
    parse_name,
    parse_outcome,
    parse_reception_kind,
)
from app.services.records.importer.mapping import (
    LABELS,
    REQUIRED,
    TARGET_KEYS,
    TARGETS,
    ColumnGuess,
    Mapping,
    Sheet,
    TargetField,
    apply_mapping,
    load_mapping_file,
    match_header,
    propose_mapping,
    read_sheet,
)
from app.services.records.importer.writing import (
    BatchRow,
    ImportResult,
    PreviewRow,
    RowIssue,
    UndoResult,
    error_workbook_path,
    list_batches,
    run_import,
    undo_import,
    write_error_workbook,
)

__all__ = [
    "ERROR_SUFFIX",
    "HEADER_SCAN_ROWS",
    "LABELS",
    "RECEIVED_HOUR",
    "REQUIRED",
    "TARGETS",
    "TARGET_KEYS",
    "BatchRow",
    "Cancelled",
    "CellError",
    "ColumnGuess",
    "ImportCancelled",
    "ImportResult",
    "Mapping",
    "PreviewRow",
    "Progress",
    "RowIssue",
    "Sheet",
    "TargetField",
    "UndoResult",
    "apply_mapping",
    "error_workbook_path",
    "is_blank",
    "list_batches",
    "load_mapping_file",
    "match_header",
    "parse_date",
    "parse_id_number",
    "parse_int",
    "parse_kind",
    "parse_name",
    "parse_outcome",
    "parse_reception_kind",
    "propose_mapping",
    "read_sheet",
    "run_import",
    "undo_import",
    "write_error_workbook",
]
