"""The search journey in Chromium: the header's search field, by keyboard, its results grouped
by kind with the words found marked, a result opened at its record on the region page; in
Dutch and English, axe clean, at 1280 and 390 px."""

import pytest

from monitoring.models import Meeting
from regions.models import Region
from tests.browser.signin import pass_second_factor
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import PASSWORD, MeetingFactory, RouteStepFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_adviser_finds_a_meeting_by_its_minutes_and_opens_it(page, personas, axe, screenshot):
    own = Region.objects.get(code=OWN_REGION)
    meeting = MeetingFactory(
        region=own,
        title="Stuurgroep najaar",
        minutes="Afgesproken: de financiën van het SOB worden in januari doorgerekend.",
    )
    RouteStepFactory(region=own, title="Financiën in kaart brengen", description="")
    MeetingFactory(
        region=Region.objects.get(code=FOREIGN_REGION), title="Overleg", minutes="Financiën"
    )
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill("spec")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "spec")
    page.wait_for_load_state()

    # By keyboard: the skip link, the brand, then the search field.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "rm-search-q"
    page.keyboard.type("financien")  # without its accent
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/zoeken/?q=financien")
    groups = page.locator(".rm-search-group h2")
    assert groups.all_inner_texts() == ["Processtappen (1)", "Bijeenkomsten (1)"]  # own region
    marked = page.locator("#soort-bijeenkomsten mark")
    assert marked.all_inner_texts() == ["financiën"]
    assert axe(page) == []
    screenshot(page, "search-results-1280")

    page.get_by_role("link", name="Stuurgroep najaar").click()
    page.wait_for_url(f"**/regios/{OWN_REGION}/?toon=bijeenkomsten#bijeenkomsten-{meeting.pk}")
    record = page.locator(f"#bijeenkomsten-{meeting.pk}")
    record.wait_for()
    assert record.is_visible()  # its section opened for it
    assert record.get_by_text("Stuurgroep najaar", exact=True).is_visible()
    screenshot(page, "search-record-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/zoeken/?q=%22financi%C3%ABn+van+het+SOB%22")
    # On a phone the header's field folds away behind "Menu" with the rest; the page has its own.
    assert page.locator("#search-page-q").is_visible()
    assert not page.locator("#rm-search-q").is_visible()
    page.get_by_role("button", name="Menu").click()
    assert page.locator("#rm-search-q").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator(".rm-search-hit").count() == 1
    assert axe(page) == []
    screenshot(page, "search-results-390")
    assert Meeting.objects.count() == 2


def test_in_english_and_with_a_question_too_long(page, personas, axe, screenshot):
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "alice")
    page.wait_for_load_state()
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wissel", exact=True).click()
    page.wait_for_load_state()
    page.get_by_label("Search in Regiomonitor").fill("woord " * 40)
    page.get_by_role("button", name="Search", exact=True).first.click()
    page.wait_for_load_state()
    error = page.locator("#search-page-q_error")
    assert error.inner_text() == (
        "Search with at most 200 characters; you typed 239. Nothing was searched."
    )
    assert page.evaluate("document.activeElement.id") == "search-page-q"
    assert page.locator("#search-page-q").input_value() == ("woord " * 40).strip()
    assert axe(page) == []
    screenshot(page, "search-too-long-en-1280")
