"""Inline editing of the region page's sections: saves, validation, conflicts and history."""

import re

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from core.history import history_of
from monitoring.models import RouteStep
from monitoring.sections import SECTIONS
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import MeetingFactory, RouteStepFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}

STEP = {
    "order": "3",
    "title": "Raadsvoorstel opstellen",
    "description": "Concept-raadsvoorstel met financiële paragraaf.",
    "parties": "Colleges, SOB, GR",
    "expertise": ["financien", "governance"],
    "planned_date": "2026-11-30",
    "status": "lopend",
}


def edit_url(step):
    return reverse("monitoring:record_edit", args=[step.region.code, "processtappen", step.pk])


def test_adviser_adds_a_route_step_inline(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "processtappen"])
    response = client.post(url, STEP, headers=HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    # The whole section comes back in place of the old one, so the new step stands in order.
    assert response["HX-Retarget"] == "#section-processtappen"
    assert response["HX-Reswap"] == "outerHTML"
    assert html.lstrip().startswith('<section id="section-processtappen"')
    assert "Raadsvoorstel opstellen" in html and "Financiën, Governance" in html
    step = RouteStep.objects.get(title="Raadsvoorstel opstellen")
    assert (step.region.code, step.version, step.updated_by) == (OWN_REGION, 1, personas.alice)


def _items(html: str, key: str) -> list[str]:
    return re.findall(rf'<li id="({key}-\d+)"', html)


def test_a_new_step_lands_in_the_order_of_the_list_with_focus_on_it(client, personas):
    region = Region.objects.get(code=OWN_REGION)
    first = personas.own_step
    RouteStep.objects.filter(pk=first.pk).update(order=1)
    last = RouteStepFactory(region=region, order=9, title="Uitvoering")
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "processtappen"])
    html = client.post(url, {**STEP, "order": "5"}, headers=HTMX).content.decode()
    new = RouteStep.objects.get(title="Raadsvoorstel opstellen")
    assert _items(html, "processtappen") == [
        f"processtappen-{first.pk}",
        f"processtappen-{new.pk}",
        f"processtappen-{last.pk}",
    ]
    item = html.split(f'<li id="processtappen-{new.pk}"')[1].split("</li>")[0]
    assert "Opgeslagen." in item and "data-autofocus" in item
    assert html.count("data-autofocus") == 1  # only the new step's "Wijzigen"
    assert 'id="add-processtappen"' in html  # the add button is back below the list


def test_the_add_form_opens_below_the_list_and_cancel_brings_the_button_back(client, personas):
    client.force_login(personas.alice)
    page = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    section = page.split('id="section-processtappen"')[1].split("</section>")[0]
    assert section.index('id="list-processtappen"') < section.index('id="add-processtappen"')
    assert 'hx-target="#add-processtappen"' in section
    url = reverse("monitoring:record_new", args=[OWN_REGION, "processtappen"])
    form = client.get(url, headers=HTMX).content.decode()
    assert form.lstrip().startswith('<div id="new-processtappen"')
    assert "data-autofocus" in form and 'data-discard-question="' in form
    cancelled = client.get(url, {"annuleren": "1"}, headers=HTMX).content.decode()
    assert "Stap toevoegen" in cancelled and "data-autofocus" in cancelled


def test_a_refused_save_lists_each_error_with_a_link_to_its_field(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "processtappen"])
    html = client.post(url, {**STEP, "title": "", "status": ""}, headers=HTMX).content.decode()
    assert '<a class="utrecht-link" href="#id_title">Stap: Dit veld is verplicht.</a>' in html
    assert '<a class="utrecht-link" href="#id_status">Status: Dit veld is verplicht.</a>' in html
    assert 'id="id_title"' in html and 'id="id_status"' in html
    progress = reverse("monitoring:progress_create", args=[OWN_REGION])
    html = client.post(progress, {"year": "2026", "quarter": "4"}, headers=HTMX).content.decode()
    assert 'href="#id_status_0">Status: Dit veld is verplicht.</a>' in html  # the first radio
    assert 'id="id_status_0"' in html


