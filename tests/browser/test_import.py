"""The import journey in Chromium: from the region page to the template, a filled-in file with
mistakes, the errors at their rows and columns, the corrected file, its preview, confirmed by
keyboard, and the records on the region page; axe clean, at 1280 and 390 px."""

import io

import pytest
from openpyxl import load_workbook

from monitoring.models import RouteStep
from tests.browser.signin import pass_second_factor
from tests.conftest import OWN_REGION
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = [
    ("Raadsvoorstel schrijven", "Governance", "15-11-2026", "Gepland"),
    ("Businesscase SOB", "Financiën; Bedrijfsvoering", "01-12-2026", "Lopend"),
]
MISTAKES = [
    ("Raadsvoorstel schrijven", "Governance", "15-11-2026", "Gepland"),
    ("Businesscase SOB", "Koken", "31-13-2026", "Lopend"),
]


def _filled(template: bytes, rows) -> bytes:
    book = load_workbook(io.BytesIO(template))
    sheet = book["Gegevens"]
    headers = [c.value for c in sheet[1]]
    for number, (title, expertise, planned, status) in enumerate(rows, start=2):
        values = {
            "Stap": title,
            "Benodigde expertise": expertise,
            "Geplande datum": planned,
            "Status": status,
        }
        for column, header in enumerate(headers, start=1):
            sheet.cell(row=number, column=column, value=values.get(header))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, content: bytes, name: str):
    page.get_by_label("Processtappen").check()
    page.locator("input[type=file][name=file]").set_input_files(
        {
            "name": name,
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": content,
        }
    )
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_url("**/importeren/*/")


def test_an_adviser_imports_route_steps_from_the_template(page, personas, axe, screenshot):
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "alice")
    page.wait_for_load_state()
    page.goto(f"/regios/{OWN_REGION}/")
    page.get_by_role("link", name="Importeren uit een spreadsheet").click()
    page.wait_for_url(f"**/regios/{OWN_REGION}/importeren/")
    assert axe(page) == []
    screenshot(page, "import-page-1280")

    with page.expect_download() as download:
        page.get_by_role("link", name="Sjabloon: Processtappen").click()
    template = download.value.path().read_bytes()
    assert download.value.suggested_filename == f"sjabloon-processtappen-{OWN_REGION.lower()}.xlsx"

    _upload(page, _filled(template, MISTAKES), "stappen.xlsx")
    errors = page.get_by_role("region", name="Fouten")
    assert errors.is_visible()
    rows = [r.inner_text().split("\t") for r in errors.locator("tbody tr").all()]
    assert [(r[0], r[1]) for r in rows] == [("3", "Benodigde expertise"), ("3", "Geplande datum")]
    assert "„Koken” is geen keuze van deze kolom" in rows[0][2]
    assert page.get_by_role("button", name="Bevestigen").count() == 0
    assert page.get_by_text("Er is niets opgeslagen.").is_visible()
    screenshot(page, "import-errors-1280")
    assert axe(page) == []
    assert not RouteStep.objects.filter(title="Raadsvoorstel schrijven").exists()

    page.get_by_role("link", name="Upload het verbeterde bestand").click()
    _upload(page, _filled(template, GOOD), "stappen-verbeterd.xlsx")
    added = page.get_by_role("region", name="Toe te voegen")
    assert added.locator("tbody tr").count() == 2
    assert page.locator(".rm-import__count--add strong").inner_text() == "2"
    screenshot(page, "import-preview-1280")
    assert axe(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "import-preview-390")
    assert axe(page) == []

    # By keyboard: to the button, Enter saves every row.
    page.get_by_role("button", name="Bevestigen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    saved = page.get_by_role("status").filter(has_text="2 toegevoegd, 0 gewijzigd")
    saved.wait_for()
    page.get_by_role("link", name="Naar de pagina van").click()
    page.wait_for_url(f"**/regios/{OWN_REGION}/")
    steps = page.locator("#section-processtappen")
    assert steps.get_by_text("Raadsvoorstel schrijven").first.is_visible()
    assert steps.get_by_text("Businesscase SOB").first.is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "import-region-page-1280")
    assert RouteStep.objects.get(title="Businesscase SOB").expertise == [
        "financien",
        "bedrijfsvoering",
    ]


def test_a_refused_file_in_english_puts_focus_on_the_refusal_and_the_way_back(page, personas, axe):
    page.goto("/")
    page.get_by_label("Gebruikersnaam").fill("alice")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, "alice")
    page.wait_for_load_state()
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Wissel", exact=True).click()
    page.wait_for_load_state()
    page.goto(f"/regios/{OWN_REGION}/importeren/")
    page.get_by_label("Route steps").check()
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": "stappen.xlsm", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04"}
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    # The refusal is the import's outcome, on its own page, in English; focus is on what it says.
    alert = page.get_by_role("alert")
    assert "This file cannot be imported; nothing has been saved." in alert.inner_text()
    assert "Workbooks with macros (.xlsm) are not accepted" in alert.inner_text()
    assert page.evaluate("document.activeElement.textContent").startswith(
        "This file cannot be imported"
    )
    assert page.evaluate("document.documentElement.lang") == "en"
    assert axe(page) == []
    page.keyboard.press("Tab")  # the next stop is the way back
    assert page.evaluate("document.activeElement.textContent") == "Upload another file"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/regios/{OWN_REGION}/importeren/")
