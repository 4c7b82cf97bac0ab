"""The API: personal tokens (shown once, stored hashed, revoked), the version check on writes
(409 with both versions), the region page's validation in Dutch, the audit history, pagination
and the dashboard's filters, what partners see, the schema and its documentation page, query
counts and rate limits. Who may call what is tests/test_api_access.py."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from openapi_spec_validator import validate
from pghistory.models import Events

from api.models import ApiToken
from core.hashing import sha256_hex
from core.history import history_of
from dashboard.queries import provinces
from monitoring.models import ProgressUpdate, RouteStep
from regions.models import Region
from reporting.models import Download
from tests.api_client import bearer
from tests.conftest import FOREIGN_REGION, OWN_REGION, SECOND_OWN_REGION
from tests.factories import MeetingFactory, ProgressUpdateFactory, RouteStepFactory
from tests.test_access import _reports

pytestmark = pytest.mark.django_db

PROGRESS = {
    "year": 2026,
    "quarter": 4,
    "status": "aandacht",
    "narrative": "Besluitvorming in de raden is uitgesteld naar januari.",
}


def _json(client, method, url, user=None, body=None, headers=None):
    headers = {**(bearer(user) if user else {}), **(headers or {})}
    return getattr(client, method)(
        url,
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers=headers,
    )


def _step_url(step):
    return reverse("api:route_step", args=[step.region.code, step.pk])


# --- tokens ---------------------------------------------------------------------------------------


def _every_text_in_the_database_containing(text: str) -> list[str]:
    """The tables with a row whose text form contains `text` (every column, every table)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(include_views=False):
            quoted = connection.ops.quote_name(table)
            # Table names come from the database's own catalogue, not from input.
            cursor.execute(
                f"SELECT count(*) FROM {quoted} t WHERE t::text LIKE %s",  # noqa: S608
                [f"%{text}%"],
            )
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def test_a_token_is_shown_once_and_stored_hashed(client, personas):
    client.force_login(personas.alice)
    response = client.post(reverse("profile:index"), {"name": "Rapportagescript"})
    assert response.status_code == 200
    plaintext = response.context["plaintext"]
    assert plaintext.startswith("rm_") and len(plaintext) > 40
    assert plaintext in response.content.decode()
    assert response.headers["Cache-Control"].startswith("max-age=0")

    token = ApiToken.objects.get(user=personas.alice)
    assert token.name == "Rapportagescript"
    assert token.token_hash == sha256_hex(plaintext)
    assert plaintext.startswith(token.prefix) and len(token.prefix) < 12
    assert _every_text_in_the_database_containing(plaintext) == []
    assert _every_text_in_the_database_containing(plaintext[len(token.prefix) :]) == []

    again = client.get(reverse("profile:index")).content.decode()
    assert plaintext not in again
    assert f"{token.prefix}…" in again and "Rapportagescript" in again

    api = Client().get(reverse("api:regions"), headers={"Authorization": f"Bearer {plaintext}"})
    assert api.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_needs_a_name_said_in_dutch(client, personas):
    client.force_login(personas.alice)
    response = client.post(reverse("profile:index"), {"name": "  "})
    assert response.status_code == 200
    assert "Geef de sleutel een naam" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_ends_a_token_at_once(client, personas):
    headers = bearer(personas.alice)
    assert Client().get(reverse("api:regions"), headers=headers).status_code == 200
    token = ApiToken.objects.get(user=personas.alice)
    client.force_login(personas.alice)
    response = client.post(reverse("profile:token_revoke", args=[token.pk]), follow=True)
    assert "is ingetrokken" in response.content.decode()
    refused = Client().get(reverse("api:regions"), headers=headers)
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"] == 'Bearer realm="api"'
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_revokes_someone_elses_token(client, personas):
    headers = bearer(personas.alice)
    token = ApiToken.objects.get(user=personas.alice)
    client.force_login(personas.bob)
    assert client.post(reverse("profile:token_revoke", args=[token.pk])).status_code == 404
    assert Client().get(reverse("api:regions"), headers=headers).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer rm_geraden", "Bearer", "Bearer a b", "Bearer \u00e9\u00e9n", "Bearer " + "x" * 5000],
)
def test_a_wrong_token_is_401(personas, header):
    response = Client().get(reverse("api:regions"), headers={"Authorization": header})
    assert response.status_code == 401


