"""Specialist profiles: who reads and changes what, version checks, availability, the list."""

import datetime
import re

import pytest
from django.urls import reverse

from innovation.models import Certification, Product, ProductVersion
from monitoring.models import ProductUse
from regions.models import Region
from specialists.models import SpecialistProfile, Unavailability
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import DeploymentFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def profile_url(user, name="profile"):
    return reverse(f"specialists:{name}", args=[user.pk])


def test_programme_changes_expertise_and_the_history_keeps_it(client, personas):
    client.force_login(personas.pm)
    response = client.post(
        profile_url(personas.spec, "profile_edit"),
        {"expertise": ["juridisch"], "summary": "Jurist sociale zekerheid", "version": "1"},
    )
    assert response.status_code == 302
    profile = SpecialistProfile.objects.get(user=personas.spec)
    assert (profile.expertise, profile.version, profile.updated_by) == (
        ["juridisch"],
        2,
        personas.pm,
    )
    assert profile.events.filter(pgh_label="update").count() == 1
    html = client.get(profile_url(personas.spec)).content.decode()
    assert "Juridisch" in html and "Jurist sociale zekerheid" in html


def test_a_stale_profile_save_changes_nothing_and_shows_both(client, personas):
    SpecialistProfile.objects.filter(user=personas.spec).update(
        summary="Bijgewerkt door de hub", version=2, updated_by=personas.hub
    )
    client.force_login(personas.pm)
    response = client.post(
        profile_url(personas.spec, "profile_edit"),
        {"expertise": ["governance"], "summary": "Mijn tekst", "version": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Bijgewerkt door de hub" in html and "Mijn tekst" in html
    assert 'name="version" value="2"' in html  # saving again is a deliberate choice
    assert SpecialistProfile.objects.get(user=personas.spec).summary == "Bijgewerkt door de hub"


def test_an_empty_expertise_is_refused_in_dutch_and_the_text_is_kept(client, personas):
    client.force_login(personas.hub)
    response = client.post(
        profile_url(personas.spec, "profile_edit"), {"summary": "Nieuwe tekst", "version": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies ten minste één expertisegebied." in html and "Nieuwe tekst" in html
    assert SpecialistProfile.objects.get(user=personas.spec).version == 1


def test_the_specialist_keeps_their_own_availability_only(client, personas):
    client.force_login(personas.spec)
    url = profile_url(personas.spec, "availability")
    assert client.post(url, {"hours_per_week": "20", "version": "1"}).status_code == 302
    assert SpecialistProfile.objects.get(user=personas.spec).hours_per_week == 20
    refused = client.post(url, {"hours_per_week": "60", "version": "2"})
    assert "Zorg ervoor dat deze waarde hoogstens 40 is." in refused.content.decode()
    # The specialist may not change their own expertise, nor the hub their availability.
    edit = profile_url(personas.spec, "profile_edit")
    assert client.post(edit, {"expertise": ["juridisch"], "version": "2"}).status_code == 403
    client.force_login(personas.hub)
    assert client.post(url, {"hours_per_week": "1", "version": "2"}).status_code == 403
    assert SpecialistProfile.objects.get(user=personas.spec).hours_per_week == 20


def test_a_specialist_without_a_profile_gets_one_with_their_availability(client, personas):
    newcomer = UserFactory(username="nieuw", specialist=True)
    client.force_login(newcomer)
    assert "Nog geen profiel vastgelegd." in client.get(profile_url(newcomer)).content.decode()
    client.post(profile_url(newcomer, "availability"), {"hours_per_week": "12"})
    assert SpecialistProfile.objects.get(user=newcomer).hours_per_week == 12


def test_unavailable_periods_are_checked_and_shown(client, personas):
    client.force_login(personas.spec)
    url = profile_url(personas.spec, "unavailability_add")
    start = TODAY - datetime.timedelta(days=2)
    end = TODAY + datetime.timedelta(days=10)
    assert client.post(url, {"start_date": start, "end_date": end}).status_code == 302
    backwards = client.post(url, {"start_date": end, "end_date": start, "reason": "Verlof"})
    assert "De einddatum ligt vóór de startdatum." in backwards.content.decode()
    overlap = client.post(url, {"start_date": end, "end_date": end, "reason": "Cursus"})
    html = overlap.content.decode()
    assert "overlapt" in html and 'value="Cursus"' in html
    assert Unavailability.objects.count() == 1
    client.force_login(personas.alice)
    listing = client.get(reverse("specialists:profiles")).content.decode()
    assert "niet beschikbaar tot" in listing


def test_deleting_a_period_checks_its_version(client, personas):
    period = Unavailability.objects.create(
        profile=personas.spec.specialist_profile,
        start_date=TODAY,
        end_date=TODAY,
        version=2,
    )
    client.force_login(personas.spec)
    url = reverse("specialists:unavailability_delete", args=[personas.spec.pk, period.pk])
    client.post(url, {"version": "1"})
    assert Unavailability.objects.filter(pk=period.pk).exists()
    client.post(url, {"version": "2"})
    assert not Unavailability.objects.filter(pk=period.pk).exists()


def test_profile_shows_certifications_deployments_and_supported_uses(client, personas):
    product = Product.objects.create(name="Format procesroute", kind="format", owner=personas.hub)
    version = ProductVersion.objects.create(product=product, label="2.0", status="gepubliceerd")
    Certification.objects.create(
        specialist=personas.spec,
        version=version,
        certified_on=TODAY - datetime.timedelta(days=300),
        expires_on=TODAY + datetime.timedelta(days=20),
    )
    for code in (OWN_REGION, FOREIGN_REGION):
        ProductUse.objects.create(
            region=Region.objects.get(code=code),
            product_version=version,
            product_name=product.name,
            specialist=personas.spec,
            applied_on=TODAY,
        )
    client.force_login(personas.spec)
    html = client.get(profile_url(personas.spec)).content.decode()
    assert "Format procesroute 2.0" in html and "verloopt binnenkort" in html
    assert "Groningen" in html  # deployed there
    assert "Drenthe" not in html  # a use in a region the specialist may not see


def test_profile_list_query_count_is_fixed(client, personas, django_assert_num_queries):
    client.force_login(personas.alice)
    url = reverse("specialists:profiles")
    # session, user, specialists with profile and counts, their coming periods
    with django_assert_num_queries(4) as few:
        client.get(url)
    for n in range(5):
        user = UserFactory(username=f"expert{n}", specialist=True)
        profile = SpecialistProfile.objects.create(user=user, expertise=["financien"])
        Unavailability.objects.create(profile=profile, start_date=TODAY, end_date=TODAY)
        DeploymentFactory(specialist=user, region=Region.objects.get(code=FOREIGN_REGION))
    with django_assert_num_queries(len(few.captured_queries)):
        html = client.get(url).content.decode()
    assert len(re.findall(r'href="/specialisten/\d+/"', html)) == 6


def test_profile_list_filters_on_expertise(client, personas):
    other = UserFactory(username="jurist", specialist=True, first_name="Jan", last_name="Jurist")
    SpecialistProfile.objects.create(user=other, expertise=["juridisch"])
    client.force_login(personas.hub)
    html = client.get(reverse("specialists:profiles"), {"expertise": "juridisch"}).content.decode()
    assert "Jan Jurist" in html and "Sanne Specialist" not in html
