import re

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse

from monitoring.models import ProgressUpdate, Status
from regions.models import Region
from tests.conftest import FOREIGN_REGION, OWN_REGION
from tests.factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db

MAP_LINK = re.compile(r'<a href="/regios/(AM\d\d)/" aria-label="([^"]+)"')


def test_overview_lists_35_regions_with_adviser_and_a_clickable_map(client, personas):
    ProgressUpdateFactory(region=Region.objects.get(code=OWN_REGION), status=Status.RISK)
    client.force_login(personas.pm)
    html = client.get(reverse("regions:overview")).content.decode()

    links = dict(MAP_LINK.findall(html))
    assert len(links) == 35
    assert links[OWN_REGION] == "Groningen: Risico"
    assert links[FOREIGN_REGION] == "Drenthe: Nog geen update"
    assert 'class="map-shape status-risico"' in html
    assert "Alice Adviseur" in html and "Bob Bakker" in html
    for label in ["Op koers", "Aandacht nodig", "Risico", "Nog geen update"]:
        assert label in html  # legend and counts


def test_the_latest_update_decides_the_colour(client, personas):
    region = Region.objects.get(code=OWN_REGION)
    ProgressUpdateFactory(region=region, status=Status.RISK, quarter=2)
    ProgressUpdateFactory(region=region, status=Status.ON_TRACK, quarter=3)
    client.force_login(personas.pm)
    links = dict(MAP_LINK.findall(client.get(reverse("regions:overview")).content.decode()))
    assert links[OWN_REGION] == "Groningen: Op koers"


def test_specialist_sees_only_deployed_regions_as_links(client, personas):
    client.force_login(personas.spec)
    html = client.get(reverse("regions:overview")).content.decode()
    assert dict(MAP_LINK.findall(html)).keys() == {OWN_REGION}
    assert "Drenthe" not in html.split("<tbody")[1]  # not in the table


def test_the_maps_draw_every_outline_from_one_versioned_file(client, personas):
    client.force_login(personas.pm)
    html = client.get(reverse("regions:overview")).content.decode()
    hrefs = set(re.findall(r'<use href="([^"#]+)#r-(AM\d\d)"', html))
    assert len(hrefs) == 35 and len({href for href, _code in hrefs}) == 1
    assert ' d="M' not in html  # no outline in the page itself
    href = hrefs.pop()[0]
    response = client.get(href)
    svg = response.content.decode()
    assert response["Content-Type"].startswith("image/svg+xml")
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"
    groningen = Region.objects.get(code=OWN_REGION)
    assert f'<path id="r-{OWN_REGION}" d="{groningen.svg_path}"' in svg
    assert svg.count("<path ") == 35
    # An outline that changes (new reference data) gets a new address; the old one is not kept.
    groningen.svg_path += " Z"
    groningen.save()
    new_href = re.search(
        r'<use href="([^"#]+)#', client.get(reverse("regions:overview")).content.decode()
    ).group(1)
    assert new_href != href
    assert client.get(href)["Cache-Control"] == "private, no-cache"


def test_a_pdf_map_carries_its_outlines_inline():
    from regions.maps import choropleth

    region = Region.objects.get(code=OWN_REGION)
    svg_map = choropleth([region], lambda r: ("readiness-gereed", r.name), [], "t", linked=False)
    html = render_to_string("regions/_map.html", {"map": svg_map, "map_id": "pdf-map"})
    assert f'd="{region.svg_path}"' in html and "<use" not in html
    assert html.count('class="map-shape readiness-gereed"') == 1


def test_overview_query_count_is_fixed(client, personas, django_assert_num_queries):
    for region in Region.objects.all()[:10]:
        ProgressUpdateFactory(region=region, author=personas.alice)
    client.force_login(personas.pm)
    # session, user, regions with adviser and latest status, the version of the outlines file
    with django_assert_num_queries(4):
        assert client.get(reverse("regions:overview")).status_code == 200


def test_portfolio_shows_only_own_regions(client, personas, django_assert_num_queries):
    client.force_login(personas.alice)
    # session, user, own regions with status, today's stand-ins, the visit's upsert
    with django_assert_num_queries(5):
        html = client.get(reverse("regions:portfolio")).content.decode()
    assert "Groningen" in html and "Friesland" in html
    assert "Drenthe" not in html


@pytest.mark.parametrize(
    ("status", "badge"),
    [
        (Status.ON_TRACK, 'success">Op koers'),
        ("aandacht", 'warning">Aandacht nodig'),
        (Status.RISK, 'danger">Risico'),
        (None, 'neutral">Nog geen update'),
        ("", 'neutral">Nog geen update'),
    ],
)
def test_the_status_badge_has_the_colour_and_label_of_its_status(status, badge):
    html = Template("{% load badges %}{% status_badge status %}").render(
        Context({"status": status})
    )
    tone, label = badge.split('">')
    assert html == (
        f'<span class="utrecht-status-badge utrecht-status-badge--{tone} rm-status">'
        f'<span class="rm-status__key">Status</span> {label}</span>\n'
    )


def test_region_page_shows_municipalities_adviser_and_map(client, personas):
    client.force_login(personas.bob)
    html = client.get(reverse("regions:detail", args=[OWN_REGION])).content.decode()
    assert "Alice Adviseur" in html
    assert html.count('class="map-shape municipality-') == 14  # Groningen has 14 gemeenten
    assert "Westerkwartier" in html
    # Bob reads Alice's region but gets no edit button.
    assert reverse("monitoring:progress_create", args=[OWN_REGION]) not in html


def test_national_picture_has_totals_and_no_region_narratives(client, personas):
    ProgressUpdateFactory(
        region=Region.objects.get(code=OWN_REGION), narrative="Vertrouwelijke toelichting"
    )
    client.force_login(personas.partner)
    html = client.get(reverse("dashboard:national")).content.decode()
    assert "342" in html and "35" in html
    assert "Vertrouwelijke toelichting" not in html
    assert "/regios/AM" not in html


def test_inline_progress_update_saves_and_returns_the_section(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:progress_create", args=[OWN_REGION])
    response = client.post(
        url,
        {"year": 2026, "quarter": 4, "status": "aandacht", "narrative": "Raad besluit in januari."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="progress"')
    assert "De voortgangsupdate is opgeslagen." in html
    update = ProgressUpdate.objects.get(region__code=OWN_REGION)
    assert (update.status, update.quarter, update.author) == ("aandacht", 4, personas.alice)


def test_invalid_update_shows_dutch_errors_and_keeps_what_was_typed(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:progress_create", args=[OWN_REGION])
    response = client.post(
        url,
        {"year": 2026, "quarter": 7, "status": "", "narrative": "Mijn getypte tekst"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit veld is verplicht." in html
    assert "7 is geen beschikbare keuze" in html
    assert "Mijn getypte tekst" in html
    assert 'aria-invalid="true"' in html
    assert not ProgressUpdate.objects.exists()


def test_htmx_get_of_the_form_returns_only_the_fragment(client, personas):
    client.force_login(personas.alice)
    url = reverse("monitoring:progress_create", args=[OWN_REGION])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    page = client.get(url).content.decode()
    assert "<html" not in fragment and 'hx-post="' + url + '"' in fragment
    assert "<html" in page and 'action="' + url + '"' in page
