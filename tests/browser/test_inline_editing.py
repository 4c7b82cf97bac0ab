"""Inline editing on the region page: save, reload, a stale edit in a second window, history."""

import pytest

from tests.browser.signin import pass_second_factor
from tests.conftest import OWN_REGION
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username="alice"):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, username)
    page.wait_for_url("**/portefeuille/")


def open_step_form(page, step):
    page.goto(f"/regios/{OWN_REGION}/")
    item = page.locator(f"#processtappen-{step.pk}")
    item.get_by_role("link", name="Wijzigen").click()
    form = page.locator(f"#processtappen-{step.pk} form")
    form.get_by_label("Stap (verplicht)").wait_for()
    return form


def test_edit_reload_conflict_and_history(browser, live_server, personas, axe, screenshot):
    step = personas.own_step
    first = browser.new_context(base_url=live_server.url, locale="nl-NL")
    second = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page, other = first.new_page(), second.new_page()
    log_in(page)
    log_in(other)
    assert axe(page.goto(f"/regios/{OWN_REGION}/") and page) == []

    # Both windows open the same step; the second one is now working from version 1.
    form = open_step_form(page, step)
    other_form = open_step_form(other, step)
    assert axe(page) == []
    screenshot(page, "region-page-editing")

    form.get_by_label("Stap (verplicht)").fill("Raadsvoorstel versie A")
    form.get_by_role("button", name="Opslaan").click()
    page.locator(f"#processtappen-{step.pk}").get_by_text("Opgeslagen.").wait_for()
    page.reload()
    saved = page.locator(f"#processtappen-{step.pk} dd", has_text="Raadsvoorstel versie A")
    assert saved.is_visible()

    # The stale window saves: it gets the conflict, with both versions in view.
    other_form.get_by_label("Stap (verplicht)").fill("Raadsvoorstel versie B")
    other_form.get_by_role("button", name="Opslaan").click()
    conflict = other.locator(f"#processtappen-{step.pk}")
    conflict.get_by_text("Iemand anders heeft dit record opgeslagen").wait_for()
    assert conflict.locator(
        'td[data-side="theirs"]', has_text="Raadsvoorstel versie A"
    ).is_visible()
    assert conflict.locator('td[data-side="mine"]', has_text="Raadsvoorstel versie B").is_visible()
    assert conflict.get_by_label("Stap (verplicht)").input_value() == "Raadsvoorstel versie B"
    screenshot(other, "region-page-conflict")
    assert axe(other) == []

    # Nothing was overwritten; choosing "mine" now is a conscious step.
    step.refresh_from_db()
    assert step.title == "Raadsvoorstel versie A"
    conflict.get_by_role("button", name="Mijn versie opslaan").click()
    other.locator(f"#processtappen-{step.pk}").get_by_text("Opgeslagen.").wait_for()
    step.refresh_from_db()
    assert step.title == "Raadsvoorstel versie B"

    page.goto(f"/regios/{OWN_REGION}/geschiedenis/")
    changes = page.locator(".rm-event--update")
    assert changes.count() == 2
    text = changes.all_inner_texts()
    assert "Raadsvoorstel versie A" in text[0] and "Raadsvoorstel versie B" in text[0]
    assert "Raadsvoorstel versie A" in text[1]
    screenshot(page, "history")
    assert axe(page) == []
    first.close()
    second.close()


def test_leaving_with_unsaved_changes_warns(page, personas):
    log_in(page)
    form = open_step_form(page, personas.own_step)
    form.get_by_label("Stap (verplicht)").fill("Nog niet opgeslagen")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Alle regio's").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/regios/{OWN_REGION}/")


def test_programme_hands_over_a_region_in_the_browser(page, personas, axe):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("pm")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "pm")
    page.get_by_role("link", name="Portefeuilles").click()
    page.wait_for_url("**/portefeuilles/")
    assert axe(page) == []
    page.get_by_label("Groningen", exact=True).check()
    page.get_by_label("Naar regioadviseur (verplicht)").select_option(label="Bob Bakker")
    page.get_by_role("button", name="Overdragen").click()
    page.get_by_text("1 regio('s) overgedragen.").wait_for()
    assert page.get_by_text("Groningen: Alice Adviseur → Bob Bakker").is_visible()
    assert axe(page) == []


