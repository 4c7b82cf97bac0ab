from monitoring.models.activities import (
    Agreement,
    Meeting,
    MeetingKind,
    NationalPartner,
    Pilot,
    PilotKind,
    ProductUse,
    Signal,
    SignalStatus,
)
from monitoring.models.base import DEADLINE
from monitoring.models.documents import Document
from monitoring.models.kinds import RECORD_KINDS, RecordKind
from monitoring.models.plan import (
    Decision,
    DecisionBody,
    DecisionOutcome,
    PlanMilestone,
    PlanStage,
    Scenario,
)
from monitoring.models.progress import ProgressUpdate, Status
from monitoring.models.route import Expertise, ProcessRoute, RouteStep, Sob, StepStatus

__all__ = [
    "DEADLINE",
    "RECORD_KINDS",
    "Agreement",
    "Decision",
    "DecisionBody",
    "DecisionOutcome",
    "Document",
    "Expertise",
    "Meeting",
    "MeetingKind",
    "NationalPartner",
    "Pilot",
    "PilotKind",
    "PlanMilestone",
    "PlanStage",
    "ProcessRoute",
    "ProductUse",
    "ProgressUpdate",
    "RecordKind",
    "RouteStep",
    "Scenario",
    "Signal",
    "SignalStatus",
    "Sob",
    "Status",
    "StepStatus",
]
