"""Actualiteit (monitoring/freshness.py): how current a region's record is, on the region page,
the dashboard and programme management's table per adviser."""

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from core.quarters import current_quarter, label
from monitoring.freshness import STALE_AFTER_DAYS, freshness_by_region, per_adviser
from monitoring.models import ProgressUpdate, RouteStep, StepStatus
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION, SECOND_OWN_REGION
from tests.factories import ProgressUpdateFactory, RouteStepFactory, add_synthetic_regions

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 23)  # 2026 Q4


def _update(region, year, quarter, on: datetime.date) -> ProgressUpdate:
    update = ProgressUpdateFactory(region=region, year=year, quarter=quarter)
    noon = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
    ProgressUpdate.objects.filter(pk=update.pk).update(created_at=noon)
    return update


def _regions(*codes) -> list[Region]:
    by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [by_code[code] for code in codes]


def test_the_rule_on_a_day(personas):
    own, second, foreign = _regions(OWN_REGION, SECOND_OWN_REGION, FOREIGN_REGION)
    # Groningen: this quarter's update (the newest), and an older one.
    _update(own, 2026, 3, on=datetime.date(2026, 9, 20))
    _update(own, 2026, 4, on=datetime.date(2026, 11, 13))
    # personas.own_step (planned 1 October, still planned) is late; so is one in progress.
    RouteStepFactory(region=own, planned_date=datetime.date(2026, 11, 1), status=StepStatus.ACTIVE)
    for status in (StepStatus.DONE, StepStatus.DROPPED):  # finished: not late
        RouteStepFactory(
            region=own,
            planned_date=datetime.date(2026, 10, 5),
            status=status,
            actual_date=datetime.date(2026, 11, 2),
        )
    RouteStepFactory(region=own, planned_date=DAY)  # due today: not late yet
    # Friesland: only last quarter's update, long ago; no steps.
    _update(second, 2026, 2, on=datetime.date(2026, 6, 30))
    # Drenthe has no update; its late step (personas.foreign_step) is its own.
    facts = freshness_by_region([own.pk, second.pk, foreign.pk], today=DAY)

    groningen = facts[own.pk]
    assert (groningen.age_days, groningen.has_quarter_update, groningen.late_steps) == (10, True, 2)
    assert groningen.last_update_day == datetime.date(2026, 11, 13)
    assert groningen.needs_attention  # late steps, although the update is there
    friesland = facts[second.pk]
    assert (friesland.age_days, friesland.has_quarter_update, friesland.late_steps) == (
        146,
        False,
        0,
    )
    assert (
        friesland.is_stale and friesland.age_days > STALE_AFTER_DAYS and friesland.needs_attention
    )
    drenthe = facts[foreign.pk]
    assert (drenthe.age_days, drenthe.has_quarter_update, drenthe.late_steps) == (None, False, 1)
    assert drenthe.is_stale
    assert (groningen.quarter_label, groningen.quarter_due) == (
        "2026 Q4",
        datetime.date(2026, 12, 31),
    )


def test_up_to_date_means_this_quarters_update_and_no_late_step(personas):
    own = Region.objects.get(code=OWN_REGION)
    step = personas.own_step
    RouteStep.objects.filter(pk=step.pk).update(
        status=StepStatus.DONE, actual_date=datetime.date(2026, 10, 2)
    )
    # The newest update by date is of last quarter, written after this quarter's (a late
    # correction): this quarter's is there all the same.
    _update(own, 2026, 4, on=datetime.date(2026, 10, 10))
    _update(own, 2026, 3, on=datetime.date(2026, 10, 20))
    facts = freshness_by_region([own.pk], today=DAY)[own.pk]
    assert facts.has_quarter_update and facts.late_steps == 0 and not facts.needs_attention
    assert facts.age_days == 34
    # On the first day of the next quarter the same record needs this quarter's update.
    next_quarter = freshness_by_region([own.pk], today=datetime.date(2027, 1, 1))[own.pk]
    assert not next_quarter.has_quarter_update and next_quarter.needs_attention


