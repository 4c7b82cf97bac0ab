"""Programme management freezes a quarter, follows the render, approves and publishes; the
partner then finds and downloads the published report. A real pdf worker renders it."""

import pytest

from reporting.models import Report
from tests.browser.signin import pass_second_factor
from tests.factories import PASSWORD, UserFactory
from tests.workers import purge_pdf_queue, start_worker, stop_worker

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    pass_second_factor(page, username)
    page.wait_for_load_state()


@pytest.fixture
def pdf_worker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    purge_pdf_queue()
    process, _node = start_worker(settings.MEDIA_ROOT)
    yield
    stop_worker(process)


def test_quarterly_report_from_freeze_to_partner_download(
    page, browser, live_server, personas, pdf_worker, axe, screenshot
):
    log_in(page, personas.pm.username)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Kwartaalrapportages"
    ).click()
    page.wait_for_url("**/rapportages/")
    assert axe(page) == []
    page.get_by_label("Kwartaal").select_option("2026-3")
    page.get_by_role("button", name="Vastleggen en rapportage maken").click()
    page.wait_for_url("**/rapportages/2026/q3/")
    # While the worker renders, the card shows a progress indicator and polls.
    progress = page.locator("#report-card progress")
    if progress.count():
        screenshot(page, "report-rendering")
        assert axe(page) == []
    download = page.get_by_role("link", name="PDF downloaden")
    download.wait_for(timeout=90_000)
    assert Report.objects.get().state == "klaar"
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == "kwartaalrapportage-2026-q3.pdf"

    # Four eyes: who froze the quarter reads why she may not approve it; a colleague approves.
    page.get_by_text("mag u hem niet zelf goedkeuren (vier-ogenprincipe)").wait_for()
    assert page.get_by_role("button", name="Rapportage goedkeuren").count() == 0
    screenshot(page, "report-approval-four-eyes")
    assert axe(page) == []
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/")
    log_in(page, UserFactory(username="pm2", programme=True).username)
    page.goto("/rapportages/2026/q3/")
    page.get_by_label("Toelichting bij de goedkeuring (verplicht)").fill(
        "Cijfers nagelopen met de regioadviseurs."
    )
    page.get_by_role("button", name="Rapportage goedkeuren").click()
    page.get_by_text("De rapportage is goedgekeurd.").wait_for()
    # The approved PDF is made again (no CONCEPT in its header); the card polls until ready.
    page.get_by_role("button", name="Rapportage publiceren").click(timeout=90_000)
    page.get_by_text("De rapportage is gepubliceerd; de partners kunnen haar").wait_for()
    page.get_by_role("link", name="PDF downloaden").wait_for(timeout=90_000)
    page.get_by_text("Gepubliceerd door").wait_for()
    assert page.locator("#report-card progress").count() == 0
    screenshot(page, "report-published")
    assert axe(page) == []

    partner = browser.new_context(base_url=live_server.url, locale="nl-NL")
    partner_page = partner.new_page()
    log_in(partner_page, personas.partner.username)
    partner_page.goto("/rapportages/")
    assert axe(partner_page) == []
    with partner_page.expect_download() as info:
        partner_page.get_by_role("link", name="PDF downloaden").click()
    assert info.value.suggested_filename == "kwartaalrapportage-2026-q3.pdf"
    partner.close()
    assert {d.user.role for d in Report.objects.get().downloads.select_related("user")} == {
        "programmaleiding",
        "partner",
    }
    report = Report.objects.get()
    assert (report.status, report.state, report.attempts) == ("gepubliceerd", "klaar", 1)


def test_a_report_waiting_too_long_keeps_keyboard_focus_on_its_restart_button_while_it_polls(
    page, live_server, personas, settings, axe, screenshot
):
    """No worker runs here: the report waits. Its card polls every 2 s, and a poll whose card
    would not change swaps nothing (204), so a keyboard user who reached "Opnieuw starten"
    stays there; pressing it starts the job again."""
    from datetime import timedelta

    from django.utils import timezone

    from reporting.services import freeze_quarter

    settings.JOBS_RESEND_AFTER_SECONDS = 300
    long_ago = timezone.now() - timedelta(minutes=20)
    snapshot = freeze_quarter(year=2026, quarter=3, by=personas.pm)
    report = Report.objects.create(snapshot=snapshot, queued_at=long_ago, sent_at=long_ago)
    log_in(page, personas.pm.username)
    page.goto("/rapportages/2026/q3/")
    restart = page.get_by_role("button", name="Opnieuw starten")
    for _ in range(60):
        page.keyboard.press("Tab")
        if restart.evaluate("button => button === document.activeElement"):
            break
    assert restart.evaluate("button => button === document.activeElement")
    with page.expect_response(lambda r: "/status/" in r.url and r.status == 204, timeout=10_000):
        pass
    page.wait_for_timeout(2500)  # another poll
    assert restart.evaluate("button => button === document.activeElement"), "focus was lost"
    assert axe(page) == []
    screenshot(page, "report-waiting-too-long")

    page.keyboard.press("Enter")
    page.get_by_text("langer dan gebruikelijk").wait_for(state="detached")
    report.refresh_from_db()
    assert report.queued_at > long_ago and report.attempts == 0
