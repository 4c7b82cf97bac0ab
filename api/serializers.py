"""What the API returns: the pages' data as JSON. Read serializers only; writes are validated by
the region page's own forms (monitoring.forms), and the write serializers below describe their
bodies in the schema."""

import html

from django.utils.html import strip_tags
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from innovation.models import Product, ProductVersion
from monitoring.forms import ProgressUpdateForm, RouteStepForm
from monitoring.models import RECORD_KINDS, ProgressUpdate, RouteStep
from reporting.models import JobState, Report
from specialists.models import Deployment

# The record kinds of a region page (monitoring RECORD_KINDS) under their API names. Progress
# updates and route steps have endpoints of their own, which also write.
KIND_PATHS = {
    "fasen": "stages",
    "scenarios": "scenarios",
    "besluiten": "decisions",
    "route-afspraak": "route-agreement",
    "sobs": "sobs",
    "pilots": "pilots",
    "bijeenkomsten": "meetings",
    "signalen": "signals",
    "instrumenten": "instrument-uses",
    "afspraken": "agreements",
}
# Route steps are served (and written) by their own endpoints.
WRITTEN_KINDS = {"processtappen"}


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return str(user)


class _Versioned(serializers.ModelSerializer):
    """Who changed the record last and when, and its version: what a write must send back."""

    updated_by = PersonSerializer(read_only=True, allow_null=True)

    VERSION_FIELDS = ("version", "updated_at", "updated_by")


class ProgressUpdateSerializer(_Versioned):
    author = PersonSerializer(read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = (
            "id",
            "year",
            "quarter",
            "status",
            "narrative",
            "help_needed",
            "author",
            "created_at",
            *_Versioned.VERSION_FIELDS,
        )


class RouteStepSerializer(_Versioned):
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = RouteStep
        fields = (
            "id",
            "order",
            "title",
            "description",
            "parties",
            "expertise",
            "planned_date",
            "actual_date",
            "status",
            "is_late",
            *_Versioned.VERSION_FIELDS,
        )


def _record_serializer(key: str, kind) -> type[serializers.ModelSerializer]:
    """A serializer for one kind of region record: the fields its section shows."""
    meta = type("Meta", (), {"model": kind.model, "fields": ("id", *kind.columns, "version")})
    meta.fields = (*meta.fields, "updated_at", "updated_by")
    return type(f"{kind.model.__name__}Serializer", (_Versioned,), {"Meta": meta})


RECORD_SERIALIZERS = {key: _record_serializer(key, kind) for key, kind in RECORD_KINDS.items()}


def _form_serializer(name: str, form_class) -> type[serializers.Serializer]:
    """The body of a write, for the schema: the form's fields and the version it started from.
    Validation is the form's own (the same rules and messages as the region page)."""
    fields = {}
    for field_name, field in form_class.base_fields.items():
        choices = getattr(field, "choices", None)
        if field_name == "expertise":
            fields[field_name] = serializers.ListField(
                child=serializers.ChoiceField(choices=list(choices)), required=False
            )
        elif choices is not None:
            fields[field_name] = serializers.ChoiceField(
                choices=[c for c in choices if c[0] != ""], required=field.required
            )
        elif field_name.endswith("_date"):
            fields[field_name] = serializers.DateField(required=field.required, allow_null=True)
        elif field_name in ("year", "order"):
            fields[field_name] = serializers.IntegerField(required=field.required)
        else:
            fields[field_name] = serializers.CharField(required=field.required, allow_blank=True)
    fields["version"] = serializers.IntegerField(
        required=False, help_text="The version the change started from (updates and deletes)."
    )
    return type(name, (serializers.Serializer,), fields)


ProgressUpdateWriteSerializer = _form_serializer(
    "ProgressUpdateWriteSerializer", ProgressUpdateForm
)
RouteStepWriteSerializer = _form_serializer("RouteStepWriteSerializer", RouteStepForm)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()


def conflict_serializer(name: str, record_serializer) -> type[serializers.Serializer]:
    return type(
        name,
        (serializers.Serializer,),
        {
            "detail": serializers.CharField(),
            "current": record_serializer(help_text="The stored record, as someone else left it."),
            "sent": serializers.DictField(help_text="What this request sent."),
        },
    )


class ErrorsSerializer(serializers.Serializer):
    """Per field the form's messages; `non_field_errors` for the record as a whole."""

    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class RegionSerializer(serializers.Serializer):
    """A region with the dashboard's figures (dashboard.queries.DashboardRow)."""

    code = serializers.CharField(source="region.code")
    name = serializers.CharField(source="region.name")
    population = serializers.IntegerField(source="region.population")
    adviser = PersonSerializer(source="region.adviser", allow_null=True)
    stage = serializers.CharField(source="stage_value", allow_blank=True)
    status = serializers.CharField(allow_null=True)
    readiness = serializers.CharField()
    late_steps = serializers.IntegerField()
    open_signals = serializers.IntegerField()
    upcoming_decisions = serializers.IntegerField()
    has_quarter_update = serializers.BooleanField(source="freshness.has_quarter_update")
    last_update = serializers.DateTimeField(allow_null=True)
    url = serializers.SerializerMethodField()

    def get_url(self, row) -> str:
        return reverse("api:region", args=[row.region.code], request=self.context.get("request"))


class MunicipalitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class RegionDetailSerializer(RegionSerializer):
    municipalities = serializers.SerializerMethodField()
    records = serializers.SerializerMethodField()

    @extend_schema_field(MunicipalitySerializer(many=True))
    def get_municipalities(self, row) -> list:
        return MunicipalitySerializer(self.context["municipalities"], many=True).data

    @extend_schema_field(serializers.DictField(child=serializers.URLField()))
    def get_records(self, row) -> dict:
        """The addresses of the region's records, per kind."""
        request, code = self.context.get("request"), row.region.code
        names = {"progress-updates": "progress_updates", "route-steps": "route_steps"}
        names |= {path: f"records_{path}" for path in KIND_PATHS.values()}
        return {
            path: reverse(f"api:{name}", args=[code], request=request)
            for path, name in names.items()
        }


class DeploymentSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    requested_by = PersonSerializer(read_only=True)
    specialist = PersonSerializer(read_only=True, allow_null=True)
    spent_hours = serializers.DecimalField(
        source="logged_hours", max_digits=8, decimal_places=2, read_only=True
    )

    class Meta:
        model = Deployment
        fields = (
            "id",
            "region",
            "route_step",
            "expertise",
            "status",
            "request_note",
            "requested_by",
            "requested_at",
            "specialist",
            "start_date",
            "end_date",
            "planned_hours",
            "spent_hours",
        )


class ProductDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    download = serializers.SerializerMethodField()

    def get_download(self, document) -> str:
        return reverse(
            "api:product_document_download",
            args=[document.pk],
            request=self.context.get("request"),
        )


class ProductVersionSerializer(serializers.ModelSerializer):
    documents = ProductDocumentSerializer(many=True, source="shown_documents")

    class Meta:
        model = ProductVersion
        fields = ("id", "label", "status", "notes", "published_at", "documents")


class ProductSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True, allow_null=True)
    development_line = serializers.StringRelatedField()
    versions = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = ("id", "name", "kind", "description", "owner", "development_line", "versions")

    @extend_schema_field(ProductVersionSerializer(many=True))
    def get_versions(self, product) -> list:
        """The versions this reader may see (innovation.access): published ones, or all of them
        for the Innovatiehub and programme management."""
        return ProductVersionSerializer(
            product.shown_versions, many=True, context=self.context
        ).data


