import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


@pghistory.track(
    pghistory.UpdateEvent("adviser_changed", condition=pghistory.AnyChange("adviser")),
    fields=["adviser"],
    model_name="RegionAdviserEvent",
)
class Region(models.Model):
    """An arbeidsmarktregio (AM01..AM38): the unit of monitoring."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    population = models.PositiveIntegerField(_("population"), default=0)
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("regional adviser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="portfolio",
        limit_choices_to={"role": "regioadviseur"},
    )
    # The boundary projected to map units (see regions/geometry.py), drawn as SVG.
    svg_path = models.TextField(editable=False, default="")
    bbox = models.JSONField(editable=False, default=list)

    class Meta:
        verbose_name = _("labour-market region")
        verbose_name_plural = _("labour-market regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("regions:detail", kwargs={"code": self.code})


class Municipality(models.Model):
    """A gemeente (GM code), belonging to exactly one region."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    province_code = models.CharField(_("province code"), max_length=4)
    province = models.CharField(_("province"), max_length=50)
    population = models.PositiveIntegerField(_("population"), default=0)
    svg_path = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