def test_deployment_journey(browser, live_server, personas, axe, screenshot):
    """Adviser requests expertise for a route step; programme management assigns a specialist
    with that expertise; the specialist sees only that deployment and region, reports hours and
    result; the region page and the overview show it."""
    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    log_in(page, "alice")
    page.goto(f"/regios/{OWN_REGION}/")
    page.get_by_role("link", name="Expertise aanvragen").click()
    page.get_by_label("Benodigde expertise").select_option(label="Financiën")
    page.get_by_label("Voor processtap").select_option(label=personas.own_step.title)
    page.get_by_label("Vraag (verplicht)").fill("Financiële doorrekening van het voorkeursscenario")
    assert axe(page) == []
    page.get_by_role("button", name="Aanvraag versturen").click()
    page.get_by_text("De aanvraag voor expertise is verstuurd.").wait_for()
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("pm")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "pm")
    page.goto("/inzet/")
    page.get_by_role("link", name="Financiën").click()
    page.get_by_label("Specialist (verplicht)").select_option(label="Sanne Specialist")
    page.get_by_label("Geplande uren (verplicht)").fill("24")
    page.get_by_label("Startdatum (verplicht)").fill("2026-11-24")
    page.get_by_label("Einddatum (verplicht)").fill("2026-12-20")
    assert axe(page) == []
    page.get_by_role("button", name="Toewijzen").click()
    page.get_by_text("De specialist is toegewezen.").wait_for()
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("spec")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "spec")
    page.wait_for_url("**/inzet/")
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() == 2  # the deployment from the fixtures and the new one
    assert page.locator("svg.rm-map").count() == 0
    page.get_by_role("link", name="Financiën").click()
    page.get_by_label("Bestede uren", exact=True).fill("18")
    page.get_by_label("Voortgang (verplicht)").fill("Twee werksessies met de controllers")
    page.get_by_label("Resultaat").fill("Doorrekening opgeleverd aan de stuurgroep")
    page.get_by_label("De inzet is afgerond").check()
    page.get_by_role("button", name="Rapportage opslaan").click()
    page.get_by_text("Uw rapportage is opgeslagen.").wait_for()
    assert axe(page) == []
    page.goto("/regios/AM03/")
    assert page.get_by_role("heading", name="Pagina niet gevonden").is_visible()
    page.goto(f"/regios/{OWN_REGION}/")
    inzet = page.locator("#inzet")
    inzet.locator("summary").click()  # folded: no request waits too long
    assert inzet.get_by_text("Doorrekening opgeleverd aan de stuurgroep").is_visible()
    assert inzet.get_by_text("18 / 24").is_visible()
    screenshot(page, "region-deployments")
    context.close()

    context = browser.new_context(base_url=live_server.url, locale="nl-NL")
    page = context.new_page()
    log_in(page, "alice")
    page.goto("/inzet/")
    assert page.get_by_text("Doorrekening opgeleverd aan de stuurgroep").is_visible()
    assert axe(page) == []
    screenshot(page, "deployments-overview")
    context.close()


FOCUSED = (
    "() => { const e = document.activeElement;"
    " return e.id || (e.tagName + ':' + e.textContent.trim().slice(0, 40)); }"
)


def focused(page) -> str:
    """What has keyboard focus: its id, or its tag and text."""
    return page.evaluate(FOCUSED)


def focus_on(page, expected: str) -> bool:
    """Whether focus reaches `expected` (an id, or the start of "TAG:text") once htmx has
    settled the swap (within two seconds)."""
    try:
        page.wait_for_function(
            f"(expected) => ({FOCUSED})().startsWith(expected)", arg=expected, timeout=2000
        )
    except Exception:
        return False
    return True


