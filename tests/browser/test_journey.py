"""An adviser's first journey: log in → overview → click the map → region page."""

import pytest

from tests.browser.signin import pass_second_factor
from tests.conftest import OWN_REGION
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# True once the element's outline is drawn at a real size (a <use> whose file did not load has
# an empty box).
DRAWN = (
    "selector => { const box = document.querySelector(selector).getBBox(); "
    "return box.width > 5 && box.height > 5; }"
)


def test_adviser_logs_in_and_reaches_a_region_through_the_map(page, personas, axe, screenshot):
    page.goto("/")
    assert page.title().startswith("Inloggen")
    assert axe(page) == []

    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "alice")

    page.wait_for_url("**/portefeuille/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mijn portefeuille"
    assert axe(page) == []

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Regio's").click()
    page.wait_for_url("**/regios/")
    region_links = page.locator("svg.rm-map a")
    assert region_links.count() == 35
    # The outlines come from the shapes file: drawn, with the size of the region on the map.
    page.wait_for_function(DRAWN, arg=f'svg.rm-map a[data-code="{OWN_REGION}"] use')
    screenshot(page, "overview-map")
    assert axe(page) == []

    page.locator(f'svg.rm-map a[data-code="{OWN_REGION}"]').click()
    page.wait_for_url(f"**/regios/{OWN_REGION}/")
    assert "Groningen" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("svg.rm-map path.map-shape").count() == 14
    assert page.get_by_text("Alice Adviseur").first.is_visible()
    screenshot(page, "region-page")
    assert axe(page) == []


def test_adviser_records_progress_inline(page, personas, axe):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "alice")
    page.wait_for_url("**/portefeuille/")

    page.goto(f"/regios/{OWN_REGION}/")
    page.get_by_role("link", name="Nieuwe voortgangsupdate").click()
    # htmx swapped the form into the page: the URL did not change.
    page.get_by_label("Voortgang (verplicht)").wait_for()
    assert page.url.endswith(f"/regios/{OWN_REGION}/")
    page.get_by_label("Aandacht nodig").check()
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".rm-field-error", has_text="Dit veld is verplicht.").wait_for()
    assert axe(page) == []

    page.get_by_label("Voortgang (verplicht)").fill(
        "Besluit in de raad is verschoven naar januari."
    )
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("De voortgangsupdate is opgeslagen.").wait_for()

    page.reload()
    assert page.get_by_text("Besluit in de raad is verschoven naar januari.").is_visible()


def test_programme_management_sees_the_dashboard(page, personas, axe, screenshot):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("pm")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "pm")
    page.wait_for_url("**/dashboard/")
    assert page.locator("#dashboard-map svg a").count() == 35
    page.wait_for_function(DRAWN, arg=f'#dashboard-map a[data-code="{OWN_REGION}"] use')
    assert axe(page) == []
    screenshot(page, "dashboard")

    # Filtering swaps the table in place and keeps the state in the URL.
    page.get_by_role("combobox", name="Regioadviseur").select_option(label="Alice Adviseur")
    page.get_by_text("2 regio's getoond.").wait_for()
    assert "adviseur=" in page.url
    page.get_by_role("link", name="fase", exact=True).click()
    page.locator("#dashboard-map .stage-none").first.wait_for()
    assert axe(page) == []
    page.reload()
    assert page.get_by_text("2 regio's getoond.").is_visible()


def test_innovation_hub_pages_are_accessible(page, personas, axe, screenshot):
    from innovation.models import Product, ProductVersion, QualityCriterion

    QualityCriterion.objects.create(name="Getest in twee regio's")
    product = Product.objects.create(name="Format procesroute", kind="format", owner=personas.hub)
    ProductVersion.objects.create(product=product, label="1.0")
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("hub")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "hub")
    page.wait_for_url("**/dashboard/")
    for link in ("Resultaten", "Producten", "Kwaliteitskader", "Train-de-trainer"):
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name=link).click()
        page.wait_for_load_state()
        assert axe(page) == [], link
    page.goto(f"/producten/{product.pk}/")
    page.get_by_role("button", name="Deze versie publiceren").click()
    page.get_by_text("Niet gepubliceerd").wait_for()
    assert axe(page) == []
    screenshot(page, "product-publish-refused")
