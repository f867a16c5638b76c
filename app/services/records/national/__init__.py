"""The national database export (Nghị định 55/2022): the period's case records as JSON or xlsx.

``record`` shapes one petition as the national database's case record; ``export`` writes a period's
records with their change marks (new / changed / unchanged since the last export). The file format
is ``resources/national/case_record.schema.json``, described in docs/national_export.md.
"""

from __future__ import annotations

from app.services.records.national.export import (
    FORMAT,
    FORMAT_VERSION,
    SUFFIXES,
    NationalResult,
    NationalSpec,
    build_data,
    changes,
    export_national,
    record_fields,
    schema,
    write_xlsx,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SUFFIXES",
    "NationalResult",
    "NationalSpec",
    "build_data",
    "changes",
    "export_national",
    "record_fields",
    "schema",
    "write_xlsx",
]
