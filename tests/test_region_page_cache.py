"""The region page keeps its rendered sections per process (monitoring/fragments.py): a reader must
never see an older state than the database holds, nor another reader's controls or token."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from monitoring.fragments import CACHE_ALIAS
from monitoring.models import ProductUse, RouteStep
from monitoring.sections import SECTIONS
from regions.models import Region
from tests.conftest import OWN_REGION
from tests.factories import MeetingFactory, RouteStepFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def page(client, personas):
    """A fresh process's view of the region page: nothing kept yet."""
    caches[CACHE_ALIAS].clear()
    client.force_login(personas.alice)
    url = reverse("regions:detail", args=[OWN_REGION])
    return lambda c=client, query="": c.get(url + query).content.decode()


def edit(client, step, **changes):
    data = {
        "order": step.order,
        "title": step.title,
        "description": step.description,
        "parties": step.parties,
        "expertise": step.expertise,
        "planned_date": step.planned_date.isoformat(),
        "status": step.status,
        "version": step.version,
        **changes,
    }
    url = reverse("monitoring:record_edit", args=[OWN_REGION, "processtappen", step.pk])
    return client.post(url, data, headers=HTMX).content.decode()


def test_an_inline_edit_shows_on_the_next_page_view(client, personas, page):
    step = personas.own_step
    assert step.title in page()
    assert "Opgeslagen." in edit(client, step, title="Nieuwe titel na overleg")
    html = page()
    assert "Nieuwe titel na overleg" in html
    assert f">{step.title}<" not in html


def test_a_deleted_record_is_gone_from_the_next_page_view(client, personas, page):
    step = personas.own_step
    assert f'id="processtappen-{step.pk}"' in page()
    delete = reverse("monitoring:record_delete", args=[OWN_REGION, "processtappen", step.pk])
    client.post(delete, {"version": step.version}, headers=HTMX)
    assert not RouteStep.objects.filter(pk=step.pk).exists()
    assert f'id="processtappen-{step.pk}"' not in page()


def test_a_record_added_elsewhere_shows_without_any_edit_on_this_page(personas, page):
    page()
    meeting = MeetingFactory(region=Region.objects.get(code=OWN_REGION), title="Regiotafel maart")
    assert f'id="bijeenkomsten-{meeting.pk}"' in page()


def test_a_reader_without_rights_never_gets_the_advisers_controls(personas, page):
    assert "Verwijderen" in page()  # alice's view, with controls, is now kept
    programme = Client()
    programme.force_login(personas.pm)
    html = page(programme)
    assert personas.own_step.title in html
    assert "Verwijderen" not in html and "Bewerken" not in html


def test_each_reader_gets_their_own_csrf_token_in_the_kept_delete_forms(personas, page):
    page()
    other = Client(enforce_csrf_checks=True)
    other.force_login(personas.alice)
    html = page(other)
    form = re.search(
        r'<form method="post" action="([^"]+)"[^>]*>\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="([^"]+)">\s*<input type="hidden" name="version" '
        r'value="(\d+)">',
        html,
    )
    action, token, version = form.groups()
    assert re.fullmatch(r"[A-Za-z0-9]{64}", token)  # the reader's token, not the placeholder
    assert other.post(action, {"csrfmiddlewaretoken": token, "version": version}).status_code == 302
    assert not RouteStep.objects.filter(pk=personas.own_step.pk).exists()


def test_the_language_is_part_of_what_is_kept(client, personas, page):
    assert ">Procesroute<" in page()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = page()
    assert ">Process route<" in html and ">Procesroute<" not in html


def test_a_step_turns_late_the_day_after_its_date_without_being_saved(personas, page, monkeypatch):
    step = personas.own_step
    today = step.planned_date
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: today)
    late = rf'<li id="processtappen-{step.pk}" class="rm-item rm-item--late"'
    assert step.status == "gepland" and not re.search(late, page())
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args: today + datetime.timedelta(days=1)
    )
    assert re.search(late, page())


