"""What the search finds, kind by kind: which records a user may see (each kind asks the access
helper its own pages ask), what a hit shows (title, the text its snippet is cut from, where it
belongs) and the stable URL of its record.

A kind's records carry a search vector (core.search.search_field) kept by PostgreSQL; the
search itself is in search/queries.py.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from innovation.access import (
    AGENDA_ROLES,
    CATALOGUE_ROLES,
    agenda_items_visible_to,
    documents_visible_to,
    insights_visible_to,
    products_visible_to,
)
from innovation.models import AgendaItem, Insight, Product, VersionDocument
from monitoring.models import (
    Agreement,
    Decision,
    Document,
    Expertise,
    Meeting,
    Pilot,
    ProgressUpdate,
    RouteStep,
    Signal,
)
from monitoring.sections import DOCUMENTS, PROGRESS, record_url
from regions.access import regions_visible_to
from regions.models import Municipality, Region
from specialists.access import deployments_visible_to
from specialists.models import Deployment

__all__ = ["KINDS", "SEARCH_ROLES", "SearchKind", "kinds_for"]

# The roles that see regions (regions/access.py): a partner and a beheerder see none.
REGION_ROLES = (Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST)
DEPLOYMENT_ROLES = (Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST)


@dataclass(frozen=True)
class SearchKind:
    key: str  # in the URL: ?soort=bijeenkomsten
    label: str  # the heading of its group of hits
    model: type
    roles: tuple  # who has this kind at all (the pages' role rule)
    visible: Callable[..., QuerySet]  # the records this user may see
    title: object  # expression: the hit's title
    body: tuple[str, ...]  # the fields its snippet is cut from
    ref: object  # expression: what its URL is built from (region code, product id …)
    place: object  # expression: where it belongs, shown under the title
    url: Callable[[str, int], str]  # (ref, pk) -> the record's stable URL


def _region_page(key: str) -> Callable[[str, int], str]:
    """A record on its region's page, on the page that shows it (monitoring's record_url)."""

    def url(code: str, pk: int) -> str:
        return record_url(code, key, pk)

    return url


def _in_visible_regions(model, base=None):
    def visible(user):
        records = base() if base else model.objects.all()
        return records.filter(region__in=regions_visible_to(user))

    return visible


def _labels(field: str, choices) -> Case:
    """A choice field's label, in the language of the request, computed by the database."""
    return Case(
        *(When(**{field: value}, then=Value(str(label))) for value, label in choices),
        default=F(field),
        output_field=CharField(),
    )


def _text(expression) -> Cast:
    return Cast(expression, CharField())


REGION_CODE = F("region__code")
REGION_NAME = F("region__name")


def _regional(key, label, model, title, body) -> SearchKind:
    return SearchKind(
        key=key,
        label=label,
        model=model,
        roles=REGION_ROLES,
        visible=_in_visible_regions(model),
        title=F(title) if isinstance(title, str) else title,
        body=body,
        ref=REGION_CODE,
        place=REGION_NAME,
        url=_region_page(key),
    )


