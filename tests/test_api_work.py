"""The API's endpoints about the user's own work: search, saved dashboard views, imports, a
region's dossier exports and the services' health. What each returns to whom, in line with the
page it mirrors; who may call which is tests/test_api_access.py, query counts tests/test_api.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dashboard.models import SavedView
from dashboard.saved import save_view
from imports.services import start
from regions.models import Region
from reporting.models import DossierExport, Download
from tests.api_client import bearer
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import MeetingFactory, RouteStepFactory
from tests.test_access import _reports

pytestmark = pytest.mark.django_db


def _get(user, name, *args, status=200, **params):
    response = Client().get(reverse(name, args=args), params, headers=bearer(user))
    assert response.status_code == status, response.content[:300]
    return response.json()


# --- search -------------------------------------------------------------------------------------


def test_search_finds_with_dutch_stemming_and_links_each_hit_to_its_record(personas):
    own = Region.objects.get(code=OWN_REGION)
    meeting = MeetingFactory(region=own, title="Bijeenkomst over de financiën", minutes="")
    MeetingFactory(region=Region.objects.get(code=FOREIGN_REGION), title="Bijeenkomst elders")

    found = _get(personas.spec, "api:search", q="bijeenkomsten financien")
    (group,) = found["groups"]
    assert (group["kind"], group["label"], group["total"]) == ("bijeenkomsten", "Bijeenkomsten", 1)
    (hit,) = group["hits"]
    assert hit["id"] == meeting.pk
    assert hit["title"] == "Bijeenkomst over de financiën"
    assert hit["highlighted_title"] == "<mark>Bijeenkomst</mark> over de <mark>financiën</mark>"
    assert hit["url"] == (
        f"http://testserver/regios/{OWN_REGION}/?toon=bijeenkomsten#bijeenkomsten-{meeting.pk}"
    )
    # The other region's meeting is found by an adviser, not by the specialist working here.
    everyone = _get(personas.pm, "api:search", q="bijeenkomst")
    assert [g["total"] for g in everyone["groups"] if g["kind"] == "bijeenkomsten"] == [2]


def test_search_pages_one_kind_and_refuses_what_it_cannot_search(personas):
    own = Region.objects.get(code=OWN_REGION)
    for n in range(22):
        RouteStepFactory(region=own, title=f"Begroting {n}", description="")
    overview = _get(personas.alice, "api:search", q="begroting")
    (steps,) = [g for g in overview["groups"] if g["kind"] == "processtappen"]
    assert (steps["total"], overview["page_size"], overview["page"]) == (22, 5, None)
    assert len(steps["hits"]) == 5
    pages = [
        _get(personas.alice, "api:search", q="begroting", kind="processtappen", page=n)
        for n in (1, 2)
    ]
    assert [(p["page"], p["page_size"]) for p in pages] == [(1, 20), (2, 20)]
    ids = [[hit["id"] for hit in p["groups"][0]["hits"]] for p in pages]
    assert [len(i) for i in ids] == [20, 2]
    assert len(set(ids[0] + ids[1])) == 22

    too_long = _get(personas.alice, "api:search", status=400, q="woord " * 40)
    assert too_long == {
        "q": ["Zoek met ten hoogste 200 tekens; u typte er 239. Er is niets gezocht."]
    }
    unknown = _get(personas.alice, "api:search", status=400, q="begroting", kind="geheim")
    assert unknown["kind"][0].startswith("Kies uit: regios, gemeenten,")
    assert _get(personas.alice, "api:search", q="")["groups"] == []


def test_search_makes_three_queries_however_much_it_finds(personas, django_assert_num_queries):
    own = Region.objects.get(code=OWN_REGION)
    url = reverse("api:search")
    for _ in range(2):
        for n in range(6):
            RouteStepFactory(region=own, title=f"Begroting {n}", description="")
            MeetingFactory(region=own, title=f"Begroting {n}", minutes="")
        headers = bearer(personas.alice)
        # the token, its last use, and one search over every kind
        with django_assert_num_queries(3):
            assert Client().get(url, {"q": "begroting"}, headers=headers).status_code == 200


# --- saved views --------------------------------------------------------------------------------


def test_saved_views_are_the_users_own_and_filter_the_regions_list_alike(personas):
    view = save_view(user=personas.alice, name="Mijn risico's", query="fase=analyse&status=risico")
    save_view(user=personas.bob, name="Van Bob", query="status=kritiek")

    (listed,) = _get(personas.alice, "api:saved_views")["results"]
    assert (listed["id"], listed["name"], listed["query"]) == (view.pk, "Mijn risico's", view.query)
    assert "Status: " in listed["description"]
    assert listed["dashboard"] == f"http://testserver/dashboard/?{view.query}"
    assert listed["regions"].startswith("http://testserver/api/v1/regions/?")
    assert sorted(listed["regions"].split("?")[1].split("&")) == ["stage=analyse", "status=risico"]
    # The regions list under the view's filter is what the API filters alike.
    regions = Client().get(listed["regions"], headers=bearer(personas.alice))
    assert regions.status_code == 200
    assert _get(personas.hub, "api:saved_views")["results"] == []
    # A stage the dashboard no longer offers is described as it was saved.
    SavedView.objects.create(user=personas.hub, name="Oud", query="fase=verdwenen")
    (old,) = _get(personas.hub, "api:saved_views")["results"]
    assert old["description"] == "Fase: verdwenen"


# --- imports ------------------------------------------------------------------------------------


def _upload(user, content: bytes, code=OWN_REGION, name="stappen.csv"):
    return start(
        upload=SimpleUploadedFile(name, content),
        kind="processtappen",
        region=Region.objects.get(code=code),
        by=user,
    )


def test_imports_are_the_uploaders_own_with_each_error_at_its_row_and_column(personas):
    good = _upload(personas.alice, b"Stap;Geplande datum\nNieuwe stap;15-11-2026\n")
    bad = _upload(
        personas.alice,
        b"Stap;Geplande datum\nNog een stap;15-11-2026\nFoute stap;31-02-2026\n",
        name="fout.csv",
    )
    _upload(personas.bob, b"Stap;Geplande datum\nVan Bob;15-11-2026\n", code=FOREIGN_REGION)

    listed = _get(personas.alice, "api:imports")["results"]
    assert [(r["id"], r["file_name"], r["counts"]) for r in listed] == [
        (bad.pk, "fout.csv", {"add": 1, "change": 0, "same": 0, "error": 1}),
        (good.pk, "stappen.csv", {"add": 1, "change": 0, "same": 0, "error": 0}),
    ]
    assert listed[0]["region"] == {"code": OWN_REGION, "name": bad.region.name}
    assert listed[0]["url"] == f"http://testserver/importeren/{bad.pk}/"

    detail = _get(personas.alice, "api:import", bad.pk)
    rows = {row["number"]: row for row in detail["rows"]}
    assert (rows[2]["action"], rows[3]["action"]) == ("add", "error")
    ((column, message),) = rows[3]["errors"]
    assert column == "Geplande datum"
    assert "datum" in message.lower()
    # Someone else's import does not exist for them.
    _get(personas.bob, "api:import", bad.pk, status=404)
    assert [r["file_name"] for r in _get(personas.bob, "api:imports")["results"]] == ["stappen.csv"]


def test_an_import_of_a_region_handed_over_leaves_the_list(personas):
    run = _upload(personas.alice, b"Stap;Geplande datum\nNieuwe stap;15-11-2026\n")
    Region.objects.filter(code=OWN_REGION).update(adviser=personas.bob)
    assert _get(personas.alice, "api:imports")["results"] == []
    _get(personas.alice, "api:import", run.pk, status=403)


# --- dossier exports ----------------------------------------------------------------------------


def test_a_regions_exports_are_listed_and_a_finished_one_downloaded_and_logged(
    personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    finished = _reports(personas)["{own_export}"]
    waiting = DossierExport.objects.create(
        region=Region.objects.get(code=OWN_REGION), requested_by=personas.pm
    )

    listed = _get(personas.alice, "api:exports", OWN_REGION)["results"]
    assert [(e["id"], e["state"], e["requested_by"]["name"]) for e in listed] == [
        (waiting.pk, "wachtrij", str(personas.pm)),
        (finished, "klaar", "Alice Adviseur"),
    ]
    assert listed[0]["download"] is None
    download = Client().get(listed[1]["download"], headers=bearer(personas.pm))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert (
        f'filename="dossier-{OWN_REGION.lower()}-{finished}.zip"'
        in (download["Content-Disposition"])
    )
    assert list(Download.objects.values_list("user", "export")) == [(personas.pm.pk, finished)]
    # Who only reads the region is refused in the pages' Dutch; without a token, told to send one.
    refused = Client().get(reverse("api:exports", args=[OWN_REGION]), headers=bearer(personas.bob))
    assert (refused.status_code, refused.json()) == (
        403,
        {"detail": "U hebt geen toestemming voor deze handeling."},
    )
    anonymous = Client().get(reverse("api:exports", args=[OWN_REGION]))
    assert anonymous.status_code == 401
    assert anonymous.json()["detail"].startswith("U bent niet aangemeld: stuur uw persoonlijke")
    waiting_url = reverse("api:export_download", args=[OWN_REGION, waiting.pk])
    assert Client().get(waiting_url, headers=bearer(personas.pm)).status_code == 404
    assert Download.objects.count() == 1


# --- health -------------------------------------------------------------------------------------


def test_health_answers_each_service_as_the_page(personas):
    health = _get(personas.admin, "api:health")
    checks = {check["name"]: check for check in health["checks"]}
    assert {"database", "broker", "workers"} <= set(checks)
    assert checks["database"]["ok"] is True
    assert checks["database"]["label"] == "Database (PostgreSQL)"
    assert health["healthy"] == all(check["ok"] for check in health["checks"])
