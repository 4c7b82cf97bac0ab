"""The hours log of a deployment: each report adds an entry in quarter hours (Dutch "2,5"), the
total counts against the planned hours with a warning past the plan, and every page, chart,
snapshot and PDF shows the log's total."""

import datetime
import importlib
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from core.history import history_of
from specialists.models import Deployment, DeploymentStatus, HoursEntry
from tests.conftest import OWN_REGION

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def deployment(personas):
    """Sanne's deployment in the own region, planned at 24 hours."""
    deployment = personas.spec.deployments.get()
    Deployment.objects.filter(pk=deployment.pk).update(
        planned_hours=24, status=DeploymentStatus.ACTIVE
    )
    deployment.refresh_from_db()
    return deployment


def report(client, deployment, hours, **extra):
    data = {"action": "report", "hours": hours, "progress": "Gesprekken gevoerd", **extra}
    return client.post(reverse("specialists:detail", args=[deployment.pk]), data, follow=True)


def test_dutch_decimal_hours_add_entries_to_the_log(client, personas, deployment):
    client.force_login(personas.spec)
    response = report(client, deployment, "2,5", day="2026-11-02", note="Intake")
    assert response.status_code == 200
    report(client, deployment, "1.25", day="2026-11-09")  # a point is understood as well
    entries = list(HoursEntry.objects.filter(deployment=deployment))
    assert [(e.day, e.hours, e.note, e.recorded_by) for e in entries] == [
        (datetime.date(2026, 11, 2), Decimal("2.50"), "Intake", personas.spec),
        (datetime.date(2026, 11, 9), Decimal("1.25"), "", personas.spec),
    ]
    assert Deployment.objects.get(pk=deployment.pk).spent_hours == Decimal("3.75")
    html = client.get(reverse("specialists:detail", args=[deployment.pk])).content.decode()
    log = re.search(r'<table[^>]*id="hours-log".*?</table>', html, re.S).group()
    assert "2 november 2026" in log and "2,5" in log and "Intake" in log and "1,25" in log
    assert "3,75 van 24 geplande uren" in html
    assert "meer dan gepland" not in html


def test_a_report_without_hours_adds_no_entry(client, personas, deployment):
    client.force_login(personas.spec)
    report(client, deployment, "", progress="Alleen voortgang")
    deployment.refresh_from_db()
    assert deployment.progress == "Alleen voortgang"
    assert not HoursEntry.objects.exists()


def test_an_empty_date_means_today(client, personas, deployment):
    client.force_login(personas.spec)
    report(client, deployment, "3")
    assert HoursEntry.objects.get().day == TODAY


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("2,3", "Voer uren in per kwartier, bijvoorbeeld 2,25 of 2,5."),
        ("twee", "Voer een getal in."),
        ("0", "Voer minstens een kwartier in (0,25)."),
        ("25", "Een dag heeft hoogstens 24 uur; voer de uren van één dag in."),
    ],
)
def test_wrong_hours_are_refused_in_dutch_next_to_the_field(
    client, personas, deployment, hours, message
):
    client.force_login(personas.spec)
    html = report(client, deployment, hours, progress="Blijft staan").content.decode()
    error = re.search(r'<p class="rm-field-error" id="id_hours_error">(.*?)</p>', html, re.S)
    assert error and error.group(1) == message
    assert "Blijft staan" in html
    assert not HoursEntry.objects.exists()


def test_a_number_past_decimal_precision_is_refused_not_a_server_error(
    client, personas, deployment
):
    """Found by the hostile-input test: 1E+30 hours made the quarter-hour check raise."""
    client.force_login(personas.spec)
    response = report(client, deployment, "1E+30", progress="Blijft staan")
    assert response.status_code == 200
    html = response.content.decode()
    error = re.search(r'<p class="rm-field-error" id="id_hours_error">(.*?)</p>', html, re.S)
    assert error and "24 uur" in error.group(1)
    assert not HoursEntry.objects.exists()


def test_a_date_in_the_future_is_refused(client, personas, deployment):
    client.force_login(personas.spec)
    tomorrow = TODAY + datetime.timedelta(days=1)
    html = report(client, deployment, "2", day=tomorrow.isoformat()).content.decode()
    assert "De datum van het werk ligt in de toekomst." in html
    assert not HoursEntry.objects.exists()


