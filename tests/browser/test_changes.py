"""What changed, in Chromium: the region page loads its summary after itself, following it
shows the changes another adviser made since the previous visit; the dashboard beside a frozen
quarter. axe clean at 1280 and 390 px, no sideways scroll on a phone. In English (the source
strings of these pages)."""

import datetime

import pghistory
import pytest
from django.conf import settings

from monitoring.models import RouteStep
from regions.models import Region
from reporting.services import freeze_quarter
from tests.browser.signin import pass_second_factor
from tests.conftest import OWN_REGION
from tests.factories import PASSWORD, MeetingFactory
from workspace import visits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ARTIFACTS = settings.BASE_DIR / "test-artifacts"


def log_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, username)
    page.wait_for_load_state()
    page.get_by_label("Taal", exact=True).select_option("en")
    page.get_by_role("button", name="Wissel", exact=True).click()
    page.wait_for_load_state()


def test_the_region_page_sums_up_what_changed_and_leads_to_it(
    page, personas, axe, screenshot, monkeypatch
):
    monkeypatch.setattr(visits, "SAME_VISIT", datetime.timedelta(0))
    region = Region.objects.get(code=OWN_REGION)
    log_in(page, "alice")
    page.goto(f"/regios/{OWN_REGION}/")  # visit 1
    page.locator("#changes-summary .rm-changes-summary").wait_for()

    with pghistory.context(user=personas.bob.pk):
        MeetingFactory(region=region, title="Intervisie met de SOB-directeuren")
        step = RouteStep.objects.get(pk=personas.own_step.pk)
        step.title = "Scenario's doorrekenen met de SOB"
        step.save()

    page.goto(f"/regios/{OWN_REGION}/")  # visit 2
    summary = page.locator("#changes-summary .rm-changes-summary")
    summary.wait_for()
    assert "2 changes by others (1 added, 1 changed, 0 removed)" in summary.inner_text()
    assert axe(page) == []
    screenshot(page, "changes-region-page-1280")

    summary.get_by_role("link", name="Show what changed").click()
    page.wait_for_url(f"**/regios/{OWN_REGION}/veranderd/")
    events = page.locator(".rm-event")
    assert events.count() == 2
    assert "Bob Bakker" in events.nth(0).inner_text()
    changed = page.locator(".rm-event--update")
    assert "Scenario's doorrekenen met de SOB" in changed.inner_text()
    assert axe(page) == []
    screenshot(page, "changes-region-1280")

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe(page) == []
    screenshot(page, "changes-region-390")

    # By keyboard: the date field, then the checkbox, then "Show".
    page.locator("#id_sinds").focus()
    page.keyboard.type("01012999")
    page.locator("#id_sinds").press("Enter")
    page.wait_for_load_state()
    assert page.locator("#id_sinds_error").inner_text() == "The date lies in the future."
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe(page) == []


def test_the_dashboard_beside_a_frozen_quarter(page, personas, axe, screenshot):
    freeze_quarter(year=2026, quarter=3, by=personas.pm, today=datetime.date(2026, 10, 1))
    log_in(page, "pm")
    page.goto("/dashboard/")
    page.get_by_label("Frozen quarter", exact=True).select_option("2026-3")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_load_state()
    section = page.locator("#vergelijken")
    assert "Today compared with 2026 Q3" in section.inner_text()
    assert "Since 2026 Q3:" in section.inner_text()
    assert axe(page) == []
    section.screenshot(path=str(ARTIFACTS / "changes-dashboard-compare-1280.png"))
    page.set_viewport_size(PHONE)
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe(page) == []
    page.locator("#vergelijken").screenshot(
        path=str(ARTIFACTS / "changes-dashboard-compare-390.png")
    )
