"""Every API endpoint x every role, with the status each must get, authenticated by a real
personal token (as tests/test_access.py does for the pages, and with the pages' answers).

The endpoints and the methods each takes come from the URLconf, so an endpoint or a method
added without a row fails test_every_endpoint_and_method_has_a_row. Without a credential the
API answers 401 (the documentation page, a page for people, sends them to the log-in instead);
a list a role's page does not serve is 403, as the page is; an object the user may not know is
404; a write by someone who may only read the region is 403.

Partners: every regional list is 403 and every regional object 404 for them, as the regions
overview (403) and a region's page (404) are; they get the national aggregate and published
reports.
"""

import json
from dataclasses import dataclass, field

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.serializers import KIND_PATHS
from monitoring.models import ProgressUpdate, RouteStep
from tests.api_client import bearer
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.test_access import (
    ROLES,
    _document,
    _dossier_document,
    _draft_version,
    _foreign_deployment,
    _import,
    _other_specialist,
    _progress_update,
    _published_version,
    _reports,
    roles,
)

METHODS = ("get", "post", "put", "patch", "delete")

PROGRESS = {
    "year": 2026,
    "quarter": 4,
    "status": "aandacht",
    "narrative": "Besluitvorming in de raden is uitgesteld naar januari.",
    "help_needed": "",
}
STEP = {
    "order": 2,
    "title": "Besluitvorming voorbereiden",
    "parties": "Colleges, SOB",
    "expertise": ["governance"],
    "planned_date": "2026-11-15",
    "status": "gepland",
}


@dataclass(frozen=True)
class Case:
    name: str
    expect: dict[str, int]
    kwargs: dict = field(default_factory=dict)
    method: str = "get"
    data: dict | None = None
    label: str = ""

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        assert not missing, f"{self.name}: no expectation for {missing}"

    @property
    def id(self) -> str:
        return f"{self.name}{'[' + self.label + ']' if self.label else ''}:{self.method}"


NO_CREDENTIALS = {"anonymous": 401}
# Lists, as their pages: the regions overview and deployments (not for partners and the
# beheerder), the national picture (not for specialists and the beheerder), quarterly reports.
REGION_LISTS = roles(200, anonymous=401, partner=403, admin=403)
NATIONAL = roles(200, anonymous=401, specialist=403, admin=403)
REPORT_READERS = roles(200, anonymous=401, specialist=403, admin=403)
# The Innovatiehub's pages (lines, criteria, certifications, agenda, knowledge cycle).
HUB_PAGES = roles(403, anonymous=401, programme=200, hub=200)
# A region: everyone who may see it (a specialist only where they work).
OWN = roles(200, anonymous=401, partner=404, admin=404)
FOREIGN = roles(200, anonymous=401, partner=404, admin=404, specialist=404)
# Writes: the region's adviser; readers of the region 403; who may not know it 404.
WRITE_OWN = roles(403, anonymous=401, partner=404, admin=404)
WRITE_FOREIGN = roles(403, anonymous=401, partner=404, admin=404, specialist=404)
EXPORT_OWN = roles(403, anonymous=401, adviser=200, programme=200, partner=404, admin=404)
EXPORT_FOREIGN = {**EXPORT_OWN, "adviser": 403, "other_adviser": 200, "specialist": 404}
OWN_CODE = {"code": OWN_REGION}
FOREIGN_CODE = {"code": FOREIGN_REGION}