def _report_of(snapshot):
    try:
        return snapshot.report
    except Report.DoesNotExist:
        return None


class ReportSerializer(serializers.Serializer):
    """A frozen quarter and its report (reporting.access decides who sees which)."""

    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    label = serializers.CharField()
    frozen_at = serializers.DateTimeField()
    report_status = serializers.SerializerMethodField()
    file_ready = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_report_status(self, snapshot) -> str | None:
        report = _report_of(snapshot)
        return report.status if report else None

    def get_file_ready(self, snapshot) -> bool:
        report = _report_of(snapshot)
        return bool(report and report.state == JobState.DONE and report.file)

    def get_url(self, snapshot) -> str:
        return reverse(
            "api:report",
            args=[snapshot.year, snapshot.quarter],
            request=self.context.get("request"),
        )


class ReportDetailSerializer(ReportSerializer):
    download = serializers.SerializerMethodField()
    size = serializers.SerializerMethodField()
    sha256 = serializers.SerializerMethodField()

    def get_download(self, snapshot) -> str | None:
        """The PDF, for this API's credentials (each download is logged)."""
        if not self.get_file_ready(snapshot):
            return None
        return reverse(
            "api:report_download",
            args=[snapshot.year, snapshot.quarter],
            request=self.context.get("request"),
        )

    def get_size(self, snapshot) -> int | None:
        report = _report_of(snapshot)
        return report.size if report else None

    def get_sha256(self, snapshot) -> str:
        report = _report_of(snapshot)
        return report.sha256 if report else ""


class CountSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class QuarterCountsSerializer(serializers.Serializer):
    quarter = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())


class NationalSerializer(serializers.Serializer):
    """The national picture partners see (/landelijk/): totals only, no region names."""

    region_count = serializers.IntegerField()
    municipality_count = serializers.IntegerField()
    population = serializers.IntegerField()
    status = CountSerializer(many=True)
    readiness = CountSerializer(many=True)
    stages = CountSerializer(many=True)
    status_per_quarter = QuarterCountsSerializer(many=True)


def _absolute(context, url: str) -> str:
    """A page's address (a record link, a notification's target) as an absolute URL."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request and url else url


# --- a region's dossier, history and discussions --------------------------------------------------


class DocumentSerializer(serializers.ModelSerializer):
    """A document in the region's dossier (removed ones are not in it any more)."""

    uploaded_by = PersonSerializer(read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        from monitoring.models import Document

        model = Document
        fields = (
            "id",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "version",
            "download",
        )

    def get_download(self, document) -> str:
        """The file, for this API's credentials."""
        return reverse(
            "api:document_download",
            args=[document.region.code, document.pk],
            request=self.context.get("request"),
        )


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField(allow_blank=True)
    after = serializers.CharField(allow_blank=True)


class HistoryEntrySerializer(serializers.Serializer):
    """One change in the region's history (core.history.HistoryEntry), as its page shows it."""

    at = serializers.DateTimeField()
    who = serializers.CharField()
    action = serializers.CharField(help_text="insert, update, delete or adviser_changed.")
    label = serializers.CharField(help_text="The action in the reader's language.")
    kind = serializers.CharField(source="model_name")
    subject = serializers.CharField(allow_blank=True)
    changes = serializers.SerializerMethodField()
    via = serializers.CharField(allow_blank=True, help_text="An import's file, if so.")

    @extend_schema_field(ChangeSerializer(many=True))
    def get_changes(self, entry) -> list:
        return [
            {"field": str(label), "before": str(before), "after": str(after)}
            for label, before, after in entry.changes
        ]


class CommentSerializer(serializers.Serializer):
    """A comment; a removed one keeps who removed it and when, not what it said."""

    id = serializers.IntegerField()
    author = PersonSerializer()
    body = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    removed_at = serializers.DateTimeField(allow_null=True)
    removed_by = PersonSerializer(allow_null=True)
    version = serializers.IntegerField()

    def get_body(self, comment) -> str:
        return "" if comment.removed else comment.body


# --- specialists ----------------------------------------------------------------------------------


class PeriodSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class _Specialist(serializers.Serializer):
    """A specialist (`specialist`) and their profile (`profile`, None before one is kept)."""

    id = serializers.IntegerField(source="specialist.pk")
    name = serializers.CharField(source="specialist")
    expertise = serializers.ListField(
        child=serializers.CharField(), source="profile.expertise", default=list
    )
    hours_per_week = serializers.IntegerField(
        source="profile.hours_per_week", allow_null=True, default=None
    )
    availability_note = serializers.CharField(source="profile.availability_note", default="")
    away_now = PeriodSerializer(allow_null=True)


class SpecialistSerializer(_Specialist):
    """A maatwerkspecialist with expertise and availability, as the specialists' list."""

    next_away = PeriodSerializer(allow_null=True)
    valid_certifications = serializers.IntegerField(source="specialist.valid_certifications")
    open_deployments = serializers.IntegerField(source="specialist.open_deployments")
    url = serializers.SerializerMethodField()

    def get_url(self, row) -> str:
        return reverse(
            "api:specialist", args=[row["specialist"].pk], request=self.context.get("request")
        )


class CertificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    specialist = PersonSerializer()
    product = serializers.CharField(source="version.product.name")
    product_version = serializers.CharField(source="version.label")
    certified_on = serializers.DateField()
    expires_on = serializers.DateField()
    expired = serializers.BooleanField()
    expiring = serializers.BooleanField(help_text="Expires within 60 days.")


class DeploymentLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.CharField(source="region.code")
    expertise = serializers.CharField()
    status = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, deployment) -> str:
        return reverse("api:deployment", args=[deployment.pk], request=self.context.get("request"))


class SpecialistDetailSerializer(_Specialist):
    """One specialist's profile page: expertise, availability (from 30 days back), their
    certifications and the deployments this reader may see."""

    summary = serializers.CharField(source="profile.summary", default="")
    unavailable = PeriodSerializer(many=True, source="periods")
    certifications = CertificationSerializer(many=True)
    deployments = DeploymentLinkSerializer(many=True)


