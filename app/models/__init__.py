"""SQLAlchemy 2.0 typed models: the shape of the data and nothing else."""

from app.models.attachments import Attachment
from app.models.base import LOCAL_TZ, Base
from app.models.casework import CaseDismissal
from app.models.changes import ChangeTopic
from app.models.cli_sessions import CliSession
from app.models.minutes import ReceptionConclusion
from app.models.national import NationalExportMark
from app.models.people import Citizen, CitizenVersion
from app.models.petitions import Deadline, IssuedDocument, Petition, PetitionEvent, PetitionParty
from app.models.reception import Case, Visit, VisitParticipant
from app.models.reception_days import Booking, ConnectionPoint, ReceptionDay
from app.models.records import AuditEntry, ExportProfile, FormDraft, ImportBatch
from app.models.reference import AdminUnit, Agency, CalendarDay, FieldCategory, RoutingRule, Setting, User
from app.models.retention import PetitionDisposal
from app.models.secret_register import SecretReference
from app.models.upward import ReceivedPackage, SubordinateUnit
from app.models.waiting_queue import QueueTicket

__all__ = [
    "LOCAL_TZ",
    "AdminUnit",
    "Agency",
    "Attachment",
    "AuditEntry",
    "Base",
    "Booking",
    "CalendarDay",
    "Case",
    "CaseDismissal",
    "ChangeTopic",
    "Citizen",
    "CitizenVersion",
    "CliSession",
    "ConnectionPoint",
    "Deadline",
    "ExportProfile",
    "FieldCategory",
    "FormDraft",
    "ImportBatch",
    "IssuedDocument",
    "NationalExportMark",
    "Petition",
    "PetitionDisposal",
    "PetitionEvent",
    "PetitionParty",
    "QueueTicket",
    "ReceivedPackage",
    "ReceptionConclusion",
    "ReceptionDay",
    "RoutingRule",
    "SecretReference",
    "Setting",
    "SubordinateUnit",
    "User",
    "Visit",
    "VisitParticipant",
]
