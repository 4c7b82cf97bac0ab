"""Single sign-on in Chromium through a real OpenID Connect provider process: the log-in choice,
the provider's own log-in page, back in Regiomonitor, and logging out through the provider."""

import pytest

from tests.oidc_provider import OidcProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(live_server, settings, tmp_path):
    started = OidcProvider(tmp_path, [live_server.url])
    started.configure(settings)
    # As config/settings.py names the provider for form-action when OIDC_ISSUER is set: logging
    # out posts here and is sent on to the provider's end-session page.
    policy = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = {
        **policy,
        "DIRECTIVES": {**policy["DIRECTIVES"], "form-action": ["'self'", started.issuer]},
    }
    yield started
    started.stop()


def test_an_adviser_signs_in_and_out_through_the_organisation(
    page, personas, provider, axe, screenshot
):
    page.goto("/regios/AM01/")
    page.wait_for_url("**/inloggen/?next=**")
    sso = page.get_by_role("link", name="Inloggen met uw organisatie")
    assert sso.is_visible()
    assert page.get_by_label("Wachtwoord").is_visible()
    screenshot(page, "login-choice-1280")
    assert axe(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "login-choice-390")
    assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})

    sso.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.locator("input[name=login]").fill("alice-org")
    page.locator("input[name=password]").fill("any")
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/regios/AM01/")
    assert "Alice" in page.locator("#rm-user").inner_text()

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{provider.issuer}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url("**/inloggen/")
    assert page.get_by_role("link", name="Inloggen met uw organisatie").is_visible()
    # Signed out at the provider too: signing in again asks for the log-in there.
    page.get_by_role("link", name="Inloggen met uw organisatie").click()
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    assert page.locator("input[name=login]").is_visible()


def test_someone_new_sees_the_waiting_page_in_dutch_and_english(
    page, personas, provider, axe, screenshot
):
    page.goto("/inloggen/")
    page.get_by_role("link", name="Inloggen met uw organisatie").click()
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.locator("input[name=login]").fill("new-org")
    page.locator("input[name=password]").fill("any")
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url("**/wacht-op-toegang/")
    assert page.get_by_role("heading", level=1).inner_text() == "Wacht op toegang"
    assert "nieuw@gemeente.example" in page.locator("main").inner_text()
    assert page.get_by_role("navigation", name="Hoofdmenu").count() == 0
    screenshot(page, "waiting-for-access-1280")
    assert axe(page) == []
    page.goto("/dashboard/")
    page.wait_for_url("**/wacht-op-toegang/")

    page.get_by_label("Taal", exact=True).select_option("en")
    page.get_by_role("button", name="Wissel", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Waiting for access"
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "waiting-for-access-en-390")
    assert axe(page) == []