def test_without_credentials_is_401_and_a_deactivated_user_s_token_stops(personas):
    assert Client().get(reverse("api:regions")).status_code == 401
    headers = bearer(personas.alice)
    type(personas.alice).objects.filter(pk=personas.alice.pk).update(is_active=False)
    assert Client().get(reverse("api:regions"), headers=headers).status_code == 401


# --- writes ---------------------------------------------------------------------------------------


def test_an_adviser_records_a_progress_update(personas):
    url = reverse("api:progress_updates", args=[OWN_REGION])
    response = _json(Client(), "post", url, personas.alice, PROGRESS)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["author"]["name"] == "Alice Adviseur" and body["version"] == 1
    assert response.headers["Location"].endswith(f"/progress-updates/{body['id']}/")
    update = ProgressUpdate.objects.get(pk=body["id"])
    assert update.region.code == OWN_REGION and update.author == personas.alice


def test_a_stale_patch_is_409_with_both_versions_and_changes_nothing(personas):
    step = personas.own_step
    client = Client()
    first = _json(
        client, "patch", _step_url(step), personas.alice, {"title": "Eerst", "version": 1}
    )
    assert first.status_code == 200 and first.json()["version"] == 2

    sent = {"title": "Later, op een oude versie", "version": 1}
    response = _json(client, "patch", _step_url(step), personas.alice, sent)
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["title"] == "Eerst"
    assert body["current"]["version"] == 2
    assert body["current"]["updated_by"]["name"] == "Alice Adviseur"
    assert body["current"]["updated_at"]
    assert body["sent"] == sent
    assert "in de tussentijd" in body["detail"]
    step.refresh_from_db()
    assert (step.title, step.version) == ("Eerst", 2)


def test_a_put_replaces_and_a_missing_version_is_refused(personas):
    step = personas.own_step
    client = Client()
    body = {"title": "Nieuw", "order": 3, "planned_date": "2026-11-01", "status": "gepland"}
    missing = _json(client, "put", _step_url(step), personas.alice, body)
    assert missing.status_code == 400 and "versie" in missing.json()["version"][0]
    for garbled in ("9" * 5000, "1.0", True, None, [1]):
        wrong = _json(client, "put", _step_url(step), personas.alice, {**body, "version": garbled})
        assert wrong.status_code == 400, garbled
    response = _json(client, "put", _step_url(step), personas.alice, {**body, "version": 1})
    assert response.status_code == 200, response.content
    step.refresh_from_db()
    assert (step.title, step.order, step.parties, step.version) == ("Nieuw", 3, "", 2)


def test_validation_errors_are_400_with_the_forms_dutch_messages(personas):
    url = reverse("api:route_steps", args=[OWN_REGION])
    body = {"title": "", "planned_date": "2027-03-01", "status": "afgerond", "expertise": ["x"]}
    response = _json(Client(), "post", url, personas.alice, body)
    assert response.status_code == 400
    errors = response.json()
    assert errors["title"] == ["Dit veld is verplicht."]
    assert "31 december 2026" in errors["planned_date"][0]
    assert "expertise" in errors
    assert RouteStep.objects.filter(region__code=OWN_REGION).count() == 1


def test_a_body_that_is_not_an_object_is_400(personas):
    url = reverse("api:route_steps", args=[OWN_REGION])
    for body in (
        [1, 2],
        "tekst",
        {"title": {"nested": 1}},
        {"expertise": "governance"},
        {"title": "Stap", "planned_date": 20261101},  # a number in a date field
        {"title": "Stap", "planned_date": True, "order": 1.5},
    ):
        response = _json(Client(), "post", url, personas.alice, body)
        assert response.status_code == 400, body
    garbled = Client().post(
        url, data="{niet json", content_type="application/json", headers=bearer(personas.alice)
    )
    assert garbled.status_code == 400


