"""Content-Security-Policy: every main page works under the policy, with no violation reported.

The policy (config/settings.py) allows scripts, styles, fonts and images from our own origin only:
no inline <script>, <style> or style="", no event handler attributes and no eval. Chromium blocks
what breaks the policy and says so in two ways, both listened to here: a console message
("... violates the following Content Security Policy directive ...") and a
`securitypolicyviolation` event, forwarded to the test through an exposed function (bindings and
init scripts come in through the DevTools protocol, which the policy does not govern).
"""

import pytest

from reporting.services import freeze_quarter
from tests.browser.signin import pass_second_factor
from tests.conftest import OWN_REGION
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}`
  );
});
"""


@pytest.fixture
def csp_page(browser, live_server):
    """A page whose CSP violations (console and event) are collected in page.csp_violations."""
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    violations: list[str] = []
    context.expose_function("reportCspViolation", lambda text: violations.append(text))
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.csp_violations = violations
    yield page
    context.close()


def visit(page, path: str):
    """Open a page, check the header it was served with, and return the response."""
    response = page.goto(path)
    assert response.status == 200, f"{path}: {response.status}"
    policy = response.headers.get("content-security-policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives.get("script-src") == ["'self'"], f"{path}: {policy!r}"
    assert directives.get("style-src") == ["'self'"], f"{path}: {policy!r}"
    assert directives.get("default-src") == ["'self'"], f"{path}: {policy!r}"
    assert directives.get("object-src") == ["'none'"], f"{path}: {policy!r}"
    assert directives.get("frame-ancestors") == ["'none'"], f"{path}: {policy!r}"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy
    page.wait_for_load_state("networkidle")
    return response


def log_in(page, username: str) -> None:
    visit(page, "/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, username)
    page.wait_for_load_state("networkidle")
    assert "/inloggen/" not in page.url, f"{username} was not logged in"


def log_out(page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/**")


def test_main_pages_cause_no_csp_violation(csp_page, personas):
    page = csp_page
    step = personas.own_step
    freeze_quarter(year=2026, quarter=2, by=personas.pm)

    # The adviser: home (lands on the portfolio), dashboard with an htmx filter, results, and the
    # region page with a record opened for inline editing (an htmx swap with its indicator).
    log_in(page, "alice")
    visit(page, "/")
    visit(page, "/dashboard/")
    # hx-trigger="change": htmx swaps the table and pushes the filter into the URL.
    page.locator('select[name="fase"]').select_option(index=1)
    page.wait_for_url("**/dashboard/?*fase=*")
    page.wait_for_load_state("networkidle")
    visit(page, "/resultaten/")
    visit(page, f"/regios/{OWN_REGION}/")
    item = page.locator(f"#processtappen-{step.pk}")
    item.get_by_role("link", name="Wijzigen").click()
    form = page.locator(f"#processtappen-{step.pk} form")
    form.get_by_label("Stap (verplicht)").fill("Raadsvoorstel onder CSP")
    form.get_by_role("button", name="Opslaan").click()
    page.locator(f"#processtappen-{step.pk}").get_by_text("Opgeslagen.").wait_for()
    visit(page, f"/regios/{OWN_REGION}/geschiedenis/")
    visit(page, "/inzet/")
    log_out(page)

    # Programme management: the quarterly reports and a frozen quarter with its report card.
    log_in(page, "pm")
    visit(page, "/rapportages/")
    visit(page, "/rapportages/2026/q2/")
    visit(page, "/portefeuilles/")
    log_out(page)

    # The innovation hub's product line, the partner's national picture, the beheerder's admin.
    log_in(page, "hub")
    visit(page, "/producten/")
    visit(page, f"/specialisten/{personas.spec.pk}/")
    log_out(page)
    log_in(page, "partner")
    visit(page, "/landelijk/")
    log_out(page)
    log_in(page, "beheer")
    visit(page, "/beheer/")
    visit(page, f"/beheer/accounts/user/{personas.alice.pk}/change/")

    assert page.csp_violations == []


def test_a_violation_would_be_noticed(csp_page, personas):
    """The listeners above work: an inline style added to a served page is refused and reported."""
    page = csp_page
    log_in(page, "alice")
    visit(page, "/dashboard/")
    assert page.csp_violations == []
    page.evaluate(
        """() => {
          const style = document.createElement("style");
          style.textContent = "body { background: red; }";
          document.head.appendChild(style);
        }"""
    )
    page.wait_for_timeout(200)
    assert any("style-src" in v for v in page.csp_violations), page.csp_violations
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 0, 0)"
