"""Plain-Python services: every rule, query, export and printout. Nothing here imports Qt.

The packages follow the office's work, from the foundations up. ``LAYERS`` says which other
service packages each one may import (a test holds every module to it), so that the desk's
reception never depends on casework, and casework never on the reports built from it.
"""

LAYERS: dict[str, frozenset[str]] = {
    "common": frozenset(),
    "security": frozenset({"common"}),
    "directory": frozenset({"common", "security"}),
    "deadlines": frozenset({"common", "security"}),
    "reception": frozenset({"common", "security", "deadlines"}),  # dated rules of reception (delegation)
    "casework": frozenset({"common", "security", "directory", "deadlines", "reception"}),
    "records": frozenset({"common", "security", "reception", "casework"}),  # retention lists petitions
    "reception_days": frozenset({"common", "security", "deadlines", "reception", "casework"}),
    # reports: the leader's dashboard briefing (printing/dashboard.py)
    "printing": frozenset({"common", "security", "deadlines", "reception", "casework", "reception_days", "reports"}),
    "reports": frozenset({"common", "security", "reception", "casework", "records", "deadlines"}),  # dashboard clocks
    "demo": frozenset({"common", "security", "directory", "deadlines", "reception", "casework"}),
    "upward": frozenset({"common", "security", "directory", "records", "printing", "reports"}),
    "secret_register": frozenset({"common", "security", "reception", "casework", "printing"}),
}