def test_a_field_chosen_while_the_form_appears_keeps_focus_and_what_is_typed(page, personas):
    """An opened form puts focus in its first field once htmx has settled it; someone who
    clicked into another field before that (here: a settle slowed to 1.5 s) stays there, and
    what they type lands in that field, not in the first one."""
    step = personas.own_step
    log_in(page)
    page.goto(f"/regios/{OWN_REGION}/")
    page.evaluate("() => { htmx.config.defaultSettleDelay = 1500; }")
    page.locator(f"#processtappen-{step.pk}").get_by_role("link", name="Wijzigen").click()
    title = page.locator(f"#processtappen-{step.pk} form").get_by_label("Stap (verplicht)")
    title.fill("Raadsbesluit voorbereiden")
    assert page.locator(".htmx-settling").count() > 0  # not yet settled
    page.wait_for_function("() => !document.querySelector('.htmx-settling')")
    page.keyboard.type(" in januari")
    assert focused(page) == "id_title"
    assert title.input_value() == "Raadsbesluit voorbereiden in januari"
    assert page.locator("#id_order").input_value() == str(step.order)


def test_adding_a_step_opens_in_place_with_focus_and_saves_in_order(
    page, personas, axe, screenshot
):
    from monitoring.models import RouteStep
    from tests.factories import RouteStepFactory

    step = personas.own_step
    RouteStep.objects.filter(pk=step.pk).update(order=1)
    last = RouteStepFactory(region=step.region, order=9, title="Uitvoering starten")
    log_in(page)
    page.goto(f"/regios/{OWN_REGION}/")
    add = page.locator("#add-processtappen").get_by_role("link", name="Stap toevoegen")
    add.focus()
    page.keyboard.press("Enter")
    form = page.locator("#new-processtappen form")
    form.get_by_label("Stap (verplicht)").wait_for()
    assert focus_on(page, "id_order"), focused(
        page
    )  # the form's first field, right where the button was
    box = form.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"], box  # on screen, not at the list's top
    assert axe(page) == []
    form.get_by_label("Volgorde (verplicht)").fill("5")
    form.get_by_label("Stap (verplicht)").fill("Raadsvoorstel opstellen")
    form.get_by_label("Betrokken partijen").fill("Colleges")
    form.get_by_label("Geplande datum (verplicht)").fill("2026-11-30")
    form.get_by_role("button", name="Opslaan").click()
    new = RouteStep.objects.filter(title="Raadsvoorstel opstellen")
    page.locator("#section-processtappen .rm-saved").wait_for()
    ids = page.locator("#list-processtappen > li[id]").evaluate_all("items => items.map(i => i.id)")
    assert ids == [
        f"processtappen-{step.pk}",
        f"processtappen-{new.get().pk}",
        f"processtappen-{last.pk}",
    ]
    assert focus_on(page, "A:Wijzigen"), focused(page)
    assert page.evaluate("() => document.activeElement.closest('li').id") == ids[1]
    screenshot(page, "step-added-in-order")


def test_keyboard_edit_escape_save_and_a_refused_save(page, personas, axe):
    step = personas.own_step
    log_in(page)
    page.goto(f"/regios/{OWN_REGION}/")
    item = page.locator(f"#processtappen-{step.pk}")
    item.get_by_role("link", name="Wijzigen").focus()
    page.keyboard.press("Enter")
    page.locator(f"#processtappen-{step.pk} form.rm-form").wait_for()
    assert focus_on(page, "id_order"), focused(page)
    page.keyboard.press("Escape")  # nothing typed: cancels at once
    page.locator(f"#processtappen-{step.pk} form.rm-form").wait_for(state="detached")
    assert focus_on(page, "A:Wijzigen"), focused(page)

    page.keyboard.press("Enter")  # the same "Wijzigen" again
    title = page.locator(f"#processtappen-{step.pk} form.rm-form").get_by_label("Stap (verplicht)")
    title.wait_for()
    assert focus_on(page, "id_order"), focused(page)
    page.keyboard.press("Tab")
    assert focus_on(page, "id_title"), focused(page)
    page.keyboard.press("End")  # Tab selects the field's text; type after it
    page.keyboard.type(" (bijgewerkt)")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.keyboard.press("Escape")  # typed: asks first, and "no" keeps the form
    page.wait_for_timeout(300)
    assert questions == ["Uw wijzigingen zijn niet opgeslagen. Weggooien?"]
    assert title.is_visible() and focused(page) == "id_title"
    page.keyboard.press("Enter")  # submits the form
    page.locator(f"#processtappen-{step.pk} .rm-saved").wait_for()
    assert focus_on(page, "A:Wijzigen"), focused(page)
    assert f"{step.title} (bijgewerkt)" in item.inner_text()

    page.keyboard.press("Enter")
    title.wait_for()
    assert focus_on(page, "id_order"), focused(page)  # htmx has settled the new form
    title.fill("")
    title.press("Enter")
    error = page.locator(f"#processtappen-{step.pk} .rm-error-summary")
    error.wait_for()
    assert focus_on(page, "id_title"), focused(page)  # the first field in error
    assert error.get_by_role("link").first.get_attribute("href") == "#id_title"
    assert axe(page) == []


