"""A specialist's notifications in the browser: the header's unread count, the Meldingen page
that opens a notification's record and marks it read, and the preferences page; by keyboard,
axe clean, at 1280 and 390 px."""

import pytest

from notifications.models import MessageKind, Preference
from notifications.services import notify
from tests.browser.signin import pass_second_factor
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_specialist_reads_a_notification_and_chooses_what_they_receive(
    page, personas, axe, screenshot
):
    deployment = personas.spec.deployments.get()
    for n, title in enumerate(["U bent ingezet: Governance in Groningen", "Tweede melding"]):
        notify(
            personas.spec,
            MessageKind.DEPLOYMENT,
            key=f"browser:{n}",
            title=title,
            text="Toegewezen door de programmaleiding.",
            url=f"/inzet/{deployment.pk}/",
        )
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill("spec")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "spec")
    page.wait_for_load_state()

    header_link = page.locator(".rm-user").get_by_role("link", name="Meldingen 2 ongelezen")
    assert header_link.is_visible()
    header_link.click()
    page.wait_for_url("**/meldingen/")
    assert page.get_by_role("heading", level=1).inner_text() == "Meldingen"
    assert page.locator(".rm-notification--unread").count() == 2
    screenshot(page, "notifications-1280")
    assert axe(page) == []

    # By keyboard: to the first notification's link, Enter opens its deployment.
    first = page.get_by_role("link", name="Tweede melding")
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/inzet/{deployment.pk}/")
    assert page.locator(".rm-user").get_by_role("link", name="Meldingen 1 ongelezen").is_visible()

    page.goto("/meldingen/")
    assert page.locator(".rm-notification--unread").count() == 1
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    page.wait_for_url("**/meldingen/")
    assert page.get_by_text("Alle meldingen zijn als gelezen gemarkeerd.").is_visible()
    assert page.locator(".rm-count").count() == 0
    assert page.locator(".rm-notification--unread").count() == 0

    page.get_by_role("link", name="Kies wat u ontvangt, en hoe").click()
    page.wait_for_url("**/meldingen/voorkeuren/")
    group = page.get_by_role("group", name="Een certificering verloopt binnenkort")
    assert group.get_by_label("Direct per e-mail").is_checked()
    group.get_by_label("In het weekoverzicht").check()
    assert axe(page) == []
    page.get_by_role("button", name="Keuzes opslaan").click()
    page.wait_for_url("**/meldingen/voorkeuren/")
    assert page.get_by_text("Uw keuzes zijn opgeslagen.").is_visible()
    saved = Preference.objects.get(user=personas.spec, kind=MessageKind.CERTIFICATION)
    assert saved.delivery == "overzicht"
    assert (
        page.get_by_role("group", name="Een certificering verloopt binnenkort")
        .get_by_label("In het weekoverzicht")
        .is_checked()
    )

    notify(
        personas.spec,
        MessageKind.DEPLOYMENT,
        key="browser:phone",
        title="Op de telefoon",
        url=f"/inzet/{deployment.pk}/",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/meldingen/")
    # On a phone the header's links fold behind "Menu", which carries the count itself.
    menu = page.get_by_role("button", name="Menu 1 ongelezen meldingen")
    assert menu.is_visible()
    menu.click()
    assert page.locator(".rm-user").get_by_role("link", name="Meldingen 1 ongelezen").is_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "notifications-390")
    assert axe(page) == []
