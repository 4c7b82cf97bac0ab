"""Documents of product versions, development lines, and regions' use of product versions."""

import datetime
import hashlib
import importlib
import re

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.history import history_of
from innovation.models import DevelopmentLine, Product, ProductVersion, VersionDocument
from monitoring.fragments import CACHE_ALIAS
from monitoring.models import ProductUse
from regions.models import Region
from specialists.models import SpecialistProfile
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
TODAY = datetime.date.today()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def line(personas):
    return DevelopmentLine.objects.create(name="Governance")


@pytest.fixture
def draft(personas, line):
    product = Product.objects.create(
        name="Format procesroute", kind="format", owner=personas.hub, development_line=line
    )
    return ProductVersion.objects.create(product=product, label="2.0")


@pytest.fixture
def published(draft):
    return ProductVersion.objects.create(product=draft.product, label="1.0", status="gepubliceerd")


def upload(client, version, name, content, title="Handleiding"):
    prefix = f"doc{version.pk}"
    return client.post(
        reverse("innovation:document_upload", args=[version.pk]),
        {f"{prefix}-title": title, f"{prefix}-file": SimpleUploadedFile(name, content)},
    )


def test_hub_attaches_a_document_stored_outside_the_web_root(client, personas, draft, media_root):
    client.force_login(personas.hub)
    assert upload(client, draft, "../../handleiding.exe", PDF).status_code == 302
    document = VersionDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.original_name == "handleiding.exe"
    assert document.file.name.startswith(f"producten/{draft.product_id}/")
    assert document.file.name.endswith(".pdf") and ".." not in document.file.name
    assert (media_root / document.file.name).read_bytes() == PDF
    response = client.get(reverse("innovation:document_download", args=[document.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_disguised_file_is_refused_in_dutch_and_the_title_kept(client, personas, draft):
    client.force_login(personas.hub)
    response = upload(client, draft, "handleiding.pdf", b"MZ\x90\x00 not a pdf", title="Mijn titel")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit bestand is niet van het type PDF" in html and 'value="Mijn titel"' in html
    assert not VersionDocument.objects.exists()


def test_a_published_version_gets_no_new_documents(client, personas, published):
    client.force_login(personas.hub)
    html = upload(client, published, "extra.pdf", PDF).content.decode()
    assert "Een gepubliceerde versie wordt niet meer gewijzigd" in html
    assert not VersionDocument.objects.exists()


def test_draft_documents_are_for_the_hub_only(client, personas, draft, published):
    client.force_login(personas.hub)
    upload(client, draft, "concept.pdf", PDF, title="Concepthandleiding")
    draft_document = VersionDocument.objects.get()
    for user in (personas.pm, personas.alice, personas.spec):
        client.force_login(user)
        url = reverse("innovation:document_download", args=[draft_document.pk])
        assert client.get(url).status_code == 404
        html = client.get(reverse("innovation:product", args=[draft.product_id])).content.decode()
        assert "Concepthandleiding" not in html
    draft.status = "gepubliceerd"  # once published, its documents are for every reader
    draft.save()
    client.force_login(personas.spec)
    url = reverse("innovation:document_download", args=[draft_document.pk])
    assert client.get(url).status_code == 200


def test_region_form_offers_only_published_versions_and_specialists(client, personas, published):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "instrumenten"])
    html = client.get(url).content.decode()
    assert "Format procesroute 1.0" in html and "Format procesroute 2.0" not in html
    offered = re.search(r'<select name="specialist".*?</select>', html, re.S).group()
    assert "Sanne Specialist" in offered and "Bob Bakker" not in offered
    draft = ProductVersion.objects.get(label="2.0")
    refused = client.post(
        url,
        {"product_version": draft.pk, "applied_on": "2026-05-01", "specialist": personas.bob.pk},
    )
    text = refused.content.decode()
    # Next to each of the two fields (the summary at the top links to them as well).
    assert len(re.findall(r'class="rm-field-error"[^>]*>Selecteer een geldige keuze', text)) == 2
    assert not ProductUse.objects.exists()
    empty = client.post(url, {"applied_on": "2026-05-01"}).content.decode()
    assert "Kies een productversie of noem een instrument buiten de catalogus." in empty
    saved = client.post(
        url,
        {
            "product_version": published.pk,
            "product_name": "wordt overschreven",
            "applied_on": "2026-05-01",
            "specialist": personas.spec.pk,
        },
    )
    assert saved.status_code == 302
    use = ProductUse.objects.get()
    assert (use.product_name, use.product_version, use.specialist) == (
        "Format procesroute",
        published,
        personas.spec,
    )
    page = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert "Format procesroute 1.0" in page and "Sanne Specialist" in page
    history = history_of(Region.objects.get(code=OWN_REGION))
    entry = next(e for e in history if e.action == "insert" and e.subject == "Format procesroute")
    changes = {label: after for label, _before, after in entry.changes}
    assert changes["productversie"] == "Format procesroute 1.0"
    assert changes["maatwerkspecialist"] == "Sanne Specialist"


def test_an_instrument_outside_the_catalogue_keeps_its_name(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "instrumenten"])
    data = {"product_name": "Handreiking Divosa", "applied_on": "2026-05-01", "supported_by": "X"}
    assert client.post(url, data).status_code == 302
    assert ProductUse.objects.get().product_version is None