def test_the_rule_reads_any_number_of_regions_in_two_queries(personas, django_assert_num_queries):
    few = list(Region.objects.values_list("pk", flat=True))
    with django_assert_num_queries(2):
        assert len(freshness_by_region(few, today=DAY)) == 35
    template = Region.objects.get(code=OWN_REGION)
    synthetic = add_synthetic_regions(315, template)
    RouteStep.objects.bulk_create(
        RouteStep(region=r, order=1, title="stap", planned_date=datetime.date(2026, 9, 1))
        for r in synthetic
    )
    many = list(Region.objects.values_list("pk", flat=True))
    with django_assert_num_queries(2):
        facts = freshness_by_region(many, today=DAY)
    assert len(facts) == 350 and facts[synthetic[0].pk].late_steps == 1


def test_per_adviser_takes_each_advisers_regions_together(personas):
    own, second = _regions(OWN_REGION, SECOND_OWN_REGION)
    _update(own, 2026, 4, on=datetime.date(2026, 11, 13))
    _update(second, 2026, 3, on=datetime.date(2026, 8, 15))
    regions = list(Region.objects.select_related("adviser"))
    facts = freshness_by_region([r.pk for r in regions], today=DAY)
    lines = per_adviser((r, facts[r.pk]) for r in regions)
    assert [str(line.adviser) for line in lines[:2]] == ["Alice Adviseur", "Bob Bakker"]
    alice, bob, unassigned = lines
    assert (alice.regions, alice.without_quarter_update, alice.oldest_age_days) == (2, 1, 100)
    assert (alice.late_steps, alice.never_updated) == (1, 0)
    assert (bob.regions, bob.without_quarter_update, bob.oldest_age_days, bob.never_updated) == (
        1,
        1,
        None,
        1,
    )
    assert unassigned.adviser is None and unassigned.regions == 32
    assert alice.needs_attention and bob.needs_attention


# --- the region page -------------------------------------------------------------------------


def _freshness_block(html: str) -> str:
    return re.search(r'<section class="rm-freshness.*?</section>', html, re.S).group(0)


def test_the_region_page_says_how_current_the_record_is(client, personas):
    client.force_login(personas.alice)
    url = reverse("regions:detail", args=[OWN_REGION])
    year, quarter = current_quarter(timezone.localdate())
    block = unescape(_freshness_block(client.get(url).content.decode()))
    assert "rm-freshness--attention" in block and "Niet actueel" in block
    assert "Actualiteit" in block
    assert "Laatste voortgangsupdate</a>:" in block and "nog geen" in block
    assert f"Voortgangsupdate {label(year, quarter)}</a>:" in block
    assert "<strong>ontbreekt</strong>" in block and "uiterlijk 31 december 2026" in block
    assert 'href="#progress"' in block and 'href="#section-processtappen"' in block
    assert re.search(r"zonder eindstatus</a>:\s*<strong>1</strong>", block)
    # The anchors it links to are on the page.
    html = client.get(url).content.decode()
    assert 'id="progress"' in html and 'id="section-processtappen"' in html

    ProgressUpdateFactory(region=Region.objects.get(code=OWN_REGION), year=year, quarter=quarter)
    RouteStep.objects.filter(pk=personas.own_step.pk).update(
        status=StepStatus.DONE, actual_date=timezone.localdate()
    )
    block = unescape(_freshness_block(client.get(url).content.decode()))
    assert "rm-freshness--current" in block and "Actueel" in block and "Niet actueel" not in block
    assert "<strong>vandaag</strong>" in block and "<strong>aanwezig</strong>" in block
    assert re.search(r"zonder eindstatus</a>:\s*<strong>0</strong>", block)


def test_a_route_step_saved_inline_updates_the_block_out_of_band(client, personas):
    step = personas.own_step
    client.force_login(personas.alice)
    url = reverse("monitoring:record_edit", args=[OWN_REGION, "processtappen", step.pk])
    data = {
        "order": step.order,
        "title": step.title,
        "parties": step.parties,
        "planned_date": step.planned_date.isoformat(),
        "actual_date": timezone.localdate().isoformat(),
        "status": StepStatus.DONE,
        "version": step.version,
    }
    html = client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert "Opgeslagen." in html
    oob = re.search(r'<section class="rm-freshness[^>]*hx-swap-oob="true".*?</section>', html, re.S)
    assert oob and re.search(r"zonder eindstatus</a>:\s*<strong>0</strong>", oob.group(0))