def test_a_renamed_specialist_shows_at_once_in_the_instruments(personas, page):
    ProductUse.objects.create(
        region=Region.objects.get(code=OWN_REGION),
        product_name="Scan werkfit",
        applied_on=datetime.date(2026, 3, 3),
        specialist=personas.spec,
    )
    assert "Sanne Specialist" in page()
    personas.spec.last_name = "de Vries"
    personas.spec.save()
    assert "Sanne de Vries" in page()


def test_the_instruments_are_read_on_every_view_and_rendered_only_when_they_change(
    personas, page, monkeypatch
):
    from monitoring import fragments

    ProductUse.objects.create(
        region=Region.objects.get(code=OWN_REGION),
        product_name="Scan werkfit",
        applied_on=datetime.date(2026, 3, 3),
        specialist=personas.spec,
    )
    page()
    rendered = []
    render = fragments.render_to_string

    def counting(template, context, *args, **kwargs):
        rendered.append(context["block"].section.key)
        return render(template, context, *args, **kwargs)

    monkeypatch.setattr(fragments, "render_to_string", counting)
    assert "Sanne Specialist" in page()
    assert rendered == []  # every section kept, the instruments too
    personas.spec.last_name = "de Vries"
    personas.spec.save()
    assert "Sanne de Vries" in page()
    assert rendered == ["instrumenten"]  # what it shows changed: rendered again


def test_show_all_is_kept_apart_from_the_short_list(personas, page):
    region = Region.objects.get(code=OWN_REGION)
    MeetingFactory.create_batch(12, region=region)
    assert page().count('id="bijeenkomsten-') == 10
    assert page(query="?toon=bijeenkomsten").count('id="bijeenkomsten-') == 12
    assert page().count('id="bijeenkomsten-') == 10


def test_query_count_cold_and_warm_does_not_grow_with_records(
    personas, page, django_assert_num_queries
):
    region = Region.objects.get(code=OWN_REGION)
    # Each count includes the two queries of the record's currency ("Actualiteit": the latest
    # progress update, the late steps; monitoring/freshness.py), never kept, fixed in number,
    # and the one upsert of the reader's visit (workspace/visits.py: "what changed" starts there).
    with django_assert_num_queries(23) as cold:
        page()
    with django_assert_num_queries(13):  # nine sections kept; the instruments always read
        page()
    RouteStepFactory.create_batch(12, region=region)
    MeetingFactory.create_batch(6, region=region)
    with django_assert_num_queries(15):  # the two sections that changed are read again
        html = page()
    assert html.count('id="processtappen-') == 13
    caches[CACHE_ALIAS].clear()
    with django_assert_num_queries(len(cold.captured_queries)):
        page()


def test_only_sections_showing_their_own_values_are_kept():
    """Whether a section is kept follows from its columns: a column naming another table's
    record would go stale on a rename there."""
    kept = {section.key: section.cacheable for section in SECTIONS}
    assert kept.pop("instrumenten") is False
    assert all(kept.values())


def _details(html: str, key: str) -> str:
    """The opening tag of a section's <details>."""
    return re.search(rf'id="section-{key}".*?(<details class="section"[^>]*>)', html, re.S).group(1)


def test_the_route_section_opens_when_a_step_turns_late_and_folds_once_done(
    client, personas, page, monkeypatch
):
    step = personas.own_step
    today = step.planned_date
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: today)
    later = today + datetime.timedelta(days=30)
    RouteStepFactory(region=step.region, planned_date=later)  # the route has steps, none late
    assert _details(page(), "processtappen") == '<details class="section">'
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args: today + datetime.timedelta(days=1)
    )
    html = page()
    assert _details(html, "processtappen") == '<details class="section" open>'
    assert "1 te laat" in html.split('id="section-processtappen"')[1].split("</summary>")[0]
    edit(client, step, status="afgerond", actual_date=today.isoformat())
    assert _details(page(), "processtappen") == '<details class="section">'
