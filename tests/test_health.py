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
    assert html.count("rm-health-ok") == 4  # database, broker, the (empty) job queue and outbox
    assert "PostgreSQL" in html and "Redis 7" in html
    assert "0 wachtend, 0 bezig" in html


def test_liveness_answers_without_login(client):
    response = client.get(reverse("core:liveness"))
    assert (response.status_code, response.content) == (200, b"ok")


def test_health_page_counts_the_waiting_jobs_and_says_how_old_the_oldest_is(
    client, personas, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from reporting.models import DossierExport, JobState, Report
    from reporting.services import freeze_quarter

    settings.JOBS_RESEND_AFTER_SECONDS = 300
    now = timezone.now()
    snapshot = freeze_quarter(year=2026, quarter=3, by=personas.pm)
    Report.objects.create(snapshot=snapshot, queued_at=now - timedelta(minutes=2))
    region = personas.own_step.region
    for minutes, state in ((40, JobState.QUEUED), (1, JobState.RUNNING), (90, JobState.DONE)):
        DossierExport.objects.create(
            region=region,
            requested_by=personas.alice,
            state=state,
            queued_at=now - timedelta(minutes=minutes),
        )
    client.force_login(personas.admin)
    html = " ".join(client.get(reverse("core:health")).content.decode().split())
    row = html[html.index('data-check="jobs"') :]
    row = row[: row.index("</tr>")]
    assert "Rapportages en exports in de wachtrij" in row
    assert "2 wachtend, 1 bezig, oudste wacht 40 minuten" in row
    assert "rm-health-fail" in row  # one waits longer than the threshold

    DossierExport.objects.filter(state=JobState.QUEUED).update(state=JobState.DONE)
    html = " ".join(client.get(reverse("core:health")).content.decode().split())
    row = html[html.index('data-check="jobs"') :]
    assert "1 wachtend, 1 bezig, oudste wacht 2 minuten" in row[: row.index("</tr>")]
    assert "rm-health-ok" in row[: row.index("</tr>")]
