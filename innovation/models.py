import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.files import StoredFile, StoredFileManager
from core.records import RowVersioned, Versioned, tracked
from core.search import search_field, search_index
from core.uploads import extension_for


@tracked
class DevelopmentLine(Versioned):
    """An ontwikkellijn: a line of national products (e.g. governance, financiën).

    The hub records when the line was delivered and when it was applied nationally; results
    indicator B4 counts the lines with both dates (dashboard/results.py)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    applied_nationally_on = models.DateField(_("applied nationally on"), null=True, blank=True)

    class Meta:
        verbose_name = _("development line")
        verbose_name_plural = _("development lines")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProductKind(models.TextChoices):
    PRODUCT = "product", _("Product")
    FORMAT = "format", _("Format")
    SCAN = "scan", _("Scan")
    METHOD = "werkvorm", _("Working method")
    MODULE = "ontwikkelmodule", _("Development module")


@tracked
class Product(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProductKind.choices)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    development_line = models.ForeignKey(
        DevelopmentLine,
        verbose_name=_("development line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
    )

    search_vector = search_field(("name", "A"), ("description", "B"))

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        indexes = [search_index("product")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("innovation:product", args=[self.pk])


class VersionStatus(models.TextChoices):
    DRAFT = "concept", _("Draft")
    PUBLISHED = "gepubliceerd", _("Published")


@tracked
class ProductVersion(models.Model):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="versions"
    )
    label = models.CharField(_("version"), max_length=20)
    notes = models.TextField(_("what changed"), max_length=4000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text=_("The version's author, who may not review it (four eyes)."),
    )

    class Meta:
        verbose_name = _("product version")
        verbose_name_plural = _("product versions")
        ordering = ["product__name", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "label"], name="one_label_per_product")
        ]

    Status = VersionStatus  # for templates: {% if version.status == version.Status.PUBLISHED %}

    def __str__(self) -> str:
        return f"{self.product} {self.label}"


def _version_document_name(instance, filename: str) -> str:
    # Stored under MEDIA_ROOT (no URL route) with a generated name; served only by the
    # access-checked download view.
    ext = extension_for(instance.content_type)
    return f"producten/{instance.version.product_id}/{uuid.uuid4().hex}{ext}"


@tracked
class VersionDocument(StoredFile):
    """A document of a product version (manual, format, trainer material)."""

    version = models.ForeignKey(
        ProductVersion,
        verbose_name=_("product version"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    file = models.FileField(_("file"), upload_to=_version_document_name, max_length=200)

    search_vector = search_field(("title", "A"), ("original_name", "B"), ("text", "C"))

    objects = StoredFileManager()

    class Meta:
        verbose_name = _("product document")
        verbose_name_plural = _("product documents")
        ordering = ["title", "pk"]
        indexes = [search_index("versiondocument")]


@tracked
class QualityCriterion(models.Model):
    """One criterion of the kwaliteitskader; every active criterion must pass before publishing."""

    name = models.CharField(_("criterion"), max_length=200, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("quality criterion")
        verbose_name_plural = _("quality criteria")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@tracked
class Review(models.Model):
    """The judgement of one version against one criterion; the latest judgement counts."""

    version = models.ForeignKey(
        ProductVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="reviews"
    )
    criterion = models.ForeignKey(
        QualityCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("explanation"), max_length=2000, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.version} · {self.criterion}"


@tracked
class Certification(RowVersioned):
    """Train-de-trainer: a specialist qualified to deliver a product version.

    `version` is the product version, so the edit counter is `row_version` (RowVersioned)."""

    specialist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("specialist"),
        on_delete=models.CASCADE,
        related_name="certifications",
        limit_choices_to={"role": "maatwerkspecialist"},
    )
    version = models.ForeignKey(
        ProductVersion,
        verbose_name=_("product version"),
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    certified_on = models.DateField(_("certified on"))
    expires_on = models.DateField(_("expires on"))

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["expires_on"]
        constraints = [
            # A specialist is qualified for a version once; a renewal changes its dates.
            models.UniqueConstraint(
                fields=["specialist", "version"], name="one_certification_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.specialist} · {self.version}"


@tracked
class Insight(models.Model):
    """An insight drawn from regional signals: the first step of the knowledge cycle."""

    title = models.CharField(_("insight"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    signals = models.ManyToManyField(
        "monitoring.Signal",
        verbose_name=_("regional signals"),
        related_name="insights",
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    search_vector = search_field(("title", "A"), ("description", "B"))

    class Meta:
        verbose_name = _("insight")
        verbose_name_plural = _("insights")
        ordering = ["-created_at", "-pk"]
        indexes = [search_index("insight")]

    def __str__(self) -> str:
        return self.title


class Priority(models.TextChoices):
    HIGH = "hoog", _("High")
    MEDIUM = "midden", _("Medium")
    LOW = "laag", _("Low")


class AgendaStatus(models.TextChoices):
    PLANNED = "gepland", _("Planned")
    ACTIVE = "lopend", _("In progress")
    DONE = "afgerond", _("Done")


QUARTER_CHOICES = [(f"{y}-Q{q}", f"{y} Q{q}") for y in (2026, 2027) for q in (1, 2, 3, 4)]


@tracked
class AgendaItem(Versioned):
    """A priority on the innovation agenda 2026-2027; the hub corrects it with a version check."""

    title = models.CharField(_("agenda item"), max_length=200)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start_quarter = models.CharField(_("from quarter"), max_length=7, choices=QUARTER_CHOICES)
    end_quarter = models.CharField(_("until quarter"), max_length=7, choices=QUARTER_CHOICES)
    status = models.CharField(
        _("status"), max_length=10, choices=AgendaStatus.choices, default=AgendaStatus.PLANNED
    )
    development_line = models.ForeignKey(
        DevelopmentLine,
        verbose_name=_("development line"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    insights = models.ManyToManyField(
        Insight, verbose_name=_("insights"), related_name="agenda_items", blank=True
    )
    product_versions = models.ManyToManyField(
        ProductVersion,
        verbose_name=_("product versions"),
        related_name="agenda_items",
        blank=True,
    )

    search_vector = search_field(("title", "A"))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["start_quarter", "priority", "title"]
        indexes = [search_index("agendaitem")]
        constraints = [
            # One item per priority: the same title (in any case) is the same item.
            models.UniqueConstraint(Lower("title"), name="one_agenda_item_per_title")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start_quarter and self.end_quarter and self.end_quarter < self.start_quarter:
            raise ValidationError({"end_quarter": _("The planning ends before it starts.")})
