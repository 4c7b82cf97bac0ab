"""Quarterly snapshots, reports and dossier exports: rules, rendering and safety (in-process).

The end-to-end runs through a real worker and Redis are in test_reporting_worker.py.
"""

import datetime
import io
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
import zlib
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.quarters import previous_quarter, quarter_end, quarter_start, quarters_until
from dashboard.readiness import URGENCY, Readiness
from monitoring.models import PlanMilestone, ProgressUpdate, Signal
from regions.models import Region
from reporting import services
from reporting.documents import render_dossier, render_report
from reporting.models import DossierExport, Download, JobState, Report, ReportStatus, Snapshot
from reporting.pdf import SafeFetcher
from reporting.snapshots import build_data, compare
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import UserFactory

Q3_END = datetime.date(2026, 9, 30)
TODAY = datetime.date(2026, 11, 23)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def pdf_objects(content: bytes) -> bytes:
    """The PDF's bytes with every Flate stream decompressed (metadata, object streams)."""
    parts = [content]
    for match in re.finditer(rb"stream\r?\n", content):
        try:
            parts.append(zlib.decompressobj().decompress(content[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def pdf_metadata(content: bytes, folder) -> str:
    path = folder / "metadata.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return subprocess.run(
        ["pdfinfo", "-meta", str(path)], capture_output=True, check=True, text=True
    ).stdout


def pdf_attachments(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdfdetach", "-list", str(path)], capture_output=True, check=True, text=True
    ).stdout


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _update(region, author, *, year, quarter, status, narrative="Voortgang"):
    return ProgressUpdate.objects.create(
        region=region,
        year=year,
        quarter=quarter,
        status=status,
        narrative=narrative,
        author=author,
    )


# --- the snapshot: frozen, immutable ---------------------------------------------------------


def test_a_snapshot_cannot_be_changed_through_the_orm(personas):
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    snapshot.data = {"regions": []}
    with pytest.raises(DatabaseError), transaction.atomic():
        snapshot.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        Snapshot.objects.filter(pk=snapshot.pk).update(sha256="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        Snapshot.objects.filter(pk=snapshot.pk).delete()
    snapshot.refresh_from_db()
    assert len(snapshot.data["regions"]) == 35


def test_a_snapshot_cannot_be_changed_with_raw_sql(personas):
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reporting_snapshot SET data = '{}'::jsonb WHERE id = %s", [snapshot.pk]
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM reporting_snapshot WHERE id = %s", [snapshot.pk])
    assert Snapshot.objects.get(pk=snapshot.pk).sha256 == snapshot.sha256


def test_freezing_records_who_and_when_and_is_idempotent(personas):
    first = services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    again = services.freeze_quarter(year=2026, quarter=3, by=personas.alice, today=TODAY)
    assert again.pk == first.pk
    assert first.frozen_by == personas.pm
    assert first.frozen_at is not None
    assert Snapshot.objects.count() == 1


def test_later_edits_never_change_the_snapshot(personas):
    region = Region.objects.get(code=OWN_REGION)
    update = _update(region, personas.alice, year=2026, quarter=3, status="op_koers")
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    update.status = "risico"  # a later correction of the quarter's update
    update.save()
    region.name = "Hernoemd"
    region.save()
    snapshot.refresh_from_db()
    frozen = next(r for r in snapshot.data["regions"] if r["code"] == OWN_REGION)
    assert frozen["status"] == "op_koers"
    assert frozen["name"] != "Hernoemd"


def test_the_snapshot_holds_the_state_at_the_quarters_end(personas):
    region = Region.objects.get(code=OWN_REGION)
    PlanMilestone.objects.create(
        region=region, stage="analyse", planned_date=Q3_END, reached_date=Q3_END
    )
    PlanMilestone.objects.create(
        region=region,
        stage="scenarios",
        planned_date=datetime.date(2026, 10, 1),
        reached_date=datetime.date(2026, 10, 15),
    )
    _update(region, personas.alice, year=2026, quarter=3, status="aandacht")
    _update(region, personas.alice, year=2026, quarter=4, status="op_koers")
    Signal.objects.create(region=region, title="Na het kwartaal", description="x", raised_on=TODAY)
    data = build_data(year=2026, quarter=3, today=TODAY)
    frozen = next(r for r in data["regions"] if r["code"] == OWN_REGION)
    assert data["as_of"] == "2026-09-30"
    assert frozen["stage_label"] == "Analyse"
    assert frozen["status"] == "aandacht"
    assert frozen["signals"] == []
    assert data["status_trend"]["2026 Q3"]["aandacht"] >= 1


def test_comparing_two_snapshots_shows_what_moved(personas):
    region = Region.objects.get(code=OWN_REGION)
    _update(region, personas.alice, year=2026, quarter=2, status="risico")
    _update(region, personas.alice, year=2026, quarter=3, status="op_koers")
    q2 = build_data(year=2026, quarter=2, today=TODAY)
    q3 = build_data(year=2026, quarter=3, today=TODAY)
    moved = compare(q2, q3)
    changes = next(r for r in moved["regions"] if r["code"] == OWN_REGION)["changes"]
    assert {"field": "status", "before": "Risico", "after": "Op koers"} in changes
    assert all(r["code"] != FOREIGN_REGION for r in moved["regions"])


def _compare_at_risk_then_on_track(client, personas):
    """Q2 frozen with the own region at risk, Q3 with it on track: the compare page's HTML."""
    region = Region.objects.get(code=OWN_REGION)
    _update(region, personas.alice, year=2026, quarter=2, status="risico")
    services.freeze_quarter(year=2026, quarter=2, by=personas.pm, today=TODAY)
    _update(region, personas.alice, year=2026, quarter=3, status="op_koers")
    services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    client.force_login(personas.pm)
    return region, client.get(reverse("reporting:compare")).content.decode()


def test_compare_page_shows_the_moved_region(client, personas):
    region, html = _compare_at_risk_then_on_track(client, personas)
    assert "Van 2026 Q2 naar 2026 Q3" in html
    assert f'<th scope="row" class="utrecht-table__header-cell">{region.name}</th>' in html
    assert "Risico → Op koers" in html


# --- in the reader's language ------------------------------------------------------------------


@pytest.fixture
def english(client):
    """The client reads in English; afterwards the language its requests activated is Dutch
    again, so the tests after it build their data in Dutch."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield client
    translation.activate(settings.LANGUAGE_CODE)


def _english_result(key: str) -> str:
    from dashboard.results import registered

    with translation.override("en"):
        return str(next(r.result for r in registered() if r.key == key))


def test_the_snapshot_page_in_english_shows_english_values(client, personas, english):
    region = Region.objects.get(code=OWN_REGION)
    PlanMilestone.objects.create(
        region=region, stage="analyse", planned_date=Q3_END, reached_date=Q3_END
    )
    _update(region, personas.alice, year=2026, quarter=3, status="aandacht")
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    frozen = next(r for r in snapshot.data["regions"] if r["code"] == OWN_REGION)
    # What the snapshot keeps: codes beside the Dutch labels of the moment it was frozen.
    assert (frozen["stage"], frozen["stage_label"]) == (1, "Analyse")
    assert (frozen["status"], frozen["status_label"]) == ("aandacht", "Aandacht nodig")
    assert frozen["readiness_label"] in {"Achter", "Kritiek", "Op schema", "Niet gepland"}
    client.force_login(personas.pm)
    html = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    row = re.search(rf"<th[^>]*>{re.escape(region.name)}</th>(.*?)</tr>", html, re.S).group(1)
    assert ">Analysis<" in row and ">Needs attention<" in row
    with translation.override("en"):
        english_readiness = str(Readiness(frozen["readiness"]).label)
    assert f">{english_readiness}</span>" in row
    for dutch in ("Analyse", "Aandacht nodig", frozen["readiness_label"], "Nog geen update"):
        assert f">{dutch}<" not in html
    assert ">No update yet<" in html  # the regions without a progress update
    first = snapshot.data["indicators"][0]
    assert escape(_english_result(first["key"])) in html
    assert escape(first["result"]) not in html  # the frozen Dutch title
    assert "30 September 2026" in html  # "State as of", in English
    # The frozen data is unchanged, and Dutch readers see its labels as they were frozen.
    snapshot.refresh_from_db()
    assert next(r for r in snapshot.data["regions"] if r["code"] == OWN_REGION) == frozen
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    html = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert ">Analyse<" in html and ">Aandacht nodig<" in html and escape(first["result"]) in html
    assert "30 september 2026" in html


def test_the_compare_page_in_english_shows_english_values(client, personas, english):
    _region, html = _compare_at_risk_then_on_track(client, personas)
    assert "From 2026 Q2 to 2026 Q3" in html
    assert "At risk → On track" in html and "Risico → Op koers" not in html
    readiness = re.search(r"<tbody.*?</tbody>", html, re.S).group(0)  # the readiness table
    with translation.override("en"):
        assert [str(r.label) for r in URGENCY] == re.findall(
            r'<th scope="row" class="utrecht-table__header-cell">([^<]+)</th>', readiness
        )
    moved = compare(
        Snapshot.objects.get(quarter=2).data, Snapshot.objects.get(quarter=3).data
    )  # in Dutch, as frozen
    for indicator in moved["indicators"]:
        english = escape(_english_result(indicator["key"]))
        assert f"<strong>{indicator['key']}</strong> {english}:" in html
        assert escape(indicator["result"]) not in html


# --- PDFs in Dutch formats ------------------------------------------------------------------------

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_the_report_pdf_writes_dutch_dates_even_when_the_task_runs_in_english(personas, media):
    from monitoring.models import Meeting, RouteStep
    from reporting.tasks import render_report as render_task

    region = Region.objects.get(code=OWN_REGION)
    _update(region, personas.alice, year=2026, quarter=3, status="aandacht")
    Meeting.objects.create(
        region=region, date=datetime.date(2026, 8, 14), kind="intervisie", title="Intervisie"
    )
    RouteStep.objects.create(
        region=region, order=1, title="Scenario's doorrekenen", planned_date=Q3_END
    )
    Signal.objects.create(
        region=region, title="Signaal", description="x", raised_on=datetime.date(2026, 9, 2)
    )
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    report = Report.objects.create(snapshot=snapshot)
    with translation.override("en"):  # whatever language the worker runs in
        render_task(report.pk)
    report.refresh_from_db()
    assert report.state == JobState.DONE
    text = " ".join(pdf_text((media / report.file.name).read_bytes()).split())
    assert "Stand per 30 september 2026" in text
    assert "Op 30 september 2026 hebben" in text  # the summary
    for day in ("14 augustus 2026", "2 september 2026"):
        assert day in text
    assert not ISO_DATE.search(text), ISO_DATE.search(text)


def test_the_dossier_pdf_writes_dutch_dates_and_sizes(client, personas, media):
    region = Region.objects.get(code=OWN_REGION)
    client.force_login(personas.alice)
    upload = io.BytesIO(b"%PDF-1.4\n" + b"0" * (3 * 2**20 // 2) + b"\n%%EOF\n")  # 1.5 MB
    upload.name = "begroting.pdf"
    client.post(
        reverse("monitoring:document_upload", args=[OWN_REGION]),
        {"title": "Begroting", "file": upload},
    )
    assert region.documents.get().size > 1_500_000
    export = DossierExport.objects.create(region=region, requested_by=personas.alice)
    with translation.override("en"):
        _filename, _type, content = render_dossier(export)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        text = " ".join(pdf_text(archive.read("dossier.pdf")).replace("\xa0", " ").split())
    from django.utils import timezone
    from django.utils.formats import date_format

    with translation.override("nl"):
        today = date_format(timezone.localdate(), "j F Y")  # "2 december 2026"
    assert f"Geëxporteerd op {today}" in text
    assert "1,5 MB" in text and "1.5 MB" not in text  # the document's size in its history
    assert not ISO_DATE.search(text)
    assert not re.search(r"\b\d{1,2}-\d{1,2}-\d{4}\b", text)


# --- workflow ----------------------------------------------------------------------------------


def _colleague():
    """A second member of programme management: under the four-eyes rule she freezes and
    makes the report, personas.pm approves it."""
    return UserFactory(username="pm2", programme=True)


def _finished_report(personas, media, *, by=None) -> Report:
    by = by or _colleague()
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=by, today=TODAY)
    report = services.request_report(snapshot=snapshot, by=by)
    path = media / "reports" / report.filename
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.7")
    Report.objects.filter(pk=report.pk).update(
        state=JobState.DONE, file=f"reports/{report.filename}"
    )
    report.refresh_from_db()
    return report


def test_freezing_from_the_page_makes_one_snapshot_and_one_queued_report(
    client, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas.pm)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reporting:index"), {"quarter": "2026-3"})
    assert response.status_code == 302
    snapshot = Snapshot.objects.get()
    assert (snapshot.year, snapshot.quarter, snapshot.frozen_by) == (2026, 3, personas.pm)
    assert snapshot.report.state == JobState.QUEUED
    assert len(callbacks) == 1  # the render is sent after commit, once
    again = client.post(reverse("reporting:render", args=[2026, 3]))
    assert again.status_code == 302
    assert Report.objects.count() == 1


def test_try_again_in_place_queues_the_failed_report_and_returns_its_card(
    client, personas, django_capture_on_commit_callbacks
):
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm)
    Report.objects.create(snapshot=snapshot, state=JobState.FAILED, attempts=4, error="kapot")
    client.force_login(personas.pm)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("reporting:render", args=[2026, 3]), headers={"HX-Request": "true"}
        )
    assert response.status_code == 200  # the htmx button swaps the card; it polls from here
    assert 'id="report-card"' in response.content.decode()
    assert "wacht op verwerking" in response.content.decode()
    assert Report.objects.get().state == JobState.QUEUED
    assert len(callbacks) == 1


def test_the_scheduled_job_freezes_the_previous_quarter_once(
    personas, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from reporting.tasks import freeze_previous_quarter

    year, quarter = previous_quarter(timezone.localdate())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        freeze_previous_quarter()
        freeze_previous_quarter()
    snapshot = Snapshot.objects.get()
    assert (snapshot.year, snapshot.quarter, snapshot.frozen_by) == (year, quarter, None)
    assert snapshot.report.state == JobState.QUEUED
    assert len(callbacks) == 1


def test_previous_quarter_wraps_the_year():
    assert previous_quarter(datetime.date(2027, 1, 1)) == (2026, 4)
    assert previous_quarter(datetime.date(2026, 10, 1)) == (2026, 3)
    assert previous_quarter(datetime.date(2026, 12, 31)) == (2026, 3)


def test_quarter_starts_ends_and_the_quarters_so_far():
    assert [quarter_start(2026, q).month for q in (1, 2, 3, 4)] == [1, 4, 7, 10]
    assert [quarter_end(2026, q) for q in (1, 2, 3, 4)] == [
        datetime.date(2026, 3, 31),
        datetime.date(2026, 6, 30),
        datetime.date(2026, 9, 30),
        datetime.date(2026, 12, 31),
    ]
    assert quarters_until(datetime.date(2025, 4, 1)) == [(2025, 1), (2025, 2)]
    assert quarters_until(datetime.date(2026, 1, 1), first=(2025, 4)) == [(2025, 4), (2026, 1)]


def test_a_quarter_can_be_frozen_only_once(client, personas):
    services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    client.force_login(personas.pm)
    response = client.post(reverse("reporting:index"), {"quarter": "2026-3"})
    assert response.status_code == 200
    assert "Dit kwartaal kan niet worden vastgelegd" in response.content.decode()
    assert Snapshot.objects.count() == 1


def test_approval_needs_a_note_and_keeps_what_was_typed(client, personas, media):
    report = _finished_report(personas, media)
    client.force_login(personas.pm)
    url = reverse("reporting:approve", args=[2026, 3])
    response = client.post(url, {"note": "   ", "version": report.version})
    assert response.status_code == 400
    assert "Schrijf een toelichting bij de goedkeuring." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.CONCEPT


def test_concept_to_approved_to_published_with_history(client, personas, media):
    report = _finished_report(personas, media)
    client.force_login(personas.pm)
    published_first = client.post(
        reverse("reporting:publish", args=[2026, 3]), {"version": report.version}
    )
    assert published_first.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.CONCEPT  # a draft cannot be published directly

    client.post(
        reverse("reporting:approve", args=[2026, 3]),
        {"note": "Cijfers gecontroleerd met de adviseurs", "version": report.version},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED
    assert report.approved_by == personas.pm
    assert report.approval_note == "Cijfers gecontroleerd met de adviseurs"
    # The PDF is made again, so its running header no longer says CONCEPT.
    assert report.state == JobState.QUEUED
    Report.objects.filter(pk=report.pk).update(state=JobState.DONE)  # as the worker would

    client.post(reverse("reporting:publish", args=[2026, 3]), {"version": report.version})
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.published_by == personas.pm
    assert report.state == JobState.QUEUED

    statuses = list(report.events.order_by("pgh_id").values_list("status", flat=True))
    steps = [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s]
    assert steps == ["concept", "goedgekeurd", "gepubliceerd"]  # every step in the history


def test_a_stale_approval_is_refused(personas, media):
    report = _finished_report(personas, media)
    services.approve_report(report=report, by=personas.pm, note="Akkoord", version=1)
    with pytest.raises(services.WorkflowError):
        services.approve_report(report=report, by=personas.pm, note="Nogmaals", version=1)
    report.refresh_from_db()
    assert report.approval_note == "Akkoord"


# --- four eyes ---------------------------------------------------------------------------------

FOUR_EYES_APPROVE = "mag u hem niet zelf goedkeuren (vier-ogenprincipe)"
FOUR_EYES_PUBLISH = "pas worden gepubliceerd als iemand anders hem heeft goedgekeurd"


def test_who_froze_the_quarter_may_not_approve_its_report(client, personas, media, settings):
    settings.FOUR_EYES = True
    colleague = _colleague()
    report = _finished_report(personas, media, by=colleague)
    client.force_login(colleague)
    page = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert FOUR_EYES_APPROVE in page  # the reason, in Dutch, where the button was
    assert "Rapportage goedkeuren" not in page
    forged = client.post(
        reverse("reporting:approve", args=[2026, 3]), {"note": "Akkoord", "version": 1}
    )
    assert forged.status_code == 403
    with pytest.raises(PermissionDenied):
        services.approve_report(report=report, by=colleague, note="Akkoord", version=1)
    report.refresh_from_db()
    assert (report.status, report.approved_by) == (ReportStatus.CONCEPT, None)

    client.force_login(personas.pm)  # a second person approves
    page = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert "Rapportage goedkeuren" in page and FOUR_EYES_APPROVE not in page
    response = client.post(
        reverse("reporting:approve", args=[2026, 3]), {"note": "Akkoord", "version": 1}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.approved_by) == (ReportStatus.APPROVED, personas.pm)


def test_who_made_the_report_may_not_approve_it(client, personas, media, settings):
    settings.FOUR_EYES = True
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=None, today=TODAY)  # scheduled
    Report.objects.create(snapshot=snapshot, created_by=personas.pm, state=JobState.DONE)
    client.force_login(personas.pm)
    page = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert FOUR_EYES_APPROVE in page
    forged = client.post(
        reverse("reporting:approve", args=[2026, 3]), {"note": "Akkoord", "version": 1}
    )
    assert forged.status_code == 403
    assert Report.objects.get().status == ReportStatus.CONCEPT
    # Nobody froze or made it by hand: anyone in programme management approves it.
    client.force_login(_colleague())
    response = client.post(
        reverse("reporting:approve", args=[2026, 3]), {"note": "Akkoord", "version": 1}
    )
    assert response.status_code == 302
    assert Report.objects.get().status == ReportStatus.APPROVED


def test_a_report_approved_by_who_froze_it_is_not_published(client, personas, media, settings):
    colleague = _colleague()
    report = _finished_report(personas, media, by=colleague)
    settings.FOUR_EYES = False  # approved by herself while the rule was off
    services.approve_report(report=report, by=colleague, note="Akkoord", version=1)
    Report.objects.filter(pk=report.pk).update(state=JobState.DONE)
    settings.FOUR_EYES = True
    client.force_login(personas.pm)
    page = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert FOUR_EYES_PUBLISH in page
    assert "Rapportage publiceren" not in page
    forged = client.post(reverse("reporting:publish", args=[2026, 3]), {"version": 2})
    assert forged.status_code == 403
    report.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.publish_report(report=report, by=personas.pm, version=2)
    assert Report.objects.get().status == ReportStatus.APPROVED


def test_without_four_eyes_one_person_freezes_approves_and_publishes(
    client, personas, media, settings
):
    settings.FOUR_EYES = False
    report = _finished_report(personas, media, by=personas.pm)
    client.force_login(personas.pm)
    page = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert "Rapportage goedkeuren" in page and FOUR_EYES_APPROVE not in page
    approved = client.post(
        reverse("reporting:approve", args=[2026, 3]), {"note": "Akkoord", "version": 1}
    )
    assert approved.status_code == 302
    Report.objects.filter(pk=report.pk).update(state=JobState.DONE)
    page = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert "Rapportage publiceren" in page and FOUR_EYES_PUBLISH not in page
    published = client.post(reverse("reporting:publish", args=[2026, 3]), {"version": 2})
    assert published.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED
    assert report.approved_by == report.published_by == report.snapshot.frozen_by == personas.pm


# --- the quarters on offer ----------------------------------------------------------------------


def test_only_ended_quarters_are_open_to_freeze_the_last_ended_first(personas):
    assert services.frozen_quarters_open(datetime.date(2026, 10, 1))[:2] == [(2026, 3), (2026, 2)]
    assert (2026, 4) not in services.frozen_quarters_open(datetime.date(2026, 12, 31))
    assert services.frozen_quarters_open(datetime.date(2027, 1, 1))[0] == (2026, 4)
    services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    assert services.frozen_quarters_open(datetime.date(2026, 10, 1))[0] == (2026, 2)


def _options(html: str) -> list[tuple[str, bool]]:
    select = re.search(r'<select name="quarter".*?</select>', html, re.S).group(0)
    return [
        (value, " selected" in attributes)
        for value, attributes in re.findall(r'<option value="([^"]*)"([^>]*)>', select)
    ]


def test_the_freeze_form_offers_ended_quarters_with_the_last_one_chosen(client, personas):
    from django.utils import timezone

    today = timezone.localdate()
    running, last_ended = (today.year, (today.month - 1) // 3 + 1), previous_quarter(today)
    client.force_login(personas.pm)
    options = _options(client.get(reverse("reporting:index")).content.decode())
    values = [value for value, _selected in options]
    assert "{}-{}".format(*running) not in values
    assert options[0] == ("{}-{}".format(*last_ended), True)
    assert [selected for _value, selected in options].count(True) == 1


def test_a_quarter_that_has_not_ended_is_refused_on_the_server(client, personas):
    from django.utils import timezone

    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    client.force_login(personas.pm)
    response = client.post(reverse("reporting:index"), {"quarter": f"{year}-{quarter}"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Kwartaal {year} Q{quarter} is nog niet afgelopen" in html
    assert not Snapshot.objects.exists()


def test_partners_see_only_published_reports(client, personas, media):
    report = _finished_report(personas, media)
    client.force_login(personas.partner)
    assert client.get(reverse("reporting:download", args=[2026, 3])).status_code == 404
    assert "2026 Q3" not in client.get(reverse("reporting:index")).content.decode()
    services.approve_report(report=report, by=personas.pm, note="Akkoord", version=1)
    Report.objects.filter(pk=report.pk).update(state=JobState.DONE)
    assert client.get(reverse("reporting:download", args=[2026, 3])).status_code == 404
    services.publish_report(report=report, by=personas.pm, version=2)
    assert "2026 Q3" in client.get(reverse("reporting:index")).content.decode()
    # While the published PDF is being made again, partners wait for it.
    assert client.get(reverse("reporting:download", args=[2026, 3])).status_code == 404
    Report.objects.filter(pk=report.pk).update(state=JobState.DONE)
    response = client.get(reverse("reporting:download", args=[2026, 3]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7"


def test_every_download_is_logged_and_the_log_is_append_only(client, personas, media):
    report = _finished_report(personas, media)
    client.force_login(personas.hub)
    client.get(reverse("reporting:download", args=[2026, 3]))
    download = Download.objects.get()
    assert (download.user, download.report) == (personas.hub, report)
    with pytest.raises(DatabaseError), transaction.atomic():
        Download.objects.filter(pk=download.pk).delete()


def test_the_status_partial_stops_polling_once_the_report_is_ready(client, personas, media):
    report = _finished_report(personas, media)
    client.force_login(personas.pm)
    url = reverse("reporting:status", args=[2026, 3])
    Report.objects.filter(pk=report.pk).update(state=JobState.RUNNING)
    running = client.get(url, headers={"HX-Request": "true"})
    assert running.status_code == 200
    assert 'hx-trigger="every 2s"' in running.content.decode()
    assert "<progress" in running.content.decode()
    Report.objects.filter(pk=report.pk).update(state=JobState.DONE)
    done = client.get(url, headers={"HX-Request": "true"})
    assert done.status_code == 286
    assert "PDF downloaden" in done.content.decode()


def test_a_failed_report_shows_a_dutch_message_and_can_be_retried(
    client, personas, media, django_capture_on_commit_callbacks
):
    report = _finished_report(personas, media)
    Report.objects.filter(pk=report.pk).update(
        state=JobState.FAILED, attempts=4, error="RuntimeError: boom"
    )
    client.force_login(personas.pm)
    html = client.get(reverse("reporting:snapshot", args=[2026, 3])).content.decode()
    assert "De rapportage kon niet worden gemaakt." in html
    assert "Opnieuw proberen" in html
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("reporting:render", args=[2026, 3]))
    report.refresh_from_db()
    assert (report.state, report.attempts, report.error) == (JobState.QUEUED, 0, "")
    assert len(callbacks) == 1


SCRIPT_WITHOUT_REDIS = """
from django.test import Client
from accounts.models import User
from accounts.twofactor import PASSED
from reporting.models import Report
client = Client(SERVER_NAME="localhost")
client.force_login(User.objects.get(pk={pm}))
session = client.session  # past the second factor, as tests/conftest.py does for force_login
session[PASSED] = "test"
session.save()
response = client.post("/rapportages/", {{"quarter": "2026-3"}})
page = client.get("/rapportages/2026/q3/")
report = Report.objects.get()
print(response.status_code, page.status_code, report.state, report.sent_at, "|", report.error)
print(" ".join(page.content.decode().split()))
"""


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_queue_keeps_the_job_waiting_to_be_sent_instead_of_a_500(
    reference_data, personas
):
    """The app in its own process with REDIS_URL at a port where nothing listens (a real
    refused connection): freezing works, the report waits with its message unsent, and the card
    says it starts by itself (the reconciler sends it once the queue is back)."""
    db = connection.settings_dict
    env = os.environ | {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/"
        f"{db['NAME']}",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "DEBUG": "false",
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            SCRIPT_WITHOUT_REDIS.format(pm=personas.pm.pk),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = result.stdout.strip().splitlines()
    assert lines[-2] == "302 200 wachtrij None | ", result.stdout + result.stderr
    assert "De wachtrij is op dit moment niet bereikbaar. De taak start vanzelf" in lines[-1]
    assert "Opnieuw proberen" not in lines[-1]
    report = Report.objects.get()
    assert (report.state, report.sent_at, report.attempts) == (JobState.QUEUED, None, 0)


def test_a_job_that_keeps_failing_is_retried_three_times_then_shown_as_failed(
    client, personas, media
):
    """A snapshot whose data cannot be rendered (inserting is allowed, changing is not): the
    task runs once and is retried three times (eagerly here), then the job is failed."""
    from reporting.tasks import render_report as render_task

    snapshot = Snapshot.objects.create(
        year=2026,
        quarter=1,
        frozen_at="2026-04-01T01:30Z",
        data={"regions": [{"code": "AM01"}], "indicators": []},
        sha256="x",
    )
    report = Report.objects.create(snapshot=snapshot)
    render_task.apply(args=[report.pk])
    report.refresh_from_db()
    assert (report.state, report.attempts) == (JobState.FAILED, 4)
    assert report.error.startswith("KeyError")  # the last attempt's error, shown on the page
    assert not report.file
    client.force_login(personas.pm)
    html = client.get(reverse("reporting:snapshot", args=[2026, 1])).content.decode()
    assert "De rapportage kon niet worden gemaakt." in html


def test_a_second_run_of_a_finished_job_makes_no_second_report(personas, media):
    from reporting.tasks import render_report as render_task

    snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    report = Report.objects.create(snapshot=snapshot)
    render_task.apply(args=[report.pk])
    report.refresh_from_db()
    first = (report.state, report.attempts, report.sha256, report.finished_at)
    render_task.apply(args=[report.pk])  # a redelivered message
    report.refresh_from_db()
    assert (report.state, report.attempts, report.sha256, report.finished_at) == first
    assert first[:2] == (JobState.DONE, 1)
    assert [p.name for p in (media / "reports").iterdir()] == [report.filename]


# --- rendering ---------------------------------------------------------------------------------


def test_the_report_pdf_has_every_region_and_indicator_and_its_data(personas, tmp_path):
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    report = Report.objects.create(snapshot=snapshot)
    filename, content_type, content = render_report(report)
    assert (filename, content_type) == ("kwartaalrapportage-2026-q3.pdf", "application/pdf")
    text = pdf_text(content)
    for name in Region.objects.values_list("name", flat=True):
        assert name in text, name
    for indicator in snapshot.data["indicators"]:
        assert indicator["key"] in text
    assert "Kwartaalrapportage 2026 Q3" in text
    assert "CONCEPT" in text
    assert "Inhoud" in text and "Bijlage: definities" in text
    assert "Pagina 2 van" in text
    meta = pdf_metadata(content, tmp_path)
    assert 'pdfaid:part="3" pdfaid:conformance="U"' in meta
    assert "Kwartaalrapportage 2026 Q3 · Sociale Infrastructuur" in meta  # the title
    assert b"/Lang (nl)" in pdf_objects(content)
    attachments = pdf_attachments(content, tmp_path)
    assert "kwartaalmonitor-2026-q3.csv" in attachments
    assert "kwartaalmonitor-2026-q3.json" in attachments


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_region_text_with_html_renders_as_text_and_fetches_nothing(personas, http_server):
    region = Region.objects.get(code=OWN_REGION)
    hostile_file = '<img src="file:///etc/passwd">'
    hostile_http = (
        f'<img src="{http_server}/beacon.png"><link rel="stylesheet" href="{http_server}/x.css">'
    )
    _update(region, personas.alice, year=2026, quarter=3, status="aandacht", narrative=hostile_file)
    Signal.objects.create(
        region=region, title="Signaal", description=hostile_http, raised_on=Q3_END
    )
    snapshot = services.freeze_quarter(year=2026, quarter=3, by=personas.pm, today=TODAY)
    _name, _type, content = render_report(Report.objects.create(snapshot=snapshot))
    text = pdf_text(content)
    assert "file:///etc/passwd" in " ".join(text.split())  # shown as the text it is
    assert "root:x:0:0" not in text
    assert _Recorder.hits == []


def test_the_fetcher_refuses_files_and_urls_even_in_raw_html(http_server):
    from weasyprint import HTML

    fetcher = SafeFetcher()
    html = (
        '<img src="file:///etc/passwd"><img src="/etc/hostname">'
        f'<img src="{http_server}/beacon.png"><link rel="stylesheet" href="{http_server}/a.css">'
        '<img src="static/../../config/settings.py">'
    )
    HTML(string=html, base_url="https://regiomonitor.invalid/", url_fetcher=fetcher).write_pdf()
    assert _Recorder.hits == []
    refused = " ".join(fetcher.refused)
    assert "file:///etc/passwd" in refused
    assert "/etc/hostname" in refused
    assert "beacon.png" in refused and "a.css" in refused
    # Our own static files are served.
    css = fetcher.fetch("https://regiomonitor.invalid/static/css/svg.css")
    assert b".rm-map" in css.read()


# --- dossier export ----------------------------------------------------------------------------


def test_the_dossier_export_holds_records_history_documents_and_manifest(client, personas, media):
    region = Region.objects.get(code=OWN_REGION)
    client.force_login(personas.alice)
    upload = io.BytesIO(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    upload.name = "raadsbesluit.pdf"
    client.post(
        reverse("monitoring:document_upload", args=[OWN_REGION]),
        {"title": "Raadsbesluit", "file": upload},
    )
    _update(region, personas.alice, year=2026, quarter=4, status="aandacht", narrative="Vertraging")
    export = DossierExport.objects.create(region=region, requested_by=personas.alice)
    _filename, content_type, content = render_dossier(export)
    assert content_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        pdf = archive.read("dossier.pdf")
    document = region.documents.get()
    assert any(n.endswith("raadsbesluit.pdf") for n in names)
    listed = next(f for f in manifest["files"] if f.get("title") == "Raadsbesluit")
    assert listed["sha256"] == document.sha256 and listed["sha256_verified"] is True
    text = " ".join(pdf_text(pdf).split())
    assert f"Dossier {region.name}" in text
    assert document.sha256 in text.replace(" ", "")
    assert "Wijzigingsgeschiedenis" in text
    assert "Vertraging" in text
    assert 'pdfaid:part="2" pdfaid:conformance="U"' in pdf_metadata(pdf, media)


def test_a_document_file_gone_from_disk_is_reported_in_the_manifest(client, personas, media):
    client.force_login(personas.alice)
    upload = io.BytesIO(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    upload.name = "verdwenen.pdf"
    client.post(
        reverse("monitoring:document_upload", args=[OWN_REGION]),
        {"title": "Verdwenen", "file": upload},
    )
    region = Region.objects.get(code=OWN_REGION)
    document = region.documents.get()
    (media / document.file.name).unlink()
    export = DossierExport.objects.create(region=region, requested_by=personas.alice)
    _name, _type, content = render_dossier(export)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = archive.namelist()
    entry = next(f for f in manifest["files"] if f.get("title") == "Verdwenen")
    assert entry["missing"] is True and entry["sha256_verified"] is False
    assert entry["sha256"] == document.sha256
    assert not any(n.endswith("verdwenen.pdf") for n in names)


def test_a_removed_document_is_left_out_of_a_later_export(client, personas, media):
    client.force_login(personas.alice)
    for title in ("Blijft", "Vergissing"):
        upload = io.BytesIO(
            b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + title.encode()
        )
        upload.name = f"{title.lower()}.pdf"
        client.post(
            reverse("monitoring:document_upload", args=[OWN_REGION]),
            {"title": title, "file": upload},
        )
    region = Region.objects.get(code=OWN_REGION)
    removed = region.documents.get(title="Vergissing")
    response = client.post(
        reverse("monitoring:document_delete", args=[OWN_REGION, removed.pk]), {"version": "1"}
    )
    assert response.status_code == 302
    export = DossierExport.objects.create(region=region, requested_by=personas.alice)
    _name, _type, content = render_dossier(export)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        titles = {f.get("title") for f in json.loads(archive.read("manifest.json"))["files"]}
        names = archive.namelist()
    assert "Blijft" in titles and "Vergissing" not in titles
    assert not any(n.endswith("vergissing.pdf") for n in names)
    assert (media / removed.file.name).exists()  # the file itself is kept


def test_exporting_is_for_the_regions_adviser_and_programme_management(
    client, personas, django_capture_on_commit_callbacks
):
    url = reverse("reporting:export_create", args=[OWN_REGION])
    client.force_login(personas.bob)
    assert client.post(url).status_code == 403
    client.force_login(personas.alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
        again = client.post(url)
    export = DossierExport.objects.get()
    assert response.url == again.url == reverse("reporting:export", args=[OWN_REGION, export.pk])
    assert len(callbacks) == 1  # a waiting export is reused, not queued twice
    page = client.get(response.url).content.decode()
    assert "<progress" in page


@pytest.mark.parametrize("action", ["approve", "publish"])
def test_a_version_at_the_integer_limit_is_a_stale_version_not_a_server_error(
    client, personas, media, action
):
    """The largest version PostgreSQL's integer holds matches no report: the usual message
    that someone changed it, never an error from counting one past it."""
    report = _finished_report(personas, media)
    client.force_login(personas.pm)
    response = client.post(
        reverse(f"reporting:{action}", args=[2026, 3]),
        {"note": "Gecontroleerd", "version": 2**31 - 1},
        follow=True,
    )
    assert response.status_code == {"approve": 400, "publish": 200}[action]
    assert "Laad de pagina opnieuw." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.CONCEPT
