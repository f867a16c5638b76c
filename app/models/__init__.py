"""SQLAlchemy 2.0 typed models: the shape of the data and nothing else."""

from app.models.attachments import Attachment
from app.models.base import LOCAL_TZ, Base
from app.models.casework import CaseDismissal
from app.models.cli_sessions import CliSession
from app.models.people import Citizen, CitizenVersion
from app.models.petitions import Deadline, IssuedDocument, Petition, PetitionEvent, PetitionParty
from app.models.reception import Case, Visit, VisitParticipant
from app.models.records import AuditEntry, ExportProfile, FormDraft, ImportBatch
from app.models.reference import AdminUnit, Agency, CalendarDay, FieldCategory, RoutingRule, Setting, User

__all__ = [
    "LOCAL_TZ",
    "AdminUnit",
    "Agency",
    "Attachment",
    "AuditEntry",
    "Base",
    "CalendarDay",
    "Case",
    "CaseDismissal",
    "Citizen",
    "CitizenVersion",
    "CliSession",
    "Deadline",
    "ExportProfile",
    "FieldCategory",
    "FormDraft",
    "ImportBatch",
    "IssuedDocument",
    "Petition",
    "PetitionEvent",
    "PetitionParty",
    "RoutingRule",
    "Setting",
    "User",
    "Visit",
    "VisitParticipant",
]