def _record_cases(kind: str, detail: str, payload: dict, record: str, foreign_record: str):
    """The reads and writes of progress updates or route steps."""
    own = {**OWN_CODE, "pk": record}
    foreign = {**FOREIGN_CODE, "pk": foreign_record}
    changed = {"version": 1, **({"narrative": "Bijgewerkt."} if "progress" in kind else {})}
    if "route" in kind:
        changed["title"] = "Bijgewerkt"
    return [
        Case(kind, OWN, OWN_CODE, label="own"),
        Case(kind, FOREIGN, FOREIGN_CODE, label="foreign"),
        Case(kind, roles(404, anonymous=401), {"code": "AM99"}, label="unknown region"),
        Case(kind, {**WRITE_OWN, "adviser": 201}, OWN_CODE, "post", payload, "own"),
        Case(
            kind, {**WRITE_FOREIGN, "other_adviser": 201}, FOREIGN_CODE, "post", payload, "foreign"
        ),
        Case(detail, OWN, own, label="own"),
        Case(detail, FOREIGN, foreign, label="foreign"),
        Case(
            detail,
            roles(404, anonymous=401),
            {**OWN_CODE, "pk": foreign_record},
            label="of another region",
        ),
        Case(detail, {**WRITE_OWN, "adviser": 200}, own, "patch", changed, "own"),
        Case(detail, {**WRITE_FOREIGN, "other_adviser": 200}, foreign, "patch", changed, "foreign"),
        Case(
            detail,
            {**WRITE_OWN, "adviser": 200},
            own,
            "put",
            {**payload, "version": 1, "quarter": 3}
            if "progress" in kind
            else {**payload, "version": 1},
            "own",
        ),
        Case(detail, {**WRITE_OWN, "adviser": 204}, own, "delete", {"version": 1}, "own"),
        Case(
            detail,
            {**WRITE_FOREIGN, "other_adviser": 204},
            foreign,
            "delete",
            {"version": 1},
            "foreign",
        ),
        # The region is checked first: only its adviser learns the record is not in it.
        Case(
            detail,
            {**WRITE_OWN, "adviser": 404},
            {**OWN_CODE, "pk": foreign_record},
            "patch",
            changed,
            "of another region",
        ),
    ]


