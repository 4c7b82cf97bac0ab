"""Saved views: a dashboard filter saved under a name, shown in the user's menu."""

import re
from html import escape, unescape

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from pghistory.models import Events

from accounts.models import User
from dashboard.models import NAME_MAX_LENGTH, PER_USER, SavedView
from dashboard.saved import save_view
from dashboard.views_saved import normalise

SAVE = reverse("dashboard:saved_view_new")
MANAGE = reverse("dashboard:saved_views")
DASHBOARD = reverse("dashboard:index")


def _menu(html: str) -> list[tuple[str, str, bool]]:
    """(name, href, current) of every link in the menu's saved views."""
    block = re.search(r'<div id="rm-saved-views"[^>]*>(.*?)</div>', html, re.DOTALL)
    assert block, "no saved views block in the menu"
    return [
        (unescape(name), unescape(href), bool(current))
        for href, current, name in re.findall(
            r'<a href="([^"]*)"( aria-current="page")?>([^<]*)', block.group(1)
        )
    ]


def _save(client, name, query="", **headers):
    return client.post(f"{SAVE}?{query}" if query else SAVE, {"name": name}, headers=headers)


def test_normalise_keeps_only_the_known_filters_in_one_order():
    params = QueryDict(
        "sorteer=naam&volgorde=af&status=risico&fase=analyse&adviseur=7&provincie=PV20"
        "&gereedheid=kritiek&kaart=fase&pagina=2&evil=%3Cscript%3E"
    )
    assert normalise(params) == (
        "adviseur=7&provincie=PV20&fase=analyse&status=risico&gereedheid=kritiek"
        "&sorteer=naam&volgorde=af"
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ""),
        ("sorteer=gereedheid&volgorde=op", ""),  # the default sort, as the filter form posts it
        ("sorteer=gereedheid&volgorde=af", "sorteer=gereedheid&volgorde=af"),
        ("adviseur=abc&fase=geen-fase&status=x&gereedheid=1&sorteer=wachtwoord", ""),
        ("adviseur=-3&provincie=%3Cb%3E", ""),
        ("adviseur=99999999999", ""),
        ("status=geen", "status=geen"),
        ("adviseur=+12+", "adviseur=12"),
    ],
)
def test_normalise_drops_garbage_and_defaults(query, expected):
    assert normalise(QueryDict(query)) == expected


def test_saving_stores_the_normalised_filter_and_shows_it_in_the_menu(client, personas):
    alice = personas.alice
    client.force_login(alice)
    query = f"fase=analyse&onbekend=1&adviseur={alice.pk}&sorteer=naam&volgorde=op&kaart=fase"
    response = _save(client, "  Mijn analyse  ", query)

    stored = f"adviseur={alice.pk}&fase=analyse&sorteer=naam"
    assert response.status_code == 302
    assert response.url == f"{DASHBOARD}?{stored}"
    view = SavedView.objects.get(user=alice)
    assert (view.name, view.query) == ("Mijn analyse", stored)
    alice.refresh_from_db()
    assert alice.saved_views == [{"id": view.pk, "name": "Mijn analyse", "query": stored}]

    page = client.get(response.url)
    assert ("Mijn analyse", f"{DASHBOARD}?{stored}", True) in _menu(page.content.decode())
    # The Dashboard item is not "the current page" as well when a saved view is.
    assert f'<a href="{DASHBOARD}" aria-current="page">' not in page.content.decode()
    expected = _("The view “%(name)s” is saved; it is in your menu under “Saved views”.") % {
        "name": "Mijn analyse"
    }
    assert escape(expected) in page.content.decode()


def test_the_link_is_current_only_on_its_own_filter(client, personas):
    client.force_login(personas.pm)
    save_view(user=personas.pm, name="Risico", query="status=risico")
    save_view(user=personas.pm, name="Kritiek", query="gereedheid=kritiek")
    html = client.get(DASHBOARD, {"status": "risico", "sorteer": "gereedheid"}).content.decode()
    assert _menu(html)[:2] == [
        ("Kritiek", f"{DASHBOARD}?gereedheid=kritiek", False),
        ("Risico", f"{DASHBOARD}?status=risico", True),
    ]
    html = client.get(DASHBOARD, {"status": "aandacht"}).content.decode()
    assert not any(current for _name, _url, current in _menu(html))
    assert f'<a href="{DASHBOARD}" aria-current="page">' in html


