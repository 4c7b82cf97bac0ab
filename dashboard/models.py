from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.records import tracked

NAME_MAX_LENGTH = 60
# How many views one user may keep: the menu stays a menu.
PER_USER = 20


@tracked
class SavedView(models.Model):
    """A dashboard filter and sort a user saved under a name; it appears in their menu.

    `query` is the normalised query string (dashboard.saved.normalise), never what was posted.
    The menu reads the copy on the user row (User.saved_views), kept by dashboard.saved."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_view_rows",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    query = models.CharField(_("filter"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                "user", Lower("name"), name="dashboard_savedview_unique_name_per_user"
            ),
            models.UniqueConstraint(
                fields=["user", "query"], name="dashboard_savedview_unique_query_per_user"
            ),
        ]

    def __str__(self) -> str:
        return self.name