def test_a_progress_update_saved_inline_updates_the_block_out_of_band(client, personas):
    client.force_login(personas.alice)
    year, quarter = current_quarter(timezone.localdate())
    url = reverse("monitoring:progress_create", args=[OWN_REGION])
    data = {"year": year, "quarter": quarter, "status": "op_koers", "narrative": "Op koers."}
    html = client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    oob = re.search(r'<section class="rm-freshness[^>]*hx-swap-oob="true".*?</section>', html, re.S)
    assert oob and "<strong>aanwezig</strong>" in oob.group(0)


# --- the dashboard ---------------------------------------------------------------------------


def _row(html: str, name: str) -> str:
    return re.search(
        rf'<tr class="utrecht-table__row">\s*<th scope="row"[^>]*><a[^>]*>{name}</a>.*?</tr>',
        html,
        re.S,
    ).group(0)


def test_the_regions_table_says_whether_this_quarters_update_is_there(client, personas):
    year, quarter = current_quarter(timezone.localdate())
    ProgressUpdateFactory(region=Region.objects.get(code=OWN_REGION), year=year, quarter=quarter)
    client.force_login(personas.alice)
    html = client.get(reverse("dashboard:index")).content.decode()
    assert "Update dit kwartaal" in html
    groningen, drenthe = _row(html, "Groningen"), _row(html, "Drenthe")
    assert 'utrecht-status-badge--success">ja<' in groningen and "0 dagen geleden" in groningen
    assert 'utrecht-status-badge--warning">nee<' in drenthe
    # Late steps: Drenthe's own step only.
    assert re.findall(r'<td class="utrecht-table__cell">(\d+)</td>', drenthe)[0] == "1"
    export = client.get(reverse("dashboard:export_csv")).content.decode("utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(export), delimiter=";")}
    column = rows["Code"].index("Voortgangsupdate dit kwartaal")
    assert (rows[OWN_REGION][column], rows[FOREIGN_REGION][column]) == ("ja", "nee")


def _advisers_table(html: str) -> str | None:
    found = re.search(r'id="actualiteit-per-adviseur".*?</section>', html, re.S)
    return found.group(0) if found else None


def test_programme_management_sees_the_table_per_adviser(client, personas):
    own = Region.objects.get(code=OWN_REGION)
    year, quarter = current_quarter(timezone.localdate())
    ProgressUpdateFactory(region=own, year=year, quarter=quarter)
    client.force_login(personas.pm)
    table = _advisers_table(unescape(client.get(reverse("dashboard:index")).content.decode()))
    assert table and "Actualiteit per regioadviseur" in table
    assert f"Zonder update {label(year, quarter)}" in table
    alice = re.search(r"<tr.*?Alice Adviseur.*?</tr>", table, re.S).group(0)
    assert f'href="/dashboard/?adviseur={personas.alice.pk}#table-heading"' in alice
    cells = re.findall(r'<td class="utrecht-table__cell[^"]*">(.*?)</td>', alice, re.S)
    # Two regions, Friesland without this quarter's update, Groningen updated today and
    # Friesland never, Groningen's late step.
    assert [cells[0], cells[1], cells[3]] == ["2", "1", "1"]
    assert "0 dagen geleden" in cells[2] and "1 regio zonder enige update" in cells[2]
    assert "Niet actueel" in alice
    bob = re.search(r"<tr.*?Bob Bakker.*?</tr>", table, re.S).group(0)
    assert "niet toegewezen" in table and bob
    # The link leads to the dashboard filtered on that adviser.
    filtered = client.get(reverse("dashboard:index"), {"adviseur": personas.alice.pk})
    assert "2 regio's getoond." in unescape(filtered.content.decode())


@pytest.mark.parametrize("role", ["adviser", "hub"])
def test_other_readers_of_the_dashboard_do_not_get_the_table_per_adviser(client, personas, role):
    url = reverse("dashboard:index")
    client.force_login(personas.pm)  # first: programme management's page is kept
    assert _advisers_table(client.get(url).content.decode())
    client.force_login(personas.by_role(role))
    html = client.get(url).content.decode()
    assert _advisers_table(html) is None and "Actualiteit per regioadviseur" not in html
    assert "Update dit kwartaal" in html  # the regions table still has its facts


def test_a_partner_sees_no_data_per_adviser(client, personas):
    client.force_login(personas.partner)
    assert client.get(reverse("dashboard:index")).status_code == 403
    html = client.get(reverse("dashboard:national")).content.decode()
    assert "Actualiteit per regioadviseur" not in html
    assert "Alice Adviseur" not in html and "Bob Bakker" not in html
