"""The hub corrects and removes certifications and agenda items: version-checked, with the
history keeping every change."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from innovation.models import AgendaItem, Certification, Product, ProductVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(personas):
    product = Product.objects.create(name="Scan governance", kind="scan", owner=personas.hub)
    return ProductVersion.objects.create(product=product, label="1.0", status="gepubliceerd")


@pytest.fixture
def certification(personas, published):
    return Certification.objects.create(
        specialist=personas.spec,
        version=published,
        certified_on=datetime.date(2026, 3, 1),
        expires_on=datetime.date(2028, 3, 1),
    )


@pytest.fixture
def item(personas):
    return AgendaItem.objects.create(
        title="Handreiking governance",
        priority="hoog",
        owner=personas.hub,
        start_quarter="2026-Q2",
        end_quarter="2026-Q4",
    )


def certification_data(certification, **changes) -> dict:
    data = {
        "specialist": certification.specialist_id,
        "version": certification.version_id,
        "certified_on": "2026-03-01",
        "expires_on": "2028-03-01",
        "row_version": certification.row_version,
    }
    return {**data, **changes}


def item_data(item, **changes) -> dict:
    data = {
        "title": item.title,
        "priority": item.priority,
        "start_quarter": item.start_quarter,
        "end_quarter": item.end_quarter,
        "status": item.status,
        "version": item.version,
    }
    return {**data, **changes}


def events(model, pk) -> list[str]:
    """The labels of the history rows the database triggers wrote for this record."""
    event_model = apps.get_model("innovation", f"{model.__name__}Event")
    rows = event_model.objects.filter(pgh_obj_id=pk).order_by("pgh_id")
    return list(rows.values_list("pgh_label", flat=True))


def test_hub_corrects_a_certifications_dates(client, personas, certification):
    client.force_login(personas.hub)
    url = reverse("innovation:certification_edit", args=[certification.pk])
    page = client.get(url).content.decode()
    assert 'name="row_version" value="1"' in page and 'for="id_expires_on"' in page
    response = client.post(url, certification_data(certification, expires_on="2029-01-31"))
    assert response.status_code == 302
    certification.refresh_from_db()
    assert (certification.expires_on, certification.row_version, certification.updated_by) == (
        datetime.date(2029, 1, 31),
        2,
        personas.hub,
    )
    assert events(Certification, certification.pk) == ["insert", "update"]


def test_a_correction_keeps_the_rules_of_adding(client, personas, certification):
    client.force_login(personas.hub)
    url = reverse("innovation:certification_edit", args=[certification.pk])
    response = client.post(url, certification_data(certification, expires_on="2025-01-01"))
    assert response.status_code == 200
    assert "De vervaldatum ligt vóór de certificering." in response.content.decode()
    certification.refresh_from_db()
    assert certification.expires_on == datetime.date(2028, 3, 1)


def test_a_correction_that_duplicates_another_certification_is_refused(
    client, personas, certification, published
):
    other = UserFactory(username="trainer2", specialist=True, first_name="Tom", last_name="Trainer")
    second = Certification.objects.create(
        specialist=other,
        version=published,
        certified_on=datetime.date(2026, 4, 1),
        expires_on=datetime.date(2028, 4, 1),
    )
    client.force_login(personas.hub)
    url = reverse("innovation:certification_edit", args=[second.pk])
    response = client.post(url, certification_data(second, specialist=personas.spec.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "is al gecertificeerd voor Scan governance 1.0" in html
    assert 'id="id_version_error"' in html  # next to the field, not only at the top
    second.refresh_from_db()
    assert second.specialist == other


def test_a_stale_certification_save_is_refused_and_overwrites_nothing(
    client, personas, certification
):
    Certification.objects.filter(pk=certification.pk).update(
        expires_on=datetime.date(2030, 1, 1), row_version=2
    )
    client.force_login(personas.hub)
    url = reverse("innovation:certification_edit", args=[certification.pk])
    response = client.post(url, certification_data(certification, expires_on="2029-06-30"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "1 januari 2030" in html and "30 juni 2029" in html
    assert 'name="row_version" value="2"' in html  # saving again means: mine, knowingly
    certification.refresh_from_db()
    assert certification.expires_on == datetime.date(2030, 1, 1)


def test_hub_removes_a_certification_after_confirming(client, personas, certification):
    client.force_login(personas.hub)
    url = reverse("innovation:certification_delete", args=[certification.pk])
    page = client.get(url).content.decode()
    assert "Ja, verwijderen" in page and Certification.objects.exists()
    response = client.post(url, {"row_version": "1"})
    assert response.status_code == 302
    assert not Certification.objects.exists()
    assert events(Certification, certification.pk) == ["insert", "delete"]


def test_a_changed_certification_is_not_removed(client, personas, certification):
    Certification.objects.filter(pk=certification.pk).update(row_version=2)
    client.force_login(personas.hub)
    url = reverse("innovation:certification_delete", args=[certification.pk])
    response = client.post(url, {"row_version": "1"})
    assert response.status_code == 409
    assert "in de tussentijd gewijzigd" in response.content.decode()
    assert Certification.objects.filter(pk=certification.pk).exists()


@pytest.mark.parametrize("role", ["programme", "adviser", "specialist", "partner"])
def test_only_the_hub_corrects_or_removes(client, personas, certification, item, role):
    client.force_login(personas.by_role(role))
    posts = [
        ("innovation:certification_edit", certification, certification_data(certification)),
        ("innovation:certification_delete", certification, {"row_version": "1"}),
        ("innovation:agenda_item_edit", item, item_data(item, title="Anders")),
        ("innovation:agenda_item_delete", item, {"version": "1"}),
    ]
    for name, record, data in posts:
        assert client.post(reverse(name, args=[record.pk]), data).status_code == 403
    assert Certification.objects.filter(pk=certification.pk, row_version=1).exists()
    assert AgendaItem.objects.filter(pk=item.pk, title="Handreiking governance").exists()


def test_an_unknown_record_is_404_for_the_hub(client, personas):
    client.force_login(personas.hub)
    for name in ("innovation:certification_edit", "innovation:agenda_item_delete"):
        assert client.get(reverse(name, args=[999999])).status_code == 404


def test_lists_link_to_correcting_only_for_the_hub(client, personas, certification, item):
    edit = reverse("innovation:certification_edit", args=[certification.pk])
    item_edit = reverse("innovation:agenda_item_edit", args=[item.pk])
    client.force_login(personas.hub)
    assert edit in client.get(reverse("innovation:certifications")).content.decode()
    assert item_edit in client.get(reverse("innovation:agenda")).content.decode()
    client.force_login(personas.pm)
    assert edit not in client.get(reverse("innovation:certifications")).content.decode()
    assert item_edit not in client.get(reverse("innovation:agenda")).content.decode()


def test_hub_corrects_an_agenda_item(client, personas, item, published):
    client.force_login(personas.hub)
    url = reverse("innovation:agenda_item_edit", args=[item.pk])
    data = item_data(item, status="lopend", end_quarter="2027-Q2", product_versions=[published.pk])
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.end_quarter, item.version) == ("lopend", "2027-Q2", 2)
    assert list(item.product_versions.all()) == [published]
    assert item.owner == personas.hub  # not in the form: kept
    assert events(AgendaItem, item.pk) == ["insert", "update"]


def test_an_agenda_correction_keeps_the_rules_of_adding(client, personas, item):
    AgendaItem.objects.create(
        title="Rekenmodel beschut werk",
        priority="midden",
        owner=personas.hub,
        start_quarter="2026-Q3",
        end_quarter="2027-Q1",
    )
    client.force_login(personas.hub)
    url = reverse("innovation:agenda_item_edit", args=[item.pk])
    html = client.post(url, item_data(item, title="rekenmodel BESCHUT werk")).content.decode()
    assert "De agenda heeft al een agendapunt “Rekenmodel beschut werk”" in html
    assert 'id="id_title_error"' in html
    html = client.post(url, item_data(item, end_quarter="2026-Q1")).content.decode()
    assert "De planning eindigt voordat die begint." in html
    item.refresh_from_db()
    assert (item.title, item.end_quarter, item.version) == ("Handreiking governance", "2026-Q4", 1)


def test_a_stale_agenda_save_is_refused_and_overwrites_nothing(client, personas, item):
    AgendaItem.objects.filter(pk=item.pk).update(status="afgerond", version=2)
    client.force_login(personas.hub)
    url = reverse("innovation:agenda_item_edit", args=[item.pk])
    response = client.post(url, item_data(item, status="lopend"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Afgerond" in html and "Lopend" in html and 'name="version" value="2"' in html
    item.refresh_from_db()
    assert item.status == "afgerond"


def test_hub_removes_an_agenda_item_unless_it_changed(client, personas, item):
    client.force_login(personas.hub)
    url = reverse("innovation:agenda_item_delete", args=[item.pk])
    assert client.post(url, {"version": "7"}).status_code == 409
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert client.post(url, {"version": "1"}).status_code == 302
    assert not AgendaItem.objects.exists()
    assert events(AgendaItem, item.pk) == ["insert", "delete"]
