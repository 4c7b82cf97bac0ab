"""The sections of the region page that are edited inline, one generic mechanism for all.

Each Section names its model, form and the fields shown when reading. The views in
monitoring/views.py serve every section: list, new, edit (with version check) and delete.
"""

from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from monitoring import forms
from monitoring.models import RECORD_KINDS, RecordKind

__all__ = [
    "DOCUMENTS",
    "PROGRESS",
    "SECTIONS",
    "Section",
    "get_section",
    "record_link",
    "record_url",
]


@dataclass(frozen=True)
class Section:
    """A kind of record (its model, title and columns: `monitoring.models.RECORD_KINDS`) as
    the region page edits it inline."""

    key: str
    kind: RecordKind
    form: type[forms.RegionRecordForm]
    intro: str
    add_label: str
    limit: int | None = 10  # records shown before "show all"; None: always all
    related: tuple[str, ...] = ()  # foreign keys shown in the columns, joined up front

    @property
    def model(self) -> type[models.Model]:
        return self.kind.model

    @property
    def title(self) -> str:
        return self.kind.title

    @property
    def columns(self) -> tuple[str, ...]:
        return self.kind.columns

    @property
    def single(self) -> bool:
        return self.kind.single

    @property
    def related_name(self) -> str:
        return self.kind.related_name

    @property
    def cacheable(self) -> bool:
        """Whether its rendered HTML may be kept (monitoring/fragments.py): only when every
        column is the record's own value, so its stamp changes whenever what it shows does. A
        column showing another table's record (a specialist's name) is never kept."""
        return not any(self.model._meta.get_field(c).is_relation for c in self.columns)


SECTIONS = [
    Section(
        key="fasen",
        kind=RECORD_KINDS["fasen"],
        form=forms.PlanMilestoneForm,
        intro=_("When each stage of the future plan is planned and when it was reached."),
        add_label=_("Add stage"),
        limit=None,
    ),
    Section(
        key="scenarios",
        kind=RECORD_KINDS["scenarios"],
        form=forms.ScenarioForm,
        intro=_("National scenarios translated into regional options, with their assessment."),
        add_label=_("Add scenario"),
    ),
    Section(
        key="besluiten",
        kind=RECORD_KINDS["besluiten"],
        form=forms.DecisionForm,
        intro=_("Decisions by college, council, joint arrangement or the SOB's board."),
        add_label=_("Add decision moment"),
    ),
    Section(
        key="route-afspraak",
        kind=RECORD_KINDS["route-afspraak"],
        form=forms.ProcessRouteForm,
        intro=_("When the process route was agreed, and with whom."),
        add_label=_("Record the agreement"),
    ),
    Section(
        key="processtappen",
        kind=RECORD_KINDS["processtappen"],
        form=forms.RouteStepForm,
        intro=_("The steps towards the plan: what, who, when and which expertise is needed."),
        add_label=_("Add step"),
        limit=None,
    ),
    Section(
        key="sobs",
        kind=RECORD_KINDS["sobs"],
        form=forms.SobForm,
        intro=_("The SOBs in the region and the municipalities they serve."),
        add_label=_("Add SOB"),
        limit=None,
    ),
    Section(
        key="pilots",
        kind=RECORD_KINDS["pilots"],
        form=forms.PilotForm,
        intro=_("Regional pilots and learning tracks, their outcomes and shared insights."),
        add_label=_("Add pilot or learning line"),
    ),
    Section(
        key="bijeenkomsten",
        kind=RECORD_KINDS["bijeenkomsten"],
        form=forms.MeetingForm,
        intro=_("Intervision, knowledge and inspiration meetings and partner consultations."),
        add_label=_("Add meeting"),
    ),
    Section(
        key="signalen",
        kind=RECORD_KINDS["signalen"],
        form=forms.SignalForm,
        intro=_("What the region raised, with whom, and the answer back."),
        add_label=_("Add signal"),
    ),
    Section(
        key="instrumenten",
        kind=RECORD_KINDS["instrumenten"],
        form=forms.ProductUseForm,
        intro=_("Which national products (which version) the region applies, supported by whom."),
        add_label=_("Add use of an instrument"),
        related=("product_version__product", "specialist"),
    ),
    Section(
        key="afspraken",
        kind=RECORD_KINDS["afspraken"],
        form=forms.AgreementForm,
        intro=_("Agreements between municipalities, SOB and partners."),
        add_label=_("Add agreement"),
    ),
]

_BY_KEY = {section.key: section for section in SECTIONS}


def get_section(key: str) -> Section | None:
    return _BY_KEY.get(key)


# The region page's other records, by the key search and discussions know them under.
PROGRESS = "voortgang"  # ?toon=voortgang: every progress update, not only the latest
DOCUMENTS = "documenten"  # the dossier shows every current document
_ANCHORS = {PROGRESS: "update", DOCUMENTS: "document"}


def record_link(key: str, pk: int) -> str:
    """What follows a region page's address to open it at a record: the page asked to show
    the record's part in full (`?toon=`, as a section's "Show all" link does), so that records
    past a section's first page are there too and a folded section opens, then its anchor.
    `key` is a section's key, `PROGRESS` or `DOCUMENTS`."""
    anchor = f"#{_ANCHORS.get(key, key)}-{pk}"
    if key == PROGRESS or key in _BY_KEY:
        return f"?toon={key}{anchor}"
    return anchor


def record_url(region_code: str, key: str, pk: int) -> str:
    """A record's address on its region's page (`record_link`)."""
    return reverse("regions:detail", args=[region_code]) + record_link(key, pk)
