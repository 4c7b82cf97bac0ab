"""The region page's header action: record that the plan's next stage is reached."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.history import history_of
from monitoring.models import PlanMilestone
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def url(code=OWN_REGION):
    return reverse("monitoring:stage_reached", args=[code])


def region():
    return Region.objects.get(code=OWN_REGION)


def test_the_page_offers_the_next_stage_with_today_filled_in(client, personas):
    PlanMilestone.objects.create(
        region=region(), stage="orientatie", reached_date=datetime.date(2026, 2, 1)
    )
    client.force_login(personas.alice)
    html = client.get(region().get_absolute_url()).content.decode()
    action = html.split('id="region-next-stage"')[1].split("</form>")[0]
    assert "Volgende fase: Analyse" in action
    assert f'value="{timezone.localdate().isoformat()}"' in action
    assert 'name="stage" value="analyse"' in action and 'name="version" value=""' in action
    assert "Analyse vastleggen als bereikt" in action
    client.force_login(personas.bob)  # may read the region, not change it
    html = client.get(region().get_absolute_url()).content.decode()
    assert 'id="region-next-stage"' in html and "fase-bereikt" not in html


def test_reaching_the_next_stage_updates_the_header_timeline_and_stages(client, personas):
    planned = PlanMilestone.objects.create(
        region=region(), stage="orientatie", planned_date=datetime.date(2026, 3, 1)
    )
    client.force_login(personas.alice)
    data = {"stage": "orientatie", "version": "1", "reached_date": "2026-03-05"}
    response = client.post(url(), data, headers=HTMX)
    html = response.content.decode()
    assert response["HX-Reswap"] == "none"  # everything comes out of band
    lead = html.split('<p class="rm-lead" id="region-lead" hx-swap-oob="true">')[1]
    assert "<strong>Oriëntatie</strong>" in lead.split("</p>")[0]
    assert '<div id="region-timeline" hx-swap-oob="true">' in html
    action = html.split('<div class="rm-next-stage" id="region-next-stage" hx-swap-oob="true">')[1]
    assert "Vastgelegd: Oriëntatie bereikt op 5 maart 2026." in action
    assert "Volgende fase: Analyse" in action
    stages = html.split('<section id="section-fasen"')[1]
    assert 'hx-swap-oob="true"' in stages.split(">")[0] and "5 maart 2026" in stages
    planned.refresh_from_db()
    assert (planned.reached_date, planned.version) == (datetime.date(2026, 3, 5), 2)
    assert planned.planned_date == datetime.date(2026, 3, 1)  # kept
    change = next(e for e in history_of(region()) if e.action == "update")
    assert change.who == "Alice Adviseur"
    assert ("bereikt op", "", "5 maart 2026") in change.changes


def test_a_stage_not_yet_planned_is_created_reached(client, personas):
    client.force_login(personas.alice)
    data = {"stage": "orientatie", "version": "", "reached_date": "2026-01-15"}
    assert client.post(url(), data).status_code == 302  # without JavaScript: back to the page
    milestone = PlanMilestone.objects.get(region=region())
    assert (milestone.stage, milestone.reached_date) == ("orientatie", datetime.date(2026, 1, 15))
    created = [e for e in history_of(region()) if e.model_name == "fase toekomstplan"]
    assert [(e.action, e.who) for e in created] == [("insert", "Alice Adviseur")]


def test_a_stage_changed_in_the_meantime_is_not_overwritten(client, personas):
    milestone = PlanMilestone.objects.create(region=region(), stage="orientatie", version=3)
    client.force_login(personas.alice)
    data = {"stage": "orientatie", "version": "2", "reached_date": "2026-01-15"}
    html = client.post(url(), data, headers=HTMX).content.decode()
    assert "Iemand anders heeft de fasen van dit plan intussen gewijzigd" in html
    assert 'value="2026-01-15"' in html  # what was typed stays
    milestone.refresh_from_db()
    assert (milestone.reached_date, milestone.version) == (None, 3)
    # Someone else recorded the stage while this page showed it as not yet planned.
    data = {"stage": "orientatie", "version": "", "reached_date": "2026-01-15"}
    html = client.post(url(), data, headers=HTMX).content.decode()
    assert "Iemand anders heeft de fasen van dit plan intussen gewijzigd" in html


def test_a_stage_cannot_be_reached_in_the_future(client, personas):
    client.force_login(personas.alice)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    data = {"stage": "orientatie", "version": "", "reached_date": tomorrow}
    html = client.post(url(), data, headers=HTMX).content.decode()
    assert "Een fase kan niet op een datum in de toekomst bereikt zijn." in html
    assert 'id="id_next_stage_reached_date_error"' in html
    assert not PlanMilestone.objects.exists()
    html = client.post(url(), {**data, "reached_date": ""}, headers=HTMX).content.decode()
    assert "Dit veld is verplicht." in html


def test_only_the_regions_adviser_records_a_stage(client, personas):
    data = {"stage": "orientatie", "version": "", "reached_date": "2026-01-15"}
    client.force_login(personas.alice)
    assert client.post(url(FOREIGN_REGION), data).status_code == 403
    client.force_login(personas.partner)
    assert client.post(url(), data).status_code == 404
    client.force_login(personas.alice)
    assert client.post(url(), {**data, "stage": "onzin"}).status_code == 404
    assert not PlanMilestone.objects.exists()
