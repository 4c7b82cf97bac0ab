"""The product line in the browser: specialists, development lines, a product page with its
documents and the regions that use it (axe-checked), and a specialist keeping availability."""

import datetime

import pytest
from django.core.files.base import ContentFile

from tests.browser.signin import pass_second_factor
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def log_in(page, username):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, username)
    page.wait_for_load_state()


def _product_line(personas):
    from innovation.models import (
        Certification,
        DevelopmentLine,
        Product,
        ProductVersion,
        VersionDocument,
    )
    from monitoring.models import ProductUse
    from regions.models import Region

    line = DevelopmentLine.objects.create(
        name="Governance",
        delivered_on=datetime.date(2026, 5, 1),
        applied_nationally_on=datetime.date(2026, 9, 1),
    )
    product = Product.objects.create(
        name="Format procesroute",
        kind="format",
        owner=personas.hub,
        development_line=line,
        description="Een vaste opzet voor de procesroute naar het toekomstplan.",
    )
    version = ProductVersion.objects.create(product=product, label="1.0", status="gepubliceerd")
    ProductVersion.objects.create(product=product, label="1.1")
    for title in ("Handleiding", "Trainersmateriaal"):
        document = VersionDocument(
            version=version,
            title=title,
            original_name=f"{title.lower()}.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256="0" * 64,
            uploaded_by=personas.hub,
        )
        document.file.save("document.pdf", ContentFile(PDF), save=False)
        document.save()
    Certification.objects.create(
        specialist=personas.spec,
        version=version,
        certified_on=datetime.date(2026, 3, 1),
        expires_on=datetime.date(2027, 3, 1),
    )
    for code, notes in [
        (OWN_REGION, "Toegepast in de werksessie met wethouders."),
        (FOREIGN_REGION, "Gebruikt bij het opstellen van de route."),
    ]:
        ProductUse.objects.create(
            region=Region.objects.get(code=code),
            product_version=version,
            product_name=product.name,
            specialist=personas.spec,
            applied_on=datetime.date(2026, 6, 15),
            notes=notes,
        )
    return product


def test_product_line_pages_are_accessible(page, personas, axe, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    product = _product_line(personas)
    log_in(page, "hub")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Specialisten").click()
    page.get_by_role("heading", level=1, name="Specialisten").wait_for()
    assert axe(page) == []
    page.get_by_role("link", name="Sanne Specialist").click()
    page.get_by_role("heading", level=2, name="Certificeringen").wait_for()
    assert page.get_by_text("Format procesroute 1.0").first.is_visible()
    assert axe(page) == []
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.get_by_role("link", name="Ontwikkellijnen").click()
    page.get_by_text("opgeleverd en landelijk toegepast").first.wait_for()
    assert axe(page) == []

    page.goto(f"/producten/{product.pk}/")
    page.get_by_role("link", name="Handleiding").wait_for()
    uses = page.get_by_role("table", name="Regio's die versie 1.0 gebruiken")
    assert uses.get_by_role("link", name="Groningen").is_visible()
    assert uses.get_by_role("link", name="Drenthe").is_visible()
    assert uses.get_by_role("link", name="Sanne Specialist").first.is_visible()
    assert axe(page) == []
    screenshot(page, "product-documents-uses")
    with page.expect_download() as download:
        page.get_by_role("link", name="Handleiding").click()
    assert download.value.suggested_filename == "handleiding.pdf"


def test_specialist_keeps_their_availability(page, personas, axe):
    log_in(page, "spec")
    page.get_by_role("link", name="Uw profiel en beschikbaarheid").click()
    page.get_by_label("Beschikbare uren per week").fill("60")
    page.get_by_role("button", name="Beschikbaarheid opslaan").click()
    page.locator(
        ".rm-field-error", has_text="Zorg ervoor dat deze waarde hoogstens 40 is."
    ).wait_for()
    assert page.get_by_label("Beschikbare uren per week").input_value() == "60"
    assert axe(page) == []
    page.get_by_label("Beschikbare uren per week").fill("20")
    page.get_by_role("button", name="Beschikbaarheid opslaan").click()
    page.get_by_text("Uw beschikbaarheid is opgeslagen.").wait_for()
    page.get_by_label("Afwezig vanaf").fill("2026-12-21")
    page.get_by_label("Afwezig tot en met").fill("2027-01-03")
    page.get_by_label("Reden").fill("Verlof")
    page.get_by_role("button", name="Periode toevoegen").click()
    page.get_by_text("De periode is vastgelegd.").wait_for()
    assert page.get_by_role("cell", name="Verlof").is_visible()
    assert axe(page) == []
