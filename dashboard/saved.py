"""Saved views: a user's dashboard filters under a name, in their menu.

The menu reads a copy of the user's views on their row (User.saved_views: id, name and query
of each), so no page spends a query on it; every function here changes the rows and that copy
in one transaction, under a lock on the user's row (the cap and the uniqueness hold under
concurrent saves as well)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from dashboard.models import PER_USER, SavedView
from dashboard.queries import STAGES
from dashboard.readiness import URGENCY
from monitoring.models import Status
from regions.maps import NO_STATUS
from regions.models import Municipality

__all__ = ["dashboard_url", "delete_view", "describe", "rename_view", "save_view"]


def _menu(user_pk: int) -> list[dict]:
    rows = SavedView.objects.filter(user_id=user_pk).order_by(Lower("name"), "pk")
    return [{"id": v.pk, "name": v.name, "query": v.query} for v in rows]


def _refresh_menu(user: User) -> None:
    menu = _menu(user.pk)
    User.objects.filter(pk=user.pk).update(saved_views=menu)
    user.saved_views = menu  # this request's page shows it too


def _check_name(user_pk: int, name: str, *, exclude: int | None = None) -> None:
    same = SavedView.objects.filter(user_id=user_pk, name__iexact=name).exclude(pk=exclude)
    if same.exists():
        raise ValidationError(
            _("You already have a view called “%(name)s”. Choose another name."),
            code="unique",
            params={"name": name},
        )


def save_view(*, user: User, name: str, query: str) -> SavedView:
    """Save `query` (already normalised) as `name` for `user`; ValidationError when the name is
    taken, the same filters are saved already, or the user has PER_USER views."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        views = SavedView.objects.filter(user_id=user.pk)
        if views.count() >= PER_USER:
            raise ValidationError(
                _(
                    "You can keep at most %(limit)s saved views. Delete one on the page "
                    "“Saved views” first."
                ),
                code="limit",
                params={"limit": PER_USER},
            )
        _check_name(user.pk, name)
        existing = views.filter(query=query).first()
        if existing is not None:
            raise ValidationError(
                _("These filters are saved already, as “%(name)s”."),
                code="same_filters",
                params={"name": existing.name},
            )
        try:
            with transaction.atomic():
                view = SavedView.objects.create(user=user, name=name, query=query)
        except IntegrityError as error:  # the constraints behind the checks above
            raise ValidationError(_("This name or these filters are saved already.")) from error
        _refresh_menu(user)
    return view


def rename_view(*, view: SavedView, name: str) -> SavedView:
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=view.user_id).first()
        _check_name(view.user_id, name, exclude=view.pk)
        view.name = name
        view.save(update_fields=["name"])
        _refresh_menu(view.user)
    return view


def delete_view(*, view: SavedView) -> None:
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=view.user_id).first()
        view.delete()
        _refresh_menu(view.user)


def dashboard_url(query: str) -> str:
    url = reverse("dashboard:index")
    return f"{url}?{query}" if query else url


def describe(queries: list[str]) -> dict[str, str]:
    """What each saved query shows, in words ("Regional adviser: Alice; Stage: …"): two
    queries for all of them together (the advisers' and the provinces' names). A value the
    dashboard no longer offers is shown as it was saved."""
    parsed = {query: QueryDict(query) for query in queries}
    adviser_ids = {int(q["adviseur"]) for q in parsed.values() if "adviseur" in q}
    advisers = {u.pk: str(u) for u in User.objects.filter(pk__in=adviser_ids)}
    province_codes = {q["provincie"] for q in parsed.values() if "provincie" in q}
    provinces = dict(
        Municipality.objects.filter(province_code__in=province_codes)
        .values_list("province_code", "province")
        .distinct()
    )
    stages = {str(s.value): str(s.label) for s in STAGES}
    statuses = {str(s.value): str(s.label) for s in Status} | {NO_STATUS: _("No update yet")}
    readiness = {str(r.value): str(r.label) for r in URGENCY}
    sorts = {
        "naam": _("Region"),
        "adviseur": _("Regional adviser"),
        "fase": _("Stage"),
        "status": _("Status"),
        "gereedheid": _("Readiness"),
        "te_laat": _("Late steps"),
        "signalen": _("Open signals"),
        "kwartaal": _("Update this quarter"),
        "update": _("Last update"),
    }
    texts = {}
    for query, q in parsed.items():
        parts = []
        if "adviseur" in q:
            name = advisers.get(int(q["adviseur"]))
            parts.append(
                _("Regional adviser: %(name)s")
                % {"name": name or _("an adviser who is no longer here")}
            )
        if "provincie" in q:
            parts.append(
                _("Province: %(name)s") % {"name": provinces.get(q["provincie"], q["provincie"])}
            )
        if "fase" in q:
            parts.append(_("Stage: %(name)s") % {"name": stages.get(q["fase"], q["fase"])})
        if "status" in q:
            parts.append(_("Status: %(name)s") % {"name": statuses.get(q["status"], q["status"])})
        if "gereedheid" in q:
            parts.append(
                _("Readiness: %(name)s") % {"name": readiness.get(q["gereedheid"], q["gereedheid"])}
            )
        if "sorteer" in q:
            order = _("descending") if q.get("volgorde") == "af" else _("ascending")
            parts.append(
                _("Sorted by %(column)s, %(order)s")
                % {"column": sorts.get(q["sorteer"], q["sorteer"]), "order": order}
            )
        texts[query] = "; ".join(parts) or _("All regions, no filters")
    return texts
