"""Every table model, imported in one place for Alembic and the metadata."""

from app.agencies.models import Agency, AgencyGroup, AgencyGroupMember
from app.audit.models import AuditEvent
from app.auth.models import ApiKey
from app.broadcasts.models import Broadcast
from app.budget.models import BudgetLine
from app.channels.models import Channel
from app.core.base import SQLModel
from app.core.data_versions import DataVersion
from app.core.idempotency_record import IdempotencyRecord
from app.duties.models import Duty, DutyParty, DutyProgress
from app.figures.models import Figure
from app.imports.models import SpreadsheetImport
from app.indicators.models import Indicator, RecordTally, TallyFilter
from app.media_products.models import MediaProduct, MediaProductChannel
from app.plans.models import Plan, PlanSection, Task, TaskParty, TaskProgress
from app.reports.models import AgencyReport, ReportRequest, ReportRequestAgency
from app.training_sessions.models import TrainingAttendance, TrainingParticipant, TrainingSession

metadata = SQLModel.metadata

__all__ = [
    "Agency",
    "AgencyGroup",
    "AgencyGroupMember",
    "AgencyReport",
    "ApiKey",
    "AuditEvent",
    "Broadcast",
    "BudgetLine",
    "Channel",
    "DataVersion",
    "Duty",
    "DutyParty",
    "DutyProgress",
    "Figure",
    "IdempotencyRecord",
    "Indicator",
    "MediaProduct",
    "MediaProductChannel",
    "Plan",
    "PlanSection",
    "RecordTally",
    "ReportRequest",
    "ReportRequestAgency",
    "SpreadsheetImport",
    "TallyFilter",
    "Task",
    "TaskParty",
    "TaskProgress",
    "TrainingAttendance",
    "TrainingParticipant",
    "TrainingSession",
    "metadata",
]
