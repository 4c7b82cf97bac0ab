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
from monitoring.models.base import DEADLINE, Versioned
from monitoring.models.documents import Document, DocumentKind
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
    "Agreement",
    "Decision",
    "DecisionBody",
    "DecisionOutcome",
    "Document",
    "DocumentKind",
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
    "RouteStep",
    "Scenario",
    "Signal",
    "SignalStatus",
    "Sob",
    "Status",
    "StepStatus",
    "Versioned",
]