def test_a_save_updates_the_stage_and_status_at_the_top_of_the_page(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "fasen"])
    reached = {"stage": "koersbepaling", "planned_date": "2026-05-01", "reached_date": "2026-05-20"}
    html = client.post(url, reached, headers=HTMX).content.decode()
    lead = html.split('<p class="rm-lead" id="region-lead" hx-swap-oob="true">')[1].split("</p>")[0]
    assert "<strong>Koersbepaling</strong>" in lead
    assert '<div id="region-timeline" hx-swap-oob="true">' in html
    progress = reverse("monitoring:progress_create", args=[OWN_REGION])
    update = {"year": "2026", "quarter": "4", "status": "aandacht", "narrative": "Vertraging."}
    html = client.post(progress, update, headers=HTMX).content.decode()
    lead = html.split('id="region-lead" hx-swap-oob="true">')[1].split("</p>")[0]
    assert "Aandacht nodig" in lead
    # A route step changes neither; only its count of late steps in "Actualiteit" is sent.
    step = personas.own_step
    html = client.post(edit_url(step), {**STEP, "version": "1"}, headers=HTMX).content.decode()
    assert "Opgeslagen." in html and html.count("hx-swap-oob") == 1
    assert 'id="region-freshness" aria-labelledby="freshness-heading" hx-swap-oob="true"' in html


def test_a_status_offered_as_radios_has_no_empty_choice(client, personas):
    client.force_login(personas.alice)
    progress = client.get(reverse("monitoring:progress_create", args=[OWN_REGION]), headers=HTMX)
    html = progress.content.decode()
    radios = re.findall(r'<input type="radio" name="status" value="([^"]*)"', html)
    assert radios == ["op_koers", "aandacht", "risico"]
    assert "---------" not in html.split('name="narrative"')[0].split('name="status"', 1)[1]


def test_saving_from_the_current_version_raises_it(client, personas):
    client.force_login(personas.alice)
    step = personas.own_step
    response = client.post(edit_url(step), {**STEP, "version": "1"}, headers=HTMX)
    assert "Opgeslagen." in response.content.decode()
    step.refresh_from_db()
    assert (step.title, step.version, step.expertise) == (
        "Raadsvoorstel opstellen",
        2,
        ["financien", "governance"],
    )


def test_a_stale_save_shows_the_conflict_and_overwrites_nothing(client, personas):
    step = personas.own_step
    RouteStep.objects.filter(pk=step.pk).update(title="Hun titel", version=2)
    client.force_login(personas.alice)
    response = client.post(
        edit_url(step), {**STEP, "title": "Mijn titel", "version": "1"}, headers=HTMX
    )
    html = response.content.decode()
    assert "Iemand anders heeft dit record opgeslagen terwijl u het bewerkte." in html
    assert 'data-side="theirs">Hun titel<' in html
    assert 'data-side="mine">Mijn titel<' in html
    assert 'name="version" value="2"' in html  # saving now is a conscious choice
    assert 'value="Mijn titel"' in html  # what the user typed is still in the form
    step.refresh_from_db()
    assert (step.title, step.version) == ("Hun titel", 2)


def test_choosing_my_version_after_a_conflict_saves_it(client, personas):
    step = personas.own_step
    RouteStep.objects.filter(pk=step.pk).update(title="Hun titel", version=2)
    client.force_login(personas.alice)
    client.post(edit_url(step), {**STEP, "title": "Mijn titel", "version": "2"}, headers=HTMX)
    step.refresh_from_db()
    assert (step.title, step.version) == ("Mijn titel", 3)


def test_planned_date_after_the_deadline_is_refused_in_dutch(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "processtappen"])
    response = client.post(url, {**STEP, "planned_date": "2027-02-01"}, headers=HTMX)
    html = response.content.decode()
    assert "plan deze stap op of vóór die datum" in html
    assert 'value="Raadsvoorstel opstellen"' in html  # the rest of the form is kept
    assert "Concept-raadsvoorstel met financiële paragraaf." in html
    assert not RouteStep.objects.filter(title="Raadsvoorstel opstellen").exists()


