import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_health_page_says_when_no_worker_answers(client, personas):
    # No worker runs for this test's broker database: the page says so instead of failing.
    client.force_login(personas.admin)
    response = client.get(reverse("core:health"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een of meer diensten werken niet." in html
    assert html.count("rm-health-ok") == 2  # database and broker
    assert "PostgreSQL" in html and "Redis 7" in html


def test_liveness_answers_without_login(client):
    response = client.get(reverse("core:liveness"))
    assert (response.status_code, response.content) == (200, b"ok")
