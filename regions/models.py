from functools import lru_cache

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import search_field, search_index


@lru_cache(maxsize=1024)
def _detail_url(code: str) -> str:
    # Dashboards link every region several times per page; reversing once per code is enough.
    return reverse("regions:detail", kwargs={"code": code})


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

    search_vector = search_field(("name", "A"), ("code", "A"))

    class Meta:
        verbose_name = _("labour-market region")
        verbose_name_plural = _("labour-market regions")
        ordering = ["name"]
        indexes = [search_index("region")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return _detail_url(self.code)


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

    search_vector = search_field(("name", "A"), ("code", "A"))

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        indexes = [search_index("municipality")]

    def __str__(self) -> str:
        return self.name


class Handover(models.Model):
    """One region moved from one adviser to another by programme management (kept forever)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="handovers"
    )
    from_adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("from adviser"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    to_adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to adviser"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at", "-pk"]
        # A handover is a fact: the database refuses to change or remove it.
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.from_adviser} → {self.to_adviser}"


class StandIn(models.Model):
    """An adviser standing in for another for a period: they may change the other's regions."""

    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adviser"),
        on_delete=models.CASCADE,
        related_name="stand_ins",
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stands in"),
        on_delete=models.CASCADE,
        related_name="standing_in_for",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("stand-in")
        verbose_name_plural = _("stand-ins")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="stand_in_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.substitute} → {self.adviser} ({self.start_date} - {self.end_date})"
