"""The dashboard beside a frozen quarter: a snapshot made with the freezing service, then the
records move on; the dashboard with ?vergelijk shows per region what differs, and a national
line. Read in English (the source strings), whatever the state of the Dutch catalogue."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.urls import reverse

from core.pagecache import CACHE_ALIAS
from dashboard.comparison import parse_quarter
from monitoring.models import PlanMilestone, PlanStage, Status
from regions.models import Region
from reporting.services import freeze_quarter
from tests.conftest import FOREIGN_REGION, OWN_REGION, SECOND_OWN_REGION
from tests.factories import ProgressUpdateFactory, RouteStepFactory

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:index")


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    caches[CACHE_ALIAS].clear()


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def comparison(html: str) -> str:
    start = html.index('id="vergelijken"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def moved_on(personas):
    """2026 Q3 frozen; since then Groningen reached a stage, Friesland's status went to risk
    and a step in Drenthe turned late."""
    groningen = Region.objects.get(code=OWN_REGION)
    friesland = Region.objects.get(code=SECOND_OWN_REGION)
    drenthe = Region.objects.get(code=FOREIGN_REGION)
    for stage, reached in (
        (PlanStage.ORIENTATION, datetime.date(2026, 7, 1)),
        (PlanStage.ANALYSIS, datetime.date(2026, 11, 2)),
    ):
        PlanMilestone.objects.create(
            region=groningen, stage=stage, planned_date=reached, reached_date=reached
        )
    ProgressUpdateFactory(region=friesland, year=2026, quarter=3, status=Status.ON_TRACK)
    RouteStepFactory(region=drenthe, planned_date=datetime.date(2026, 10, 15))
    freeze_quarter(year=2026, quarter=3, by=personas.pm, today=datetime.date(2026, 10, 1))
    ProgressUpdateFactory(region=friesland, year=2026, quarter=4, status=Status.RISK)
    return groningen, friesland, drenthe


def test_today_compared_with_a_frozen_quarter(client, personas, moved_on):
    client.force_login(personas.pm)
    html = client.get(URL, {"vergelijk": "2026-3"}).content.decode()
    part = comparison(html)
    shown = text(part)
    assert "Today compared with 2026 Q3" in shown
    assert "Since 2026 Q3: 1 region a stage further" in shown
    assert "status worse in 1 region" in shown
    # The fixtures' steps (planned 1 October) are late today too, in Groningen and Drenthe.
    assert "2 regions with more late steps" in shown
    assert f"{Region.objects.count() - 3} regions unchanged" in shown
    rows = re.findall(r"<tr class=\"utrecht-table__row\">\s*<th scope=\"row\".*?</tr>", part, re.S)
    by_region = {re.search(r'href="/regios/(\w+)/"', row).group(1): text(row) for row in rows}
    assert set(by_region) == {OWN_REGION, SECOND_OWN_REGION, FOREIGN_REGION}
    assert "Orientation → Analysis (1 stage further)" in by_region[OWN_REGION]
    assert "On track → At risk (worse)" in by_region[SECOND_OWN_REGION]
    assert "0 → 2 (2 more)" in by_region[FOREIGN_REGION]
    # Marked in words and by a class, never by colour alone; unchanged cells say so.
    assert "rm-compare__change--worse" in part and "rm-compare__change--better" in part
    assert "unchanged" in by_region[FOREIGN_REGION]
    # The choice keeps the table's filters, and offers the frozen quarter.
    html = client.get(URL, {"vergelijk": "2026-3", "fase": "analyse"}).content.decode()
    assert '<input type="hidden" name="fase" value="analyse">' in comparison(html)
    assert '<option value="2026-3" selected>2026 Q3</option>' in comparison(html)


def test_without_a_choice_or_with_a_bad_one_the_dashboard_stays_whole(client, personas, moved_on):
    client.force_login(personas.alice)
    html = client.get(URL).content.decode()
    assert "Compare with a frozen quarter" in comparison(html)
    assert "rm-compare__table" not in html
    for value in ("2026-2", "2026-9", "garbage", "2026-3-1", "\x00", "٢٠٢٦-3"):
        response = client.get(URL, {"vergelijk": value})
        assert response.status_code == 200, value
        part = comparison(response.content.decode())
        assert "Choose a quarter that has been frozen." in part, value
        assert "rm-compare__table" not in part


def test_no_frozen_quarter_yet(client, personas):
    client.force_login(personas.hub)
    part = comparison(client.get(URL).content.decode())
    assert "No quarter has been frozen yet" in part and "<select" not in part


@pytest.mark.parametrize(
    ("value", "parsed"),
    [("2026-3", (2026, 3)), ("2026-0", None), ("26-3", None), ("", None), ("2026-", None)],
)
def test_parse_quarter(value, parsed):
    assert parse_quarter(value) == parsed


def test_the_comparison_is_kept_apart_and_its_queries_are_pinned(
    client, personas, moved_on, django_assert_num_queries
):
    client.force_login(personas.pm)
    # As tests/test_dashboard.py's 19 (the frozen quarters to choose from included), and the
    # chosen quarter's frozen regions.
    with django_assert_num_queries(20):
        html = client.get(URL, {"vergelijk": "2026-3"}).content.decode()
    assert "Today compared with 2026 Q3" in html
    with django_assert_num_queries(19):
        html = client.get(URL).content.decode()
    assert "Today compared with" not in html
