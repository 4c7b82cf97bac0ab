"""The contracted results of the two assignment texts, each as a computed indicator.

Seed 000 (strategic adviser with a regional portfolio) lists ten results; seed 001 (coordinator
of the Innovatiehub) lists eight. Each result is declared once, with its texts, target and one
small function that counts it from the records for the regions in scope (the whole country, or
one adviser's portfolio) and says which records count (the evidence behind the figure). Results
are kept in a registry: this module registers its own below, and an app higher up registers the
results it owns from its AppConfig.ready (reporting: B7, the published quarterly reports), so no
import points upwards.

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
 B1 innovation agenda: items with priority, owner and planning in quarters of 2026-2027.
    Target: every item (and at least one).
 B2 quality and assurance system: published versions passing every active criterion (latest
    review per criterion). Target: every published version (and at least one criterion).
 B3 product line executable by specialists and available digitally: products with a published
    version for which a specialist holds a valid certification. Target: every published product.
 B4 development lines delivered and applied nationally. Target: at least 2.
 B5 train-the-trainer: specialists with a valid certification. Target: at least 10 (of 10-20).
 B6 knowledge cycle: published versions traceable to a regional signal through an insight and an
    agenda item. Target: at least 1.
 B7 structured consultation with national partners, with quarterly reports: registered by
    reporting (reporting/results.py).
 B8 anchoring the support structure towards 2027: no countable target; the evidence is the agenda
    items planned into 2027 and the development lines applied nationally.

The page shows per result how many records count and the first fifty of them; with 350 regions
some results count thousands. So the evidence is a `Records` object that counts in SQL and builds
only the records asked for; the quarterly snapshot asks for all of them (`Records.all`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache

from django.db.models import Count, Exists, OuterRef, Window
from django.db.models.functions import ExtractQuarter
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.quarters import quarter_of
from core.targets import TARGETS
from innovation.models import (
    AgendaItem,
    Certification,
    DevelopmentLine,
    Product,
    ProductVersion,
    QualityCriterion,
    VersionStatus,
)
from monitoring.freshness import STALE_AFTER_DAYS
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
from monitoring.sections import record_link
from specialists.models import DEPLOYED_STATUSES, Deployment

__all__ = [
    "Evidence",
    "Figure",
    "Indicator",
    "ListRecords",
    "QueryRecords",
    "Records",
    "Result",
    "Scope",
    "compute_indicators",
    "indicator",
    "register",
    "registered",
]

YEAR = 2026
MET, NOT_MET, EVIDENCE, PENDING = "met", "not_met", "evidence", "pending"
ADVISERS, HUB = "000", "001"  # the two assignment texts ("seeds")
COUNT, SHARE = "count", "share"  # a figure against a target, or a figure "of" a whole
SHOWN = 50  # records the page lists per result; the others are only counted


@lru_cache(maxsize=2048)
def _long_date(day: date, language: str) -> str:
    """A date as the page writes it ("3 maart 2026"), once per date and language: the evidence
    lists repeat the same meeting dates across regions."""
    return date_format(day, "j F Y")


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str
    note: str = ""
    when: date | None = None  # a date shown as the detail, formatted only when it is shown

    @property
    def detail(self) -> str:
        return _long_date(self.when, get_language()) if self.when else self.note


# --- evidence: how many records count, and the first ones -------------------------------------


class Records:
    """The records that count for a result. The page reads `count` and `shown`; the quarterly
    snapshot reads `all()`. Subclasses build an Evidence only for the records asked for."""

    limit = SHOWN

    @property
    def count(self) -> int:
        raise NotImplementedError

    def first(self, n: int) -> list[Evidence]:
        raise NotImplementedError

    def all(self) -> list[Evidence]:
        raise NotImplementedError

    @property
    def shown(self) -> list[dict[str, str]]:
        """The records the page lists, as plain values (label, url, detail): a template finds a
        dict's keys several times faster than an object's attributes, fifty times per result."""
        return [
            {"label": item.label, "url": item.url, "detail": item.detail}
            for item in self.first(SHOWN)
        ]

    @property
    def hidden(self) -> int:
        """How many records the page counts but does not list."""
        return max(self.count - SHOWN, 0)


class ListRecords(Records):
    """Records already in memory: the national lists of the hub results, a fixed line."""

    def __init__(self, evidence: list[Evidence]):
        self._evidence = list(evidence)

    @property
    def count(self) -> int:
        return len(self._evidence)

    def first(self, n: int) -> list[Evidence]:
        return self._evidence[:n]

    def all(self) -> list[Evidence]:
        return list(self._evidence)


class QueryRecords(Records):
    """The rows of a queryset, each made an Evidence by `build(row)` (row: the `fields`' values).

    The page's need, the total and the first rows, is one query: the total is a window count
    over the same rows, so the records beyond the first are counted by the database and never
    sent. `all()` reads every row (the snapshot). The queryset has no DISTINCT (the window
    would count the rows before it)."""

    def __init__(self, queryset, fields: tuple[str, ...], build: Callable[..., Evidence]):
        self._queryset = queryset
        self._fields = fields
        self._build = build
        self._head: list[tuple] | None = None
        self._total = 0

    def _read_head(self, n: int) -> list[tuple]:
        if self._head is None or len(self._head) < min(n, self._total):
            rows = list(
                self._queryset.annotate(records_total=Window(Count("pk"))).values_list(
                    *self._fields, "records_total"
                )[: max(n, SHOWN)]
            )
            self._total = rows[0][-1] if rows else 0
            self._head = [row[:-1] for row in rows]
        return self._head[:n]

    @property
    def count(self) -> int:
        self._read_head(SHOWN)
        return self._total

    def first(self, n: int) -> list[Evidence]:
        return [self._build(*row) for row in self._read_head(n)]

    def all(self) -> list[Evidence]:
        return [self._build(*row) for row in self._queryset.values_list(*self._fields)]


class RegionRecords(Records):
    """The regions in scope whose id is in `ids`, by name, each linked to a section of its page
    (`anchor`); `detail(region_id)` gives a note, asked only for the regions listed."""

    def __init__(self, scope: "Scope", ids: set[int], anchor: str, detail=None):
        self._scope = scope
        self._ids = ids & scope.region_ids
        self._anchor = anchor
        self._detail = detail or (lambda _region_id: "")

    @property
    def count(self) -> int:
        return len(self._ids)

    def first(self, n: int) -> list[Evidence]:
        evidence = []
        for pk, _code, name in self._scope.regions:
            if len(evidence) == n:
                break
            if pk in self._ids:
                url = f"{self._scope.region_url[pk]}#{self._anchor}"
                evidence.append(Evidence(name, url, self._detail(pk)))
        return evidence

    def all(self) -> list[Evidence]:
        return self.first(len(self._ids))


class ChainedRecords(Records):
    """Records of several kinds, one list after the other."""

    def __init__(self, parts: list[Records]):
        self._parts = parts

    @property
    def count(self) -> int:
        return sum(part.count for part in self._parts)

    def first(self, n: int) -> list[Evidence]:
        evidence = []
        for part in self._parts:
            if len(evidence) >= n:
                break
            evidence += part.first(n - len(evidence))
        return evidence

    def all(self) -> list[Evidence]:
        return [item for part in self._parts for item in part.all()]


NO_RECORDS = ListRecords([])


# --- what a result computes, and the registry --------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """What a result's function returns. `target` is given when the target follows from the
    records in scope (every region, every quarter so far); otherwise the result's own applies."""

    value: int | None
    evidence: Records = NO_RECORDS
    target: int | None = None


@dataclass(frozen=True)
class Result:
    """One contracted result: its texts and target, declared once, and how it is counted."""

    key: str
    seed: str
    result: Promise | str
    measure: Promise | str
    compute: Callable[["Scope"], Figure]
    target: int | None = None  # the contracted number; None: none, or it follows from the data
    kind: str = COUNT

    @property
    def number(self) -> int:
        return int(self.key[1:])


@dataclass
class Indicator:
    key: str
    seed: str
    result: str
    measure: str
    value: int | None = None
    target: int | None = None
    evidence: Records = NO_RECORDS
    kind: str = COUNT  # "count": value/target; "share": value of target regions

    @property
    def state(self) -> str:
        if self.value is None:
            return PENDING
        if self.target is None:
            return EVIDENCE
        return MET if self.value >= self.target else NOT_MET


_RESULTS: dict[str, Result] = {}


def register(result: Result) -> None:
    """Add (or replace) a result; apps call this from AppConfig.ready for the results they own."""
    _RESULTS[result.key] = result


def registered() -> list[Result]:
    """Every registered result in the order of the assignment texts: A1...A10, then B1...B8."""
    return sorted(_RESULTS.values(), key=lambda r: (r.seed, r.number))


def indicator(key, seed, *, result, measure, target=None, kind=COUNT):
    """Register the decorated function as the computation of result `key`."""

    def decorate(compute):
        register(Result(key, seed, result, measure, compute, target, kind))
        return compute

    return decorate


# --- the scope: regions, reference date and the facts several results share --------------------


# What the results ask of each region's records: "has at least one ...". The Scope reads every
# fact for every region in scope in one query with the regions themselves (an EXISTS per fact),
# rather than one query per fact. Each is a function of the reference date.
REGION_FACTS: dict[str, Callable[[date], object]] = {
    "scenario": lambda today: Scenario.objects.all(),
    "decision": lambda today: Decision.objects.all(),
    "direction_set": lambda today: PlanMilestone.objects.filter(
        reached_date__isnull=False, stage__in=[s.value for s in list(PlanStage)[3:]]
    ),
    "agreed_route": lambda today: ProcessRoute.objects.filter(agreed_on__isnull=False),
    "route_step": lambda today: RouteStep.objects.all(),
    "expertise_needed": lambda today: RouteStep.objects.exclude(expertise=[]),
    "specialist_deployed": lambda today: Deployment.objects.filter(status__in=DEPLOYED_STATUSES),
    "recent_update": lambda today: ProgressUpdate.objects.filter(
        created_at__date__gte=today - timedelta(days=STALE_AFTER_DAYS)
    ),
    "instrument_used": lambda today: ProductUse.objects.filter(applied_on__year=YEAR),
    "document": lambda today: Document.objects.current(),
}


class Scope:
    """The regions one computation covers and its reference date ("today"). The facts that more
    than one result reads (the region facts, agreed routes, the hub's lists) are read once here."""

    def __init__(self, regions, today: date):
        self.today = today
        self._regions = regions
        # Every record belongs to a region: for the whole country no filter is added at all.
        self._whole_country = not regions.query.has_filters()

    def records(self, queryset):
        """`queryset` (of a model with a region) narrowed to the regions in scope."""
        if self._whole_country:
            return queryset
        return queryset.filter(region__in=self._regions.order_by().values("pk"))

    @cached_property
    def _regions_and_facts(self) -> list[tuple]:
        """Per region in scope, by name: id, code, name and whether each of REGION_FACTS holds."""
        facts = {
            name: Exists(records(self.today).filter(region=OuterRef("pk")))
            for name, records in REGION_FACTS.items()
        }
        return list(
            self._regions.order_by("name")
            .annotate(**facts)
            .values_list("pk", "code", "name", *facts)
        )

    @cached_property
    def regions(self) -> list[tuple[int, str, str]]:
        """(id, code, name) of each region in scope, by name."""
        return [row[:3] for row in self._regions_and_facts]

    def regions_with(self, fact: str) -> set[int]:
        """The regions in scope for which REGION_FACTS[fact] holds."""
        column = 3 + list(REGION_FACTS).index(fact)
        return {row[0] for row in self._regions_and_facts if row[column]}

    @cached_property
    def region_ids(self) -> set[int]:
        return {pk for pk, _code, _name in self.regions}

    @cached_property
    def region_url(self) -> dict[int, str]:
        """Each region's page address, with one reverse() in all."""
        marker = "REGIONCODE"
        pattern = reverse("regions:detail", args=[marker])
        return {pk: pattern.replace(marker, code) for pk, code, _name in self.regions}

    @cached_property
    def region_name(self) -> dict[int, str]:
        return {pk: name for pk, _code, name in self.regions}

    @cached_property
    def agreed_routes(self) -> dict[int, tuple[date, str]]:
        """Per region with an agreed route: (agreed on, agreed with)."""
        routes = self.records(ProcessRoute.objects.filter(agreed_on__isnull=False))
        return {
            region: (agreed_on, agreed_with)
            for region, agreed_on, agreed_with in routes.order_by().values_list(
                "region_id", "agreed_on", "agreed_with"
            )
        }

    @cached_property
    def published_versions(self) -> list[ProductVersion]:
        return list(
            ProductVersion.objects.filter(status=VersionStatus.PUBLISHED)
            .select_related("product")
            .prefetch_related("reviews")
        )

    @cached_property
    def valid_certifications(self) -> list[Certification]:
        return list(
            Certification.objects.filter(expires_on__gte=self.today).select_related(
                "specialist", "version__product"
            )
        )

    @cached_property
    def applied_lines(self) -> list[DevelopmentLine]:
        """Development lines delivered and applied nationally."""
        return list(
            DevelopmentLine.objects.filter(
                delivered_on__isnull=False, applied_nationally_on__isnull=False
            )
        )

    @cached_property
    def agenda(self) -> list[AgendaItem]:
        return list(AgendaItem.objects.select_related("owner"))


def compute_indicators(regions, today: date) -> list[Indicator]:
    """Every registered result for the regions in scope (a Region queryset) on `today`."""
    scope = Scope(regions, today)
    return [_indicator(result, scope) for result in registered()]


def _indicator(result: Result, scope: Scope) -> Indicator:
    figure = result.compute(scope)
    return Indicator(
        key=result.key,
        seed=result.seed,
        result=str(result.result),
        measure=str(result.measure),
        value=figure.value,
        target=figure.target if figure.target is not None else result.target,
        evidence=figure.evidence,
        kind=result.kind,
    )


def _share_of_regions(scope: Scope, ids: set[int], anchor: str, detail=None) -> Figure:
    """Regions in scope that count, of every region in scope."""
    return Figure(
        value=len(ids & scope.region_ids),
        evidence=RegionRecords(scope, ids, anchor, detail),
        target=len(scope.region_ids),
    )


# --- seed 000: the regional advisers ------------------------------------------------------------


@indicator(
    "A1",
    ADVISERS,
    result=gettext_lazy("Every region demonstrably supported towards its future plan"),
    measure=gettext_lazy(
        "Regions with a scenario and a decision moment or the stage “setting direction” reached"
    ),
    kind=SHARE,
)
def supported_towards_plan(scope: Scope) -> Figure:
    steered = scope.regions_with("decision") | scope.regions_with("direction_set")
    return _share_of_regions(scope, scope.regions_with("scenario") & steered, "section-scenarios")


@indicator(
    "A2",
    ADVISERS,
    result=gettext_lazy("Every region has a worked-out, agreed process route"),
    measure=gettext_lazy("Regions whose route is agreed (date and with whom) and has steps"),
    kind=SHARE,
)
def agreed_process_route(scope: Scope) -> Figure:
    routes = scope.agreed_routes

    def agreement(region_id) -> str:
        agreed_on, agreed_with = routes[region_id]
        return _("agreed on %(date)s with %(who)s") % {
            "date": date_format(agreed_on, "j F Y"),
            "who": agreed_with,
        }

    counted = scope.regions_with("agreed_route") & scope.regions_with("route_step")
    return _share_of_regions(scope, counted, "section-route-afspraak", agreement)


@indicator(
    "A3",
    ADVISERS,
    result=gettext_lazy("Specialist support deployed in time and recorded per region"),
    measure=gettext_lazy(
        "Regions needing expertise in their route that have a specialist deployed"
    ),
    kind=SHARE,
)
def specialist_support(scope: Scope) -> Figure:
    needing = scope.regions_with("expertise_needed")
    counted = scope.regions_with("specialist_deployed") & needing
    return Figure(
        value=len(counted),
        evidence=RegionRecords(scope, counted, "section-processtappen"),
        target=len(needing & scope.region_ids),
    )


@indicator(
    "A4",
    ADVISERS,
    result=gettext_lazy(
        "At least two regional pilots or learning lines delivered, with outcomes and shared "
        "insights"
    ),
    measure=gettext_lazy(
        "Pilots and learning lines delivered in 2026 with outcomes and shared insights recorded"
    ),
    target=TARGETS["A4"],
)
def delivered_pilots(scope: Scope) -> Figure:
    pilots = scope.records(
        Pilot.objects.filter(delivered=True, end_date__year=YEAR)
        .exclude(outcomes="")
        .exclude(shared_insights="")
    )

    def build(pk, title, region) -> Evidence:
        return Evidence(
            title, scope.region_url[region] + record_link("pilots", pk), scope.region_name[region]
        )

    records = QueryRecords(pilots, ("pk", "title", "region_id"), build)
    return Figure(records.count, records)


@indicator(
    "A5",
    ADVISERS,
    result=gettext_lazy("An up-to-date regional monitor of all regions"),
    measure=gettext_lazy("Regions with a progress update in the last 100 days"),
    kind=SHARE,
)
def up_to_date_monitor(scope: Scope) -> Figure:
    return _share_of_regions(scope, scope.regions_with("recent_update"), "progress")


@indicator(
    "A6",
    ADVISERS,
    result=gettext_lazy("Regions demonstrably use national instruments"),
    measure=gettext_lazy("Regions that applied a national instrument in 2026"),
    kind=SHARE,
)
def national_instruments_used(scope: Scope) -> Figure:
    return _share_of_regions(scope, scope.regions_with("instrument_used"), "section-instrumenten")


def _meeting(scope: Scope, label: Callable[[str, date], str]):
    """Evidence for a meeting row (pk, title, date, region): linked to it on its region page."""

    def build(pk, title, day, region) -> Evidence:
        return Evidence(
            label(title, day), scope.region_url[region] + record_link("bijeenkomsten", pk), when=day
        )

    return build


MEETING_FIELDS = ("pk", "title", "date", "region_id")


def _quarters_so_far(today: date) -> list[int]:
    if today.year < YEAR:
        return []
    last = 4 if today.year > YEAR else quarter_of(today)
    return list(range(1, last + 1))


@indicator(
    "A7",
    ADVISERS,
    result=gettext_lazy("Each quarter a structured consultation with national partners"),
    measure=gettext_lazy("Quarters of 2026 so far with a consultation with national partners"),
)
def quarterly_partner_consultation(scope: Scope) -> Figure:
    consultations = scope.records(
        Meeting.objects.filter(kind=MeetingKind.PARTNERS, date__year=YEAR)
    ).order_by("date", "pk")
    covered = set(
        consultations.order_by()
        .annotate(quarter=ExtractQuarter("date"))
        .values_list("quarter", flat=True)
        .distinct()
    )
    quarters = _quarters_so_far(scope.today)
    build = _meeting(scope, lambda title, day: f"{title} (Q{quarter_of(day)})")
    return Figure(
        value=len(covered & set(quarters)),
        evidence=QueryRecords(consultations, MEETING_FIELDS, build),
        target=len(quarters),
    )


@indicator(
    "A8",
    ADVISERS,
    result=gettext_lazy(
        "At least three intervision or knowledge meetings, with minutes and insights"
    ),
    measure=gettext_lazy("Intervision and knowledge meetings in 2026 with minutes and insights"),
    target=TARGETS["A8"],
)
def knowledge_meetings(scope: Scope) -> Figure:
    meetings = (
        scope.records(
            Meeting.objects.filter(
                kind__in=[MeetingKind.INTERVISION, MeetingKind.KNOWLEDGE], date__year=YEAR
            )
        )
        .exclude(minutes="")
        .exclude(insights="")
        .order_by("date", "pk")
    )
    records = QueryRecords(meetings, MEETING_FIELDS, _meeting(scope, lambda title, _day: title))
    return Figure(records.count, records)


@indicator(
    "A9",
    ADVISERS,
    result=gettext_lazy("Documentation and dossier complete and current"),
    measure=gettext_lazy(
        "Regions with documents, an agreed route and an update in the last 100 days"
    ),
    kind=SHARE,
)
def complete_dossier(scope: Scope) -> Figure:
    complete = (
        scope.regions_with("document")
        & scope.regions_with("agreed_route")
        & scope.regions_with("recent_update")
    )
    return _share_of_regions(scope, complete, "dossier")


@indicator(
    "A10",
    ADVISERS,
    result=gettext_lazy("Regional collaboration visibly strengthened"),
    measure=gettext_lazy(
        "No countable target: collaboration agreements signed in 2026 and decisions adopted are "
        "the evidence"
    ),
)
def collaboration_strengthened(scope: Scope) -> Figure:
    signed = scope.records(Agreement.objects.filter(signed_on__year=YEAR))
    regions = signed.aggregate(n=Count("region", distinct=True))["n"]
    adopted = scope.records(Decision.objects.filter(outcome=DecisionOutcome.ADOPTED)).aggregate(
        n=Count("pk"), regions=Count("region", distinct=True)
    )

    def build(pk, title, region) -> Evidence:
        return Evidence(
            title,
            scope.region_url[region] + record_link("afspraken", pk),
            scope.region_name[region],
        )

    agreements = QueryRecords(signed, ("pk", "title", "region_id"), build)
    summary = Evidence(_("%(n)s decisions adopted in %(regions)s regions") % adopted, "", "")
    return Figure(regions, ChainedRecords([agreements, ListRecords([summary])]))


# --- seed 001: the Innovatiehub (national: the same for every scope) -----------------------------


@indicator(
    "B1",
    HUB,
    result=gettext_lazy(
        "An integrated innovation agenda 2026-2027 with priorities, planning and steering"
    ),
    measure=gettext_lazy("Agenda items 2026-2027 with priority, owner and planning in quarters"),
    kind=SHARE,
)
def innovation_agenda(scope: Scope) -> Figure:
    planned = [
        a for a in scope.agenda if a.priority and a.owner_id and a.start_quarter and a.end_quarter
    ]
    url = reverse("innovation:agenda")
    evidence = [
        Evidence(a.title, url, f"{a.get_priority_display()}, {a.start_quarter} - {a.end_quarter}")
        for a in planned
    ]
    return Figure(len(planned), ListRecords(evidence), target=max(len(scope.agenda), 1))


@indicator(
    "B2",
    HUB,
    result=gettext_lazy(
        "A quality and assurance system for products, formats, scans, werkvormen and instruments"
    ),
    measure=gettext_lazy(
        "Published versions that pass every active criterion of the quality framework"
    ),
    kind=SHARE,
)
def quality_assurance(scope: Scope) -> Figure:
    criteria = list(QualityCriterion.objects.filter(active=True).values_list("pk", flat=True))

    def passes_all(version) -> bool:
        latest = {}
        for review in sorted(version.reviews.all(), key=lambda r: (r.reviewed_at, r.pk)):
            latest[review.criterion_id] = review.passed
        return bool(criteria) and all(latest.get(pk) for pk in criteria)

    assured = [v for v in scope.published_versions if passes_all(v)]
    evidence = [
        Evidence(str(v), reverse("innovation:product", args=[v.product_id])) for v in assured
    ]
    return Figure(len(assured), ListRecords(evidence), target=max(len(scope.published_versions), 1))


@indicator(
    "B3",
    HUB,
    result=gettext_lazy(
        "A coherent national product line, executable by specialists and available digitally"
    ),
    measure=gettext_lazy("Products available digitally that specialists are certified to deliver"),
    kind=SHARE,
)
def executable_product_line(scope: Scope) -> Figure:
    certified = {c.version.product_id for c in scope.valid_certifications}
    available = list(Product.objects.filter(versions__status=VersionStatus.PUBLISHED).distinct())
    evidence = [
        Evidence(p.name, reverse("innovation:product", args=[p.pk]))
        for p in available
        if p.pk in certified
    ]
    return Figure(len(evidence), ListRecords(evidence), target=max(len(available), 1))


@indicator(
    "B4",
    HUB,
    result=gettext_lazy("At least two development lines delivered and applied nationally"),
    measure=gettext_lazy("Development lines delivered and applied nationally"),
    target=TARGETS["B4"],
)
def development_lines_applied(scope: Scope) -> Figure:
    lines = scope.applied_lines
    url = reverse("innovation:lines")
    evidence = [
        Evidence(
            line.name, f"{url}#lijn-{line.pk}", date_format(line.applied_nationally_on, "j F Y")
        )
        for line in lines
    ]
    return Figure(len(lines), ListRecords(evidence))


@indicator(
    "B5",
    HUB,
    result=gettext_lazy(
        "A working train-the-trainer structure: at least 10-20 specialists able to deliver products"
    ),
    measure=gettext_lazy(
        "Specialists with a valid certification to deliver a product (target 10-20)"
    ),
    target=TARGETS["B5"],
)
def certified_specialists(scope: Scope) -> Figure:
    specialists = {c.specialist_id: c.specialist for c in scope.valid_certifications}
    url = reverse("innovation:certifications")
    evidence = [Evidence(str(user), url) for user in specialists.values()]
    return Figure(len(specialists), ListRecords(evidence))


@indicator(
    "B6",
    HUB,
    result=gettext_lazy(
        "A systematic knowledge cycle: regional insights processed into new products"
    ),
    measure=gettext_lazy(
        "Published product versions traceable to regional signals through an insight and an "
        "agenda item"
    ),
    target=TARGETS["B6"],
)
def knowledge_cycle(scope: Scope) -> Figure:
    traced = list(
        ProductVersion.objects.filter(
            status=VersionStatus.PUBLISHED, agenda_items__insights__signals__isnull=False
        )
        .select_related("product")
        .distinct()
    )
    url = reverse("innovation:cycle")
    evidence = [Evidence(str(v), f"{url}?versie={v.pk}") for v in traced]
    return Figure(len(traced), ListRecords(evidence))


@indicator(
    "B8",
    HUB,
    result=gettext_lazy("A clear contribution to anchoring the support structure towards 2027"),
    measure=gettext_lazy(
        "Evidence: agenda items planned into 2027 and development lines applied nationally"
    ),
)
def anchored_towards_2027(scope: Scope) -> Figure:
    into_2027 = [a for a in scope.agenda if a.end_quarter and a.end_quarter >= "2027"]
    url = reverse("innovation:agenda")
    evidence = [Evidence(a.title, url, f"{a.start_quarter} - {a.end_quarter}") for a in into_2027]
    evidence += [
        Evidence(line.name, "", date_format(line.applied_nationally_on, "j F Y"))
        for line in scope.applied_lines
    ]
    return Figure(len(evidence), ListRecords(evidence))
