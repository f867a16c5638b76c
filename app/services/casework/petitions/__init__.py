"""Petitions (đơn): register from every source, classify, split a mixed petition, list and show.

Handling actions (accept, forward, guide…) live in ``app.services.casework.actions``; this package
owns the petition's registration data and classification (Thông tư 05/2021, domain.md §3), one
module per step.
"""

from __future__ import annotations

from app.services.casework.petitions.classification import ClassificationInput, classify
from app.services.casework.petitions.detail import (
    ChildView,
    DocumentView,
    EventView,
    PersonView,
    PetitionDetail,
    detail,
)
from app.services.casework.petitions.from_visit import VisitDraft, draft_from_visit
from app.services.casework.petitions.listing import (
    CLOSED_STATUSES,
    SORT_COLUMNS,
    PetitionFilter,
    PetitionRow,
    list_petitions,
    petition_ids,
    petition_rows,
)
from app.services.casework.petitions.registration import (
    ACCEPTANCE_CLOCKS,
    MAX_FORWARDS,
    NUMBER_RETRIES,
    OPEN_FOR_CLASSIFICATION,
    RECEIPT_CLOCKS,
    PartyInput,
    PetitionInput,
    SavedPetition,
    add_event,
    event_data,
    find_by_number,
    get,
    number_of,
    petition_input,
    register_petition,
    snapshot,
    start_receipt_clocks,
    update_registration,
)
from app.services.casework.petitions.splitting import SplitPart, split

__all__ = [
    "ACCEPTANCE_CLOCKS",
    "CLOSED_STATUSES",
    "MAX_FORWARDS",
    "NUMBER_RETRIES",
    "OPEN_FOR_CLASSIFICATION",
    "RECEIPT_CLOCKS",
    "SORT_COLUMNS",
    "ChildView",
    "ClassificationInput",
    "DocumentView",
    "EventView",
    "PartyInput",
    "PersonView",
    "PetitionDetail",
    "PetitionFilter",
    "PetitionInput",
    "PetitionRow",
    "SavedPetition",
    "SplitPart",
    "VisitDraft",
    "add_event",
    "classify",
    "detail",
    "draft_from_visit",
    "event_data",
    "find_by_number",
    "get",
    "list_petitions",
    "number_of",
    "petition_ids",
    "petition_input",
    "petition_rows",
    "register_petition",
    "snapshot",
    "split",
    "start_receipt_clocks",
    "update_registration",
]
