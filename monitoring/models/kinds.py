"""The kinds of record a region's page and dossier show, in page order: each kind's title and
the fields shown when reading. The region page's inline sections (monitoring/sections.py) add
their forms to these; the dossier export (reporting) lists them as tables."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from monitoring.models.activities import Agreement, Meeting, Pilot, ProductUse, Signal
from monitoring.models.plan import Decision, PlanMilestone, Scenario
from monitoring.models.route import ProcessRoute, RouteStep, Sob

__all__ = ["RECORD_KINDS", "RecordKind"]


@dataclass(frozen=True)
class RecordKind:
    model: type[models.Model]
    title: str
    columns: tuple[str, ...]
    single: bool = False  # at most one record per region (e.g. the route agreement)

    @property
    def related_name(self) -> str:
        return self.model._meta.get_field("region").remote_field.related_name


RECORD_KINDS = {
    "fasen": RecordKind(
        model=PlanMilestone,
        title=_("Future plan: stages"),
        columns=("stage", "planned_date", "reached_date"),
    ),
    "scenarios": RecordKind(
        model=Scenario,
        title=_("Scenarios"),
        columns=("national_scenario", "regional_option", "assessment", "chosen"),
    ),
    "besluiten": RecordKind(
        model=Decision,
        title=_("Decision moments"),
        columns=("date", "body", "subject", "outcome"),
    ),
    "route-afspraak": RecordKind(
        model=ProcessRoute,
        title=_("Process route: agreement"),
        columns=("agreed_on", "agreed_with"),
        single=True,
    ),
    "processtappen": RecordKind(
        model=RouteStep,
        title=_("Process route"),
        columns=(
            "order",
            "title",
            "parties",
            "expertise",
            "planned_date",
            "actual_date",
            "status",
        ),
    ),
    "sobs": RecordKind(
        model=Sob,
        title=_("Social development companies"),
        columns=("name", "legal_form", "municipality_codes"),
    ),
    "pilots": RecordKind(
        model=Pilot,
        title=_("Pilots and learning lines"),
        columns=("kind", "title", "start_date", "end_date", "delivered", "outcomes"),
    ),
    "bijeenkomsten": RecordKind(
        model=Meeting,
        title=_("Meetings"),
        columns=("date", "kind", "title", "participants", "minutes", "insights"),
    ),
    "signalen": RecordKind(
        model=Signal,
        title=_("Signals to national level"),
        columns=("raised_on", "title", "description", "addressed_to", "status", "response"),
    ),
    "instrumenten": RecordKind(
        model=ProductUse,
        title=_("Use of national instruments"),
        columns=(
            "applied_on",
            "product_name",
            "product_version",
            "specialist",
            "supported_by",
            "notes",
        ),
    ),
    "afspraken": RecordKind(
        model=Agreement,
        title=_("Collaboration agreements"),
        columns=("signed_on", "title", "parties", "summary"),
    ),
}
