"""The same record twice is refused, with the reason next to the field (through the views), and
a database constraint where the record has a natural key."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from innovation.models import (
    AgendaItem,
    Certification,
    Product,
    ProductVersion,
    VersionDocument,
)
from monitoring.models import Document, ProductUse, ProgressUpdate
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import ProgressUpdateFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PROGRESS = {"year": "2026", "quarter": "4", "status": "aandacht", "narrative": "Raad in januari."}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def field_error(html: str, field_id: str) -> str:
    """The error shown next to the field (includes/field.html), not the summary at the top."""
    match = re.search(rf'<p class="rm-field-error" id="{field_id}_error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def test_a_second_progress_update_for_the_same_quarter_is_refused(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:progress_create", args=[OWN_REGION])
    assert client.post(url, PROGRESS).status_code == 302
    again = client.post(
        url, {**PROGRESS, "narrative": "Nog een keer"}, headers={"HX-Request": "true"}
    )
    html = again.content.decode()
    assert field_error(html, "id_quarter") == (
        "Voor deze regio is er al een voortgangsupdate voor 2026 Q4; wijzig die."
    )
    assert "Nog een keer" in html  # what was typed is kept
    assert ProgressUpdate.objects.filter(region__code=OWN_REGION).count() == 1
    # Another quarter, or the same quarter in another region, is fine.
    assert client.post(url, {**PROGRESS, "quarter": "3"}).status_code == 302
    client.force_login(personas.bob)
    foreign = reverse("monitoring:progress_create", args=[FOREIGN_REGION])
    assert client.post(foreign, PROGRESS).status_code == 302


def test_the_database_refuses_a_second_update_for_a_quarter(personas):
    region = Region.objects.get(code=OWN_REGION)
    ProgressUpdateFactory(region=region, year=2026, quarter=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.create(
            region=region,
            year=2026,
            quarter=4,
            status="risico",
            narrative="x",
            author=personas.alice,
        )


def test_the_factory_gives_each_update_of_a_region_its_own_quarter(personas):
    region = Region.objects.get(code=OWN_REGION)
    quarters = [(u.year, u.quarter) for u in ProgressUpdateFactory.create_batch(3, region=region)]
    assert quarters == [(2026, 3), (2026, 2), (2026, 1)]


@pytest.fixture
def published(personas):
    product = Product.objects.create(name="Format procesroute", kind="format", owner=personas.hub)
    return ProductVersion.objects.create(product=product, label="1.0", status="gepubliceerd")


def test_an_identical_certification_is_refused(client, personas, published):
    client.force_login(personas.hub)
    data = {
        "specialist": personas.spec.pk,
        "version": published.pk,
        "certified_on": "2026-03-01",
        "expires_on": "2027-03-01",
    }
    url = reverse("innovation:certifications")
    assert client.post(url, data).status_code == 302
    html = client.post(url, {**data, "certified_on": "2026-04-01"}).content.decode()
    assert field_error(html, "id_version") == (
        f"{personas.spec} is al gecertificeerd voor Format procesroute 1.0; wijzig die "
        "certificering (bij een verlenging de datums)."
    )
    assert Certification.objects.count() == 1
    other = UserFactory(username="trainer2", specialist=True)
    assert client.post(url, {**data, "specialist": other.pk}).status_code == 302
    with pytest.raises(IntegrityError), transaction.atomic():
        Certification.objects.create(
            specialist=other,
            version=published,
            certified_on=datetime.date(2026, 5, 1),
            expires_on=datetime.date(2027, 5, 1),
        )


AGENDA = {
    "agenda": "1",
    "agenda-title": "Rekenmodel beschut werk",
    "agenda-priority": "hoog",
    "agenda-start_quarter": "2026-Q3",
    "agenda-end_quarter": "2027-Q1",
    "agenda-status": "gepland",
}


def test_the_same_agenda_item_twice_is_refused_whatever_its_case(client, personas):
    client.force_login(personas.hub)
    url = reverse("innovation:agenda")
    assert client.post(url, AGENDA).status_code == 302
    html = client.post(url, {**AGENDA, "agenda-title": "rekenmodel Beschut werk"}).content.decode()
    assert field_error(html, "id_agenda-title") == (
        "De agenda heeft al een agendapunt “Rekenmodel beschut werk”; wijzig dat."
    )
    assert AgendaItem.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(
            title="REKENMODEL BESCHUT WERK",
            priority="laag",
            owner=personas.hub,
            start_quarter="2026-Q1",
            end_quarter="2026-Q2",
        )


def test_the_same_use_of_an_instrument_twice_is_refused(client, personas, published):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "instrumenten"])
    data = {"product_version": published.pk, "applied_on": "2026-05-01"}
    assert client.post(url, data).status_code == 302
    html = client.post(url, {**data, "notes": "Tweede keer"}).content.decode()
    assert field_error(html, "id_applied_on") == (
        "Deze toepassing van Format procesroute op deze datum (met dezelfde specialist) staat al "
        "bij deze regio; wijzig die."
    )
    assert "Tweede keer" in html
    assert ProductUse.objects.count() == 1
    # Another day, or another specialist on the same day, is another use.
    assert client.post(url, {**data, "applied_on": "2026-05-02"}).status_code == 302
    assert client.post(url, {**data, "specialist": personas.spec.pk}).status_code == 302
    with pytest.raises(IntegrityError), transaction.atomic():
        ProductUse.objects.create(
            region=Region.objects.get(code=OWN_REGION),
            product_version=published,
            product_name="Format procesroute",
            applied_on=datetime.date(2026, 5, 1),
        )


def test_an_edit_may_keep_its_own_key(client, personas, published):
    """The duplicate rule leaves the record itself out: saving it unchanged is no duplicate."""
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "instrumenten"])
    client.post(url, {"product_version": published.pk, "applied_on": "2026-05-01"})
    use = ProductUse.objects.get()
    edit = reverse("monitoring:record_edit", args=[OWN_REGION, "instrumenten", use.pk])
    data = {"product_version": published.pk, "applied_on": "2026-05-01", "notes": "Aangevuld"}
    assert client.post(edit, {**data, "version": "1"}).status_code == 302
    use.refresh_from_db()
    assert (use.notes, use.version) == ("Aangevuld", 2)


def test_the_same_file_twice_in_one_dossier_is_refused(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:document_upload", args=[OWN_REGION])
    first = {"title": "Verslag stuurgroep", "file": SimpleUploadedFile("verslag.pdf", PDF)}
    assert client.post(url, first).status_code == 302
    again = {"title": "Nog eens", "file": SimpleUploadedFile("kopie.pdf", PDF)}
    html = client.post(url, again).content.decode()
    assert field_error(html, "id_file").startswith(
        "Dit bestand is hier al toegevoegd als “Verslag stuurgroep” op "
    )
    assert 'value="Nog eens"' in html
    assert Document.objects.count() == 1
    # Another file, or the same file in another region's dossier, is accepted.
    other = {"title": "Ander", "file": SimpleUploadedFile("ander.pdf", PDF + b"% ander\n")}
    assert client.post(url, other).status_code == 302
    client.force_login(personas.bob)
    foreign = reverse("monitoring:document_upload", args=[FOREIGN_REGION])
    copy = {"title": "Kopie", "file": SimpleUploadedFile("verslag.pdf", PDF)}
    assert client.post(foreign, copy).status_code == 302


def test_the_same_file_twice_on_one_product_version_is_refused(client, personas):
    product = Product.objects.create(name="Scan", kind="scan", owner=personas.hub)
    draft = ProductVersion.objects.create(product=product, label="0.1")
    client.force_login(personas.hub)
    url = reverse("innovation:document_upload", args=[draft.pk])
    prefix = f"doc{draft.pk}"

    def post(title):
        file = SimpleUploadedFile("handleiding.pdf", PDF)
        return client.post(url, {f"{prefix}-title": title, f"{prefix}-file": file})

    assert post("Handleiding").status_code == 302
    html = post("Handleiding kopie").content.decode()
    assert "Dit bestand is hier al toegevoegd als “Handleiding” op " in field_error(
        html, f"id_{prefix}-file"
    )
    assert VersionDocument.objects.count() == 1