def test_passing_the_planned_hours_warns_but_keeps_the_hours(client, personas, deployment):
    client.force_login(personas.spec)
    for day in ("2026-11-02", "2026-11-03"):
        report(client, deployment, "12", day=day)
    assert "meer dan gepland" not in (
        client.get(reverse("specialists:detail", args=[deployment.pk])).content.decode()
    )
    html = report(client, deployment, "6", day="2026-11-04").content.decode()
    assert Deployment.objects.get(pk=deployment.pk).spent_hours == 30
    # Once as the message after the save, once at the hours log.
    assert html.count("30 van 24 geplande uren: 6 uur meer dan gepland.") == 2
    client.force_login(personas.alice)
    region_page = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert "30 / 24" in region_page


def test_each_entry_is_in_the_audit_history(client, personas, deployment):
    client.force_login(personas.spec)
    report(client, deployment, "2,5", day="2026-11-02")
    entry = next(e for e in history_of(deployment) if e.model_name == "urenregel")
    assert (entry.action, entry.who) == ("insert", str(personas.spec))
    changes = {label: after for label, _before, after in entry.changes}
    assert (changes["uren"], changes["datum"]) == ("2,5", "2 november 2026")


def test_lists_show_the_log_total_in_one_query(
    client, personas, deployment, django_assert_num_queries
):
    HoursEntry.objects.create(deployment=deployment, day=TODAY, hours=Decimal("2.5"))
    HoursEntry.objects.create(deployment=deployment, day=TODAY, hours=Decimal("0.25"))
    client.force_login(personas.pm)
    html = client.get(reverse("specialists:list")).content.decode()
    assert "2,75 / 24" in html
    deployments = list(Deployment.objects.with_spent_hours())
    with django_assert_num_queries(0):
        assert [d.spent_hours for d in deployments] == [Decimal("2.75")]


def test_the_dashboard_chart_and_the_snapshot_use_the_log(personas, deployment):
    from dashboard.charts import hours_chart
    from reporting.snapshots import build_data

    requested = datetime.datetime(2026, 8, 1, 10, tzinfo=datetime.UTC)
    Deployment.objects.filter(pk=deployment.pk).update(requested_at=requested)
    HoursEntry.objects.create(deployment=deployment, day=datetime.date(2026, 9, 1), hours=10)
    HoursEntry.objects.create(
        deployment=deployment, day=datetime.date(2026, 10, 2), hours=Decimal("2.5")
    )
    bars = {bar.label: bar for bar in hours_chart("uren").bars}
    assert (bars["Governance"].value, bars["Governance"].text) == (12.5, "12,5")
    # A quarter's snapshot counts the hours logged up to its end.
    data = build_data(year=2026, quarter=3, today=datetime.date(2026, 12, 1))
    region = next(r for r in data["regions"] if r["code"] == OWN_REGION)
    assert [d["spent_hours"] for d in region["deployments"]] == [10.0]
    hours = {h["label"]: h["hours"] for h in data["hours"]}
    assert hours["Governance"] == 10.0


def test_the_migration_moves_the_reported_hours_into_a_first_entry(personas, deployment):
    Deployment.objects.filter(pk=deployment.pk).update(
        hours_before_log=18,
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 10, 15),
        status=DeploymentStatus.COMPLETED,
    )
    untouched = Deployment.objects.create(region=deployment.region, expertise="juridisch")
    migration = importlib.import_module("specialists.migrations.0004_hours_log")
    migration.move_reported_hours_into_the_log(apps, None)
    entry = HoursEntry.objects.get()
    assert (entry.deployment, entry.day, entry.hours, entry.recorded_by) == (
        deployment,
        datetime.date(2026, 10, 15),
        18,
        personas.spec,
    )
    assert entry.note == "Uren gemeld vóór het urenlogboek"
    assert Deployment.objects.get(pk=deployment.pk).spent_hours == 18
    assert Deployment.objects.get(pk=untouched.pk).spent_hours == 0
