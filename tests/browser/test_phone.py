"""Every page fits a phone: at 390 px no page scrolls sideways, no chart label is cut off, and
axe finds nothing there.

The pages are the GET rows of the access table (tests/test_access.py) that a role reaches (200),
so a page added to the URLconf is walked here as soon as it has its row. One browser context per
role (logged in by cookie, no log-in form), one tab reused for all its pages, no waiting beyond
the load of each page: the whole walk takes well under a minute.
"""

import hashlib
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import AXE_SOURCE
from tests.test_access import CASES, ROLES, _resolve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# The widest element that sticks out of the viewport and is not inside a scrolling container
# (a table in its labelled container may scroll there, the page may not).
WIDTH = """() => {
  const viewport = document.documentElement.clientWidth;
  let widest = null, right = viewport;
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.right <= right + 0.5 || box.width === 0) continue;
    let parent = element.parentElement, scrolls = false;
    for (; parent && parent !== document.body; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX !== "visible") { scrolls = true; break; }
    }
    if (!scrolls) { right = box.right; widest = element; }
  }
  const classes = (e) => typeof e.className === "string" && e.className.trim() ?
    "." + e.className.trim().split(/\\s+/).join(".") : "";
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + classes(e);
  return {
    document: document.documentElement.scrollWidth,
    viewport,
    widest: widest ? `${describe(widest)} (right edge ${Math.round(right)} px)` : null,
  };
}"""


def pages_of(role: str, personas) -> list[str]:
    """The addresses of every page `role` may open: the access table's GET rows with 200."""
    urls = []
    for case in CASES:
        if case.method == "get" and case.expect[role] == 200:
            url = _resolve(case, personas)
            if url not in urls:
                urls.append(url)
    return urls


def _log_in(context, user, live_server) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def _html(page, url: str):
    """Open `url` in the tab; None when it is no HTML page (a download, an SVG, JSON)."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return None
        raise
    content_type = response.headers.get("content-type", "")
    if not content_type.startswith("text/html"):
        return None
    # A fragment for htmx (a job's status card) is part of a page, not a page of its own.
    return response if page.locator("main").count() else None


# Texts of the server-side SVG charts, maps and timeline that run off their picture (drawn
# outside the viewBox, so cut off at any width): "chart title: text".
CLIPPED = """() => Array.from(document.querySelectorAll("svg[viewBox] text")).flatMap((text) => {
  const svg = text.ownerSVGElement, view = svg.viewBox.baseVal, box = text.getBBox();
  const inside = box.x >= view.x - 0.5 && box.x + box.width <= view.x + view.width + 0.5;
  return inside || !box.width ? [] :
    [`${svg.querySelector("title")?.textContent || "svg"}: ${text.textContent}`];
})"""

# What axe reads on a page besides its header: the content with the per-render CSRF tokens left
# out. A page whose content a role's walk already checked (the same page for another role, which
# differs in the menu only) is measured again but not checked by axe again: the header is checked
# on every role's first page.
CONTENT = """() => {
  const body = document.body.cloneNode(true);
  body.querySelector("header")?.remove();
  body.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach((input) => input.remove());
  return body.innerHTML;
}"""


def _axe(page) -> list[dict]:
    """axe-core's serious and critical violations on the page (only violations are collected,
    which saves axe a third of its time)."""
    page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in results["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_every_page_of_every_role_fits_a_phone_and_passes_axe(
    browser, live_server, personas, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    started = time.perf_counter()
    problems, checked, walked, axe_runs = [], set(), 0, 0
    for role in ROLES:
        context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE)
        user = personas.by_role(role)
        if user is not None:
            _log_in(context, user, live_server)
        page = context.new_page()
        first = True
        for url in pages_of(role, personas):
            response = _html(page, url)
            if response is None:
                continue
            assert response.status == 200, f"{url} as {role}: {response.status}"
            walked += 1
            width = page.evaluate(WIDTH)
            if width["document"] > width["viewport"]:
                problems.append(
                    f"{url} as {role}: {width['document']} px wide at {width['viewport']} px; "
                    f"widest: {width['widest']}"
                )
            if clipped := page.evaluate(CLIPPED):
                problems.append(f"{url} as {role}: SVG text cut off: {clipped}")
            content = hashlib.sha256(page.evaluate(CONTENT).encode()).hexdigest()
            if url.startswith(reverse("admin:index")):
                continue  # Django's own admin pages: their markup and styles are Django's
            if first or content not in checked:
                axe_runs += 1
                if violations := _axe(page):
                    problems.append(f"{url} as {role}: axe: {violations}")
                checked.add(content)
                first = False
        context.close()
    elapsed = time.perf_counter() - started
    print(f"\n{walked} pages walked at 390 px, {axe_runs} checked by axe, in {elapsed:.1f} s")
    assert walked > 100  # the table really was walked (every role's pages)
    assert not problems, "At 390 px:\n" + "\n".join(problems)


def test_the_menu_folds_away_on_a_phone_and_opens_by_keyboard(browser, live_server, personas):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE)
    _log_in(context, personas.pm, live_server)
    page = context.new_page()
    page.goto("/dashboard/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    button = page.get_by_role("button", name="Menu")
    assert not menu.is_visible() and button.get_attribute("aria-expanded") == "false"
    header = page.locator("header").bounding_box()
    assert header["height"] < 100, header  # the page starts near the top, not below the menu
    button.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible() and button.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    page.keyboard.press("Escape")
    assert not menu.is_visible() and button.get_attribute("aria-expanded") == "false"
    context.close()

    # Without JavaScript the menu is simply there, and no button that would do nothing.
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport=PHONE, java_script_enabled=False
    )
    _log_in(context, personas.pm, live_server)
    page = context.new_page()
    page.goto("/dashboard/")
    assert page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()
    context.close()

    # On a wide screen the menu is always shown, without the button.
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    _log_in(context, personas.pm, live_server)
    page = context.new_page()
    page.goto("/dashboard/")
    assert page.get_by_role("navigation", name="Hoofdmenu").is_visible()
    assert not page.get_by_role("button", name="Menu").is_visible()
    context.close()