KINDS = [
    SearchKind(
        key="regios",
        label=_("Regions"),
        model=Region,
        roles=REGION_ROLES,
        visible=regions_visible_to,
        title=F("name"),
        body=(),
        ref=F("code"),
        place=F("code"),
        url=lambda code, pk: reverse("regions:detail", args=[code]),
    ),
    SearchKind(
        key="gemeenten",
        label=_("Municipalities"),
        model=Municipality,
        roles=REGION_ROLES,
        visible=_in_visible_regions(Municipality),
        title=F("name"),
        body=(),
        ref=REGION_CODE,
        place=REGION_NAME,
        url=lambda code, pk: f"{reverse('regions:detail', args=[code])}#region-lead",
    ),
    _regional("processtappen", _("Route steps"), RouteStep, "title", ("description", "parties")),
    _regional(
        "bijeenkomsten",
        _("Meetings"),
        Meeting,
        "title",
        ("minutes", "insights", "participants"),
    ),
    _regional("pilots", _("Pilots and learning lines"), Pilot, "title", ("goal", "outcomes")),
    _regional("signalen", _("Signals"), Signal, "title", ("description", "response")),
    _regional("besluiten", _("Decision moments"), Decision, "subject", ()),
    _regional("afspraken", _("Agreements"), Agreement, "title", ("summary", "parties")),
    SearchKind(
        key="voortgang",
        label=_("Progress updates"),
        model=ProgressUpdate,
        roles=REGION_ROLES,
        visible=_in_visible_regions(ProgressUpdate),
        title=Concat(
            Value("Q"), _text(F("quarter")), Value(" "), _text(F("year")), output_field=CharField()
        ),
        body=("narrative", "help_needed"),
        ref=REGION_CODE,
        place=REGION_NAME,
        url=_region_page(PROGRESS),
    ),
    SearchKind(
        key="documenten",
        label=_("Documents"),
        model=Document,
        roles=REGION_ROLES,
        visible=_in_visible_regions(Document, base=lambda: Document.objects.current()),
        title=F("title"),
        body=("text",),
        ref=REGION_CODE,
        place=REGION_NAME,
        url=_region_page(DOCUMENTS),
    ),
    SearchKind(
        key="inzet",
        label=_("Deployments"),
        model=Deployment,
        roles=DEPLOYMENT_ROLES,
        # The deployments list's own rule, without its hours total.
        visible=lambda user: Deployment.objects.filter(
            pk__in=deployments_visible_to(user).values("pk")
        ),
        title=_labels("expertise", Expertise.choices),
        body=("request_note", "progress", "result"),
        ref=Value(""),
        place=REGION_NAME,
        url=lambda ref, pk: reverse("specialists:detail", args=[pk]),
    ),
    SearchKind(
        key="producten",
        label=_("Products"),
        model=Product,
        roles=CATALOGUE_ROLES,
        # The catalogue's rule (a published version for advisers and specialists), as a
        # subquery: that rule's DISTINCT would otherwise apply to the hits' count.
        visible=lambda user: Product.objects.filter(pk__in=products_visible_to(user).values("pk")),
        title=F("name"),
        body=("description",),
        ref=Value(""),
        place=Value(""),
        url=lambda ref, pk: reverse("innovation:product", args=[pk]),
    ),
    SearchKind(
        key="productdocumenten",
        label=_("Product documents"),
        model=VersionDocument,
        roles=CATALOGUE_ROLES,
        visible=documents_visible_to,
        title=F("title"),
        body=("text",),
        ref=Concat(
            _text(F("version__product_id")),
            Value("#version-"),
            _text(F("version_id")),
            output_field=CharField(),
        ),
        place=Concat(
            F("version__product__name"),
            Value(" "),
            F("version__label"),
            output_field=CharField(),
        ),
        url=lambda ref, pk: _product_document_url(ref),
    ),
    SearchKind(
        key="agenda",
        label=_("Agenda items"),
        model=AgendaItem,
        roles=AGENDA_ROLES,
        visible=agenda_items_visible_to,
        title=F("title"),
        body=(),
        ref=Value(""),
        place=Coalesce(F("development_line__name"), Value("")),
        url=lambda ref, pk: f"{reverse('innovation:agenda')}#agenda-{pk}",
    ),
    SearchKind(
        key="inzichten",
        label=_("Insights"),
        model=Insight,
        roles=AGENDA_ROLES,
        visible=insights_visible_to,
        title=F("title"),
        body=("description",),
        ref=Value(""),
        place=Value(""),
        url=lambda ref, pk: f"{reverse('innovation:cycle')}#insight-{pk}",
    ),
]

BY_KEY = {kind.key: kind for kind in KINDS}
SEARCH_ROLES = tuple(role for role in Role if any(role in kind.roles for kind in KINDS))


def _product_document_url(ref: str) -> str:
    product, _hash, anchor = ref.partition("#")
    return f"{reverse('innovation:product', args=[int(product)])}#{anchor}"


def kinds_for(user) -> list[SearchKind]:
    return [kind for kind in KINDS if user.role in kind.roles]
