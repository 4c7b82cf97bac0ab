"""The contracted results of the two assignment texts, each as a computed indicator.

Seed 000 (strategic adviser with a regional portfolio) lists ten results; seed 001 (coordinator
of the Innovatiehub) lists eight. This module is the single place where each is defined: what
counts, the target, and the records that count (the evidence behind the figure). Every figure is
computed from the records for the regions in scope: the whole country, or one adviser's portfolio.

Seed 000, in 2026, for the regions in scope:
 A1 supported towards the plan: regions with at least one scenario and either a decision moment
    or the stage "koersbepaling" reached. Target: every region.
 A2 agreed process route: regions whose route is agreed (date and with whom) and has at least
    one step. Target: every region.
 A3 specialist support: regions whose route steps need expertise and that have a specialist
    deployed (assigned, active or completed). Target: every region that needs expertise.
 A4 pilots and learning lines: delivered in 2026 with outcomes and shared insights recorded.
    Target: at least 2.
 A5 up-to-date monitor: regions with a progress update in the last 100 days. Target: every region.
 A6 use of national instruments: regions that applied an instrument in 2026. Target: every region.
 A7 quarterly consultation with national partners: quarters of 2026 so far with a partner
    consultation (meeting of kind "partneroverleg"). Target: every quarter so far.
 A8 intervision and knowledge meetings: held in 2026 with minutes and insights. Target: at least 3.
 A9 complete, current dossier: regions with a document, an agreed route and an update in the
    last 100 days. Target: every region.
 A10 regional collaboration strengthened: no countable target; the evidence is the collaboration
    agreements signed in 2026 and the decisions adopted.

Seed 001 (Innovatiehub):
 B2 quality and assurance system: published versions passing every active criterion (latest
    review per criterion). Target: every published version (and at least one criterion).
 B3 product line executable by specialists and available digitally: products with a published
    version for which a specialist holds a valid certification. Target: every published product.
 B4 development lines delivered and applied nationally. Target: at least 2.
 B5 train-the-trainer: specialists with a valid certification. Target: at least 10 (of 10-20).
 B1 innovation agenda: items with priority, owner and planning in quarters of 2026-2027.
    Target: every item (and at least one).
 B6 knowledge cycle: published versions traceable to a regional signal through an insight and an
    agenda item. Target: at least 1.
 B7 structured consultation with national partners, with quarterly reports: the quarters of 2026
    that have ended whose quarterly report is published to the partners. Target: every ended
    quarter of 2026 (at least one).
 B8 anchoring the support structure towards 2027: no countable target; the evidence is the agenda
    items planned into 2027 and the development lines applied nationally.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.quarters import quarter_of
from core.targets import TARGETS
from dashboard.queries import STALE_AFTER_DAYS
from innovation.models import ProductVersion, VersionStatus
from monitoring.models import (
    Agreement,
    Decision,
    DecisionOutcome,
    Document,
    Meeting,
    MeetingKind,
    Pilot,
    PlanMilestone,
    PlanStage,
    ProcessRoute,
    ProductUse,
    ProgressUpdate,
    RouteStep,
    Scenario,
)
from specialists.models import DEPLOYED_STATUSES, Deployment

__all__ = ["Evidence", "Indicator", "compute_indicators"]

YEAR = 2026
MET, NOT_MET, EVIDENCE, PENDING = "met", "not_met", "evidence", "pending"


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str
    note: str = ""
    when: date | None = None  # a date shown as the detail, formatted only when it is shown

    @property
    def detail(self) -> str:
        return date_format(self.when, "j F Y") if self.when else self.note


@dataclass
class Indicator:
    key: str
    seed: str
    result: str
    measure: str
    value: int | None = None
    target: int | None = None
    evidence: list[Evidence] = field(default_factory=list)
    kind: str = "count"  # "count": value/target; "share": value of target regions

    @property
    def state(self) -> str:
        if self.value is None:
            return PENDING
        if self.target is None:
            return EVIDENCE
        return MET if self.value >= self.target else NOT_MET


def _region_urls(regions) -> dict[int, str]:
    """Each region's page address, with one reverse() in all: the evidence lists of 350 regions
    hold thousands of records."""
    marker = "REGIONCODE"
    pattern = reverse("regions:detail", args=[marker])
    return {r.pk: pattern.replace(marker, r.code) for r in regions}


class _Places:
    """Name and page address of each region in scope, by id."""

    def __init__(self, regions):
        self.url = _region_urls(regions)
        self.name = {r.pk: r.name for r in regions}


def _region_evidence(regions, ids, anchor, details=None) -> list[Evidence]:
    details = details or {}
    shown = [r for r in regions if r.pk in ids]
    urls = _region_urls(shown)
    return [Evidence(r.name, f"{urls[r.pk]}#{anchor}", details.get(r.pk, "")) for r in shown]


def _share(key, result, measure, regions, ids, anchor, details=None, target_ids=None):
    target_ids = {r.pk for r in regions} if target_ids is None else target_ids
    return Indicator(
        key=key,
        seed="000",
        result=str(result),
        measure=str(measure),
        value=len(ids & target_ids),
        target=len(target_ids),
        evidence=_region_evidence(regions, ids & target_ids, anchor, details),
        kind="share",
    )


def _ids(queryset) -> set[int]:
    return set(queryset.order_by().values_list("region_id", flat=True).distinct())


def _quarters_so_far(today: date) -> list[int]:
    if today.year < YEAR:
        return []
    last = 4 if today.year > YEAR else quarter_of(today)
    return list(range(1, last + 1))


def compute_indicators(regions, today: date) -> list[Indicator]:
    """All eighteen results for the regions in scope (a Region queryset)."""
    regions = list(regions.defer("svg_path", "bbox").order_by("name"))
    places = _Places(regions)
    scope = [r.pk for r in regions]
    in_scope = {"region__in": scope}
    indicators = []

    with_scenario = _ids(Scenario.objects.filter(**in_scope))
    steered = _ids(Decision.objects.filter(**in_scope)) | _ids(
        PlanMilestone.objects.filter(
            **in_scope,
            reached_date__isnull=False,
            stage__in=[s.value for s in list(PlanStage)[3:]],
        )
    )
    indicators.append(
        _share(
            "A1",
            gettext_lazy("Every region demonstrably supported towards its future plan"),
            gettext_lazy(
                "Regions with a scenario and a decision moment or the stage “setting "
                "direction” reached"
            ),
            regions,
            with_scenario & steered,
            "section-scenarios",
        )
    )

    agreed = _ids(ProcessRoute.objects.filter(**in_scope, agreed_on__isnull=False))
    with_steps = _ids(RouteStep.objects.filter(**in_scope))
    agreements = {
        p.region_id: _("agreed on %(date)s with %(who)s")
        % {"date": date_format(p.agreed_on, "j F Y"), "who": p.agreed_with}
        for p in ProcessRoute.objects.filter(**in_scope, agreed_on__isnull=False)
    }
    indicators.append(
        _share(
            "A2",
            gettext_lazy("Every region has a worked-out, agreed process route"),
            gettext_lazy("Regions whose route is agreed (date and with whom) and has steps"),
            regions,
            agreed & with_steps,
            "section-route-afspraak",
            agreements,
        )
    )

    needing = _ids(RouteStep.objects.filter(**in_scope).exclude(expertise=[]))
    deployed = _ids(Deployment.objects.filter(**in_scope, status__in=DEPLOYED_STATUSES))
    indicators.append(
        _share(
            "A3",
            gettext_lazy("Specialist support deployed in time and recorded per region"),
            gettext_lazy(
                "Regions needing expertise in their route that have a specialist deployed"
            ),
            regions,
            deployed,
            "section-processtappen",
            target_ids=needing,
        )
    )

    pilots = list(
        Pilot.objects.filter(**in_scope, delivered=True, end_date__year=YEAR)
        .exclude(outcomes="")
        .exclude(shared_insights="")
        .values_list("pk", "title", "region_id")
    )
    indicators.append(
        Indicator(
            "A4",
            "000",
            str(
                gettext_lazy(
                    "At least two regional pilots or learning lines delivered, with "
                    "outcomes and shared insights"
                )
            ),
            str(
                gettext_lazy(
                    "Pilots and learning lines delivered in 2026 with outcomes and shared "
                    "insights recorded"
                )
            ),
            value=len(pilots),
            target=TARGETS["A4"],
            evidence=[
                Evidence(title, f"{places.url[region]}#pilots-{pk}", places.name[region])
                for pk, title, region in pilots
            ],
        )
    )

    recent = _ids(
        ProgressUpdate.objects.filter(
            **in_scope, created_at__date__gte=today - timedelta(days=STALE_AFTER_DAYS)
        )
    )
    indicators.append(
        _share(
            "A5",
            gettext_lazy("An up-to-date regional monitor of all regions"),
            gettext_lazy("Regions with a progress update in the last 100 days"),
            regions,
            recent,
            "progress",
        )
    )

    using = _ids(ProductUse.objects.filter(**in_scope, applied_on__year=YEAR))
    indicators.append(
        _share(
            "A6",
            gettext_lazy("Regions demonstrably use national instruments"),
            gettext_lazy("Regions that applied a national instrument in 2026"),
            regions,
            using,
            "section-instrumenten",
        )
    )

    quarters = _quarters_so_far(today)
    consultations = list(
        Meeting.objects.filter(**in_scope, kind=MeetingKind.PARTNERS, date__year=YEAR)
        .order_by("date", "pk")
        .values_list("pk", "title", "date", "region_id")
    )
    covered = {quarter_of(day) for _pk, _title, day, _region in consultations}
    indicators.append(
        Indicator(
            "A7",
            "000",
            str(gettext_lazy("Each quarter a structured consultation with national partners")),
            str(gettext_lazy("Quarters of 2026 so far with a consultation with national partners")),
            value=len(covered & set(quarters)),
            target=len(quarters),
            evidence=[
                Evidence(
                    f"{title} (Q{quarter_of(day)})",
                    f"{places.url[region]}#bijeenkomsten-{pk}",
                    when=day,
                )
                for pk, title, day, region in consultations
            ],
        )
    )

    meetings = list(
        Meeting.objects.filter(
            **in_scope,
            kind__in=[MeetingKind.INTERVISION, MeetingKind.KNOWLEDGE],
            date__year=YEAR,
        )
        .exclude(minutes="")
        .exclude(insights="")
        .order_by("date", "pk")
        .values_list("pk", "title", "date", "region_id")
    )
    indicators.append(
        Indicator(
            "A8",
            "000",
            str(
                gettext_lazy(
                    "At least three intervision or knowledge meetings, with minutes and insights"
                )
            ),
            str(
                gettext_lazy("Intervision and knowledge meetings in 2026 with minutes and insights")
            ),
            value=len(meetings),
            target=TARGETS["A8"],
            evidence=[
                Evidence(title, f"{places.url[region]}#bijeenkomsten-{pk}", when=day)
                for pk, title, day, region in meetings
            ],
        )
    )

    with_documents = _ids(Document.objects.filter(**in_scope))
    indicators.append(
        _share(
            "A9",
            gettext_lazy("Documentation and dossier complete and current"),
            gettext_lazy(
                "Regions with documents, an agreed route and an update in the last 100 days"
            ),
            regions,
            with_documents & agreed & recent,
            "dossier",
        )
    )

    signed = list(
        Agreement.objects.filter(**in_scope, signed_on__year=YEAR).values_list(
            "pk", "title", "region_id"
        )
    )
    adopted = Decision.objects.filter(**in_scope, outcome=DecisionOutcome.ADOPTED).aggregate(
        n=Count("pk"), regions=Count("region", distinct=True)
    )
    collaboration = Indicator(
        "A10",
        "000",
        str(gettext_lazy("Regional collaboration visibly strengthened")),
        str(
            gettext_lazy(
                "No countable target: collaboration agreements signed in 2026 and "
                "decisions adopted are the evidence"
            )
        ),
        value=len({region for _pk, _title, region in signed}),
        target=None,
        evidence=[
            Evidence(title, f"{places.url[region]}#afspraken-{pk}", places.name[region])
            for pk, title, region in signed
        ]
        + [Evidence(_("%(n)s decisions adopted in %(regions)s regions") % adopted, "", "")],
    )
    indicators.append(collaboration)

    indicators.extend(_hub_indicators(today))
    return indicators


def _hub_indicators(today: date) -> list[Indicator]:
    """Seed 001: from the innovation agenda, the product line, the knowledge cycle and the
    published quarterly reports."""
    from innovation.models import (
        AgendaItem,
        Certification,
        DevelopmentLine,
        Product,
        QualityCriterion,
    )

    published = list(
        ProductVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("product")
        .prefetch_related("reviews")
    )
    criteria = [c.pk for c in QualityCriterion.objects.filter(active=True)]

    def passes_all(version) -> bool:
        latest = {}
        for review in sorted(version.reviews.all(), key=lambda r: (r.reviewed_at, r.pk)):
            latest[review.criterion_id] = review.passed
        return bool(criteria) and all(latest.get(pk) for pk in criteria)

    assured = [v for v in published if passes_all(v)]
    valid = Certification.objects.filter(expires_on__gte=today).select_related(
        "specialist", "version__product"
    )
    certified_products = {c.version.product_id for c in valid}
    available = Product.objects.filter(versions__status=VersionStatus.PUBLISHED).distinct()
    lines = list(
        DevelopmentLine.objects.filter(
            delivered_on__isnull=False, applied_nationally_on__isnull=False
        )
    )
    specialists = {c.specialist_id: c.specialist for c in valid}
    agenda = list(AgendaItem.objects.select_related("owner"))
    planned = [a for a in agenda if a.priority and a.owner_id and a.start_quarter and a.end_quarter]
    traced = list(
        ProductVersion.objects.filter(
            status=VersionStatus.PUBLISHED, agenda_items__insights__signals__isnull=False
        )
        .select_related("product")
        .distinct()
    )
    from reporting.models import Report, ReportStatus

    ended = [
        q for q in range(1, 5) if (YEAR, q * 3) < (today.year, today.month) or today.year > YEAR
    ]
    reports = list(
        Report.objects.filter(
            status=ReportStatus.PUBLISHED, snapshot__year=YEAR, snapshot__quarter__in=ended
        )
        .select_related("snapshot")
        .only("published_at", "snapshot__year", "snapshot__quarter")
        .order_by("snapshot__quarter")
    )
    into_2027 = [a for a in agenda if a.end_quarter and a.end_quarter >= "2027"]
    computed = {
        "B7": Indicator(
            "B7",
            "001",
            "",
            str(
                gettext_lazy(
                    "Ended quarters of 2026 whose quarterly report is published to the partners"
                )
            ),
            value=len(reports),
            target=max(len(ended), 1),
            evidence=[
                Evidence(
                    str(r.snapshot),
                    reverse("reporting:snapshot", args=[r.snapshot.year, r.snapshot.quarter]),
                    date_format(r.published_at, "j F Y") if r.published_at else "",
                )
                for r in reports
            ],
            kind="share",
        ),
        "B8": Indicator(
            "B8",
            "001",
            "",
            str(
                gettext_lazy(
                    "Evidence: agenda items planned into 2027 and development lines applied "
                    "nationally"
                )
            ),
            value=len(into_2027) + len(lines),
            evidence=[
                Evidence(
                    a.title, reverse("innovation:agenda"), f"{a.start_quarter} - {a.end_quarter}"
                )
                for a in into_2027
            ]
            + [
                Evidence(line.name, "", date_format(line.applied_nationally_on, "j F Y"))
                for line in lines
            ],
        ),
        "B1": Indicator(
            "B1",
            "001",
            "",
            str(
                gettext_lazy("Agenda items 2026-2027 with priority, owner and planning in quarters")
            ),
            value=len(planned),
            target=max(len(agenda), 1),
            evidence=[
                Evidence(
                    a.title,
                    reverse("innovation:agenda"),
                    f"{a.get_priority_display()}, {a.start_quarter} - {a.end_quarter}",
                )
                for a in planned
            ],
            kind="share",
        ),
        "B6": Indicator(
            "B6",
            "001",
            "",
            str(
                gettext_lazy(
                    "Published product versions traceable to regional signals through an insight "
                    "and an agenda item"
                )
            ),
            value=len(traced),
            target=TARGETS["B6"],
            evidence=[
                Evidence(str(v), f"{reverse('innovation:cycle')}?versie={v.pk}") for v in traced
            ],
        ),
        "B2": Indicator(
            "B2",
            "001",
            "",
            str(
                gettext_lazy(
                    "Published versions that pass every active criterion of the quality framework"
                )
            ),
            value=len(assured),
            target=max(len(published), 1),
            evidence=[
                Evidence(str(v), reverse("innovation:product", args=[v.product_id]))
                for v in assured
            ],
            kind="share",
        ),
        "B3": Indicator(
            "B3",
            "001",
            "",
            str(
                gettext_lazy(
                    "Products available digitally that specialists are certified to deliver"
                )
            ),
            value=len([p for p in available if p.pk in certified_products]),
            target=max(len(available), 1),
            evidence=[
                Evidence(p.name, reverse("innovation:product", args=[p.pk]))
                for p in available
                if p.pk in certified_products
            ],
            kind="share",
        ),
        "B4": Indicator(
            "B4",
            "001",
            "",
            str(gettext_lazy("Development lines delivered and applied nationally")),
            value=len(lines),
            target=TARGETS["B4"],
            evidence=[
                Evidence(
                    line.name,
                    f"{reverse('innovation:lines')}#lijn-{line.pk}",
                    date_format(line.applied_nationally_on, "j F Y"),
                )
                for line in lines
            ],
        ),
        "B5": Indicator(
            "B5",
            "001",
            "",
            str(
                gettext_lazy(
                    "Specialists with a valid certification to deliver a product (target 10-20)"
                )
            ),
            value=len(specialists),
            target=TARGETS["B5"],
            evidence=[
                Evidence(str(user), reverse("innovation:certifications"))
                for user in specialists.values()
            ],
        ),
    }
    indicators = []
    for key, text in HUB_RESULTS:
        indicator = computed[key]
        indicator.result = str(text)
        indicators.append(indicator)
    return indicators


HUB_RESULTS = [
    (
        "B1",
        gettext_lazy(
            "An integrated innovation agenda 2026-2027 with priorities, planning and steering"
        ),
    ),
    (
        "B2",
        gettext_lazy(
            "A quality and assurance system for products, formats, scans, werkvormen "
            "and instruments"
        ),
    ),
    (
        "B3",
        gettext_lazy(
            "A coherent national product line, executable by specialists and available digitally"
        ),
    ),
    ("B4", gettext_lazy("At least two development lines delivered and applied nationally")),
    (
        "B5",
        gettext_lazy(
            "A working train-the-trainer structure: at least 10-20 specialists able "
            "to deliver products"
        ),
    ),
    (
        "B6",
        gettext_lazy("A systematic knowledge cycle: regional insights processed into new products"),
    ),
    ("B7", gettext_lazy("Structured consultation with national partners, with quarterly reports")),
    ("B8", gettext_lazy("A clear contribution to anchoring the support structure towards 2027")),
]