def test_saving_with_htmx_reads_the_address_and_swaps_the_menu(client, personas):
    client.force_login(personas.hub)
    response = _save(
        client,
        "Friesland",
        "status=aandacht",  # the form's stale action; the browser's address is what counts
        **{"HX-Request": "true", "HX-Current-URL": f"http://testserver{DASHBOARD}?fase=analyse"},
    )
    assert response.status_code == 200
    assert SavedView.objects.get(user=personas.hub).query == "fase=analyse"
    html = response.content.decode()
    assert '<form id="save-view"' in html
    assert 'id="rm-saved-views" class="rm-nav__saved" hx-swap-oob="true"' in html
    assert ("Friesland", f"{DASHBOARD}?fase=analyse", False) in _menu(html)
    # The form is empty again for the next view.
    assert 'value="Friesland"' not in html.split('id="rm-saved-views"')[0]


def test_an_address_of_another_page_is_not_taken_as_the_filter(client, personas):
    client.force_login(personas.hub)
    _save(
        client,
        "Elders",
        "status=risico",
        **{"HX-Request": "true", "HX-Current-URL": "http://testserver/regios/?fase=analyse"},
    )
    assert SavedView.objects.get(user=personas.hub).query == "status=risico"


def _refused(response, name: str, message: str) -> None:
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="rm-field-error"' in html
    assert escape(message) in html
    assert f'value="{escape(name)}"' in html  # what was typed is kept


@pytest.mark.parametrize("htmx", [False, True])
def test_a_name_in_use_is_refused_whatever_its_case(client, personas, htmx):
    client.force_login(personas.alice)
    save_view(user=personas.alice, name="Noord", query="provincie=PV20")
    headers = {"HX-Request": "true"} if htmx else {}
    response = _save(client, " NOORD ", "status=risico", **headers)
    message = _("You already have a view called “%(name)s”. Choose another name.") % {
        "name": "NOORD"
    }
    _refused(response, " NOORD ", message)
    assert SavedView.objects.filter(user=personas.alice).count() == 1


def test_another_users_names_do_not_count(client, personas):
    save_view(user=personas.bob, name="Noord", query="provincie=PV20")
    client.force_login(personas.alice)
    assert _save(client, "Noord", "provincie=PV20").status_code == 302
    assert SavedView.objects.filter(name="Noord").count() == 2


def test_an_empty_name_is_refused(client, personas):
    client.force_login(personas.alice)
    response = _save(client, "   ", "status=risico")
    _refused(response, "   ", _("Give the view a name, so you recognise it in your menu."))
    assert not SavedView.objects.exists()


def test_a_long_name_is_refused_with_its_count_and_kept_whole(client, personas):
    client.force_login(personas.alice)
    name = "x" * (NAME_MAX_LENGTH + 5)
    response = _save(client, name, "status=risico")
    message = _("At most %(limit)s characters; you have %(count)s.") % {
        "limit": NAME_MAX_LENGTH,
        "count": NAME_MAX_LENGTH + 5,
    }
    _refused(response, name, message)
    assert not SavedView.objects.exists()
    assert _save(client, "x" * NAME_MAX_LENGTH, "status=risico").status_code == 302


def test_the_same_filters_are_saved_once(client, personas):
    client.force_login(personas.alice)
    save_view(user=personas.alice, name="Risico", query="status=risico")
    response = _save(client, "Ook risico", "sorteer=gereedheid&status=risico&volgorde=op")
    _refused(
        response,
        "Ook risico",
        _("These filters are saved already, as “%(name)s”.") % {"name": "Risico"},
    )


def test_a_user_keeps_at_most_the_cap(client, personas):
    client.force_login(personas.alice)
    statuses = ["risico", "aandacht", "op_koers", "geen"]
    stages = ["", "orientatie", "analyse", "scenarios", "koersbepaling"]
    queries = [
        "&".join(p for p in (f"fase={f}" if f else "", f"status={s}") if p)
        for f in stages
        for s in statuses
    ]
    for n, query in enumerate(queries[:PER_USER]):
        save_view(user=personas.alice, name=f"Weergave {n}", query=query)
    response = _save(client, "Nog een", "gereedheid=kritiek")
    message = _(
        "You can keep at most %(limit)s saved views. Delete one on the page “Saved views” first."
    ) % {"limit": PER_USER}
    _refused(response, "Nog een", message)
    assert SavedView.objects.filter(user=personas.alice).count() == PER_USER
    personas.alice.refresh_from_db()
    assert len(personas.alice.saved_views) == PER_USER


