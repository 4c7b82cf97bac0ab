"""Saved views: the form on the dashboard that saves its filters under a name, and the page
where a user renames and deletes theirs (/dashboard/weergaven/). Changes go through
dashboard.saved; the menu shows them from the user's row (dashboard/context_processors.py)."""

import re
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access import require_roles
from core.params import int_or_none, posted
from dashboard.forms import SavedViewForm
from dashboard.models import NAME_MAX_LENGTH, PER_USER, SavedView
from dashboard.queries import STAGES
from dashboard.readiness import URGENCY
from dashboard.saved import dashboard_url, delete_view, describe, rename_view, save_view
from dashboard.views import DASHBOARD_ROLES, SORTS
from monitoring.models import Status
from regions.maps import NO_STATUS

DEFAULT_SORT = "gereedheid"
PROVINCE_CODE = re.compile(r"[A-Za-z0-9]{1,4}")


def normalise(params) -> str:
    """The dashboard's filter and sort in `params` as one canonical query string: only the
    known parameters, in a fixed order, each value one the dashboard knows (an adviser as a
    number, which need not exist any more); the default sort is left out. No query: the menu
    compares the current page with it on every page."""
    pairs = []
    adviser = int_or_none(params.get("adviseur"))
    if adviser is not None and 0 < adviser < 2**31:
        pairs.append(("adviseur", str(adviser)))
    province = (params.get("provincie") or "").strip()
    if PROVINCE_CODE.fullmatch(province):
        pairs.append(("provincie", province))
    choices = (
        ("fase", {str(stage.value) for stage in STAGES}),
        ("status", {str(status.value) for status in Status} | {NO_STATUS}),
        ("gereedheid", {str(readiness.value) for readiness in URGENCY}),
    )
    for key, known in choices:
        value = params.get(key) or ""
        if value in known:
            pairs.append((key, value))
    sort = params.get("sorteer") or DEFAULT_SORT
    sort = sort if sort in SORTS else DEFAULT_SORT
    descending = params.get("volgorde") == "af"
    if sort != DEFAULT_SORT or descending:
        pairs.append(("sorteer", sort))
    if descending:
        pairs.append(("volgorde", "af"))
    query = QueryDict(mutable=True)
    for key, value in pairs:
        query[key] = value
    return query.urlencode()


def _filter_of(request) -> str:
    """The filters to save, normalised. With htmx, the page's address as the browser shows it
    now (HX-Current-URL: the dashboard's filters and sorts push it); without JavaScript the
    form's action carries the query string the page was opened with."""
    current = request.htmx.current_url if request.htmx else None
    if current:
        address = urlsplit(current)
        if address.path == reverse("dashboard:index"):
            return normalise(QueryDict(address.query))
    return normalise(request.GET)


def _get_view_for_user(request, pk: int) -> SavedView:
    """One of the user's own saved views; anyone else's is a 404."""
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    view.user = request.user
    return view


def form_context(request, form=None, query=None) -> dict:
    """What templates/dashboard/_save_view.html needs (the dashboard renders it too)."""
    query = normalise(request.GET) if query is None else query
    return {
        "save_form": form or SavedViewForm(),
        "save_query": query,
        "save_limit": PER_USER,
    }


@require_http_methods(["GET", "POST"])
@require_roles(*DASHBOARD_ROLES)
def save(request):
    """Save the dashboard's current filters under a name. With htmx the form is swapped in
    place (and the menu out of band); without JavaScript a success goes back to the dashboard
    with those filters (POST-redirect-GET) and a refusal shows the form on a page of its own,
    with what was typed kept."""
    query = _filter_of(request)
    form = SavedViewForm(posted(request))
    saved = None
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_view(user=request.user, name=form.cleaned_data["name"], query=query)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            if not request.htmx:
                messages.success(
                    request,
                    _("The view “%(name)s” is saved; it is in your menu under “Saved views”.")
                    % {"name": saved.name},
                )
                return redirect(dashboard_url(query))
            form = None
    context = form_context(request, form, query) | {"saved": saved}
    if request.htmx:
        return render(request, "dashboard/_save_view.html", context | {"menu_oob": bool(saved)})
    return render(
        request,
        "dashboard/save_view.html",
        context | {"description": describe([query])[query], "dashboard_url": dashboard_url(query)},
    )


def _manage_page(request, bound=None):
    views = list(SavedView.objects.filter(user=request.user))
    texts = describe([view.query for view in views])
    rows = [
        {
            "view": view,
            "url": dashboard_url(view.query),
            "description": texts[view.query],
            "form": bound[1]
            if bound and bound[0] == view.pk
            else SavedViewForm(initial={"name": view.name}, auto_id=f"id_view{view.pk}_%s"),
        }
        for view in views
    ]
    return render(
        request,
        "dashboard/saved_views.html",
        {"rows": rows, "limit": PER_USER, "max_length": NAME_MAX_LENGTH, "has_errors": bool(bound)},
    )


@require_roles(*DASHBOARD_ROLES)
def manage(request):
    """The user's saved views: open, rename, delete."""
    return _manage_page(request)


@require_POST
@require_roles(*DASHBOARD_ROLES)
def rename(request, pk: int):
    view = _get_view_for_user(request, pk)
    form = SavedViewForm(request.POST, auto_id=f"id_view{view.pk}_%s")
    if form.is_valid():
        old = view.name
        try:
            rename_view(view=view, name=form.cleaned_data["name"])
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(
                request,
                _("The view “%(old)s” is now called “%(new)s”.") % {"old": old, "new": view.name},
            )
            return redirect("dashboard:saved_views")
    return _manage_page(request, bound=(view.pk, form))


@require_POST
@require_roles(*DASHBOARD_ROLES)
def delete(request, pk: int):
    view = _get_view_for_user(request, pk)
    delete_view(view=view)
    messages.success(request, _("The view “%(name)s” is deleted.") % {"name": view.name})
    return redirect("dashboard:saved_views")