CASES = [
    Case("api:regions", REGION_LISTS),
    Case("api:region", OWN, OWN_CODE, label="own"),
    Case("api:region", FOREIGN, FOREIGN_CODE, label="foreign"),
    Case("api:region", roles(404, anonymous=401), {"code": "AM99"}, label="unknown"),
    *_record_cases(
        "api:progress_updates", "api:progress_update", PROGRESS, "{own_update}", "{foreign_update}"
    ),
    *_record_cases("api:route_steps", "api:route_step", STEP, "{own_step}", "{foreign_step}"),
    *(Case(f"api:records_{slug}", OWN, OWN_CODE, label="own") for slug in KIND_PATHS.values()),
    *(
        Case(f"api:records_{slug}", FOREIGN, FOREIGN_CODE, label="foreign")
        for slug in KIND_PATHS.values()
    ),
    Case("api:documents", OWN, OWN_CODE, label="own"),
    Case("api:documents", FOREIGN, FOREIGN_CODE, label="foreign"),
    Case("api:documents", roles(404, anonymous=401), {"code": "AM99"}, label="unknown region"),
    Case(
        "api:document_download",
        OWN,
        {**OWN_CODE, "pk": "{own_dossier_document}"},
        label="own",
    ),
    Case(
        "api:document_download",
        FOREIGN,
        {**FOREIGN_CODE, "pk": "{foreign_dossier_document}"},
        label="foreign",
    ),
    Case(
        "api:document_download",
        roles(404, anonymous=401),
        {**OWN_CODE, "pk": "{foreign_dossier_document}"},
        label="of another region",
    ),
    Case("api:region_history", OWN, OWN_CODE, label="own"),
    Case("api:region_history", FOREIGN, FOREIGN_CODE, label="foreign"),
    # Dossier exports: who may export the region's dossier (its adviser, programme
    # management); who only reads the region 403, as the export's page.
    Case("api:exports", EXPORT_OWN, OWN_CODE, label="own"),
    Case("api:exports", EXPORT_FOREIGN, FOREIGN_CODE, label="foreign"),
    Case(
        "api:export_download",
        EXPORT_OWN,
        {**OWN_CODE, "pk": "{own_export}"},
        label="own",
    ),
    Case(
        "api:export_download",
        EXPORT_FOREIGN,
        {**FOREIGN_CODE, "pk": "{foreign_export}"},
        label="foreign",
    ),
    Case(
        "api:export_download",
        {**EXPORT_OWN, "adviser": 404, "programme": 404},
        {**OWN_CODE, "pk": "{foreign_export}"},
        label="of another region",
    ),
    # A record's discussion: who may see the record (discussion/subjects.py), as its page.
    Case("api:discussion", OWN, {"subject": "processtappen", "pk": "{own_step}"}, label="own"),
    Case(
        "api:discussion",
        FOREIGN,
        {"subject": "processtappen", "pk": "{foreign_step}"},
        label="foreign",
    ),
    Case(
        "api:discussion",
        roles(404, anonymous=401),
        {"subject": "onbekend", "pk": "{own_step}"},
        label="unknown kind",
    ),
    # Mijn portefeuille is the advisers' own; handing regions over is programme management's.
    Case("api:portfolio", roles(403, anonymous=401, adviser=200, other_adviser=200)),
    Case("api:portfolios", roles(403, anonymous=401, programme=200)),
    # Specialists: the list for advisers, programme management and the hub; a specialist reads
    # their own profile only.
    Case("api:specialists", roles(200, anonymous=401, specialist=403, partner=403, admin=403)),
    Case("api:specialist", OWN, {"pk": "{spec}"}, label="own"),
    Case("api:specialist", FOREIGN, {"pk": "{other_spec}"}, label="another specialist"),
    Case("api:notifications", roles(200, anonymous=401)),
    Case("api:partner_contacts", roles(403, anonymous=401, programme=200)),
    Case("api:deployments", REGION_LISTS),
    Case("api:deployment", OWN, {"pk": "{own_deployment}"}, label="specialist's own"),
    Case("api:deployment", FOREIGN, {"pk": "{foreign_deployment}"}, label="someone else's"),
    Case("api:products", REGION_LISTS),
    Case(
        "api:product",
        roles(404, anonymous=401, programme=200, hub=200),
        {"pk": "{draft_product}"},
        label="draft only",
    ),
    Case("api:product", OWN, {"pk": "{published_product}"}, label="published"),
    Case(
        "api:product_document_download",
        OWN,
        {"pk": "{published_document}"},
        label="of a published version",
    ),
    Case(
        "api:product_document_download",
        roles(404, anonymous=401, hub=200),
        {"pk": "{draft_document}"},
        label="of a draft",
    ),
    *(Case(name, HUB_PAGES) for name in ("api:development_lines", "api:quality_criteria")),
    *(Case(name, HUB_PAGES) for name in ("api:certifications", "api:agenda", "api:insights")),
    Case("api:results", roles(200, anonymous=401, specialist=403, partner=403, admin=403)),
    Case("api:reports", REPORT_READERS),
    Case("api:report", {**REPORT_READERS, "partner": 404}, {"report": "concept"}, label="concept"),
    Case("api:report", REPORT_READERS, {"report": "published"}, label="published"),
    Case(
        "api:report_download",
        {**REPORT_READERS, "partner": 404},
        {"report": "concept"},
        label="concept",
    ),
    Case("api:report_download", REPORT_READERS, {"report": "published"}, label="published"),
    Case("api:national", NATIONAL),
    # Search: every role that sees regions or products (the hits follow each kind's rules).
    Case("api:search", roles(200, anonymous=401, partner=403, admin=403)),
    # Saved views: every dashboard reader's own.
    Case("api:saved_views", roles(200, anonymous=401, specialist=403, partner=403, admin=403)),
    # Imports: who may import lists their own; an import is its uploader's.
    Case("api:imports", roles(403, anonymous=401, adviser=200, other_adviser=200, programme=200)),
    Case("api:import", roles(404, anonymous=401, adviser=200), {"pk": "{alice_import}"}),
    # The services' health: programme management and the beheerder, as the page.
    Case("api:health", roles(403, anonymous=401, programme=200, admin=200)),
    Case("api:schema", roles(200, anonymous=401)),
    Case("api:docs", roles(200, anonymous=302)),
]

QUARTERS = {"concept": {"year": 2026, "quarter": 2}, "published": {"year": 2026, "quarter": 1}}


