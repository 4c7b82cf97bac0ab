"""Each contracted result as a computed indicator: value, target and state, with edge cases."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard import results as registry
from dashboard.results import (
    EVIDENCE,
    MET,
    NOT_MET,
    PENDING,
    Figure,
    ListRecords,
    Result,
    compute_indicators,
)
from monitoring.models import (
    Agreement,
    Decision,
    Document,
    MeetingKind,
    Pilot,
    PlanMilestone,
    ProcessRoute,
    ProductUse,
    RouteStep,
    Scenario,
)
from regions.models import Region
from specialists.models import Deployment, DeploymentStatus
from tests.conftest import FOREIGN_REGION, OWN_REGION, SECOND_OWN_REGION
from tests.factories import MeetingFactory, ProgressUpdateFactory, add_synthetic_regions

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def indicators(regions=None):
    regions = (
        Region.objects.filter(code__in=[OWN_REGION, SECOND_OWN_REGION])
        if regions is None
        else regions
    )
    return {i.key: i for i in compute_indicators(regions, TODAY)}


def region(code=OWN_REGION):
    return Region.objects.get(code=code)


def test_nothing_recorded_means_nothing_met(personas):
    result = indicators()
    for key in ["A1", "A2", "A5", "A6", "A9"]:
        assert (result[key].value, result[key].target, result[key].state) == (0, 2, NOT_MET), key
    assert (result["A4"].value, result["A4"].state) == (0, NOT_MET)
    assert (result["A8"].value, result["A8"].state) == (0, NOT_MET)
    assert (result["A7"].value, result["A7"].target) == (0, 4)
    # Route steps exist but none needs expertise: nothing to deploy for, so A3 holds (0 of 0).
    RouteStep.objects.update(expertise=[])
    assert (indicators()["A3"].value, indicators()["A3"].target, indicators()["A3"].state) == (
        0,
        0,
        MET,
    )
    assert result["A10"].state == EVIDENCE
    assert (result["B7"].value, result["B7"].target, result["B7"].state) == (0, 3, NOT_MET)
    assert (result["B8"].value, result["B8"].state, result["B8"].evidence.all()) == (
        0,
        EVIDENCE,
        [],
    )
    assert all(result[key].state == NOT_MET for key in ("B1", "B2", "B3", "B4", "B5", "B6"))
    assert not any(i.state == PENDING for i in result.values())


def test_a1_support_needs_a_scenario_and_a_decision_or_direction(personas):
    Scenario.objects.create(region=region(), national_scenario="Regionaal SOB", regional_option="x")
    assert indicators()["A1"].value == 0  # a scenario alone is not enough
    Decision.objects.create(region=region(), body="raad", subject="Koers", date=TODAY)
    Scenario.objects.create(
        region=region(SECOND_OWN_REGION), national_scenario="Netwerk", regional_option="y"
    )
    PlanMilestone.objects.create(
        region=region(SECOND_OWN_REGION), stage="koersbepaling", reached_date=TODAY
    )
    a1 = indicators()["A1"]
    assert (a1.value, a1.target, a1.state) == (2, 2, MET)
    assert [e.label for e in a1.evidence.all()] == ["Friesland", "Groningen"]


def test_a2_route_must_be_agreed_and_have_steps(personas):
    ProcessRoute.objects.create(region=region(), agreed_on=TODAY, agreed_with="Stuurgroep")
    ProcessRoute.objects.create(region=region(SECOND_OWN_REGION))  # not agreed
    a2 = indicators()["A2"]
    assert (a2.value, a2.target) == (1, 2)
    assert "Stuurgroep" in a2.evidence.first(1)[0].detail


def test_a3_counts_deployments_where_expertise_is_needed(personas):
    RouteStep.objects.filter(pk=personas.own_step.pk).update(expertise=["financien"])
    a3 = indicators()["A3"]
    assert (a3.value, a3.target) == (1, 1)  # spec is deployed in Groningen
    Deployment.objects.update(status=DeploymentStatus.REQUESTED)
    assert indicators()["A3"].value == 0  # a request is not a deployment


def test_a4_exactly_two_delivered_pilots_with_outcomes_meet_the_target(personas):
    def pilot(**extra):
        values = {
            "region": region(),
            "kind": "pilot",
            "title": "Pilot",
            "goal": "g",
            "start_date": datetime.date(2026, 1, 1),
            "end_date": datetime.date(2026, 6, 1),
            "delivered": True,
            "outcomes": "12 mensen aan het werk",
            "shared_insights": "Gedeeld",
        }
        return Pilot.objects.create(**(values | extra))

    pilot()
    pilot(shared_insights="")  # no shared insights: does not count
    pilot(end_date=datetime.date(2025, 12, 1))  # delivered in 2025: does not count
    assert (indicators()["A4"].value, indicators()["A4"].state) == (1, NOT_MET)
    pilot()
    assert (indicators()["A4"].value, indicators()["A4"].state) == (2, MET)


def test_a5_update_within_100_days(personas):
    old = ProgressUpdateFactory(region=region())
    old.__class__.objects.filter(pk=old.pk).update(
        created_at=datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC)
    )
    assert indicators()["A5"].value == 0  # 114 days before 23 November
    ProgressUpdateFactory(region=region())
    ProgressUpdateFactory(region=region(SECOND_OWN_REGION))
    assert indicators()["A5"].state == MET


def test_a6_instruments_applied_in_2026(personas):
    ProductUse.objects.create(region=region(), product_name="Scan", applied_on=TODAY)
    ProductUse.objects.create(
        region=region(SECOND_OWN_REGION), product_name="Scan", applied_on=datetime.date(2025, 5, 1)
    )
    assert (indicators()["A6"].value, indicators()["A6"].target) == (1, 2)


def test_a7_every_quarter_so_far_needs_a_partner_consultation(personas):
    for month in (2, 5, 8):
        MeetingFactory(
            region=region(), kind=MeetingKind.PARTNERS, date=datetime.date(2026, month, 3)
        )
    a7 = indicators()["A7"]
    assert (a7.value, a7.target, a7.state) == (3, 4, NOT_MET)
    MeetingFactory(region=region(SECOND_OWN_REGION), kind=MeetingKind.PARTNERS, date=TODAY)
    assert indicators()["A7"].state == MET


def test_a8_exactly_three_meetings_with_minutes_and_insights(personas):
    for kind in (MeetingKind.INTERVISION, MeetingKind.KNOWLEDGE):
        MeetingFactory(region=region(), kind=kind, minutes="Verslag", insights="Inzicht")
    MeetingFactory(region=region(), kind=MeetingKind.INTERVISION, minutes="", insights="x")
    MeetingFactory(region=region(), kind=MeetingKind.INSPIRATION, minutes="v", insights="i")
    assert (indicators()["A8"].value, indicators()["A8"].state) == (2, NOT_MET)
    MeetingFactory(region=region(), kind=MeetingKind.KNOWLEDGE, minutes="Verslag", insights="i")
    assert (indicators()["A8"].value, indicators()["A8"].state) == (3, MET)


def test_a9_dossier_needs_documents_route_and_recent_update(personas):
    ProcessRoute.objects.create(region=region(), agreed_on=TODAY, agreed_with="Stuurgroep")
    ProgressUpdateFactory(region=region())
    assert indicators()["A9"].value == 0
    Document.objects.create(
        region=region(),
        title="Verslag",
        file="dossier/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=personas.alice,
    )
    assert (indicators()["A9"].value, indicators()["A9"].target) == (1, 2)


def test_a10_shows_agreements_as_evidence(personas):
    Agreement.objects.create(
        region=region(),
        title="Samenwerkingsovereenkomst",
        parties="Alle gemeenten",
        signed_on=datetime.date(2026, 3, 1),
    )
    a10 = indicators()["A10"]
    assert (a10.value, a10.target, a10.state) == (1, None, EVIDENCE)
    assert a10.evidence.first(1)[0].label == "Samenwerkingsovereenkomst"


def test_scope_is_the_portfolio(client, personas):
    Scenario.objects.create(
        region=region(FOREIGN_REGION), national_scenario="s", regional_option="o"
    )
    client.force_login(personas.bob)
    html = client.get(
        reverse("dashboard:results"), {"adviseur": personas.alice.pk}
    ).content.decode()
    assert "Alice Adviseur" in html and "0/2" in html
    html = client.get(reverse("dashboard:results")).content.decode()
    assert "0/35" in html


def test_results_query_count_does_not_depend_on_the_number_of_regions(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.pm)
    url = reverse("dashboard:results")
    with django_assert_num_queries(23) as at_35:  # 2: the database state (core/pagecache.py)
        client.get(url)
    template = region()
    add_synthetic_regions(315, template)
    with django_assert_num_queries(len(at_35.captured_queries)):
        assert "0/350" in client.get(url).content.decode()


def test_hub_results_from_the_product_line(personas):
    from innovation.models import (
        Certification,
        DevelopmentLine,
        Product,
        ProductVersion,
        QualityCriterion,
        Review,
    )

    criterion = QualityCriterion.objects.create(name="Getest")
    product = Product.objects.create(name="Scan", kind="scan", owner=personas.hub)
    version = ProductVersion.objects.create(product=product, label="1.0", status="gepubliceerd")
    result = indicators()
    assert (result["B2"].value, result["B2"].target, result["B2"].state) == (0, 1, NOT_MET)
    Review.objects.create(version=version, criterion=criterion, passed=True, reviewer=personas.hub)
    assert indicators()["B2"].state == MET
    assert (indicators()["B3"].value, indicators()["B3"].target) == (0, 1)
    Certification.objects.create(
        specialist=personas.spec,
        version=version,
        certified_on=TODAY,
        expires_on=TODAY + datetime.timedelta(days=365),
    )
    result = indicators()
    assert (result["B3"].state, result["B5"].value, result["B5"].target) == (MET, 1, 10)
    for name in ("Governance", "Financiën"):
        DevelopmentLine.objects.create(name=name, delivered_on=TODAY, applied_nationally_on=TODAY)
    DevelopmentLine.objects.create(name="Scenario's", delivered_on=TODAY)  # not applied yet
    assert (indicators()["B4"].value, indicators()["B4"].state) == (2, MET)
    assert sorted(e.label for e in indicators()["B8"].evidence.all()) == ["Financiën", "Governance"]


def test_b7_every_ended_quarter_of_2026_needs_a_published_report(personas):
    from reporting.models import Report, ReportStatus
    from reporting.services import freeze_quarter

    def publish(quarter, status=ReportStatus.PUBLISHED):
        snapshot = freeze_quarter(year=2026, quarter=quarter, by=personas.pm, today=TODAY)
        Report.objects.create(
            snapshot=snapshot, status=status, published_at=timezone.now(), state="klaar"
        )

    publish(1)
    publish(2, status=ReportStatus.APPROVED)  # approved but not published: does not count
    result = indicators()["B7"]
    assert (result.value, result.target, result.state) == (1, 3, NOT_MET)
    publish(3)
    publish(4)  # Q4 has not ended on 23 November: it does not count yet
    Report.objects.filter(snapshot__quarter=2).update(status=ReportStatus.PUBLISHED)
    result = indicators()["B7"]
    assert (result.value, result.target, result.state) == (3, 3, MET)
    assert [e.label for e in result.evidence.all()] == ["2026 Q1", "2026 Q2", "2026 Q3"]


def test_b8_shows_agenda_items_planned_into_2027(personas):
    from innovation.models import AgendaItem

    AgendaItem.objects.create(
        title="Borging na 2026",
        priority="hoog",
        owner=personas.hub,
        start_quarter="2026-Q4",
        end_quarter="2027-Q2",
    )
    AgendaItem.objects.create(
        title="Alleen 2026",
        priority="hoog",
        owner=personas.hub,
        start_quarter="2026-Q1",
        end_quarter="2026-Q4",
    )
    result = indicators()["B8"]
    assert (result.value, result.target, result.state) == (1, None, EVIDENCE)
    assert [e.label for e in result.evidence.all()] == ["Borging na 2026"]


# --- the registry ---------------------------------------------------------------------------


def test_results_come_in_the_order_of_the_assignment_texts_and_b7_from_reporting(personas):
    keys = [i.key for i in compute_indicators(Region.objects.all(), TODAY)]
    assert keys == [f"A{n}" for n in range(1, 11)] + [f"B{n}" for n in range(1, 9)]
    owners = {r.key: r.compute.__module__ for r in registry.registered()}
    assert owners["B7"] == "reporting.results"
    assert {owners[k] for k in owners if k != "B7"} == {"dashboard.results"}


def test_a_registered_result_takes_its_place_and_its_declared_texts_and_target(
    personas, monkeypatch
):
    monkeypatch.setattr(registry, "_RESULTS", dict(registry._RESULTS))
    seen = []

    def compute(scope):
        seen.append(scope.today)
        return Figure(4, ListRecords([registry.Evidence("Record", "/x/")]))

    registry.register(Result("A11", "000", "Elfde resultaat", "Wat telt", compute, target=5))
    result = {i.key: i for i in compute_indicators(Region.objects.all(), TODAY)}
    keys = list(result)
    assert keys.index("A11") == keys.index("A10") + 1 and keys.index("A11") < keys.index("B1")
    a11 = result["A11"]
    assert (a11.result, a11.measure, a11.value, a11.target, a11.state) == (
        "Elfde resultaat",
        "Wat telt",
        4,
        5,
        NOT_MET,
    )
    assert seen == [TODAY]
    # Registering a key again replaces it (AppConfig.ready may run more than once).
    registry.register(Result("A11", "000", "Opnieuw", "", compute, target=3))
    assert [r.result for r in registry.registered() if r.key == "A11"] == ["Opnieuw"]


def test_dashboard_imports_nothing_from_reporting():
    """Imports point downwards: reporting builds on dashboard and registers B7 itself."""
    for path in Path(registry.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "reporting" for n in names), path


# --- evidence: the page counts every record and lists the first 50 ---------------------------


def _partner_meetings(count):
    for n in range(count):
        MeetingFactory(
            region=region(),
            kind=MeetingKind.PARTNERS,
            title=f"Partneroverleg {n:02d}",
            date=datetime.date(2026, 1, 1) + datetime.timedelta(days=n),
        )


def test_evidence_counts_every_record_and_builds_only_the_first(
    personas, django_assert_num_queries
):
    _partner_meetings(60)
    a7 = indicators()["A7"]
    with django_assert_num_queries(1):  # the count and the first 50 in one query
        assert a7.evidence.count == 60 and a7.evidence.hidden == 10
        first = a7.evidence.first(50)
    everything = a7.evidence.all()
    assert [e.label for e in first] == [e.label for e in everything[:50]]
    assert first[0].label == "Partneroverleg 00 (Q1)" and first[0].detail == "1 januari 2026"
    assert len(everything) == 60 and everything[-1].label == "Partneroverleg 59 (Q1)"
    assert [e.label for e in a7.evidence.first(55)] == [e.label for e in everything[:55]]
    assert re.fullmatch(
        rf".*/regios/{OWN_REGION}/\?toon=bijeenkomsten#bijeenkomsten-\d+", first[2].url
    )


def test_the_page_lists_the_first_50_records_of_a_result_and_counts_the_rest(client, personas):
    _partner_meetings(60)
    client.force_login(personas.pm)
    html = client.get(reverse("dashboard:results")).content.decode()
    a7 = html.split('id="result-A7"')[1].split("</details>")[0]
    assert "60 gegevens tellen mee" in a7
    assert "De eerste 50 van 60 worden getoond." in a7
    assert len(re.findall(r"<li>", a7)) == 50
    assert "Partneroverleg 49 (Q1)" in a7 and "Partneroverleg 50 (Q1)" not in a7
    assert '<span class="rm-muted">— 1 januari 2026</span>' in a7


def test_the_quarterly_snapshot_keeps_every_record_that_counts(personas):
    from reporting.snapshots import build_data

    _partner_meetings(60)
    data = build_data(year=2026, quarter=3, today=TODAY)
    a7 = next(i for i in data["indicators"] if i["key"] == "A7")
    assert len(a7["evidence"]) == 60 and a7["evidence"][59] == "Partneroverleg 59 (Q1)"
    a10 = next(i for i in data["indicators"] if i["key"] == "A10")
    assert a10["evidence"] == ["0 besluiten genomen in 0 regio's"]
