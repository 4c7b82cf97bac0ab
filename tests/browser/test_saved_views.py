"""Saved views in the browser: set filters on the dashboard, save them under a name by
keyboard, find the name in the menu and open the dashboard with those filters again; axe clean
at 1280 and at 390 px (the menu opened with its button), and nothing wider than the phone."""

import re

import pytest

from dashboard.models import SavedView
from tests.browser.signin import pass_second_factor
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _log_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, username)
    page.wait_for_load_state()


def test_a_filter_saved_under_a_name_opens_from_the_menu(page, personas, axe, screenshot):
    _log_in(page, "pm")
    page.goto("/dashboard/")
    filters = page.locator("form.rm-filters")
    filters.locator("select[name=status]").select_option("risico")
    page.wait_for_url("**status=risico**")
    filters.locator("select[name=fase]").select_option("orientatie")
    page.wait_for_url("**fase=orientatie**")
    page.locator("#dashboard-results").get_by_role("link", name="Regio", exact=True).click()
    page.wait_for_url("**sorteer=naam**")

    # By keyboard: into the name field, type, Enter saves without leaving the page.
    field = page.get_by_label("Naam van deze weergave")
    field.focus()
    page.keyboard.type("Risico in oriëntatie")
    page.keyboard.press("Enter")
    status = page.locator("#save-view [role=status]")
    status.wait_for()
    assert "Risico in oriëntatie" in status.inner_text()
    view = SavedView.objects.get(user=personas.pm)
    assert view.query == "fase=orientatie&status=risico&sorteer=naam"
    menu = page.locator("#rm-saved-views")
    link = menu.get_by_role("link", name="Risico in oriëntatie")
    assert link.is_visible()
    assert page.get_by_label("Naam van deze weergave").input_value() == ""
    screenshot(page, "saved-views-saved-1280")
    assert axe(page) == []

    # A name in use is refused next to the field, what was typed kept.
    field = page.get_by_label("Naam van deze weergave")
    field.fill("RISICO IN ORIËNTATIE")
    field.press("Enter")
    page.locator("#save-view .rm-field-error").wait_for()
    assert "al een weergave" in page.locator("#save-view .rm-field-error").inner_text()
    assert page.get_by_label("Naam van deze weergave").input_value() == "RISICO IN ORIËNTATIE"
    assert axe(page) == []

    # Elsewhere, the menu's link opens the dashboard with the filters, marked as the current page.
    page.goto("/resultaten/")
    link = page.locator("#rm-saved-views").get_by_role("link", name="Risico in oriëntatie")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/?fase=orientatie&status=risico&sorteer=naam")
    assert page.locator("form.rm-filters select[name=status]").input_value() == "risico"
    assert page.locator("form.rm-filters select[name=fase]").input_value() == "orientatie"
    current = page.locator('#rm-saved-views a[aria-current="page"]')
    assert current.inner_text() == "Risico in oriëntatie"
    assert page.locator('#rm-menu a[aria-current="page"]').count() == 1
    screenshot(page, "saved-views-menu-1280")
    assert axe(page) == []

    # The page to rename and delete.
    page.locator("#rm-saved-views").get_by_role("link", name="Beheren opgeslagen weergaven").click()
    page.wait_for_url("**/dashboard/weergaven/")
    page.get_by_label("Naam van deze weergave").fill("Oriëntatie, risico")
    page.get_by_role("button", name=re.compile(r"^Hernoemen\W+Risico in oriëntatie$")).click()
    page.wait_for_url("**/dashboard/weergaven/")
    assert page.locator("#rm-saved-views").get_by_role("link", name="Oriëntatie, risico").count()
    screenshot(page, "saved-views-manage-1280")
    assert axe(page) == []

    # On a phone: the menu folds behind its button; opened, the saved view is there.
    page.set_viewport_size(PHONE)
    page.goto("/dashboard/?fase=orientatie&status=risico&sorteer=naam")
    saved_link = page.locator("#rm-saved-views").get_by_role("link", name="Oriëntatie, risico")
    assert not saved_link.is_visible()
    button = page.get_by_role("button", name="Menu")
    button.focus()
    page.keyboard.press("Enter")
    assert saved_link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    screenshot(page, "saved-views-menu-390")
    assert axe(page) == []
    page.keyboard.press("Escape")
    page.get_by_label("Naam van deze weergave").scroll_into_view_if_needed()
    screenshot(page, "saved-views-form-390")
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    page.goto("/dashboard/weergaven/")
    assert page.evaluate("document.documentElement.scrollWidth") == 390
    assert axe(page) == []
    screenshot(page, "saved-views-manage-390")