def test_the_region_and_author_come_from_the_url_and_the_token(personas):
    url = reverse("api:progress_updates", args=[OWN_REGION])
    foreign = Region.objects.get(code=FOREIGN_REGION)
    body = {**PROGRESS, "region": foreign.pk, "author": personas.bob.pk, "version": 99}
    response = _json(Client(), "post", url, personas.alice, body)
    assert response.status_code == 201
    update = ProgressUpdate.objects.get(pk=response.json()["id"])
    assert (update.region.code, update.author, update.version) == (OWN_REGION, personas.alice, 1)


def test_delete_with_the_version_and_a_stale_delete_is_409(personas):
    step = personas.own_step
    stale = _json(Client(), "delete", _step_url(step) + "?version=7", personas.alice)
    assert stale.status_code == 409, stale.content
    assert stale.json()["current"]["version"] == 1
    assert RouteStep.objects.filter(pk=step.pk).exists()
    done = _json(Client(), "delete", _step_url(step), personas.alice, {"version": 1})
    assert done.status_code == 204
    assert not RouteStep.objects.filter(pk=step.pk).exists()


def test_an_api_write_appears_in_the_history_with_its_user(personas):
    step = personas.own_step
    response = _json(
        Client(), "patch", _step_url(step), personas.alice, {"status": "lopend", "version": 1}
    )
    assert response.status_code == 200
    event = Events.objects.filter(pgh_obj_model="monitoring.RouteStep", pgh_label="update").get(
        pgh_obj_id=str(step.pk)
    )
    assert event.pgh_context["user"] == personas.alice.pk
    assert event.pgh_context["via"] == "api"
    assert event.pgh_context["url"] == _step_url(step)
    (entry,) = [
        e for e in history_of(step.region) if e.model_name == "processtap" and e.action == "update"
    ]
    assert (entry.who, entry.action, entry.label) == ("Alice Adviseur", "update", "gewijzigd")


def test_session_writes_keep_the_csrf_check_and_token_writes_need_none(personas):
    url = reverse("api:progress_updates", args=[OWN_REGION])
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.alice)
    refused = _json(browser, "post", url, body=PROGRESS)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    program = Client(enforce_csrf_checks=True)
    assert _json(program, "post", url, personas.alice, PROGRESS).status_code == 201


# --- reads ----------------------------------------------------------------------------------------


def test_regions_are_paged_and_filtered_as_the_dashboard(personas):
    client = Client()
    headers = bearer(personas.pm)
    response = client.get(reverse("api:regions"), {"page_size": 10}, headers=headers)
    assert "no-store" in response.headers["Cache-Control"]
    first = response.json()
    assert first["count"] == 35 and len(first["results"]) == 10
    assert "page=2" in first["next"] and first["previous"] is None
    names = [row["name"] for row in first["results"]]
    assert names == sorted(names)
    assert {"code", "stage", "status", "readiness", "late_steps", "adviser"} <= set(
        first["results"][0]
    )
    capped = client.get(reverse("api:regions"), {"page_size": 1000}, headers=headers).json()
    assert len(capped["results"]) == 35

    mine = client.get(reverse("api:regions"), {"adviser": personas.alice.pk}, headers=headers)
    assert [r["code"] for r in mine.json()["results"]] == [SECOND_OWN_REGION, OWN_REGION]
    ProgressUpdateFactory(region=Region.objects.get(code=OWN_REGION), status="risico")
    risk = client.get(reverse("api:regions"), {"status": "risico"}, headers=headers).json()
    assert [r["code"] for r in risk["results"]] == [OWN_REGION]
    _choices, provinces_of = provinces()
    limburg = client.get(reverse("api:regions"), {"province": "PV31"}, headers=headers).json()
    expected = {r.code for r in Region.objects.all() if "PV31" in provinces_of[r.pk]}
    assert {r["code"] for r in limburg["results"]} == expected and 0 < len(expected) < 35
    nothing = client.get(reverse("api:regions"), {"readiness": "onzin"}, headers=headers).json()
    assert nothing["count"] == 0