def test_the_header_follows_a_save_without_a_reload(page, personas):
    log_in(page)
    page.goto(f"/regios/{OWN_REGION}/")
    lead = page.locator("#region-lead")
    assert "nog niet gestart" in lead.inner_text()
    page.locator("#add-fasen").get_by_role("link").click()
    form = page.locator("#new-fasen form")
    form.get_by_label("Fase (verplicht)").select_option("koersbepaling")
    form.get_by_label("Geplande datum").fill("2026-05-01")
    form.get_by_label("Bereikt op").fill("2026-05-20")
    form.get_by_role("button", name="Opslaan").click()
    page.locator("#section-fasen .rm-saved").wait_for()
    assert "Koersbepaling" in lead.inner_text()
    assert page.locator("#region-timeline").count() == 1


def test_pasting_past_the_limit_keeps_every_character_and_shows_the_counter(page, personas):
    log_in(page)
    page.goto(f"/regios/{OWN_REGION}/")
    section = page.locator("#section-bijeenkomsten")
    section.locator("summary").click()  # folded: nothing in it needs attention
    section.get_by_role("link", name="Bijeenkomst toevoegen").click()
    form = page.locator("#new-bijeenkomsten form")
    participants = form.get_by_label("Deelnemers")
    participants.wait_for()
    counter = page.locator("#id_participants_counter")
    participants.focus()
    page.keyboard.insert_text("a" * 1_000)  # far from the limit: no counter
    assert counter.is_hidden()
    page.keyboard.insert_text("b" * 1_100)  # pasted past the limit of 2,000
    assert participants.input_value() == "a" * 1_000 + "b" * 1_100  # nothing cut off
    assert counter.inner_text() == "2.100 / 2.000 tekens: 100 te veel"
    assert counter.get_attribute("aria-live") == "polite"
    form.get_by_label("Soort (verplicht)").select_option("intervisie")
    form.get_by_label("Titel (verplicht)").fill("Intervisie najaar")
    form.get_by_label("Datum (verplicht)").fill("2026-10-01")
    form.get_by_role("button", name="Opslaan").click()
    error = page.locator("#id_participants_error")
    error.wait_for()
    assert error.inner_text() == "Maximaal 2.000 tekens; u heeft er 2.100."
    assert form.get_by_label("Deelnemers").input_value() == "a" * 1_000 + "b" * 1_100
    # Shown again for the text that came back, once htmx has settled the swapped form
    # (the error is in the DOM a moment before that): raises if it never shows.
    counter.wait_for(state="visible", timeout=2000)
    assert counter.inner_text() == "2.100 / 2.000 tekens: 100 te veel"
    page.keyboard.press("Control+End")
    for _ in range(150):
        page.keyboard.press("Backspace")
    assert counter.inner_text() == "1.950 / 2.000 tekens"


