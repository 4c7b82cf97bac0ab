"""The profile page and the API documentation in Chromium: make a token, see it once, revoke
it, by keyboard and axe clean at 1280 and 390 px; the documentation page renders Swagger UI from
the app's own files with no CSP violation and no request to anywhere else."""

import re
from urllib.parse import urlsplit

import pytest

from api.models import ApiToken
from tests.browser import test_csp
from tests.browser.test_csp import log_in

csp_page = test_csp.csp_page  # the fixture that collects CSP violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_user_makes_sees_once_and_revokes_a_token(csp_page, personas, axe, screenshot):
    page = csp_page
    log_in(page, "alice")
    page.locator(".rm-user").get_by_role("link", name="Mijn profiel").click()
    page.wait_for_url("**/profiel/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn profiel"
    assert page.get_by_text("U hebt geen API-sleutels.").is_visible()
    assert axe(page) == []

    # An empty name is refused next to the field, in Dutch.
    page.get_by_role("button", name="Sleutel maken").click()
    page.wait_for_load_state()
    assert page.locator(".rm-field-error").inner_text().startswith("Geef de sleutel een naam")

    # By keyboard: the name field, Enter makes the token.
    page.get_by_label("Naam").focus()
    page.keyboard.type("Rapportagescript")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    token = page.get_by_label("Sleutel", exact=True).input_value()
    assert token.startswith("rm_")
    assert page.get_by_text("Kopieer de sleutel nu").is_visible()
    stored = ApiToken.objects.get(user=personas.alice)
    assert token.startswith(stored.prefix) and stored.token_hash != token
    screenshot(page, "api-profile-token-1280")
    assert axe(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "api-profile-token-390")
    assert axe(page) == []

    # Shown once: the page again shows only its first characters.
    page.goto("/profiel/")
    assert token not in page.content()
    assert page.get_by_role("cell", name=f"{stored.prefix}…").is_visible()

    page.get_by_role("button", name=re.compile(r"^Intrekken\W+Rapportagescript$")).click()
    page.wait_for_url("**/profiel/")
    assert page.get_by_text("De sleutel “Rapportagescript” is ingetrokken").is_visible()
    assert page.get_by_text("ingetrokken op").is_visible()
    screenshot(page, "api-profile-revoked-390")
    assert axe(page) == []
    assert page.csp_violations == []

    status = page.request.get("/api/v1/regions/", headers={"Authorization": f"Bearer {token}"})
    assert status.status == 401


def test_the_api_documentation_renders_from_the_apps_own_files(
    csp_page, personas, live_server, screenshot
):
    page = csp_page
    elsewhere = []
    page.on(
        "request",
        lambda request: (
            elsewhere.append(request.url)
            if urlsplit(request.url).netloc not in {urlsplit(live_server.url).netloc, ""}
            and not request.url.startswith("data:")
            else None
        ),
    )
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, "pm")
    page.goto("/profiel/")
    page.get_by_role("link", name="API-documentatie").click()
    page.wait_for_url("**/api/v1/docs/")
    # Our page heading; Swagger UI adds its own h1 for the schema title once it has loaded.
    assert page.locator("h1.utrecht-heading-1").inner_text() == "API-documentatie"
    operations = page.locator(".swagger-ui .opblock")
    operations.first.wait_for()
    assert operations.count() > 20
    assert page.get_by_text("/api/v1/regions/{code}/route-steps/{id}/").first.is_visible()

    # Try one out with the session: the regions list answers.
    page.locator(".opblock-summary-get", has_text="/api/v1/regions/").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    answer = page.locator(".live-responses-table tbody .response-col_status").first
    answer.wait_for()
    assert answer.inner_text().strip() == "200"
    page.wait_for_load_state("networkidle")
    screenshot(page, "api-docs-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "api-docs-390")
    assert page.csp_violations == []
    assert elsewhere == []
    assert errors == []