# --- portfolios and notifications -----------------------------------------------------------------


class RegionLinkSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, region) -> str:
        return reverse("api:region", args=[region.code], request=self.context.get("request"))


class StandInSerializer(serializers.Serializer):
    adviser = PersonSerializer()
    substitute = PersonSerializer()
    start_date = serializers.DateField()
    end_date = serializers.DateField()


class PortfolioSerializer(serializers.Serializer):
    """An adviser's own regions with the dashboard's figures, and those they stand in for."""

    regions = RegionSerializer(many=True)
    standing_in_for = StandInSerializer(many=True)
    covering = RegionSerializer(many=True)


class AdviserPortfolioSerializer(serializers.Serializer):
    adviser = PersonSerializer()
    regions = RegionLinkSerializer(many=True)


class HandoverSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    from_adviser = PersonSerializer(allow_null=True)
    to_adviser = PersonSerializer()
    note = serializers.CharField(allow_blank=True)
    by = PersonSerializer()
    at = serializers.DateTimeField(source="created_at")


class PortfoliosSerializer(serializers.Serializer):
    """Who guides which region, who stands in for whom, and the latest handovers."""

    advisers = AdviserPortfolioSerializer(many=True)
    stand_ins = StandInSerializer(many=True)
    handovers = HandoverSerializer(many=True)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField(source="shown_title")
    text = serializers.CharField(source="shown_text", allow_blank=True)
    url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_url(self, notification) -> str:
        """The record it is about (the page, for people)."""
        return _absolute(self.context, notification.url)


class PartnerContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.CharField()
    name = serializers.CharField()
    email = serializers.EmailField()
    active = serializers.BooleanField(help_text="Receives the published reports.")
    added_at = serializers.DateTimeField()


# --- the Innovatiehub -----------------------------------------------------------------------------


class ProductLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, product) -> str:
        return reverse("api:product", args=[product.pk], request=self.context.get("request"))


class DevelopmentLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    delivered_on = serializers.DateField(allow_null=True)
    applied_nationally_on = serializers.DateField(allow_null=True)
    counts_for_result = serializers.BooleanField(
        help_text="Delivered and applied nationally: counts for result B4."
    )
    regions_using = serializers.IntegerField()
    products = ProductLinkSerializer(many=True, source="all_products")
    delivered_products = ProductLinkSerializer(many=True)
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()
    updated_by = PersonSerializer(allow_null=True)


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    active = serializers.BooleanField()


class InsightLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class VersionLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = ProductLinkSerializer()
    label = serializers.CharField()
    status = serializers.CharField()


class AgendaItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    priority = serializers.CharField()
    owner = PersonSerializer()
    start_quarter = serializers.CharField()
    end_quarter = serializers.CharField()
    status = serializers.CharField()
    development_line = serializers.CharField(source="development_line.name", allow_null=True)
    insights = InsightLinkSerializer(many=True, source="insights.all")
    product_versions = VersionLinkSerializer(many=True, source="product_versions.all")
    version = serializers.IntegerField()


class SignalLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    region = serializers.CharField(source="region.code")
    title = serializers.CharField()
    status = serializers.CharField()


class AgendaLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    product_versions = VersionLinkSerializer(many=True, source="product_versions.all")


class InsightSerializer(serializers.Serializer):
    """A step of the knowledge cycle: the signals it is drawn from, the agenda items it
    motivates and the product versions those led to."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    signals = SignalLinkSerializer(many=True, source="signals.all")
    agenda_items = AgendaLinkSerializer(many=True, source="agenda_items.all")


# --- the contracted results -----------------------------------------------------------------------


class EvidenceSerializer(serializers.Serializer):
    label = serializers.CharField()
    url = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)


class IndicatorSerializer(serializers.Serializer):
    """A contracted result (A1…A10 for the regions, B1…B8 for the Innovatiehub) computed from
    the records, with its target, whether it is met, and the first records that count."""

    key = serializers.CharField()
    seed = serializers.CharField(help_text="000: the regional assignment; 001: the Innovatiehub.")
    result = serializers.CharField()
    measure = serializers.CharField()
    kind = serializers.CharField(help_text="count: value of target; share: regions of target.")
    value = serializers.IntegerField(allow_null=True)
    target = serializers.IntegerField(allow_null=True)
    state = serializers.CharField()
    evidence_count = serializers.IntegerField(source="evidence.count")
    evidence = serializers.SerializerMethodField()

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, indicator) -> list:
        return [
            {**item, "url": _absolute(self.context, item["url"])}
            for item in indicator.evidence.shown
        ]


# --- the user's own work: search, saved views, imports, dossier exports, health ----------------


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.SerializerMethodField()
    snippet = serializers.SerializerMethodField()
    highlighted_title = serializers.CharField(
        source="title", help_text="HTML: the title escaped, the words found in <mark>."
    )
    highlighted_snippet = serializers.CharField(
        source="snippet", help_text="HTML: the snippet escaped, the words found in <mark>."
    )
    place = serializers.CharField(allow_blank=True, help_text="Where the record belongs.")
    url = serializers.SerializerMethodField()

    def get_title(self, hit) -> str:
        return _plain(hit.title)

    def get_snippet(self, hit) -> str:
        return _plain(hit.snippet)

    def get_url(self, hit) -> str:
        """The record's page."""
        return _absolute(self.context, hit.url)


