"""Saved views: a user's dashboard filters under a name, in their menu.

The menu reads a copy of the user's views on their row (User.saved_views: id, name and query
of each), so no page spends a query on it; every function here changes the rows and that copy
in one transaction, under a lock on the user's row (the cap and the uniqueness hold under
concurrent saves as well)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import User
from dashboard.models import PER_USER, SavedView

__all__ = ["delete_view", "rename_view", "save_view"]


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