def test_empty_required_field_keeps_the_rest(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "processtappen"])
    html = client.post(url, {**STEP, "title": ""}, headers=HTMX).content.decode()
    assert "Dit veld is verplicht." in html
    assert 'value="Colleges, SOB, GR"' in html
    assert re.search(r'<input[^>]*value="financien"[^>]*checked', html)


def test_done_step_needs_its_actual_date(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "processtappen"])
    html = client.post(url, {**STEP, "status": "afgerond"}, headers=HTMX).content.decode()
    assert "Vul in wanneer de stap is afgerond." in html


def test_delete_from_a_stale_version_is_refused(client, personas):
    step = personas.own_step
    RouteStep.objects.filter(pk=step.pk).update(version=2)
    client.force_login(personas.alice)
    url = reverse("monitoring:record_delete", args=[OWN_REGION, "processtappen", step.pk])
    html = client.post(url, {"version": "1"}, headers=HTMX).content.decode()
    assert "Iemand heeft dit record intussen gewijzigd" in html
    assert RouteStep.objects.filter(pk=step.pk).exists()
    client.post(url, {"version": "2"}, headers=HTMX)
    assert not RouteStep.objects.filter(pk=step.pk).exists()


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
def test_every_section_refuses_changes_by_outsiders(client, personas, section):
    new_own = reverse("monitoring:record_new", args=[OWN_REGION, section.key])
    client.force_login(personas.bob)  # another adviser: reads, may not change
    assert client.get(new_own).status_code == 403
    assert client.post(new_own, {}).status_code == 403
    client.force_login(personas.spec)  # not deployed in the foreign region
    new_foreign = reverse("monitoring:record_new", args=[FOREIGN_REGION, section.key])
    assert client.post(new_foreign, {}).status_code == 404
    client.force_login(personas.alice)
    assert client.get(new_own, headers=HTMX).status_code == 200


def test_history_shows_who_changed_which_field_from_what_to_what(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "processtappen"])
    client.post(url, STEP)
    step = RouteStep.objects.get(title="Raadsvoorstel opstellen")
    client.post(
        edit_url(step), {**STEP, "status": "afgerond", "actual_date": "2026-11-02", "version": "1"}
    )
    delete = reverse("monitoring:record_delete", args=[OWN_REGION, "processtappen", step.pk])
    client.post(delete, {"version": "2"})

    entries = [e for e in history_of(step.region) if e.subject == "Raadsvoorstel opstellen"]
    assert [e.action for e in entries] == ["delete", "update", "insert"]
    assert {e.who for e in entries} == {"Alice Adviseur"}
    changes = {label: (before, after) for label, before, after in entries[1].changes}
    assert changes["status"] == ("Lopend", "Afgerond")
    assert changes["werkelijke datum"] == ("", "2 november 2026")

    html = client.get(reverse("regions:history", args=[OWN_REGION])).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Processtap “Raadsvoorstel opstellen” verwijderd — Alice Adviseur" in text
    assert "Afgerond" in html


