"""Reports through a real Celery worker and Redis: rendered once, and exactly once even when the
worker is killed mid-render.

The workers here serve the "pdf" queue of the test Redis database and read the test database,
so the web request, the broker and the worker are the real ones. Their visibility timeout is
short (with the hard time limit below it, as in production), so a message of a killed worker
comes back within seconds instead of an hour.
"""

import pytest
from django.urls import reverse

from regions.models import Region
from reporting.models import DossierExport, JobState, Report
from tests.test_reporting import pdf_text
from tests.workers import kill_mid_render, purge_pdf_queue, start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.worker]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_the_quarterly_report_from_a_frozen_quarter(
    client, reference_data, personas, media
):
    purge_pdf_queue()
    worker, _node = start_worker(media)
    try:
        client.force_login(personas.pm)
        response = client.post(reverse("reporting:index"), {"quarter": "2026-3"})
        assert response.status_code == 302
        report = Report.objects.get()
        wait_for(
            lambda: Report.objects.filter(pk=report.pk, state=JobState.DONE).exists(),
            90,
            "the report",
        )
    finally:
        stop_worker(worker)
    report.refresh_from_db()
    assert report.attempts == 1
    content = (media / report.file.name).read_bytes()
    text = pdf_text(content)
    for name in Region.objects.values_list("name", flat=True):
        assert name in text, name
    for indicator in report.snapshot.data["indicators"]:
        assert f"{indicator['key']} " in text, indicator["key"]
    status = client.get(reverse("reporting:status", args=[2026, 3]), headers={"HX-Request": "true"})
    assert status.status_code == 286
    download = client.get(reverse("reporting:download", args=[2026, 3]))
    assert b"".join(download.streaming_content) == content


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_render_ends_with_exactly_one_report(
    client, reference_data, personas, media
):
    purge_pdf_queue()
    first, _node = start_worker(media)
    second = None
    try:
        client.force_login(personas.pm)
        client.post(reverse("reporting:index"), {"quarter": "2026-3"})
        report = Report.objects.get()
        kill_mid_render(first, report)
        assert report.state == JobState.RUNNING  # killed before it could finish

        second, _node = start_worker(media)
        wait_for(
            lambda: Report.objects.filter(pk=report.pk, state=JobState.DONE).exists(),
            120,
            "the redelivered render",
        )
    finally:
        stop_worker(first)
        if second:
            stop_worker(second)
    report.refresh_from_db()
    assert Report.objects.count() == 1
    assert report.attempts == 2
    files = sorted(p.name for p in (media / "reports").iterdir())
    assert files == [report.filename]  # one complete file, no partial left behind
    assert "Kwartaalrapportage 2026 Q3" in pdf_text((media / report.file.name).read_bytes())


@pytest.mark.django_db(transaction=True)
def test_a_worker_exports_a_dossier_and_the_page_offers_the_download(
    client, reference_data, personas, media
):
    purge_pdf_queue()
    worker, _node = start_worker(media)
    try:
        client.force_login(personas.alice)
        response = client.post(reverse("reporting:export_create", args=["AM01"]))
        export = DossierExport.objects.get()
        wait_for(
            lambda: DossierExport.objects.filter(pk=export.pk, state=JobState.DONE).exists(),
            60,
            "the export",
        )
    finally:
        stop_worker(worker)
    page = client.get(response.url, headers={"HX-Request": "true"})
    assert page.status_code == 286
    assert "ZIP downloaden" in page.content.decode()
    download = client.get(reverse("reporting:export_download", args=["AM01", export.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert export.downloads.get().user == personas.alice
