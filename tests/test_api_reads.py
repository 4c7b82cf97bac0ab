"""The API's read endpoints beyond the region page's records: what each returns to whom, in
line with the page it mirrors (the dossier, the history, a discussion, specialists and their
availability, portfolios, notifications, the Innovatiehub's lists and the contracted results).
Who may call which is tests/test_api_access.py; query counts are tests/test_api.py."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard.results import registered
from discussion.models import Comment
from innovation.models import (
    AgendaItem,
    Certification,
    DevelopmentLine,
    Insight,
    Product,
    ProductVersion,
    QualityCriterion,
)
from monitoring.models import ProcessRoute, Signal
from notifications.models import Notification, PartnerContact
from regions.models import Region, StandIn
from specialists.models import SpecialistProfile, Unavailability
from tests.api_client import bearer
from tests.conftest import FOREIGN_REGION, OWN_REGION, SECOND_OWN_REGION
from tests.factories import UserFactory
from tests.test_access import _document, _dossier_document

pytestmark = pytest.mark.django_db


def _get(user, name, *args, **params):
    response = Client().get(reverse(name, args=args), params, headers=bearer(user))
    assert response.status_code == 200, response.content[:300]
    return response.json()


# --- a region's dossier, history and discussions --------------------------------------------------


def test_the_dossier_lists_current_documents_and_serves_their_files(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kept = _dossier_document(personas, OWN_REGION)
    gone = _dossier_document(personas, OWN_REGION)
    gone.title = "Oud plan"
    gone.removed_at, gone.removed_by = timezone.now(), personas.alice
    gone.save()

    listed = _get(personas.bob, "api:documents", OWN_REGION)
    assert [(d["id"], d["title"], d["uploaded_by"]["name"]) for d in listed["results"]] == [
        (kept.pk, "Toekomstplan", "Alice Adviseur")
    ]
    download = Client().get(listed["results"][0]["download"], headers=bearer(personas.bob))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert 'filename="toekomstplan.pdf"' in download["Content-Disposition"]
    removed = reverse("api:document_download", args=[OWN_REGION, gone.pk])
    assert Client().get(removed, headers=bearer(personas.alice)).status_code == 404


def test_the_history_names_who_changed_what_and_is_narrowed_by_kind_and_day(personas):
    step = personas.own_step
    url = reverse("api:route_step", args=[OWN_REGION, step.pk])
    body = '{"title": "Raadsbesluit voorbereiden", "version": 1}'
    response = Client().patch(
        url, body, content_type="application/json", headers=bearer(personas.alice)
    )
    assert response.status_code == 200

    history = _get(personas.pm, "api:region_history", OWN_REGION, kind="monitoring.RouteStep")
    latest = history["results"][0]
    assert (latest["who"], latest["action"], latest["subject"]) == (
        "Alice Adviseur",
        "update",
        "Raadsbesluit voorbereiden",
    )
    assert {"field": "stap", "before": step.title, "after": "Raadsbesluit voorbereiden"} in (
        latest["changes"]
    )
    assert {e["kind"] for e in history["results"]} == {"processtap"}
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    later = _get(personas.pm, "api:region_history", OWN_REGION, since=tomorrow.isoformat())
    assert later["count"] == 0
    wrong = Client().get(
        reverse("api:region_history", args=[OWN_REGION]),
        {"since": "31-02-2026"},
        headers=bearer(personas.pm),
    )
    assert wrong.status_code == 400 and "since" in wrong.json()


def test_a_discussion_lists_its_comments_and_hides_what_a_removed_one_said(personas):
    step = personas.own_step
    first = Comment.objects.create(
        subject="processtappen",
        object_id=step.pk,
        region=step.region,
        author=personas.alice,
        body="Graag een datum voor het bestuurlijk overleg.",
    )
    Comment.objects.create(
        subject="processtappen",
        object_id=step.pk,
        region=step.region,
        author=personas.pm,
        body="Iets vertrouwelijks",
        removed_at=timezone.now(),
        removed_by=personas.pm,
    )
    Comment.objects.create(
        subject="processtappen",
        object_id=personas.foreign_step.pk,
        region=personas.foreign_step.region,
        author=personas.bob,
        body="Een andere regio",
    )
    thread = _get(personas.spec, "api:discussion", "processtappen", step.pk)
    comments = thread["results"]
    assert (comments[0]["id"], comments[0]["author"]["name"], comments[0]["body"]) == (
        first.pk,
        "Alice Adviseur",
        "Graag een datum voor het bestuurlijk overleg.",
    )
    assert len(comments) == 2
    assert comments[1]["body"] == "" and comments[1]["removed_by"]["id"] == personas.pm.pk
    assert "vertrouwelijk" not in str(thread)


# --- specialists, portfolios, notifications -------------------------------------------------------


def _published_version(owner, name="Regioscan"):
    product = Product.objects.create(name=name, kind="scan", owner=owner)
    return ProductVersion.objects.create(product=product, label="1.0", status="gepubliceerd")


def test_specialists_show_their_availability_and_certifications(personas):
    today = timezone.localdate()
    profile = SpecialistProfile.objects.get(user=personas.spec)
    Unavailability.objects.create(
        profile=profile,
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=3),
        reason="Verlof",
    )
    Certification.objects.create(
        specialist=personas.spec,
        version=_published_version(personas.hub),
        certified_on=today - datetime.timedelta(days=300),
        expires_on=today + datetime.timedelta(days=20),
    )
    UserFactory(specialist=True, first_name="Zoë", last_name="Zonder Profiel")
    listed = _get(personas.alice, "api:specialists")["results"]
    assert [(s["name"], s["away_now"]["reason"]) for s in listed[:1]] == [
        ("Sanne Specialist", "Verlof")
    ]
    # Without a profile yet: listed, with nothing recorded.
    assert [(s["name"], s["expertise"], s["hours_per_week"]) for s in listed[1:]] == [
        ("Zoë Zonder Profiel", [], None)
    ]
    assert listed[0]["valid_certifications"] == 1 and listed[0]["open_deployments"] == 1
    assert _get(personas.alice, "api:specialists", expertise="juridisch")["count"] == 0

    own = _get(personas.spec, "api:specialist", personas.spec.pk)
    assert own["expertise"] == ["governance", "financien"]
    assert [(c["product"], c["expiring"], c["expired"]) for c in own["certifications"]] == [
        ("Regioscan", True, False)
    ]
    assert [d["region"] for d in own["deployments"]] == [OWN_REGION]


def test_an_advisers_portfolio_holds_their_regions_and_those_they_stand_in_for(personas):
    today = timezone.localdate()
    StandIn.objects.create(
        adviser=personas.bob,
        substitute=personas.alice,
        start_date=today,
        end_date=today + datetime.timedelta(days=7),
        created_by=personas.pm,
    )
    portfolio = _get(personas.alice, "api:portfolio")
    assert sorted(r["code"] for r in portfolio["regions"]) == sorted(
        [OWN_REGION, SECOND_OWN_REGION]
    )
    assert [r["code"] for r in portfolio["covering"]] == [FOREIGN_REGION]
    assert portfolio["standing_in_for"][0]["adviser"]["name"] == "Bob Bakker"
    assert _get(personas.bob, "api:portfolio")["covering"] == []

    everyone = _get(personas.pm, "api:portfolios")
    regions = {
        a["adviser"]["name"]: [r["code"] for r in a["regions"]] for a in everyone["advisers"]
    }
    assert sorted(regions["Alice Adviseur"]) == sorted([OWN_REGION, SECOND_OWN_REGION])
    assert regions["Bob Bakker"] == [FOREIGN_REGION]
    assert everyone["stand_ins"][0]["substitute"]["id"] == personas.alice.pk


def test_notifications_are_the_callers_own_in_the_language_asked_for(personas, settings):
    for user, key in ((personas.alice, "a"), (personas.bob, "b")):
        Notification.objects.create(
            recipient=user,
            key=key,
            kind="herinnering",
            title=f"Herinnering {key}",
            translations={"en": [f"Reminder {key}", ""]},
            url=f"/regios/{OWN_REGION}/",
            delivery="app",
        )
    dutch = _get(personas.alice, "api:notifications")["results"]
    assert [(n["title"], n["url"]) for n in dutch] == [
        ("Herinnering a", f"http://testserver/regios/{OWN_REGION}/")
    ]
    # Dutch whatever the Accept-Language; English when asked for (the language switch's cookie).
    client, url = Client(headers={"Accept-Language": "en"}), reverse("api:notifications")

    def first_title() -> str:
        return client.get(url, headers=bearer(personas.alice)).json()["results"][0]["title"]

    assert first_title() == "Herinnering a"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert first_title() == "Reminder a"


def test_programme_management_reads_who_receives_the_reports(personas):
    PartnerContact.objects.create(organisation="SZW", name="Sanne de Wit", email="s@szw.example")
    PartnerContact.objects.create(
        organisation="Divosa", name="Gestopt", email="g@divosa.example", active=False
    )
    contacts = _get(personas.pm, "api:partner_contacts")["results"]
    assert [(c["organisation"], c["email"], c["active"]) for c in contacts] == [
        ("Divosa", "g@divosa.example", False),
        ("SZW", "s@szw.example", True),
    ]


# --- the Innovatiehub -----------------------------------------------------------------------------


def test_the_hubs_lists_follow_its_pages(personas):
    today = timezone.localdate()
    line = DevelopmentLine.objects.create(
        name="Governance", delivered_on=today, applied_nationally_on=today
    )
    version = _published_version(personas.hub, "Governancescan")
    version.product.development_line = line
    version.product.save()
    QualityCriterion.objects.create(name="Getoetst in twee regio's")
    Certification.objects.create(
        specialist=personas.spec,
        version=version,
        certified_on=datetime.date(2024, 1, 1),
        expires_on=today - datetime.timedelta(days=1),
    )
    signal = Signal.objects.create(
        region=Region.objects.get(code=OWN_REGION),
        title="Raden willen meer zicht op risico's",
        description="Uit drie regio's.",
        raised_on=today,
    )
    insight = Insight.objects.create(title="Risicodeling vraagt een handreiking")
    insight.signals.add(signal)
    other = Insight.objects.create(title="Iets anders")
    item = AgendaItem.objects.create(
        title="Handreiking risicodeling",
        priority="hoog",
        owner=personas.hub,
        start_quarter="2026-Q2",
        end_quarter="2026-Q4",
        development_line=line,
    )
    item.insights.add(insight)
    item.product_versions.add(version)

    (listed,) = _get(personas.pm, "api:development_lines")["results"]
    assert (listed["name"], listed["counts_for_result"]) == ("Governance", True)
    assert [p["name"] for p in listed["delivered_products"]] == ["Governancescan"]
    assert [c["name"] for c in _get(personas.hub, "api:quality_criteria")["results"]] == [
        "Getoetst in twee regio's"
    ]
    (certification,) = _get(personas.hub, "api:certifications")["results"]
    assert certification["expired"] is True and certification["product_version"] == "1.0"
    (agenda,) = _get(personas.pm, "api:agenda")["results"]
    assert [i["title"] for i in agenda["insights"]] == [insight.title]
    assert agenda["product_versions"][0]["product"]["name"] == "Governancescan"
    cycle = _get(personas.pm, "api:insights", signal=signal.pk)["results"]
    assert [(i["title"], i["signals"][0]["region"]) for i in cycle] == [(insight.title, OWN_REGION)]
    assert cycle[0]["agenda_items"][0]["title"] == "Handreiking risicodeling"
    assert {i["id"] for i in _get(personas.pm, "api:insights")["results"]} == {insight.pk, other.pk}
    refused = Client().get(reverse("api:insights"), {"signal": "x"}, headers=bearer(personas.pm))
    assert refused.status_code == 400


def test_a_products_documents_are_listed_only_to_whoever_may_download_them(
    personas, settings, tmp_path
):
    from innovation.models import Product as ProductModel

    settings.MEDIA_ROOT = tmp_path
    published = _published_version(personas.hub, "Handreiking")
    draft = ProductVersion.objects.create(product=published.product, label="2.0")
    manual = _document(personas, published)
    _document(personas, draft)
    product = ProductModel.objects.get(pk=published.product_id)

    def documents(user) -> dict:
        versions = _get(user, "api:product", product.pk)["versions"]
        return {v["label"]: [d["title"] for d in v["documents"]] for v in versions}

    assert documents(personas.hub) == {"2.0": ["Handleiding"], "1.0": ["Handleiding"]}
    assert documents(personas.pm) == {"2.0": [], "1.0": ["Handleiding"]}
    assert documents(personas.alice) == {"1.0": ["Handleiding"]}
    (listed,) = _get(personas.alice, "api:products")["results"]
    link = listed["versions"][0]["documents"][0]["download"]
    download = Client().get(link, headers=bearer(personas.alice))
    assert download.status_code == 200 and link.endswith(f"/{manual.pk}/download/")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


# --- the contracted results -----------------------------------------------------------------------


def test_the_results_are_computed_for_the_whole_country_or_one_portfolio(personas):
    region = Region.objects.get(code=OWN_REGION)
    ProcessRoute.objects.create(
        region=region, agreed_on=datetime.date(2026, 3, 3), agreed_with="Colleges en SOB"
    )
    national = _get(personas.pm, "api:results")
    assert [i["key"] for i in national] == [r.key for r in registered()]
    route = next(i for i in national if i["key"] == "A2")
    assert (route["value"], route["target"], route["state"]) == (1, 35, "not_met")
    assert route["evidence_count"] == 1
    (evidence,) = route["evidence"]
    assert evidence["label"] == region.name
    assert evidence["url"].startswith(f"http://testserver/regios/{OWN_REGION}/")
    assert "3 maart 2026" in evidence["detail"]

    alice = next(
        i for i in _get(personas.pm, "api:results", adviser=personas.alice.pk) if i["key"] == "A2"
    )
    assert (alice["value"], alice["target"]) == (1, 2)
    bob = next(
        i for i in _get(personas.bob, "api:results", adviser=personas.bob.pk) if i["key"] == "A2"
    )
    assert (bob["value"], bob["target"], bob["evidence"]) == (0, 1, [])