def test_product_page_shows_which_regions_use_which_version(client, personas, published):
    for code in (OWN_REGION, FOREIGN_REGION):
        ProductUse.objects.create(
            region=Region.objects.get(code=code),
            product_version=published,
            product_name="Format procesroute",
            specialist=personas.spec,
            applied_on=TODAY,
            notes=f"Toegepast in {code}",
        )
    client.force_login(personas.alice)
    html = client.get(reverse("innovation:product", args=[published.product_id])).content.decode()
    assert "Gebruikt in 2 regio" in html
    assert "Toegepast in AM01" in html and "Toegepast in AM03" in html
    assert "Sanne Specialist" in html
    client.force_login(personas.spec)  # deployed in AM01 only
    html = client.get(reverse("innovation:product", args=[published.product_id])).content.decode()
    assert "Toegepast in AM01" in html and "Toegepast in AM03" not in html


def test_region_page_query_count_does_not_grow_with_uses(
    client, personas, published, django_assert_num_queries
):
    region = Region.objects.get(code=OWN_REGION)
    client.force_login(personas.alice)
    url = reverse("regions:detail", args=[OWN_REGION])
    ProductUse.objects.create(region=region, product_name="Los", applied_on=TODAY)
    caches[CACHE_ALIAS].clear()  # both views render every section (tests/test_region_page_cache)
    # 23: as in tests/test_region_page_cache.py, the two of the Actualiteit block and the
    # visit's upsert included.
    with django_assert_num_queries(23) as few:
        client.get(url)
    for n in range(5):
        specialist = UserFactory(username=f"s{n}", specialist=True)
        ProductUse.objects.create(
            region=region,
            product_version=published,
            product_name="Format procesroute",
            specialist=specialist,
            applied_on=TODAY,
        )
    caches[CACHE_ALIAS].clear()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('id="instrumenten-') == 6


def test_the_migration_links_existing_uses_by_name(personas, published):
    region = Region.objects.get(code=OWN_REGION)
    newer = ProductVersion.objects.create(
        product=published.product, label="1.1", status="gepubliceerd"
    )
    named = ProductUse.objects.create(
        region=region,
        product_name="format PROCESROUTE ",
        supported_by="Sanne Specialist",
        applied_on=TODAY,
    )
    other = ProductUse.objects.create(region=region, product_name="Iets anders", applied_on=TODAY)
    migration = importlib.import_module(
        "monitoring.migrations.0007_product_use_version_and_specialist"
    )
    migration.link_uses_to_catalogue(apps, None)
    named.refresh_from_db()
    other.refresh_from_db()
    assert (named.product_version, named.product_name, named.specialist) == (
        newer,
        "Format procesroute",
        personas.spec,
    )
    assert named.version == 2
    assert (other.product_version, other.specialist, other.version) == (None, None, 1)


def test_lines_page_shows_delivery_and_use(client, personas, line, published, draft):
    DevelopmentLine.objects.create(name="Financiën")
    ProductUse.objects.create(
        region=Region.objects.get(code=OWN_REGION),
        product_version=published,
        product_name="Format procesroute",
        applied_on=TODAY,
    )
    client.force_login(personas.pm)
    html = client.get(reverse("innovation:lines")).content.decode()
    assert "Governance" in html and "Financiën" in html
    assert "1 regio" in html
    assert "nog niet opgeleverd" in html


def test_a_line_is_delivered_and_applied_only_with_evidence(client, personas, line, draft):
    client.force_login(personas.hub)
    url = reverse("innovation:line_edit", args=[line.pk])
    data = {"name": "Governance", "delivered_on": "2026-05-01", "version": "1"}
    html = client.post(url, data).content.decode()
    assert "gepubliceerde versie" in html and 'value="2026-05-01"' in html
    published = ProductVersion.objects.create(
        product=draft.product, label="1.0", status="gepubliceerd"
    )
    applied = {**data, "applied_nationally_on": "2026-09-01"}
    assert "Nog geen regio" in client.post(url, applied).content.decode()
    ProductUse.objects.create(
        region=Region.objects.get(code=OWN_REGION),
        product_version=published,
        product_name="Format procesroute",
        applied_on=TODAY,
    )
    assert client.post(url, applied).status_code == 302
    line.refresh_from_db()
    assert (line.applied_nationally_on, line.version, line.updated_by) == (
        datetime.date(2026, 9, 1),
        2,
        personas.hub,
    )
    # Result B4 counts it, with the lines page as its evidence.
    client.force_login(personas.pm)
    results = client.get(reverse("dashboard:results")).content.decode()
    assert reverse("innovation:lines") in results


def test_a_stale_line_save_is_refused(client, personas, line):
    DevelopmentLine.objects.filter(pk=line.pk).update(description="Van de hub", version=2)
    client.force_login(personas.hub)
    url = reverse("innovation:line_edit", args=[line.pk])
    response = client.post(url, {"name": "Governance", "description": "Van mij", "version": "1"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Van de hub" in html and "Van mij" in html
    line.refresh_from_db()
    assert line.description == "Van de hub"


def test_lines_page_query_count_is_fixed(client, personas, line, draft, django_assert_num_queries):
    client.force_login(personas.hub)
    url = reverse("innovation:lines")
    # session, user, lines with use counts, their products with counts, products without line
    with django_assert_num_queries(5) as few:
        client.get(url)
    for n in range(4):
        other = DevelopmentLine.objects.create(name=f"Lijn {n}")
        product = Product.objects.create(
            name=f"Product {n}", kind="scan", owner=personas.hub, development_line=other
        )
        ProductVersion.objects.create(product=product, label="1.0", status="gepubliceerd")
        Product.objects.create(name=f"Los product {n}", kind="scan", owner=personas.hub)
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert "Los product 3" in html and "Product 3" in html


def test_only_specialists_with_a_profile_are_offered(personas):
    from monitoring.forms import ProductUseForm

    UserFactory(username="zonderprofiel", specialist=True)
    form = ProductUseForm(region=Region.objects.get(code=OWN_REGION))
    offered = set(form.fields["specialist"].queryset)
    assert offered == {p.user for p in SpecialistProfile.objects.all()}