def test_a_long_text_folds_and_unfolds_by_keyboard(page, personas, axe, screenshot):
    from tests.factories import MeetingFactory

    minutes = "Besproken: de governance van het SOB en de rol van de GR.\n" * 170
    meeting = MeetingFactory(region=personas.own_step.region, minutes=minutes)
    log_in(page)
    page.goto(f"/regios/{OWN_REGION}/")
    summary = page.locator("#section-bijeenkomsten summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the folded section
    text = page.locator(f"#fold-bijeenkomsten-{meeting.pk}-minutes")
    folded = text.bounding_box()["height"]
    assert folded < 150, folded  # a few lines, not 170
    item = page.locator(f"#bijeenkomsten-{meeting.pk}")
    button = item.locator("button.rm-fold__toggle")
    assert button.text_content() == "Meer tonen: Verslag"
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert button.inner_text().startswith("Minder tonen")
    assert text.bounding_box()["height"] > 20 * folded
    page.keyboard.press("Enter")
    assert text.bounding_box()["height"] == folded
    assert item.bounding_box()["width"] > 600  # the record's full width, not a narrow column
    screenshot(page, "region-page-folded-text")
    assert axe(page) == []
    # Editing inside the folded section keeps it open and the text folded again after a save.
    item.get_by_role("link", name="Wijzigen").click()
    form = page.locator(f"#bijeenkomsten-{meeting.pk} form")
    form.get_by_label("Titel (verplicht)").fill("Intervisie met verslag")
    form.get_by_role("button", name="Opslaan").click()
    page.locator(f"#bijeenkomsten-{meeting.pk} .rm-saved").wait_for()
    assert page.locator("#section-bijeenkomsten details").get_attribute("open") is not None
    assert item.locator("button.rm-fold__toggle").is_visible()


def test_the_deployments_table_shows_every_column_at_1280_px(page, personas):
    """The widest row of the demo (the longest expertise, a two-part name, a long period and a
    result) cut the table's last column off at 1280 px."""
    import datetime

    from tests.factories import DeploymentFactory

    DeploymentFactory(
        region=personas.own_step.region,
        specialist=personas.spec,
        expertise="organisatieontwikkeling",
        start_date=datetime.date(2026, 11, 14),
        end_date=datetime.date(2027, 2, 12),
        planned_hours=60,
        progress="Gesprekken gevoerd met wethouders en directie SOB.",
    )
    log_in(page)
    page.goto(f"/regios/{OWN_REGION}/")
    inzet = page.locator("#inzet")
    inzet.locator("summary").click()
    table = inzet.locator(".utrecht-table-container")
    assert table.evaluate("(box) => box.scrollWidth <= box.clientWidth"), table.evaluate(
        "(box) => [box.scrollWidth, box.clientWidth]"
    )
    assert inzet.get_by_role("columnheader", name="Resultaat").is_visible()


def test_a_save_that_fails_keeps_the_input_and_says_why(page, personas, axe):
    """Removed by someone else while being edited, then the session ended: each refused save
    leaves the form with what was typed and names the cause; nothing is written."""
    from django.contrib.sessions.models import Session

    from monitoring.models import RouteStep
    from tests.factories import RouteStepFactory

    step = personas.own_step
    log_in(page)
    form = open_step_form(page, step)
    title = form.get_by_label("Stap (verplicht)")
    title.fill("Tekst die niet verloren mag gaan")
    RouteStep.objects.filter(pk=step.pk).delete()  # another adviser removes the step
    title.press("Enter")
    notice = page.locator("#rm-request-error")
    notice.wait_for()
    assert "bestaat niet meer" in notice.inner_text() and "niets opgeslagen" in notice.inner_text()
    assert title.input_value() == "Tekst die niet verloren mag gaan"
    assert focused(page) == "id_title"
    assert axe(page) == []
    notice.get_by_role("button", name="Sluiten").click()
    assert notice.is_hidden()

    other = RouteStepFactory(region=step.region, order=2, title="Tweede stap")
    form = open_step_form(page, other)
    form.get_by_label("Stap (verplicht)").fill("Na het verlopen van de sessie")
    Session.objects.all().delete()  # the session ends (logged out elsewhere, or expired)
    form.get_by_role("button", name="Opslaan").click()
    notice.wait_for()
    assert "sessie is verlopen" in notice.inner_text()
    assert form.get_by_label("Stap (verplicht)").input_value() == "Na het verlopen van de sessie"
    other.refresh_from_db()
    assert other.title == "Tweede stap"
