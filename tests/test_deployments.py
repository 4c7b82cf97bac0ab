"""Specialist deployments: request, assign, report; who sees what."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from specialists.models import Deployment, DeploymentStatus
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def request_expertise(client, personas, expertise="financien"):
    client.force_login(personas.alice)
    response = client.post(
        reverse("specialists:request", args=[OWN_REGION]),
        {"expertise": expertise, "route_step": personas.own_step.pk, "note": "Doorrekening"},
    )
    assert response.status_code == 302
    return Deployment.objects.get(request_note="Doorrekening")


def test_adviser_requests_and_programme_assigns_a_specialist_with_that_expertise(client, personas):
    deployment = request_expertise(client, personas)
    assert (deployment.status, deployment.requested_by, deployment.route_step) == (
        DeploymentStatus.REQUESTED,
        personas.alice,
        personas.own_step,
    )
    # A specialist without finance expertise is refused on the server, whatever was posted.
    novice = UserFactory(username="novice", specialist=True)
    client.force_login(personas.pm)
    url = reverse("specialists:detail", args=[deployment.pk])
    data = {
        "action": "assign",
        "planned_hours": "24",
        "start_date": "2026-11-24",
        "end_date": "2026-12-20",
    }
    html = client.post(url, {**data, "specialist": novice.pk}).content.decode()
    assert "Selecteer een geldige keuze" in html
    client.post(url, {**data, "specialist": personas.spec.pk})
    deployment.refresh_from_db()
    assert (deployment.status, deployment.specialist, deployment.planned_hours) == (
        DeploymentStatus.ASSIGNED,
        personas.spec,
        24,
    )
    # Assigning again from the stale page changes nothing.
    html = client.post(url, {**data, "specialist": personas.spec.pk}, follow=True)
    assert html.status_code == 403


def test_specialist_reports_and_completion_needs_a_result(client, personas):
    deployment = request_expertise(client, personas)
    client.force_login(personas.pm)
    client.post(
        reverse("specialists:detail", args=[deployment.pk]),
        {
            "action": "assign",
            "specialist": personas.spec.pk,
            "planned_hours": "24",
            "start_date": "2026-11-24",
            "end_date": "2026-12-20",
        },
    )
    client.force_login(personas.spec)
    url = reverse("specialists:detail", args=[deployment.pk])
    html = client.post(
        url, {"action": "report", "hours": "10", "progress": "Gesprekken", "completed": "on"}
    ).content.decode()
    assert "Beschrijf het resultaat" in html
    assert Deployment.objects.get(pk=deployment.pk).status == DeploymentStatus.ASSIGNED
    assert not deployment.hours_entries.exists()  # a refused report adds no hours
    client.post(
        url,
        {
            "action": "report",
            "hours": "20",
            "progress": "Gesprekken",
            "result": "Doorrekening opgeleverd",
            "completed": "on",
        },
    )
    deployment.refresh_from_db()
    assert (deployment.status, deployment.spent_hours, deployment.result) == (
        DeploymentStatus.COMPLETED,
        20,
        "Doorrekening opgeleverd",
    )
    region_page = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert "Doorrekening opgeleverd" in region_page and "20 / 24" in region_page


def test_a_deployment_completed_before_its_planned_end_ends_today(client, personas):
    deployment = request_expertise(client, personas)
    today = timezone.localdate()
    client.force_login(personas.pm)
    client.post(
        reverse("specialists:detail", args=[deployment.pk]),
        {
            "action": "assign",
            "specialist": personas.spec.pk,
            "planned_hours": "24",
            "start_date": (today - timedelta(days=10)).isoformat(),
            "end_date": (today + timedelta(days=60)).isoformat(),
        },
    )
    client.force_login(personas.spec)
    client.post(
        reverse("specialists:detail", args=[deployment.pk]),
        {"action": "report", "progress": "Klaar", "result": "Advies", "completed": "on"},
    )
    deployment.refresh_from_db()
    assert deployment.status == DeploymentStatus.COMPLETED
    assert deployment.end_date == today  # not two months ahead


def test_specialist_sees_only_their_own_deployments(client, personas):
    other = Deployment.objects.create(
        region=personas.own_step.region,
        expertise="juridisch",
        request_note="Juridisch advies",
        status=DeploymentStatus.ACTIVE,
        specialist=UserFactory(username="andere", specialist=True),
    )
    client.force_login(personas.spec)
    listing = client.get(reverse("specialists:list")).content.decode()
    assert f"/inzet/{personas.spec.deployments.get().pk}/" in listing
    assert f"/inzet/{other.pk}/" not in listing
    assert client.get(reverse("specialists:detail", args=[other.pk])).status_code == 404
    region_page = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert f"/inzet/{other.pk}/" not in region_page
    assert client.get(reverse("regions:detail", args=[FOREIGN_REGION])).status_code == 404


def test_waiting_requests_are_flagged(client, personas):
    from datetime import timedelta

    from django.utils import timezone

    deployment = request_expertise(client, personas)
    Deployment.objects.filter(pk=deployment.pk).update(
        requested_at=timezone.now() - timedelta(days=20)
    )
    client.force_login(personas.pm)
    html = client.get(reverse("specialists:list")).content.decode()
    assert "1 aanvraag wacht al meer dan twee weken" in html


def test_list_query_count_is_fixed(client, personas, django_assert_num_queries):
    client.force_login(personas.pm)
    with django_assert_num_queries(4) as few:
        client.get(reverse("specialists:list"))
    for n in range(8):
        Deployment.objects.create(
            region=personas.own_step.region,
            expertise="governance",
            request_note=f"vraag {n}",
            requested_by=personas.alice,
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("specialists:list"))
