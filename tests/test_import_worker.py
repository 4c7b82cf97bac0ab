"""A large import (5,000 rows) is checked and written by a real Celery worker: the page shows
its progress while the rows are checked, the preview waits for it, and confirming writes every
row in one transaction."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import Workbook

from imports.models import ImportPhase, ImportRun
from monitoring.models import RouteStep
from tests.conftest import OWN_REGION
from tests.workers import start_worker, stop_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 5000


def _large_file() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Gegevens"
    sheet.append(["Volgorde", "Stap", "Benodigde expertise", "Geplande datum", "Status"])
    for n in range(1, ROWS + 1):
        sheet.append([n, f"Stap {n:04d}", "Governance", f"{n % 28 + 1:02d}-11-2026", "Gepland"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_large_import_runs_on_the_worker_with_its_progress_shown(client, personas, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(personas.alice)
    upload = io.BytesIO(_large_file())
    upload.name = "vijfduizend.xlsx"
    response = client.post(
        reverse("imports:region", args=[OWN_REGION]), {"kind": "processtappen", "file": upload}
    )
    run = ImportRun.objects.get()
    assert response.url == run.get_absolute_url()
    assert (run.state, run.total_rows) == ("wachtrij", ROWS)  # waits for the worker
    waiting = client.get(run.get_absolute_url()).content.decode()
    assert "De rijen worden gecontroleerd: 0 van 5.000." in waiting
    assert "Bevestigen" not in waiting

    # The production time limits (the test workers' are seconds, for the recovery tests).
    limits = {"CELERY_TASK_TIME_LIMIT": "300", "CELERY_TASK_SOFT_TIME_LIMIT": "280"}
    worker, _node = start_worker(tmp_path, queue=settings.IMPORT_QUEUE, env=limits)
    try:
        seen = set()

        def checked():
            run.refresh_from_db()
            seen.add(run.done_rows)
            return run.state == "klaar"

        wait_for(checked, 300, "the rows to be checked")
        assert any(0 < n < ROWS for n in seen), seen  # progress was reported on the way
        assert run.counts == {"add": ROWS, "change": 0, "same": 0, "error": 0}
        preview = client.get(
            run.get_absolute_url(), headers={"HX-Request": "true"}, data={"poll": "controle-0"}
        )
        assert "Bevestigen" in preview.content.decode()
        assert RouteStep.objects.filter(title__startswith="Stap ").count() == 0

        client.post(reverse("imports:confirm", args=[run.pk]))
        run.refresh_from_db()
        assert run.phase == ImportPhase.APPLY
        saving = client.get(run.get_absolute_url()).content.decode()
        assert "5.000 rijen worden opgeslagen" in saving or run.state == "klaar"
        wait_for(
            lambda: ImportRun.objects.filter(pk=run.pk, state="klaar").exists(),
            300,
            "the rows to be written",
        )
    finally:
        stop_worker(worker)
    run.refresh_from_db()
    assert run.applied_at is not None
    assert run.outcome["applied"] == {"added": ROWS, "changed": 0}
    assert (
        RouteStep.objects.filter(region__code=OWN_REGION, title__startswith="Stap ").count() == ROWS
    )
    assert "5.000 toegevoegd, 0 gewijzigd" in client.get(run.get_absolute_url()).content.decode()