def test_rename_and_delete_keep_the_menu_and_the_history(client, personas):
    alice = personas.alice
    client.force_login(alice)
    view = save_view(user=alice, name="Noord", query="provincie=PV20")
    save_view(user=alice, name="Zuid", query="provincie=PV30")

    response = client.post(reverse("dashboard:saved_view_rename", args=[view.pk]), {"name": "Top"})
    assert response.status_code == 302
    assert response.url == MANAGE
    alice.refresh_from_db()
    assert [v["name"] for v in alice.saved_views] == ["Top", "Zuid"]

    response = client.post(reverse("dashboard:saved_view_rename", args=[view.pk]), {"name": "zuid"})
    _refused(
        response,
        "zuid",
        _("You already have a view called “%(name)s”. Choose another name.") % {"name": "zuid"},
    )
    # Renaming a view to its own name in another case is fine.
    response = client.post(reverse("dashboard:saved_view_rename", args=[view.pk]), {"name": "TOP"})
    assert response.status_code == 302

    response = client.post(reverse("dashboard:saved_view_delete", args=[view.pk]))
    assert response.status_code == 302
    assert not SavedView.objects.filter(pk=view.pk).exists()
    alice.refresh_from_db()
    assert [v["name"] for v in alice.saved_views] == ["Zuid"]

    events = Events.objects.filter(pgh_obj_model="dashboard.SavedView", pgh_obj_id=str(view.pk))
    labels = list(events.order_by("pgh_created_at", "pgh_id").values_list("pgh_label", flat=True))
    assert labels == ["insert", "update", "update", "delete"]
    renamed = events.filter(pgh_label="update").order_by("pgh_created_at", "pgh_id").first()
    assert renamed.pgh_diff == {"name": ["Noord", "Top"]}
    assert renamed.pgh_context["user"] == alice.pk
    assert renamed.pgh_context["url"] == reverse("dashboard:saved_view_rename", args=[view.pk])


def test_another_users_view_is_not_found(client, personas):
    view = save_view(user=personas.bob, name="Van Bob", query="status=risico")
    client.force_login(personas.alice)
    rename = reverse("dashboard:saved_view_rename", args=[view.pk])
    assert client.post(rename, {"name": "Van Alice"}).status_code == 404
    assert client.post(reverse("dashboard:saved_view_delete", args=[view.pk])).status_code == 404
    view.refresh_from_db()
    assert view.name == "Van Bob"


def test_the_menu_shows_ones_own_views_only(client, personas):
    save_view(user=personas.bob, name="Van Bob", query="status=risico")
    save_view(user=personas.alice, name="Van Alice", query="status=aandacht")
    client.force_login(personas.alice)
    html = client.get(reverse("regions:overview")).content.decode()
    names = [name for name, _url, _current in _menu(html)]
    assert "Van Alice" in names
    assert "Van Bob" not in html
    manage = client.get(MANAGE).content.decode()
    assert "Van Alice" in manage
    assert "Van Bob" not in manage


def test_the_menu_costs_no_query(client, personas, django_assert_num_queries):
    """The views come from the user's row, which the page reads anyway: the same count as
    the dashboard's pin in test_dashboard.py, with views or without."""
    client.force_login(personas.pm)
    with django_assert_num_queries(19):
        assert client.get(DASHBOARD).status_code == 200
    for n, status in enumerate(["risico", "aandacht", "op_koers"]):
        save_view(user=personas.pm, name=f"Weergave {n}", query=f"status={status}")
    with django_assert_num_queries(19):
        response = client.get(DASHBOARD, {"status": "risico"})
    assert len(_menu(response.content.decode())) == 4  # three views and "Manage"
    with django_assert_num_queries(19):  # kept: the same page, the same count
        client.get(DASHBOARD, {"status": "risico"})


def test_no_menu_block_for_roles_without_the_dashboard(client, personas):
    client.force_login(personas.spec)
    html = client.get(reverse("regions:overview")).content.decode()
    assert 'id="rm-saved-views"' not in html


def test_a_view_of_an_adviser_who_left_still_opens(client, personas):
    gone = User.objects.create(username="weg", role="regioadviseur", first_name="Gert")
    view = save_view(user=personas.pm, name="Gert", query=f"adviseur={gone.pk}")
    gone.delete()
    client.force_login(personas.pm)
    response = client.get(f"{DASHBOARD}?{view.query}")
    assert response.status_code == 200
    assert ("Gert", f"{DASHBOARD}?{view.query}", True) in _menu(response.content.decode())
    manage = client.get(MANAGE).content.decode()
    assert escape(_("an adviser who is no longer here")) in manage


def test_the_save_form_sits_under_the_filters_with_the_pages_filter(client, personas):
    client.force_login(personas.alice)
    html = client.get(DASHBOARD, {"fase": "analyse", "x": "1"}).content.decode()
    form = html.index('<form id="save-view"')
    assert html.index('class="rm-filters"') < form < html.index('id="dashboard-results"')
    assert f'action="{SAVE}?fase=analyse"' in html
    assert "save-view-form" not in html  # the slot was filled


def test_the_save_page_without_javascript(client, personas):
    client.force_login(personas.alice)
    response = client.get(SAVE, {"status": "risico"})
    assert response.status_code == 200
    assert f'action="{SAVE}?status=risico"' in response.content.decode()
    assert escape(_("Status: %(name)s") % {"name": _("At risk")}) in response.content.decode()
