"""The dashboard and the results page keep their content until the database changes
(core/pagecache.py): a reader never sees an older state than the database holds, nor anything of
another reader. These tests commit for real (a transactional database), as production does, and
use a second real connection where another writer is needed."""

import datetime
import re

import psycopg
import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.apps import project_tables, uncounted_tables
from core.pagecache import CACHE_ALIAS, database_state, kept
from monitoring.models import MeetingKind
from regions.models import Region
from tests.conftest import OWN_REGION
from tests.factories import MeetingFactory
from tests.workers import wait_for

pytestmark = pytest.mark.django_db(transaction=True)
DASHBOARD = reverse("dashboard:index")
RESULTS = reverse("dashboard:results")


@pytest.fixture
def pm(client, reference_data, personas):
    """Programme management in a fresh process: nothing kept yet."""
    caches[CACHE_ALIAS].clear()
    client.force_login(personas.pm)
    return client


def page(client, url=DASHBOARD, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    """The page's content, without the header (whose CSRF token is new on every response) and
    without the CSRF token of the dashboard's form "Save this view" (the reader's own, filled
    into the kept content on every response)."""
    content = html.split('id="main"', 1)[1]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "csrf", content)


def other_writers() -> list[tuple]:
    """The other sessions writing to this database now (a worker or a live server left busy by
    an earlier test), with what they run."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT a.pid, a.application_name, a.state, left(a.query, 120)"
            " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'relation' AND l.mode = 'RowExclusiveLock' AND l.granted"
            " AND l.pid <> pg_backend_pid() AND a.datname = current_database()"
        )
        return cursor.fetchall()


def two_views(client, url=DASHBOARD, before=lambda: None) -> tuple[str, str, int]:
    """A view, then the same view again, in a database no other session changes meanwhile: the
    two pages and the number of queries of the second. What this file tests is what happens
    while nothing commits, so a round in which another process wrote is done again."""
    seen = []
    for _ in range(5):
        wait_for(lambda: database_state() is not None, 30, "the database to have no writers")
        state = database_state()
        first = page(client, url)
        before()
        with CaptureQueriesContext(connection) as queries:
            second = page(client, url)
        if database_state() == state:
            return first, second, len(queries)
        seen.append(other_writers())
    pytest.fail(f"another session kept writing to the test database: {seen}")


def test_a_second_view_reads_no_records_until_something_commits(pm):
    first, second, queries = two_views(pm)
    # The session, its user and the database state (count, writers); no programme records.
    assert queries == 4 and main(second) == main(first)
    first, second, queries = two_views(pm, RESULTS)
    assert queries == 6 and main(second) == main(first)  # and the portfolio picker, its count


def test_a_commit_to_a_table_without_history_still_shows_on_the_next_view(pm, personas):
    assert "Groningen" in page(pm)
    Region.objects.filter(code=OWN_REGION).update(name="Groningen-Noord")  # no audit trigger
    assert "Groningen-Noord" in page(pm)
    personas.alice.first_name = "Alida"
    personas.alice.save()
    assert "Alida Adviseur" in page(pm)


def test_a_new_record_shows_on_the_results_page_at_once(pm):
    assert "Partneroverleg over de kwartaalcijfers" not in page(pm, RESULTS)
    MeetingFactory(
        region=Region.objects.get(code=OWN_REGION),
        kind=MeetingKind.PARTNERS,
        title="Partneroverleg over de kwartaalcijfers",
        date=datetime.date(2026, 10, 6),
    )
    assert "Partneroverleg over de kwartaalcijfers" in page(pm, RESULTS)


def test_each_filter_sort_and_htmx_part_is_kept_apart(pm):
    everything = page(pm)
    filtered = page(pm, DASHBOARD + "?fase=besluitvorming")
    assert ">Groningen</a>" in everything.split('id="dashboard-results"')[1]
    assert ">Groningen</a>" not in filtered.split('id="dashboard-results"')[1]
    table = page(pm, DASHBOARD, headers={"HX-Request": "true", "HX-Target": "dashboard-results"})
    assert table.strip().startswith('<div id="dashboard-results">') and "<html" not in table
    assert main(page(pm)) == main(everything)


def test_a_request_that_wrote_in_its_own_transaction_neither_reads_nor_fills_the_cache(pm):
    page(pm)
    with transaction.atomic():
        Region.objects.filter(code=OWN_REGION).update(name="Nog niet vastgelegd")
        assert "Nog niet vastgelegd" in page(pm)
        transaction.set_rollback(True)
    html = page(pm)
    assert "Nog niet vastgelegd" not in html and "Groningen" in html


def test_the_language_and_the_reader_are_never_taken_from_another_view(pm, personas):
    dutch = page(pm, RESULTS)
    assert "Landelijk dashboard" in page(pm) and "Mijn portefeuille" not in dutch
    english = Client()
    english.force_login(personas.alice)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "National dashboard" in page(english)
    results = page(english, RESULTS)
    assert "Strategic advisers with a regional role" in results and "My portfolio" in results
    assert "Alice Adviseur" in results  # her own name in the header, not the manager's
    again = page(pm, RESULTS)
    assert "Strategisch adviseurs met regiofunctie" in again and "Mijn portefeuille" not in again


def test_the_table_per_adviser_is_kept_for_programme_management_only(pm, personas):
    """Programme management's dashboard holds "Actualiteit per regioadviseur"; kept under its
    own variant, it is never served to another reader of the same URL."""
    first, second, queries = two_views(pm)
    assert queries == 4  # kept
    assert 'id="actualiteit-per-adviseur"' in main(first) and main(second) == main(first)
    adviser = Client()
    adviser.force_login(personas.alice)
    html = page(adviser)
    assert 'id="actualiteit-per-adviseur"' not in html and "Update dit kwartaal" in html
    assert 'id="actualiteit-per-adviseur"' in page(pm)


def test_the_next_day_is_a_new_key(reference_data, monkeypatch):
    caches[CACHE_ALIAS].clear()
    renders = []

    def render():
        renders.append(timezone.localdate())
        return "<p>inhoud</p>"

    assert kept("test", (), render) == "<p>inhoud</p>"
    assert kept("test", (), render) == "<p>inhoud</p>" and len(renders) == 1
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)
    kept("test", (), render)
    assert renders[-1] == tomorrow and len(renders) == 2


def other_connection(dbname=None) -> psycopg.Connection:
    """A second session on the same PostgreSQL server, as another process would have."""
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        dbname=dbname or db["NAME"],
        autocommit=False,
    )


def test_a_change_not_yet_committed_elsewhere_is_never_kept(pm):
    page(pm)
    writer = other_connection()
    try:
        writer.execute(
            "UPDATE regions_region SET name = 'Groningen-Zuid' WHERE code = %s", [OWN_REGION]
        )
        # Counted but not readable yet: the view is rendered from the records, and not kept.
        with CaptureQueriesContext(connection) as queries:
            assert "Groningen-Zuid" not in page(pm)
        assert len(queries) > 4
        writer.commit()
    finally:
        writer.close()
    assert "Groningen-Zuid" in page(pm)


def test_writes_to_another_database_on_the_server_keep_the_page(pm):
    other = other_connection("postgres")

    def write_elsewhere():
        other.execute("CREATE TEMPORARY TABLE IF NOT EXISTS elsewhere (n int)")
        other.execute("INSERT INTO elsewhere VALUES (1)")
        other.commit()

    try:
        _first, _second, queries = two_views(pm, before=write_elsewhere)
    finally:
        other.close()
    assert queries == 4


def test_every_table_of_the_project_counts_its_changes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers"
            " WHERE trigger_name = 'core_count_change'"
        )
        counted = {row[0] for row in cursor.fetchall()}
    tables = project_tables()
    assert {"regions_region", "accounts_user", "innovation_insight_signals"} <= set(tables)
    # A reader's visits (workspace.models.Visit) are no change to what a kept page shows.
    assert uncounted_tables() == ["workspace_visit"]
    assert set(tables) - counted == {"workspace_visit"}
