"""The sections of the region page that are edited inline, one generic mechanism for all.

Each Section names its model, form and the fields shown when reading. The views in
monitoring/views.py serve every section: list, new, edit (with version check) and delete.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from monitoring import forms
from monitoring.models import (
    Agreement,
    Decision,
    Meeting,
    Pilot,
    PlanMilestone,
    ProcessRoute,
    ProductUse,
    RouteStep,
    Scenario,
    Signal,
    Sob,
)

__all__ = ["SECTIONS", "Section", "get_section"]


@dataclass(frozen=True)
class Section:
    key: str
    model: type[models.Model]
    form: type[forms.RegionRecordForm]
    title: str
    intro: str
    columns: tuple[str, ...]
    add_label: str
    single: bool = False  # at most one record per region (e.g. the route agreement)
    limit: int | None = 10  # records shown before "show all"; None: always all
    related: tuple[str, ...] = ()  # foreign keys shown in the columns, joined up front

    @property
    def related_name(self) -> str:
        return self.model._meta.get_field("region").remote_field.related_name


SECTIONS = [
    Section(
        key="fasen",
        model=PlanMilestone,
        form=forms.PlanMilestoneForm,
        title=_("Future plan: stages"),
        intro=_("When each stage of the future plan is planned and when it was reached."),
        columns=("stage", "planned_date", "reached_date"),
        add_label=_("Add stage"),
        limit=None,
    ),
    Section(
        key="scenarios",
        model=Scenario,
        form=forms.ScenarioForm,
        title=_("Scenarios"),
        intro=_("National scenarios translated into regional options, with their assessment."),
        columns=("national_scenario", "regional_option", "assessment", "chosen"),
        add_label=_("Add scenario"),
    ),
    Section(
        key="besluiten",
        model=Decision,
        form=forms.DecisionForm,
        title=_("Decision moments"),
        intro=_("Decisions by college, council, joint arrangement or the SOB's board."),
        columns=("date", "body", "subject", "outcome"),
        add_label=_("Add decision moment"),
    ),
    Section(
        key="route-afspraak",
        model=ProcessRoute,
        form=forms.ProcessRouteForm,
        title=_("Process route: agreement"),
        intro=_("When the process route was agreed, and with whom."),
        columns=("agreed_on", "agreed_with"),
        add_label=_("Record the agreement"),
        single=True,
    ),
    Section(
        key="processtappen",
        model=RouteStep,
        form=forms.RouteStepForm,
        title=_("Process route"),
        intro=_("The steps towards the plan: what, who, when and which expertise is needed."),
        columns=(
            "order",
            "title",
            "parties",
            "expertise",
            "planned_date",
            "actual_date",
            "status",
        ),
        add_label=_("Add step"),
        limit=None,
    ),
    Section(
        key="sobs",
        model=Sob,
        form=forms.SobForm,
        title=_("Social development companies"),
        intro=_("The SOBs in the region and the municipalities they serve."),
        columns=("name", "legal_form", "municipality_codes"),
        add_label=_("Add SOB"),
        limit=None,
    ),
    Section(
        key="pilots",
        model=Pilot,
        form=forms.PilotForm,
        title=_("Pilots and learning lines"),
        intro=_("Regional pilots and learning tracks, their outcomes and shared insights."),
        columns=("kind", "title", "start_date", "end_date", "delivered", "outcomes"),
        add_label=_("Add pilot or learning line"),
    ),
    Section(
        key="bijeenkomsten",
        model=Meeting,
        form=forms.MeetingForm,
        title=_("Meetings"),
        intro=_("Intervision, knowledge and inspiration meetings and partner consultations."),
        columns=("date", "kind", "title", "minutes", "insights"),
        add_label=_("Add meeting"),
    ),
    Section(
        key="signalen",
        model=Signal,
        form=forms.SignalForm,
        title=_("Signals to national level"),
        intro=_("What the region raised, with whom, and the answer back."),
        columns=("raised_on", "title", "addressed_to", "status", "response"),
        add_label=_("Add signal"),
    ),
    Section(
        key="instrumenten",
        model=ProductUse,
        form=forms.ProductUseForm,
        title=_("Use of national instruments"),
        intro=_("Which national products (which version) the region applies, supported by whom."),
        columns=(
            "applied_on",
            "product_name",
            "product_version",
            "specialist",
            "supported_by",
            "notes",
        ),
        add_label=_("Add use of an instrument"),
        related=("product_version__product", "specialist"),
    ),
    Section(
        key="afspraken",
        model=Agreement,
        form=forms.AgreementForm,
        title=_("Collaboration agreements"),
        intro=_("Agreements between municipalities, SOB and partners."),
        columns=("signed_on", "title", "parties", "summary"),
        add_label=_("Add agreement"),
    ),
]

_BY_KEY = {section.key: section for section in SECTIONS}


def get_section(key: str) -> Section | None:
    return _BY_KEY.get(key)