def api_endpoints(patterns=None, prefix=""):
    """(namespaced name, view class) of every URL in the `api` namespace."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from api_endpoints(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and prefix == "api:":
            yield f"api:{pattern.name}", pattern.callback.cls


def _methods(view_class) -> set[str]:
    return {m for m in METHODS if hasattr(view_class, m)}


ENDPOINTS = dict(api_endpoints())


def test_every_endpoint_and_method_has_a_row():
    assert len(ENDPOINTS) > 20
    in_urlconf = {(name, m) for name, view in ENDPOINTS.items() for m in _methods(view)}
    in_table = {(case.name, case.method) for case in CASES}
    assert in_urlconf - in_table == set(), "API endpoints or methods without a row"
    assert in_table - in_urlconf == set(), "rows for endpoints or methods that do not exist"


def _resolve(case: Case, personas) -> str:
    if "report" in case.kwargs:
        _reports(personas)
        return reverse(case.name, kwargs=QUARTERS[case.kwargs["report"]])
    placeholders = {
        "{own_update}": lambda: _progress_update(personas, OWN_REGION).pk,
        "{foreign_update}": lambda: _progress_update(personas, FOREIGN_REGION).pk,
        "{own_step}": lambda: personas.own_step.pk,
        "{foreign_step}": lambda: personas.foreign_step.pk,
        "{own_dossier_document}": lambda: _dossier_document(personas, OWN_REGION).pk,
        "{foreign_dossier_document}": lambda: _dossier_document(personas, FOREIGN_REGION).pk,
        "{spec}": lambda: personas.spec.pk,
        "{other_spec}": lambda: _other_specialist(personas).pk,
        "{own_deployment}": lambda: personas.spec.deployments.get().pk,
        "{foreign_deployment}": lambda: _foreign_deployment(personas).pk,
        "{draft_product}": lambda: _draft_version(personas).product_id,
        "{published_product}": lambda: _published_version(personas).product_id,
        "{published_document}": lambda: _document(personas, _published_version(personas)).pk,
        "{draft_document}": lambda: _document(personas, _draft_version(personas)).pk,
        "{own_export}": lambda: _reports(personas)["{own_export}"],
        "{foreign_export}": lambda: _reports(personas)["{foreign_export}"],
        "{alice_import}": lambda: _import(personas).pk,
    }
    kwargs = {k: placeholders[v]() if v in placeholders else v for k, v in case.kwargs.items()}
    return reverse(case.name, kwargs=kwargs)


def _state():
    """What a refused write must leave as it was."""
    return [
        (model.objects.count(), model.objects.aggregate(v=Sum("version"))["v"])
        for model in (ProgressUpdate, RouteStep)
    ]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_api_access(personas, case, role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = personas.by_role(role)
    headers = bearer(user) if user is not None else {}
    url = _resolve(case, personas)
    before = _state()
    body = json.dumps(case.data) if case.data is not None else ""
    response = getattr(Client(), case.method)(
        url, data=body, content_type="application/json", headers=headers
    )
    expected = case.expect[role]
    assert response.status_code == expected, (
        f"{case.id} as {role}: {response.status_code} {response.content[:300]}"
    )
    if case.method != "get" and expected >= 400:
        assert _state() == before, f"{case.id} as {role} was refused but wrote"


@pytest.mark.parametrize("name", sorted(n for n, v in ENDPOINTS.items() if _methods(v) == {"get"}))
def test_read_only_endpoints_refuse_writes(personas, name, settings, tmp_path):
    """An endpoint that only reads answers 405 to every write by a role that may read it."""
    settings.MEDIA_ROOT = tmp_path
    case = next(c for c in CASES if c.name == name and c.method == "get")
    role = next(r for r in ROLES if case.expect[r] == 200)
    headers = bearer(personas.by_role(role))
    url = _resolve(case, personas)
    for method in ("post", "put", "patch", "delete"):
        response = getattr(Client(), method)(
            url, data="{}", content_type="application/json", headers=headers
        )
        assert response.status_code == 405, f"{method} {name} as {role}"
