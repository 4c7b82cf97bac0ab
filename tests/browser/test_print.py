"""Paper: the region page, the dashboard and the results page printed by Chromium (its print
stylesheet, as "Print → Save as PDF" gives it), read back as text."""

import subprocess

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.signin import pass_second_factor
from tests.browser.test_inline_editing import log_in
from tests.conftest import OWN_REGION
from tests.factories import PASSWORD, MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Screen-only parts: the main menu, the user's controls, the section menu, forms and buttons.
SCREEN_ONLY = [
    "Uitloggen",
    "Mijn portefeuille",
    "Direct naar de inhoud",
    "Wijzigen",
    "Bijeenkomst toevoegen",
    "Nieuwe voortgangsupdate",
    "Meer tonen",
    "Over deze toepassing",
]


def printed(page, name: str) -> tuple[str, int]:
    """The page printed to A4 as Chromium prints it: its text and its number of pages."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True).stdout
    pages = int(next(line for line in info.decode().splitlines() if line.startswith("Pages:"))[6:])
    return text, pages


def test_a_printed_region_page_is_its_content_with_folded_parts_open(page, personas):
    minutes = "\n".join(f"Regel {n} van het verslag over de governance." for n in range(1, 41))
    MeetingFactory(region=personas.own_step.region, title="Stuurgroep november", minutes=minutes)
    log_in(page)
    page.goto(f"/regios/{OWN_REGION}/")
    meetings = page.locator("#section-bijeenkomsten details")
    assert meetings.get_attribute("open") is None  # folded on screen
    text, pages = printed(page, "print-region")
    assert personas.own_step.region.name in text
    assert "Stuurgroep november" in text  # a folded section prints open
    assert "Regel 40 van het verslag" in text  # and a folded long text in full
    assert personas.own_step.title in text
    for screen_only in SCREEN_ONLY:
        assert screen_only not in text, screen_only
    assert pages <= 6, pages
    page.emulate_media(media="screen")
    assert meetings.get_attribute("open") is None  # folded again after printing


@pytest.mark.parametrize(
    ("path", "heading", "expected"),
    [
        ("/dashboard/", "Landelijk dashboard", "Waar is hulp nodig"),
        ("/resultaten/", "Resultaten 2026", "Resultaten"),
    ],
)
def test_the_dashboard_and_the_results_print_without_menus_or_filters(
    page, personas, path, heading, expected
):
    log_in_as_programme(page)
    page.goto(path)
    assert page.get_by_role("heading", name=heading, exact=False).first.is_visible()
    text, pages = printed(page, f"print{path.strip('/').replace('/', '-')}")
    assert expected in text
    for screen_only in ("Uitloggen", "Kwartaalrapportages", "Direct naar", "Filteren", "Over deze"):
        assert screen_only not in text, screen_only
    assert pages <= 8, pages


def log_in_as_programme(page):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("pm")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "pm")
    page.wait_for_load_state()
