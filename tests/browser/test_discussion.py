"""The discussion journey in Chromium: from a record on the region page to its discussion, a
comment with a mention chosen by keyboard from the suggestions, the mentioned user's
notification leading back to the comment; axe clean at 1280 and 390 px, and in English."""

import pytest

from discussion.models import Comment
from regions.models import Region
from tests.browser.signin import pass_second_factor
from tests.conftest import OWN_REGION
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, username)
    page.wait_for_load_state()


def test_a_comment_with_a_mention_reaches_the_mentioned_user(
    browser, live_server, personas, axe, screenshot
):
    step = personas.own_step
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    _log_in(page, "alice")
    page.goto(f"/regios/{OWN_REGION}/?toon=processtappen#processtappen-{step.pk}")
    page.locator(f"#processtappen-{step.pk}").get_by_role("link", name="Discussie").click()
    page.wait_for_url(f"**/discussie/processtappen/{step.pk}/")
    assert page.get_by_role("heading", name="Discussie", exact=True).is_visible()
    assert page.get_by_text("Nog geen opmerkingen.").is_visible()

    field = page.get_by_label("Uw opmerking")
    field.focus()
    # "@pm": "@p" would also list whoever has a (random) first or last name with a P.
    page.keyboard.type("Kan de planning een maand eerder? @pm")
    option = page.get_by_role("option", name="@pm")
    option.wait_for()
    assert page.get_by_role("listbox", name="Personen om te noemen").is_visible()
    screenshot(page, "discussion-suggestions-1280")
    page.keyboard.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant") == option.get_attribute("id")
    page.keyboard.press("Enter")  # inserts the name; focus stays in the field
    assert field.input_value() == "Kan de planning een maand eerder? @pm "
    assert page.evaluate("document.activeElement.id") == "id_body"
    assert page.locator(".rm-mentions [role=option]").count() == 0
    page.keyboard.type("graag jouw blik.")
    page.get_by_role("button", name="Opmerking plaatsen").click()
    comment_item = page.locator(".rm-comment")
    comment_item.wait_for()
    comment = Comment.objects.get()
    assert comment.body == "Kan de planning een maand eerder? @pm graag jouw blik."
    # Focus moves to the new comment once htmx has swapped it in.
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id",
        arg=f"opmerking-{comment.pk}",
    )
    assert comment_item.locator(".rm-mention").inner_text() == "@pm"
    assert field.input_value() == ""  # a fresh form for the next comment
    assert axe(page) == []
    screenshot(page, "discussion-posted-1280")
    context.close()

    # The mentioned user: the header's count, the Meldingen page, the comment.
    context = browser.new_context(
        base_url=live_server.url, locale="nl-NL", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    _log_in(page, "pm")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Meldingen").click()
    page.wait_for_load_state()
    notice = page.get_by_role("link", name="Alice Adviseur noemde u in de discussie over")
    assert notice.is_visible()
    assert axe(page) == []
    notice.click()
    page.wait_for_url(f"**/discussie/processtappen/{step.pk}/#opmerking-{comment.pk}")
    assert page.locator(f"#opmerking-{comment.pk}").get_by_text("graag jouw blik.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe(page) == []
    screenshot(page, "discussion-mentioned-390")
    context.close()


def test_in_english_a_refused_mention_says_why_next_to_the_field(page, personas, axe, screenshot):
    _log_in(page, "alice")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wissel", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"/discussie/processtappen/{personas.own_step.pk}/")
    page.get_by_label("Your comment").fill("Question for @partner")
    page.get_by_role("button", name="Post comment").click()
    error = page.locator("#id_body_error")
    error.wait_for()
    assert error.inner_text() == "No one who can read this record has the username @partner."
    assert page.get_by_label("Your comment").input_value() == "Question for @partner"
    # Focus returns to the field once htmx has settled the returned form.
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg="id_body"
    )
    assert axe(page) == []
    screenshot(page, "discussion-refused-en-1280")
    assert not Comment.objects.exists()
    assert Region.objects.get(code=OWN_REGION).comments.count() == 0