def _plain(marked: str) -> str:
    return html.unescape(strip_tags(marked))


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField(source="kind.key")
    label = serializers.CharField(source="kind.label")
    total = serializers.IntegerField(help_text="Every hit of this kind, not only those listed.")
    hits = SearchHitSerializer(many=True)


class SearchSerializer(serializers.Serializer):
    query = serializers.CharField(allow_blank=True)
    page = serializers.IntegerField(allow_null=True, help_text="With `kind` only.")
    page_size = serializers.IntegerField()
    groups = SearchGroupSerializer(many=True)


class SavedViewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    query = serializers.CharField(allow_blank=True, help_text="The dashboard's query string.")
    description = serializers.CharField(allow_blank=True, help_text="What the view shows.")
    dashboard = serializers.CharField(help_text="The dashboard with this view's filter.")
    regions = serializers.CharField(help_text="The regions list of this API, filtered alike.")
    created_at = serializers.DateTimeField()


class ImportRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ImportRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_title = serializers.CharField()
    region = ImportRegionSerializer(allow_null=True, help_text="Empty for a national import.")
    file_name = serializers.CharField(source="original_name")
    sha256 = serializers.CharField(allow_blank=True)
    phase = serializers.CharField(help_text="controle (checking) or opslaan (saving).")
    state = serializers.CharField()
    total_rows = serializers.IntegerField()
    done_rows = serializers.IntegerField()
    counts = serializers.SerializerMethodField(
        help_text="Rows per action: add, change, same, error."
    )
    refused = serializers.SerializerMethodField(help_text="Why the file was refused, if it was.")
    uploaded_at = serializers.DateTimeField(source="created_at")
    confirmed_at = serializers.DateTimeField(source="applied_at", allow_null=True)
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, run) -> dict:
        # The list annotates them (api.views_work.ImportList) and leaves the rows unread.
        return (run.listed_counts or {}) if hasattr(run, "listed_counts") else run.counts

    def get_refused(self, run) -> str:
        return (run.listed_refused or "") if hasattr(run, "listed_refused") else run.refused

    def get_url(self, run) -> str:
        """Its preview page, where its uploader confirms it."""
        return _absolute(self.context, run.get_absolute_url())


class ImportRowSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="The row in the file (1 is the header).")
    action = serializers.CharField(help_text="add, change, same or error.")
    region = serializers.CharField(allow_blank=True)
    label = serializers.CharField(allow_blank=True)
    changes = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text="[column, before, after] per changed column.",
    )
    errors = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True)),
        help_text="[column, message] per error.",
    )


class ImportRunDetailSerializer(ImportRunSerializer):
    problems = serializers.ListField(child=serializers.CharField(), source="outcome.problems")
    notes = serializers.ListField(child=serializers.CharField(), source="outcome.notes")
    rows = serializers.SerializerMethodField()

    @extend_schema_field(ImportRowSerializer(many=True))
    def get_rows(self, run) -> list:
        return ImportRowSerializer(run.outcome.get("rows", []), many=True).data


class DossierExportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    requested_by = PersonSerializer()
    requested_at = serializers.DateTimeField()
    size = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField(allow_blank=True)
    download = serializers.SerializerMethodField()

    def get_download(self, export) -> str | None:
        """The ZIP, once it is ready; every download is logged."""
        if export.state != JobState.DONE or not export.file:
            return None
        return reverse(
            "api:export_download",
            args=[export.region.code, export.pk],
            request=self.context.get("request"),
        )


class HealthCheckSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField(allow_blank=True)
    millis = serializers.IntegerField()


class HealthSerializer(serializers.Serializer):
    healthy = serializers.BooleanField()
    checks = HealthCheckSerializer(many=True)
