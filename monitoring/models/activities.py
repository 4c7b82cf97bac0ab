from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from core.records import Versioned, tracked
from core.search import search_field, search_index
from innovation.models import VersionStatus
from regions.models import Region

__all__ = [
    "Agreement",
    "Meeting",
    "MeetingKind",
    "NationalPartner",
    "Pilot",
    "PilotKind",
    "ProductUse",
    "Signal",
    "SignalStatus",
]


class PilotKind(models.TextChoices):
    PILOT = "pilot", _("Pilot")
    LEARNING_LINE = "leerlijn", _("Learning line")
    LEARNING_TRACK = "leertraject", _("Learning track")


@tracked
class Pilot(Versioned):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="pilots"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PilotKind.choices)
    title = models.CharField(_("title"), max_length=200)
    goal = models.TextField(_("goal"), max_length=4000)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    outcomes = models.TextField(_("outcomes"), max_length=4000, blank=True)
    shared_insights = models.TextField(
        _("insights shared with the national programme"), max_length=4000, blank=True
    )
    delivered = models.BooleanField(_("delivered"), default=False)

    search_vector = search_field(
        ("title", "A"), ("goal", "B"), ("outcomes", "B"), ("shared_insights", "B")
    )

    class Meta:
        verbose_name = _("pilot or learning line")
        verbose_name_plural = _("pilots and learning lines")
        ordering = ["start_date", "pk"]
        indexes = [search_index("pilot")]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date lies before the start date.")
        if self.delivered and not self.outcomes:
            errors["outcomes"] = _("A delivered pilot records its outcomes.")
        if errors:
            raise ValidationError(errors)


class MeetingKind(models.TextChoices):
    INTERVISION = "intervisie", _("Intervision")
    KNOWLEDGE = "kennisbijeenkomst", _("Knowledge meeting")
    INSPIRATION = "inspiratiesessie", _("Inspiration session")
    PARTNERS = "partneroverleg", _("Consultation with national partners")


@tracked
class Meeting(Versioned):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    participants = models.TextField(_("participants"), max_length=2000, blank=True)
    minutes = models.TextField(_("minutes"), max_length=10000, blank=True)
    insights = models.TextField(_("insights"), max_length=4000, blank=True)

    search_vector = search_field(
        ("title", "A"), ("minutes", "B"), ("insights", "B"), ("participants", "C")
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "pk"]
        indexes = [search_index("meeting")]

    def __str__(self) -> str:
        return self.title


class NationalPartner(models.TextChoices):
    SZW = "szw", "SZW"
    VNG = "vng", "VNG"
    CEDRIS = "cedris", "Cedris"
    DIVOSA = "divosa", "Divosa"
    PROGRAMME = "programma", _("National programme")
    HUB = "innovatiehub", _("Innovation hub")


class SignalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PASSED_ON = "doorgezet", _("Passed on")
    ANSWERED = "beantwoord", _("Answered")
    CLOSED = "gesloten", _("Closed")


@tracked
class Signal(Versioned):
    """Something a region raises that national level must know or act on, with the answer back."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="signals"
    )
    title = models.CharField(_("signal"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    addressed_to = models.CharField(
        _("addressed to"), max_length=16, choices=NationalPartner.choices
    )
    raised_on = models.DateField(_("raised on"))
    status = models.CharField(
        _("status"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    response = models.TextField(_("response"), max_length=4000, blank=True)

    search_vector = search_field(("title", "A"), ("description", "B"), ("response", "B"))

    class Meta:
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        ordering = ["-raised_on", "pk"]
        indexes = [search_index("signal")]

    def __str__(self) -> str:
        return self.title

    @property
    def awaits_answer(self) -> bool:
        """Open or passed on: the region still waits for national level to answer."""
        return self.status in {SignalStatus.OPEN, SignalStatus.PASSED_ON}

    def clean(self):
        if self.status in {SignalStatus.ANSWERED, SignalStatus.CLOSED} and not self.response:
            raise ValidationError({"response": _("Record the response given to the region.")})


@tracked
class ProductUse(Versioned):
    """A region applying a national instrument: which product version, supported by whom.

    `product_name` is the label shown: the product's name when a version is chosen, or the name
    of an instrument that is not in the catalogue."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="product_uses"
    )
    product_version = models.ForeignKey(
        "innovation.ProductVersion",
        verbose_name=_("product version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="uses",
        limit_choices_to={"status": VersionStatus.PUBLISHED},
    )
    product_name = models.CharField(_("national instrument"), max_length=200)
    applied_on = models.DateField(_("applied on"))
    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialist"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="product_uses",
        limit_choices_to={"role": Role.SPECIALIST},
    )
    supported_by = models.CharField(_("other support"), max_length=200, blank=True)
    notes = models.TextField(_("how it was applied"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("use of a national instrument")
        verbose_name_plural = _("use of national instruments")
        ordering = ["-applied_on", "pk"]
        constraints = [
            # The same instrument applied on the same day with the same specialist (or none) is
            # one use, recorded once.
            models.UniqueConstraint(
                fields=["region", "product_name", "applied_on", "specialist"],
                name="one_use_per_instrument_day",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return self.product_name


@tracked
class Agreement(Versioned):
    """A collaboration agreement between municipalities, SOB and partners."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("title"), max_length=200)
    parties = models.CharField(_("parties"), max_length=300)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)

    search_vector = search_field(("title", "A"), ("summary", "B"), ("parties", "C"))

    class Meta:
        verbose_name = _("collaboration agreement")
        verbose_name_plural = _("collaboration agreements")
        ordering = ["-signed_on", "pk"]
        indexes = [search_index("agreement")]

    def __str__(self) -> str:
        return self.title
