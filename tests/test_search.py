"""Search: Dutch stemming and accents, highlighted and escaped snippets, document text, and
for every role exactly the hits its pages would show it (a table, like the access table)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.files import TextState
from core.textextract import read_file_text, read_text
from demo.regions import demo_pdf
from innovation.models import (
    AgendaItem,
    Insight,
    Product,
    ProductVersion,
    VersionDocument,
    VersionStatus,
)
from monitoring.models import (
    Agreement,
    Decision,
    Document,
    Pilot,
    Signal,
)
from monitoring.services import add_document, remove_document, replace_document
from regions.models import Region
from search.queries import GROUP_SIZE, search
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.documents import document_bytes
from tests.factories import (
    DeploymentFactory,
    MeetingFactory,
    ProgressUpdateFactory,
    RouteStepFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WORD = "wolkenkrabber"


def _hits(user, text=WORD, **kwargs) -> dict[str, list]:
    return {group.kind.key: group.hits for group in search(user, text, **kwargs)}


def _regional_records(region, adviser, specialist):
    """One record of every regional kind in `region`, each with WORD in its text."""
    RouteStepFactory(region=region, title=f"Stap {region.code}", description=f"De {WORD}s")
    MeetingFactory(region=region, title=f"Overleg {region.code}", minutes=f"Over de {WORD}.")
    Pilot.objects.create(
        region=region,
        kind="pilot",
        title=f"Pilot {region.code}",
        goal=f"Een {WORD} bouwen",
        start_date=datetime.date(2026, 1, 1),
    )
    Signal.objects.create(
        region=region,
        title=f"Signaal {region.code} {WORD}",
        description="Regels",
        addressed_to="szw",
        raised_on=datetime.date(2026, 5, 1),
    )
    Decision.objects.create(
        region=region,
        body="raad",
        subject=f"Besluit over de {WORD}",
        date=datetime.date(2026, 9, 1),
    )
    Agreement.objects.create(
        region=region, title=f"Afspraak {region.code}", parties="Gemeenten", summary=WORD
    )
    ProgressUpdateFactory(region=region, narrative=f"De {WORD} staat.")
    document = add_document(
        region=region,
        title=f"Notitie {region.code}",
        upload=ContentFile(demo_pdf(f"Plan voor de {WORD} van {region.name}"), name="plan.pdf"),
        content_type="application/pdf",
        by=adviser,
    )
    assert read_text(Document, document.pk) == TextState.DONE
    DeploymentFactory(region=region, specialist=specialist, request_note=f"Hulp bij de {WORD}")


@pytest.fixture
def world(personas):
    own = Region.objects.get(code=OWN_REGION)
    foreign = Region.objects.get(code=FOREIGN_REGION)
    for region in (own, foreign):
        # WORD in both regions' names and in one municipality's name in each.
        Region.objects.filter(pk=region.pk).update(name=f"{region.name} {WORD}")
        municipality = region.municipalities.order_by("name").first()
        municipality.name = f"{municipality.name} aan de {WORD}"
        municipality.save(update_fields=["name"])
        region.refresh_from_db()
    _regional_records(own, personas.alice, personas.spec)
    _regional_records(foreign, personas.bob, UserFactory(specialist=True))
    published = Product.objects.create(
        name="Gepubliceerd product", kind="handreiking", description=WORD, owner=personas.hub
    )
    draft = Product.objects.create(
        name="Concept product", kind="handreiking", description=WORD, owner=personas.hub
    )
    for product, status in ((published, VersionStatus.PUBLISHED), (draft, VersionStatus.DRAFT)):
        version = ProductVersion.objects.create(
            product=product, label="1.0", status=status, created_by=personas.hub
        )
        VersionDocument.objects.create(
            version=version,
            title=f"Handleiding {product.name}",
            original_name="handleiding.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            uploaded_by=personas.hub,
            file="producten/x.pdf",
            text=f"Over de {WORD}",
            text_state=TextState.DONE,
        )
    AgendaItem.objects.create(
        title=f"Agenda {WORD}",
        priority="hoog",
        owner=personas.hub,
        start_quarter="2026-Q1",
        end_quarter="2026-Q4",
    )
    Insight.objects.create(title=f"Inzicht {WORD}", description="Uit de regio's")
    return personas


REGIONAL = (
    "regios",
    "gemeenten",
    "processtappen",
    "bijeenkomsten",
    "pilots",
    "signalen",
    "besluiten",
    "afspraken",
    "voortgang",
    "documenten",
)
BOTH = {OWN_REGION, FOREIGN_REGION}
OWN = {OWN_REGION}
# Per role: for each kind, the regions whose record it finds, or the products' names.
EXPECTED = {
    "alice": {
        **dict.fromkeys(REGIONAL, BOTH),
        "inzet": BOTH,
        "producten": {"Gepubliceerd product"},
        "productdocumenten": {"Gepubliceerd product"},
    },
    # another region's adviser: every adviser reads every region (regions/access.py)
    "bob": {
        **dict.fromkeys(REGIONAL, BOTH),
        "inzet": BOTH,
        "producten": {"Gepubliceerd product"},
        "productdocumenten": {"Gepubliceerd product"},
    },
    "pm": {
        **dict.fromkeys(REGIONAL, BOTH),
        "inzet": BOTH,
        "producten": {"Gepubliceerd product", "Concept product"},
        "productdocumenten": {"Gepubliceerd product"},
        "agenda": {""},
        "inzichten": {""},
    },
    "hub": {
        **dict.fromkeys(REGIONAL, BOTH),
        "inzet": BOTH,
        "producten": {"Gepubliceerd product", "Concept product"},
        "productdocumenten": {"Gepubliceerd product", "Concept product"},
        "agenda": {""},
        "inzichten": {""},
    },
    "spec": {
        **dict.fromkeys(REGIONAL, OWN),
        "inzet": OWN,
        "producten": {"Gepubliceerd product"},
        "productdocumenten": {"Gepubliceerd product"},
    },
    "partner": {},
    "admin": {},
}


def _where(kind: str, hit) -> str:
    """The region code (regional records, deployments) or product name of a hit."""
    if kind in ("producten",):
        return Product.objects.get(pk=hit.pk).name
    if kind == "productdocumenten":
        return VersionDocument.objects.get(pk=hit.pk).version.product.name
    if kind in ("agenda", "inzichten"):
        return ""
    if kind == "regios":
        return Region.objects.get(pk=hit.pk).code
    return Region.objects.get(name=hit.place).code


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_role_finds_exactly_what_its_pages_show_it(world, role):
    found = {
        kind: {_where(kind, hit) for hit in hits}
        for kind, hits in _hits(getattr(world, role)).items()
    }
    assert found == EXPECTED[role]


@pytest.mark.parametrize("role", ["alice", "bob", "pm", "hub", "spec"])
def test_every_hit_opens_a_page_the_user_may_see(world, client, role):
    user = getattr(world, role)
    client.force_login(user)
    for kind, hits in _hits(user).items():
        for hit in hits:
            page, _hash, anchor = hit.url.partition("#")
            response = client.get(page)
            assert response.status_code == 200, (kind, hit.url)
            if anchor:
                assert f'id="{anchor}"' in response.content.decode(), (kind, hit.url)


def test_a_hit_past_the_first_records_of_its_part_opens_a_page_that_shows_it(client, personas):
    """The region page shows a section's first 10 records and the latest 8 progress updates;
    a hit on an older one opens the page with its part in full."""
    region = Region.objects.get(code=OWN_REGION)
    meeting = MeetingFactory(
        region=region, title="Overleg over de begroting", date=datetime.date(2024, 1, 1)
    )
    MeetingFactory.create_batch(11, region=region)  # newer: the page shows these first
    update = ProgressUpdateFactory(region=region, narrative="De begroting sluit.")
    ProgressUpdateFactory.create_batch(8, region=region)  # newer
    client.force_login(personas.alice)
    hits = _hits(personas.alice, "begroting")
    for kind, anchor in (
        ("bijeenkomsten", f"bijeenkomsten-{meeting.pk}"),
        ("voortgang", f"update-{update.pk}"),
    ):
        (hit,) = hits[kind]
        page, _hash, fragment = hit.url.partition("#")
        assert fragment == anchor
        assert f'id="{anchor}"' not in client.get(region.get_absolute_url()).content.decode()
        assert f'id="{anchor}"' in client.get(page).content.decode(), hit.url


def test_partner_and_beheerder_get_no_search_page_and_no_search_field(world, client):
    for user in (world.partner, world.admin):
        client.force_login(user)
        assert client.get(reverse("search:results"), {"q": WORD}).status_code == 403
        home = client.get("/", follow=True).content.decode()
        assert 'role="search"' not in home
    client.force_login(world.alice)
    assert 'role="search"' in client.get("/", follow=True).content.decode()


def test_dutch_stemming_and_accents(personas):
    region = Region.objects.get(code=OWN_REGION)
    MeetingFactory(region=region, title="Bijeenkomst over de financiën", minutes="")
    RouteStepFactory(region=region, title="Scenario's doorrekenen", description="")
    alice = personas.alice
    assert [h.title for h in _hits(alice, "bijeenkomsten")["bijeenkomsten"]] == [
        "<mark>Bijeenkomst</mark> over de financiën"
    ]
    assert [h.title for h in _hits(alice, "financien")["bijeenkomsten"]] == [
        "Bijeenkomst over de <mark>financiën</mark>"
    ]
    assert _hits(alice, "FINANCIËN")["bijeenkomsten"]
    assert _hits(alice, "scenario")["processtappen"]
    # All words must occur; a minus leaves a word out; a phrase in quotes stays together.
    assert "bijeenkomsten" not in _hits(alice, "bijeenkomst rekenmodel")
    assert "bijeenkomsten" not in _hits(alice, "bijeenkomst -financien")
    assert _hits(alice, '"over de financiën"')["bijeenkomsten"]
    assert _hits(alice, "rekenmodel or financien")["bijeenkomsten"]


def test_a_snippet_is_escaped_and_marks_only_the_words_found(personas):
    region = Region.objects.get(code=OWN_REGION)
    MeetingFactory(
        region=region,
        title="Overleg",
        minutes="Eerst <script>alert(1)</script> & daarna de begroting voor 2027.",
    )
    (hit,) = _hits(personas.alice, "begroting")["bijeenkomsten"]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet or "alert(1)" in hit.snippet
    assert "<mark>begroting</mark>" in hit.snippet
    assert hit.snippet.count("<mark>") == 1
    assert hit.url == f"/regios/{OWN_REGION}/?toon=bijeenkomsten#bijeenkomsten-{hit.pk}"


def test_regions_and_municipalities_by_name(personas):
    own = Region.objects.get(code=OWN_REGION)
    municipality = own.municipalities.order_by("name").first()
    regions = _hits(personas.alice, own.name)["regios"]
    assert [hit.url for hit in regions][:1] == [f"/regios/{OWN_REGION}/"]
    found = _hits(personas.alice, municipality.name)["gemeenten"]
    assert municipality.pk in {hit.pk for hit in found}
    assert {hit.place for hit in found if hit.pk == municipality.pk} == {own.name}
    # A specialist finds only the regions they work in.
    assert "regios" not in _hits(personas.spec, Region.objects.get(code=FOREIGN_REGION).name)


def test_a_removed_document_is_no_longer_found(world):
    document = Document.objects.get(region__code=OWN_REGION)
    assert document.pk in {hit.pk for hit in _hits(world.alice)["documenten"]}
    assert (
        remove_document(document=document, expected_version=document.version, by=world.alice)
        is None
    )
    assert document.pk not in {hit.pk for hit in _hits(world.alice)["documenten"]}


@pytest.mark.parametrize(
    "kind, make",
    [
        ("application/pdf", lambda: demo_pdf("De begroting van de regio")),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", None),
        ("application/vnd.oasis.opendocument.text", None),
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", None),
    ],
    ids=["pdf", "docx", "odt", "xlsx"],
)
def test_the_text_of_every_accepted_kind_is_read(kind, make):
    data = make() if make else document_bytes(kind, "De begroting van de regio")
    assert "begroting van de regio" in read_file_text(data, kind)


def test_a_damaged_file_is_searched_by_its_title_and_says_so(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    region = Region.objects.get(code=OWN_REGION)
    document = add_document(
        region=region,
        title="Kapotte begroting",
        upload=ContentFile(b"%PDF-1.4 broken", name="kapot.pdf"),
        content_type="application/pdf",
        by=personas.alice,
    )
    assert read_text(Document, document.pk) == TextState.FAILED
    assert _hits(personas.alice, "begroting")["documenten"][0].pk == document.pk


def test_the_overview_shows_each_kind_in_one_query_and_pages_a_kind(personas, client):
    region = Region.objects.get(code=OWN_REGION)
    for n in range(GROUP_SIZE + 2):
        MeetingFactory(region=region, title=f"Begroting {n}", minutes="")
    RouteStepFactory(region=region, title="Begroting opstellen", description="")
    client.force_login(personas.alice)
    client.get("/")  # the session and its language settled
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("search:results"), {"q": "begroting"})
    searches = [q for q in queries.captured_queries if "websearch_to_tsquery" in q["sql"]]
    assert len(searches) == 1
    assert len(queries.captured_queries) == 3  # the session, its user and the search
    html = page.content.decode()
    assert 'Bijeenkomsten <span class="rm-section__count">(7)</span>' in html
    assert html.count('class="rm-search-hit"') == GROUP_SIZE + 1
    assert "Alle 7 resultaten in bijeenkomsten" in html
    second = client.get(reverse("search:results"), {"q": "begroting", "soort": "bijeenkomsten"})
    assert second.content.decode().count('class="rm-search-hit"') == 7


def test_too_long_a_query_is_refused_with_a_message_and_kept(personas, client):
    client.force_login(personas.alice)
    text = "woord " * 40
    html = client.get(reverse("search:results"), {"q": text}).content.decode()
    assert "Zoek met ten hoogste 200 tekens; u typte er 239. Er is niets gezocht." in html
    assert f'value="{text.strip()}"' in html


def test_replacing_a_stale_document_is_refused_and_nothing_changes(
    personas, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    region = Region.objects.get(code=OWN_REGION)
    document = add_document(
        region=region,
        title="Begroting",
        upload=ContentFile(demo_pdf("Begroting 2027"), name="begroting.pdf"),
        content_type="application/pdf",
        by=personas.alice,
    )
    client.force_login(personas.alice)
    url = reverse("monitoring:document_replace", args=[OWN_REGION, document.pk])
    form = client.get(url).content.decode()
    assert 'value="Begroting"' in form  # the title kept by default
    Document.objects.filter(pk=document.pk).update(title="Begroting 2027", version=2)
    new = ContentFile(demo_pdf("Begroting 2028"), name="begroting-2028.pdf")
    response = client.post(url, {"title": "Begroting", "file": new, "version": "1"})
    assert response.status_code == 409
    assert "Iemand heeft dit document intussen gewijzigd, dus het is niet vervangen." in (
        response.content.decode()
    )
    assert Document.objects.count() == 1
    assert Document.objects.get().removed_at is None


def test_a_replaced_document_is_kept_in_the_history(personas, settings, tmp_path):
    from core.history import history_events

    settings.MEDIA_ROOT = tmp_path
    region = Region.objects.get(code=OWN_REGION)
    old = add_document(
        region=region,
        title="Begroting",
        upload=ContentFile(demo_pdf("Begroting 2027"), name="begroting.pdf"),
        content_type="application/pdf",
        by=personas.alice,
    )
    new = replace_document(
        document=old,
        expected_version=old.version,
        title="Begroting",
        upload=ContentFile(demo_pdf("Begroting 2028"), name="begroting-2028.pdf"),
        content_type="application/pdf",
        by=personas.alice,
    )
    assert list(Document.objects.current()) == [new]
    assert old.file.storage.exists(Document.objects.get(pk=old.pk).file.name)  # kept for the past
    events = history_events(region, model="monitoring.Document")
    labels = {(int(e.pgh_obj_id), e.pgh_label) for e in events}
    assert {(old.pk, "insert"), (old.pk, "update"), (new.pk, "insert")} <= labels