def test_a_specialist_sees_the_regions_they_work_in(personas):
    response = Client().get(reverse("api:regions"), headers=bearer(personas.spec)).json()
    assert [r["code"] for r in response["results"]] == [OWN_REGION]


def test_a_region_lists_its_records(personas):
    region = Region.objects.get(code=OWN_REGION)
    MeetingFactory(region=region, minutes="Verslag van de intervisie")
    headers = bearer(personas.bob)
    detail = Client().get(reverse("api:region", args=[OWN_REGION]), headers=headers).json()
    assert detail["adviser"]["name"] == "Alice Adviseur"
    assert len(detail["municipalities"]) == region.municipalities.count()
    meetings = Client().get(detail["records"]["meetings"], headers=headers).json()
    assert meetings["results"][0]["minutes"] == "Verslag van de intervisie"
    steps = Client().get(detail["records"]["route-steps"], headers=headers).json()
    assert steps["results"][0]["id"] == personas.own_step.pk


def test_a_partner_gets_the_national_aggregate_and_published_reports_only(
    personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _reports(personas)
    client, headers = Client(), bearer(personas.partner)
    national = client.get(reverse("api:national"), headers=headers)
    assert national.status_code == 200
    figures = national.json()
    assert figures["region_count"] == 35
    assert sum(item["count"] for item in figures["readiness"]) == 35
    text = national.content.decode()
    assert not any(region.name in text for region in Region.objects.all())

    reports = client.get(reverse("api:reports"), headers=headers).json()
    assert [(r["year"], r["quarter"], r["report_status"]) for r in reports["results"]] == [
        (2026, 1, "gepubliceerd")
    ]
    published = client.get(reverse("api:report", args=[2026, 1]), headers=headers).json()
    download = client.get(published["download"], headers=headers)
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/pdf"
    assert Download.objects.filter(user=personas.partner).count() == 1
    assert client.get(reverse("api:report", args=[2026, 2]), headers=headers).status_code == 404
    refused = client.get(reverse("api:regions"), headers=headers)
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "Uw rol heeft geen toegang tot deze lijst."},
    )
    assert client.get(reverse("api:region", args=[OWN_REGION]), headers=headers).status_code == 404
    assert client.get(reverse("api:products"), headers=headers).status_code == 403
    assert client.get(reverse("api:deployments"), headers=headers).status_code == 403


# --- the schema and the documentation page -------------------------------------------------------


def test_the_schema_is_valid_openapi_3(personas):
    response = Client().get(
        reverse("api:schema"), {"format": "json"}, headers=bearer(personas.alice)
    )
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert "bearerAuth" in schema["components"]["securitySchemes"]
    paths = schema["paths"]
    assert "409" in paths["/api/v1/regions/{code}/route-steps/{id}/"]["patch"]["responses"]
    assert "page_size" in str(paths["/api/v1/regions/"]["get"]["parameters"])


