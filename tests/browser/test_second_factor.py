"""The second factor in the browser, by keyboard: a programme manager sets up the app right after
the password (QR code and typed-out key), keeps the recovery codes, logs in again with the app's
code after a wrong one; axe clean at 1280 and 390 px, in Dutch and in English."""

import pytest

from tests import totp
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def _password(page, username: str) -> None:
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_label("Wachtwoord").press("Enter")
    page.wait_for_load_state()


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"


def test_a_programme_manager_sets_up_the_app_and_logs_in_with_it(page, personas, axe, screenshot):
    _password(page, "pm")
    page.wait_for_url("**/tweede-factor/instellen/**")
    assert page.get_by_role("heading", level=1).inner_text() == "Tweede factor instellen"
    assert page.locator("main svg").is_visible(), "the QR code is drawn"
    assert page.get_by_role("navigation", name="Hoofdmenu").count() == 0
    # No autofocus here: the steps above the field come first, for a screen reader too.
    screenshot(page, "second-factor-setup-1280")
    assert axe(page) == []
    page.set_viewport_size(PHONE)
    _fits(page)
    screenshot(page, "second-factor-setup-390")
    assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})

    secret = totp.secret_shown(page.content())
    page.get_by_label("Code uit uw app").focus()
    page.keyboard.type("12345")
    page.keyboard.press("Enter")
    page.locator(".rm-field-error").wait_for()
    # Refused: focus is back in the field in error, past the steps, with the message beside it.
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg="id_code"
    )
    assert "Deze code klopt niet" in page.locator(".rm-field-error").inner_text()
    assert totp.secret_shown(page.content()) == secret, "the same key after a refusal"
    page.keyboard.press("Control+A")
    page.keyboard.type(totp.code_now(secret))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Uw herstelcodes").wait_for()
    codes = page.locator(".rm-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "second-factor-recovery-codes-1280")
    assert axe(page) == []
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/**")
    _password(page, "pm")
    page.wait_for_url("**/tweede-factor/?next=**")
    # The page's one field has focus: typing the code and Enter is all it takes.
    assert page.evaluate("document.activeElement.id") == "id_code"
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    error = page.locator(".rm-field-error")
    assert "Deze code klopt niet" in error.inner_text()
    assert page.get_by_label("Code").get_attribute("aria-invalid") == "true"
    screenshot(page, "second-factor-wrong-code-1280")
    assert axe(page) == []

    # In English, on a phone.
    page.get_by_label("Taal", exact=True).select_option("en")
    page.get_by_role("button", name="Wissel", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Second factor"
    page.set_viewport_size(PHONE)
    _fits(page)
    screenshot(page, "second-factor-en-390")
    assert axe(page) == []

    page.wait_for_timeout(1100)  # the app's device takes no code for a second after a wrong one
    page.get_by_label("Code").fill(totp.fresh_code(personas.pm))
    page.get_by_label("Code").press("Enter")
    page.wait_for_url("**/dashboard/")


def test_an_adviser_sees_where_she_is_logged_in_and_ends_another_session(
    browser, live_server, page, personas, axe, screenshot
):
    other = browser.new_context(base_url=live_server.url, locale="nl-NL")
    phone_page = other.new_page()
    _password(phone_page, "alice")
    _password(page, "alice")
    page.get_by_role("link", name="Mijn profiel").click()
    page.get_by_role("link", name="Beveiliging: tweede factor en herstelcodes").click()
    page.wait_for_url("**/beveiliging/")
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    assert rows.filter(has_text="deze browser").count() == 1
    screenshot(page, "security-sessions-1280")
    assert axe(page) == []
    page.set_viewport_size(PHONE)
    _fits(page)
    screenshot(page, "security-sessions-390")
    assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})

    end = rows.filter(has_not_text="deze browser").get_by_role("button", name="Beëindigen")
    end.focus()
    page.keyboard.press("Enter")
    page.get_by_text("De sessie is beëindigd").wait_for()
    assert page.locator("table tbody tr").count() == 1
    phone_page.goto("/portefeuille/")
    phone_page.wait_for_url("**/inloggen/**")
    other.close()