def test_history_cannot_be_edited_in_the_database(personas):
    RouteStep.objects.filter(pk=personas.own_step.pk).update(title="Gewijzigd")
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE monitoring_routestepevent SET title = 'vervalst'")
    with (
        pytest.raises(DatabaseError, match="Cannot update or delete"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM monitoring_routestepevent")


def test_a_stage_can_be_in_the_plan_only_once(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "fasen"])
    stage = {"stage": "analyse", "planned_date": "2026-02-01"}
    assert client.post(url, stage).status_code == 302
    html = client.post(url, stage, headers=HTMX).content.decode()
    assert "Deze fase staat al in het toekomstplan" in html
    assert personas.own_step.region.milestones.count() == 1


def test_long_sections_show_the_latest_ten_and_expand(client, personas):
    region = Region.objects.get(code=OWN_REGION)
    MeetingFactory.create_batch(14, region=region)
    client.force_login(personas.bob)
    url = reverse("regions:detail", args=[OWN_REGION])
    html = client.get(url).content.decode()
    assert html.count('id="bijeenkomsten-') == 10
    assert "Toon alle 14" in html and "(nog 4)" in html
    html = client.get(url, {"toon": "bijeenkomsten"}).content.decode()
    assert html.count('id="bijeenkomsten-') == 14


MEETING = {"kind": "intervisie", "title": "Intervisie najaar", "date": "2026-10-01"}


def test_a_text_over_its_limit_is_refused_with_its_count_and_kept_as_typed(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "bijeenkomsten"])
    participants = "Wethouders, SOB-directie & ambtenaren <regio>\r\n" * 50 + "x" * 50
    assert len(participants.replace("\r\n", "\n")) == 2_350
    html = client.post(
        url, {**MEETING, "participants": participants}, headers=HTMX
    ).content.decode()
    assert "Maximaal 2.000 tekens; u heeft er 2.350." in html
    field = re.search(r'<textarea name="participants"[^>]*>(.*?)</textarea>', html, re.S)
    assert " maxlength=" not in field.group(0)
    assert 'data-maxlength="2000"' in field.group(0)
    # Exactly what was posted comes back, escaped (Django's textarea adds one leading newline).
    from django.utils.html import escape

    assert field.group(1) == "\n" + escape(participants)
    assert 'id="id_participants_counter"' in html
    assert not region_meetings()


def region_meetings():
    return list(Region.objects.get(code=OWN_REGION).meetings.all())


def test_line_breaks_count_once_against_the_limit(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:record_new", args=[OWN_REGION, "bijeenkomsten"])
    participants = "ab\r\n" * 666 + "ab"  # 2,000 characters as the browser counts them
    response = client.post(url, {**MEETING, "participants": participants}, headers=HTMX)
    assert "Maximaal" not in response.content.decode()
    assert len(region_meetings()) == 1


def test_meeting_participants_and_signal_description_are_shown(client, personas):
    from monitoring.models import Signal

    region = Region.objects.get(code=OWN_REGION)
    MeetingFactory(region=region, participants="Wethouder Jansen, directeur SOB De Kans")
    Signal.objects.create(
        region=region,
        title="Loonkostensubsidie knelt",
        description="De regeling sluit niet aan op beschut werk bij het SOB.",
        addressed_to="szw",
        raised_on="2026-09-01",
    )
    client.force_login(personas.bob)
    html = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    meetings = html.split('id="section-bijeenkomsten"')[1].split("</section>")[0]
    assert "<dt>Deelnemers</dt>" in meetings
    assert "Wethouder Jansen, directeur SOB De Kans" in meetings
    signals = html.split('id="section-signalen"')[1].split("</section>")[0]
    assert "<dt>Omschrijving</dt>" in signals
    assert "De regeling sluit niet aan op beschut werk bij het SOB." in signals


def test_a_record_removed_between_reading_and_saving_answers_404_and_writes_nothing(personas):
    """The view read the step, then another adviser deleted it before the save took its lock."""
    from django.http import Http404

    from core.records import delete_record, update_record
    from monitoring.forms import RouteStepForm

    step = personas.own_step
    form = RouteStepForm({**STEP, "version": "1"}, instance=step, region=step.region)
    assert form.is_valid(), form.errors
    RouteStep.objects.filter(pk=step.pk).delete()
    with pytest.raises(Http404):
        update_record(form=form, expected_version=1, by=personas.alice)
    with pytest.raises(Http404):
        delete_record(instance=step, expected_version=1)
    assert not RouteStep.objects.filter(pk=step.pk).exists()


def test_an_htmx_save_after_the_session_ended_answers_401_not_the_log_in_page(client, personas):
    step = personas.own_step
    response = client.post(edit_url(step), {**STEP, "version": "1"}, headers=HTMX)
    assert response.status_code == 401 and response.content == b""
    response = client.post(edit_url(step), {**STEP, "version": "1"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    step.refresh_from_db()
    assert step.title != STEP["title"]