def test_the_documentation_page_is_served_by_the_app(client, personas):
    anonymous = client.get(reverse("api:docs"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/inloggen/")
    client.force_login(personas.partner)
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert '<h1 class="utrecht-heading-1">API-documentatie</h1>' in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    script = client.get(reverse("api:docs"), {"script": ""})
    assert script.status_code == 200
    assert script.headers["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in script.content.decode()


# --- query counts ---------------------------------------------------------------------------------

LISTS = [
    ("api:regions", (), 9),  # token, its last use, 7 for the dashboard's rows
    ("api:progress_updates", (OWN_REGION,), 5),  # token, last use, region, count, page
    ("api:route_steps", (OWN_REGION,), 5),
    ("api:records_meetings", (OWN_REGION,), 5),
    ("api:deployments", (), 4),  # token, last use, count, page
    ("api:products", (), 6),  # and the versions, their documents
    ("api:reports", (), 4),
    ("api:documents", (OWN_REGION,), 5),  # token, last use, region, count, page
    ("api:region_history", (OWN_REGION,), 6),  # and the names of the people in it
    ("api:discussion", ("processtappen", "{own_step}"), 5),  # token, use, step, count, page
    ("api:notifications", (), 4),
    ("api:partner_contacts", (), 4),
    ("api:specialists", (), 4),  # token, last use, specialists, their coming periods
    ("api:portfolios", (), 6),  # token, last use, regions, advisers, stand-ins, handovers
    ("api:development_lines", (), 5),  # lines, their products, the products without a line
    ("api:quality_criteria", (), 4),
    ("api:certifications", (), 3),  # token, last use, every certification (no pages here)
    ("api:agenda", (), 6),  # and the insights, the versions
    ("api:insights", (), 8),  # and the signals, their regions, the agenda items, versions
    ("api:exports", (OWN_REGION,), 5),  # token, last use, region, count, page
    ("api:saved_views", (), 4),  # token, last use, the views, the advisers they name
    ("api:imports", (), 4),  # token, last use, count, page (without the rows of a file)
]


@pytest.mark.parametrize(("name", "args", "queries"), LISTS, ids=[n for n, _, _ in LISTS])
def test_list_endpoints_make_a_fixed_number_of_queries(
    personas, django_assert_num_queries, name, args, queries, settings, tmp_path
):
    """The same number of queries with twice the records (each list reads its page in one
    query, with what it shows joined or prefetched)."""
    from innovation.models import Product, ProductVersion

    settings.MEDIA_ROOT = tmp_path
    _reports(personas)
    region = Region.objects.get(code=OWN_REGION)
    made = iter(range(100))

    def add_records():
        for _ in range(5):
            n = next(made)
            RouteStepFactory(region=region, updated_by=personas.alice)
            MeetingFactory(region=region, updated_by=personas.bob)
            product = Product.objects.create(name=f"Product {n}", kind="scan", owner=personas.hub)
            ProductVersion.objects.create(product=product, label="1.0", status="gepubliceerd")
            ProductVersion.objects.create(product=product, label="2.0")
        ProgressUpdateFactory(region=region, updated_by=personas.alice)
        _add_read_records(personas, region, next(made))

    args = [personas.own_step.pk if arg == "{own_step}" else arg for arg in args]
    url = reverse(name, args=args)
    add_records()
    headers = bearer(personas.pm)
    with django_assert_num_queries(queries):
        assert Client().get(url, headers=headers).status_code == 200
    add_records()
    headers = bearer(personas.pm)  # a new token: its first use is written again
    with django_assert_num_queries(queries):
        assert Client().get(url, headers=headers).status_code == 200


def _add_read_records(personas, region, n: int) -> None:
    """Two more of what the lists beyond the region page's records show."""
    from dashboard.models import SavedView
    from discussion.models import Comment
    from imports.models import ImportRun
    from innovation.models import (
        AgendaItem,
        Certification,
        DevelopmentLine,
        Insight,
        ProductVersion,
        QualityCriterion,
    )
    from monitoring.models import Signal
    from notifications.models import Notification, PartnerContact
    from regions.models import StandIn
    from reporting.models import DossierExport
    from specialists.models import SpecialistProfile, Unavailability
    from tests.factories import UserFactory
    from tests.test_access import _dossier_document

    today = datetime.date.today()
    line = DevelopmentLine.objects.create(name=f"Lijn {n}")
    versions = list(ProductVersion.objects.filter(product__name__startswith="Product ")[:2])
    for version in versions:
        version.product.development_line = line
        version.product.save()
    for i in range(2):
        _dossier_document(personas, region.code)
        Comment.objects.create(
            subject="processtappen",
            object_id=personas.own_step.pk,
            region=region,
            author=personas.alice,
            body=f"Opmerking {n}.{i}",
        )
        Notification.objects.create(
            recipient=personas.pm,
            key=f"lijst-{n}-{i}",
            kind="herinnering",
            title="Herinnering",
            url="/",
            delivery="app",
        )
        specialist = UserFactory(specialist=True)
        profile = SpecialistProfile.objects.create(user=specialist, expertise=["governance"])
        Unavailability.objects.create(
            profile=profile, start_date=today, end_date=today + datetime.timedelta(days=3)
        )
        Certification.objects.create(
            specialist=specialist,
            version=versions[i],
            certified_on=today,
            expires_on=today + datetime.timedelta(days=400),
        )
        StandIn.objects.create(
            adviser=personas.alice,
            substitute=personas.bob,
            start_date=today,
            end_date=today,
            created_by=personas.pm,
        )
        QualityCriterion.objects.create(name=f"Criterium {n}.{i}")
        PartnerContact.objects.create(
            organisation="VNG", name=f"Contact {n}.{i}", email=f"contact{n}.{i}@vng.example"
        )
        signal = Signal.objects.create(
            region=region, title=f"Signaal {n}.{i}", description="-", raised_on=today
        )
        insight = Insight.objects.create(title=f"Inzicht {n}.{i}")
        insight.signals.add(signal)
        item = AgendaItem.objects.create(
            title=f"Agendapunt {n}.{i}",
            priority="hoog",
            owner=personas.hub,
            start_quarter="2026-Q2",
            end_quarter="2026-Q4",
            development_line=line,
        )
        item.insights.add(insight)
        item.product_versions.add(*versions)
        DossierExport.objects.create(region=region, requested_by=personas.pm)
        SavedView.objects.create(
            user=personas.pm, name=f"Weergave {n}.{i}", query=f"adviseur={1000 + 10 * n + i}"
        )
        ImportRun.objects.create(
            created_by=personas.pm,
            kind="portefeuilles",
            original_name=f"portefeuilles-{n}.{i}.xlsx",
            sha256="0" * 64,
            outcome={"counts": {"add": 1}, "rows": [{"number": 2, "action": "add"}] * 50},
        )


# --- rate limits ----------------------------------------------------------------------------------


@pytest.fixture
def fresh_limits(settings):
    """No counts left in Redis by an earlier run on a test database of the same name (whose
    users had the same primary keys)."""
    import redis

    raw = redis.Redis.from_url(settings.REDIS_URL)
    pattern = f"regiomonitor-throttle:*:{connection.settings_dict['NAME']}:*"
    for key in raw.scan_iter(match=pattern):
        raw.delete(key)
    return raw


def test_a_user_over_the_rate_limit_gets_429(personas, settings, fresh_limits):
    settings.API_RATE_USER = "3/min"
    headers = bearer(personas.alice)
    statuses = [
        Client().get(reverse("api:national"), headers=headers).status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    refused = Client().get(reverse("api:national"), headers=headers)
    assert int(refused.headers["Retry-After"]) > 0
    detail = refused.json()["detail"]
    said = r"U hebt te veel verzoeken gedaan\. Probeer het over \d+ seconden? opnieuw\."
    assert re.fullmatch(said, detail), detail
    # Another user has a limit of their own.
    assert Client().get(reverse("api:national"), headers=bearer(personas.bob)).status_code == 200


def test_guessing_tokens_is_limited_per_address(personas, settings, fresh_limits):
    settings.API_RATE_ANON = "2/min"
    guesses = [
        Client(REMOTE_ADDR="192.0.2.7")
        .get(reverse("api:national"), headers={"Authorization": f"Bearer rm_{n}"})
        .status_code
        for n in range(3)
    ]
    assert guesses == [401, 401, 429]
    assert Client(REMOTE_ADDR="192.0.2.8").get(reverse("api:national")).status_code == 401


def test_the_limit_is_counted_in_redis_for_every_process(personas, settings, fresh_limits):
    """The count lives in Redis, not in this process's memory: requests another process
    counted there (written here through a connection of its own) refuse this one."""
    import time

    from django.core.cache import caches

    settings.API_RATE_USER = "5/min"
    headers = bearer(personas.alice)
    assert Client().get(reverse("api:national"), headers=headers).status_code == 200
    raw = fresh_limits
    keys = [
        key.decode()
        for key in raw.scan_iter(match="regiomonitor-throttle:*")
        if key.decode().endswith(f"throttle_user_{personas.alice.pk}")
    ]
    assert len(keys) == 1, keys
    other_process = caches.create_connection("throttle")
    key = keys[0].split(":", 2)[2]  # without the cache's prefix and version
    assert len(other_process.get(key)) == 1
    other_process.set(key, [time.time()] * 5, 60)
    assert Client().get(reverse("api:national"), headers=headers).status_code == 429
