"""The API's endpoints. Thin, as the pages' views are: parse, check access with the same helper
the page calls, query, serialize. The access rules are the pages' own:

- without a (valid) credential: 401;
- a list a role's page does not show it (the regions overview for a partner, the catalogue for a
  beheerder): 403, as the page answers;
- an object the user may not know exists (a region outside a specialist's deployments, any
  region for a partner, a draft report for a partner): 404;
- a write by someone who may see the region but not change it: 403.
"""

import pghistory
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from pghistory.models import Events
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import TemplateHTMLRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import Role
from api import serializers as s
from core.files import download_response
from core.history import history_entries, history_events
from core.records import Conflict, create_record, delete_record, update_record
from dashboard.national import national_figures
from dashboard.queries import STAGES, Filters, dashboard_rows, provinces
from dashboard.readiness import URGENCY
from discussion.models import Comment
from discussion.subjects import get_subject
from innovation.access import (
    CATALOGUE_ROLES,
    documents_visible_to,
    get_product_for_user,
    get_version_document_for_user,
    products_visible_to,
    versions_visible_to,
)
from innovation.models import Product
from monitoring.forms import ProgressUpdateForm, RouteStepForm
from monitoring.models import RECORD_KINDS, Document, ProgressUpdate, RouteStep, Status
from regions.access import can_change_region, get_region_for_user, regions_visible_to
from regions.maps import NO_STATUS
from reporting.access import READ_ROLES, get_snapshot_for_user, snapshots_visible_to
from reporting.downloads import file_download
from reporting.models import Snapshot
from specialists.access import deployments_visible_to, get_deployment_for_user
from specialists.models import Deployment

# The roles each list's page serves (regions overview, deployments, national picture).
REGION_LIST_ROLES = (Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST)
DEPLOYMENT_LIST_ROLES = (Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST)
NATIONAL_ROLES = (Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.PARTNER)


class ApiView(GenericAPIView):
    """Every endpoint: the rate limit is counted before anything else (also for a wrong token,
    so guessing tokens is limited per address), then the page's role rule (`roles`)."""

    roles: tuple = ()

    def perform_authentication(self, request):
        try:
            request.user  # noqa: B018 - authenticates
        except exceptions.AuthenticationFailed:
            self.check_throttles(request)
            raise

    def check_throttles(self, request):
        if getattr(request, "_throttles_checked", False):
            return
        request._throttles_checked = True
        super().check_throttles(request)

    def finalize_response(self, request, response, *args, **kwargs):
        # What a user may see is personal: no cache between them and the app keeps a copy.
        add_never_cache_headers(response)
        return super().finalize_response(request, response, *args, **kwargs)

    def check_permissions(self, request):
        self.check_throttles(request)
        super().check_permissions(request)
        if self.roles and request.user.role not in self.roles:
            self.permission_denied(request, message=_("Your role has no access to this list."))


# --- regions ---------------------------------------------------------------------------------

FILTER_PARAMETERS = [
    OpenApiParameter("adviser", int, description="The regional adviser's user id."),
    OpenApiParameter("province", str, description="A province code (PV20…), as the dashboard."),
    OpenApiParameter("stage", str, enum=[stage.value for stage in STAGES]),
    OpenApiParameter("status", str, enum=[*(s.value for s in Status), NO_STATUS]),
    OpenApiParameter("readiness", str, enum=[r.value for r in URGENCY]),
]


def _filters(params) -> Filters:
    """The dashboard's filters (dashboard.views._parse), under English names."""
    try:
        adviser = int(params.get("adviser", ""))
    except ValueError:
        adviser = None
    return Filters(
        adviser=adviser,
        province=params.get("province", ""),
        stage=params.get("stage", ""),
        status=params.get("status", ""),
        readiness=params.get("readiness", ""),
    )


class RegionList(ApiView, ListAPIView):
    """The regions the user may see (as the regions overview: a specialist those they work in)
    with the dashboard's figures, by name; filtered as the dashboard filters."""

    roles = REGION_LIST_ROLES
    serializer_class = s.RegionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return []
        filters = _filters(self.request.query_params)
        rows = dashboard_rows(regions=regions_visible_to(self.request.user))
        provinces_of = provinces()[1] if filters.province else {}
        return [row for row in rows if filters.matches(row, provinces_of)]

    @extend_schema(parameters=FILTER_PARAMETERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RegionDetail(ApiView):
    serializer_class = s.RegionDetailSerializer

    def get(self, request, code: str):
        region = get_region_for_user(request, code)
        (row,) = dashboard_rows(regions=type(region).objects.filter(pk=region.pk))
        municipalities = region.municipalities.order_by("name").values("code", "name")
        context = self.get_serializer_context() | {"municipalities": list(municipalities)}
        return Response(s.RegionDetailSerializer(row, context=context).data)


# --- a region's records ------------------------------------------------------------------------


class RecordList(ApiView, ListAPIView):
    """One kind of a region's records (monitoring RECORD_KINDS), as its section lists them."""

    kind: str = ""

    def get_serializer_class(self):
        return s.RECORD_SERIALIZERS[self.kind]

    def get_queryset(self):
        model = RECORD_KINDS[self.kind].model
        records = model.objects.select_related("updated_by").order_by(*model._meta.ordering, "pk")
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return records.none()
        return records.filter(region=get_region_for_user(self.request, self.kwargs["code"]))


class DocumentList(ApiView, ListAPIView):
    """The region's dossier: its documents not removed, newest first, as the region page."""

    serializer_class = s.DocumentSerializer

    def get_queryset(self):
        documents = Document.objects.current().select_related("uploaded_by", "region")
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return documents.none()
        region = get_region_for_user(self.request, self.kwargs["code"])
        return documents.filter(region=region).defer("region__svg_path", "region__bbox")


class DocumentDownload(ApiView):
    """A dossier document's file; one removed from the dossier is unknown here (404)."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: None})
    def get(self, request, code: str, pk: int):
        region = get_region_for_user(request, code)
        return download_response(
            get_object_or_404(Document.objects.current(), region=region, pk=pk)
        )


class HistoryParameters(serializers.Serializer):
    kind = serializers.CharField(
        required=False, help_text="One kind of record, as `app.Model` (monitoring.RouteStep)."
    )
    since = serializers.DateField(required=False, help_text="From this day on (inclusive).")
    until = serializers.DateField(required=False, help_text="Up to this day (inclusive).")


class RegionHistory(ApiView, ListAPIView):
    """Every change to the region's records, newest first, as its history page: who made it,
    what changed (before and after) and whether it came through an import."""

    serializer_class = s.HistoryEntrySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return Events.objects.none()
        region = get_region_for_user(self.request, self.kwargs["code"])
        params = HistoryParameters(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return history_events(
            region,
            model=params.validated_data.get("kind", ""),
            since=params.validated_data.get("since"),
            until=params.validated_data.get("until"),
        )

    @extend_schema(parameters=[HistoryParameters])
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        entries = history_entries(list(page))
        return self.get_paginated_response(self.get_serializer(entries, many=True).data)


class Discussion(ApiView, ListAPIView):
    """The comments under a record (discussion/subjects.py: `processtappen`, `signalen`,
    `inzet`, `productversies`, …), oldest first, for whoever may see the record; 404 for
    anyone else and for a kind that does not exist."""

    serializer_class = s.CommentSerializer

    def get_queryset(self):
        comments = Comment.objects.select_related("author", "removed_by")
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return comments.none()
        subject = get_subject(self.kwargs["subject"])
        record = subject and subject.record_for(self.request.user, self.kwargs["pk"])
        if record is None:
            raise Http404
        return comments.filter(subject=subject.key, object_id=record.pk).order_by(
            "created_at", "pk"
        )


def _body(request) -> dict:
    data = request.data
    if not isinstance(data, dict):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("Send a JSON object with the record's fields.")]}
        )
    return data


def _sent_version(request, body: dict) -> int:
    """The version the change started from: in the body, or (for a delete) `?version=`."""
    value = body.get("version", request.query_params.get("version"))
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 18:
        value = int(value)  # a longer one is no version, and past 4300 digits int() refuses
    if isinstance(value, bool) or not isinstance(value, int):
        raise exceptions.ValidationError(
            {
                "version": [
                    _(
                        "Send the version your change started from: the record's “version” "
                        "as you read it."
                    )
                ]
            }
        )
    return value


def _form_data(form_class, body: dict, start: dict | None = None) -> dict:
    """The form's data from a JSON body: only the form's own fields (the region, author and
    version are never taken from it), on top of the stored values for a partial update."""
    data = dict(start or {})
    errors = {}
    for name, field in form_class.base_fields.items():
        if name not in body:
            continue
        value = body[name]
        many = getattr(field.widget, "allow_multiple_selected", False)
        if isinstance(value, dict) or (isinstance(value, list) and not many):
            errors[name] = [_("Give one value here, not a list or an object.")]
        elif (many and not isinstance(value, list | type(None))) or (
            many and any(isinstance(v, dict | list) for v in value or [])
        ):
            errors[name] = [_("Give a list of values here.")]
        elif value is None:
            data[name] = ""
        else:
            # As a form post carries them: text (a number in a date field is then refused with
            # the field's own message, not a crash in its parsing).
            data[name] = [str(v) for v in value] if many else str(value)
    if errors:
        raise exceptions.ValidationError(errors)
    return data


def _errors(form) -> dict:
    return {
        "non_field_errors" if name == "__all__" else name: list(messages)
        for name, messages in form.errors.items()
    }


def _history(request):
    """The audit history's context of an API write: the user (known only once DRF has read
    the token, after pghistory's middleware) and that it came through the API."""
    return pghistory.context(user=request.user.pk, url=request.path, via="api")


class _WrittenRecords(ApiView):
    """A region's progress updates or route steps: read by whoever may see the region, written
    (through the region page's form, so with its rules and messages) by whoever may change it,
    saved with the version check of core.records."""

    model = None
    form_class = None
    related: tuple = ("updated_by",)

    def records(self, region):
        return (
            self.model.objects.filter(region=region)
            .select_related(*self.related)
            .order_by(*self.model._meta.ordering, "pk")
        )

    def writable_region(self, request, code: str):
        """404 for whoever may not see the region, 403 for whoever may only read it."""
        region = get_region_for_user(request, code)
        if not can_change_region(request.user, region):
            self.permission_denied(request, message=_("You may not change this region."))
        return region

    def prepare(self, form, request) -> None:
        """What the page's view sets on a new record besides its form (its author)."""

    def conflict(self, current, body) -> Response:
        return Response(
            {
                "detail": _(
                    "Someone changed this record in the meantime, so nothing was saved. Compare "
                    "the stored version (current) with what you sent, and send your change again "
                    "with the current version if it still holds."
                ),
                "current": self.get_serializer(current).data,
                "sent": body,
            },
            status=status.HTTP_409_CONFLICT,
        )


class _WrittenList(_WrittenRecords, ListAPIView):
    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return self.model.objects.none()
        return self.records(get_region_for_user(self.request, self.kwargs["code"]))

    def post(self, request, code: str):
        region = self.writable_region(request, code)
        form = self.form_class(_form_data(self.form_class, _body(request)), region=region)
        self.prepare(form, request)
        if not form.is_valid():
            return Response(_errors(form), status=status.HTTP_400_BAD_REQUEST)
        with _history(request):
            record = create_record(form=form, by=request.user)
        if record is None:
            return Response(_errors(form), status=status.HTTP_400_BAD_REQUEST)
        record = self.records(region).get(pk=record.pk)
        location = reverse(self.detail_name, args=[region.code, record.pk], request=request)
        return Response(
            self.get_serializer(record).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class _WrittenDetail(_WrittenRecords):
    def get(self, request, code: str, pk: int):
        region = get_region_for_user(request, code)
        return Response(self.get_serializer(get_object_or_404(self.records(region), pk=pk)).data)

    def _update(self, request, code: str, pk: int, *, partial: bool):
        region = self.writable_region(request, code)
        record = get_object_or_404(self.records(region), pk=pk)
        body = _body(request)
        version = _sent_version(request, body)
        names = list(self.form_class.base_fields)
        start = model_to_dict(record, fields=names) if partial else None
        data = _form_data(self.form_class, body, start)
        form = self.form_class(data, instance=record, region=region)
        if not form.is_valid():
            return Response(_errors(form), status=status.HTTP_400_BAD_REQUEST)
        with _history(request):
            result = update_record(form=form, expected_version=version, by=request.user)
        if isinstance(result, Conflict):
            return self.conflict(self.records(region).get(pk=pk), body)
        return Response(self.get_serializer(self.records(region).get(pk=pk)).data)

    def patch(self, request, code: str, pk: int):
        return self._update(request, code, pk, partial=True)

    def put(self, request, code: str, pk: int):
        return self._update(request, code, pk, partial=False)

    def delete(self, request, code: str, pk: int):
        region = self.writable_region(request, code)
        record = get_object_or_404(self.records(region), pk=pk)
        body = request.data if isinstance(request.data, dict) else {}
        version = _sent_version(request, body)
        with _history(request):
            result = delete_record(instance=record, expected_version=version)
        if isinstance(result, Conflict):
            return self.conflict(self.records(region).get(pk=pk), body)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _ProgressUpdates:
    model = ProgressUpdate
    form_class = ProgressUpdateForm
    serializer_class = s.ProgressUpdateSerializer
    related = ("author", "updated_by")
    detail_name = "api:progress_update"

    def prepare(self, form, request) -> None:
        form.instance.author = request.user


class _RouteSteps:
    model = RouteStep
    form_class = RouteStepForm
    serializer_class = s.RouteStepSerializer
    detail_name = "api:route_step"


BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT, description="The form's messages per field (Dutch by default)."
)


def _write_schemas(name: str, read, write, *, detail: bool):
    """The writes' requests and answers for the schema (extend_schema_view copies inherited
    methods, so each class gets its own)."""
    conflict = s.conflict_serializer(f"{name}ConflictSerializer", read)
    refused = {400: BAD_REQUEST, 403: None, 404: None}
    if not detail:
        return extend_schema_view(
            post=extend_schema(request=write, responses={201: read, **refused})
        )
    change = extend_schema(request=write, responses={200: read, **refused, 409: conflict})
    return extend_schema_view(
        patch=change,
        put=change,
        delete=extend_schema(
            request=s.VersionSerializer,
            parameters=[OpenApiParameter("version", int, required=False)],
            responses={204: None, **refused, 409: conflict},
        ),
    )


@_write_schemas(
    "ProgressUpdate", s.ProgressUpdateSerializer, s.ProgressUpdateWriteSerializer, detail=False
)
class ProgressUpdateList(_ProgressUpdates, _WrittenList):
    pass


@_write_schemas(
    "ProgressUpdate", s.ProgressUpdateSerializer, s.ProgressUpdateWriteSerializer, detail=True
)
class ProgressUpdateDetail(_ProgressUpdates, _WrittenDetail):
    pass


@_write_schemas("RouteStep", s.RouteStepSerializer, s.RouteStepWriteSerializer, detail=False)
class RouteStepList(_RouteSteps, _WrittenList):
    pass


@_write_schemas("RouteStep", s.RouteStepSerializer, s.RouteStepWriteSerializer, detail=True)
class RouteStepDetail(_RouteSteps, _WrittenDetail):
    pass


# --- deployments, products, reports, the national picture --------------------------------------


class DeploymentList(ApiView, ListAPIView):
    """Deployments as specialists/access.py allows: all for advisers, programme management and
    the hub; a specialist their own."""

    roles = DEPLOYMENT_LIST_ROLES
    serializer_class = s.DeploymentSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return Deployment.objects.none()
        return (
            deployments_visible_to(self.request.user)
            .select_related("region", "specialist", "requested_by")
            .order_by("-requested_at", "-pk")
        )


class DeploymentDetail(ApiView):
    serializer_class = s.DeploymentSerializer

    def get(self, request, pk: int):
        return Response(self.get_serializer(get_deployment_for_user(request, pk)).data)


def _shown_versions(user, product=None):
    """The versions this reader may see, each with the documents they may download (a draft's
    only for the hub)."""
    documents = documents_visible_to(user).order_by("title", "pk")
    return (
        versions_visible_to(user, product)
        .order_by("-pk")
        .prefetch_related(Prefetch("documents", documents, to_attr="shown_documents"))
    )


def _with_versions(products, user):
    versions = _shown_versions(user)
    return products.prefetch_related(Prefetch("versions", versions, to_attr="shown_versions"))


class ProductList(ApiView, ListAPIView):
    """The product catalogue (innovation/access.py): published versions, or all of them for the
    Innovatiehub and programme management."""

    roles = CATALOGUE_ROLES
    serializer_class = s.ProductSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return Product.objects.none()
        products = products_visible_to(self.request.user).select_related(
            "owner", "development_line"
        )
        return _with_versions(products.order_by("name", "pk"), self.request.user)


class ProductDetail(ApiView):
    serializer_class = s.ProductSerializer

    def get(self, request, pk: int):
        product = get_product_for_user(request, pk)
        product.shown_versions = list(_shown_versions(request.user, product))
        return Response(self.get_serializer(product).data)


class ProductDocumentDownload(ApiView):
    """A product version's document: a published version's for every catalogue role, a
    draft's only for the hub (404 for anyone else), as on the product page."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: None})
    def get(self, request, pk: int):
        return download_response(get_version_document_for_user(request, pk))


class ReportList(ApiView, ListAPIView):
    """Frozen quarters and their reports (reporting/access.py): a partner sees published
    reports only."""

    roles = READ_ROLES
    serializer_class = s.ReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return Snapshot.objects.none()
        return snapshots_visible_to(self.request.user).order_by("-year", "-quarter")


class ReportDetail(ApiView):
    roles = READ_ROLES
    serializer_class = s.ReportDetailSerializer

    def get(self, request, year: int, quarter: int):
        snapshot = get_snapshot_for_user(request, year, quarter)
        return Response(self.get_serializer(snapshot).data)


class ReportDownload(ApiView):
    """The report's PDF; every download is logged, as on the page."""

    roles = READ_ROLES

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: None})
    def get(self, request, year: int, quarter: int):
        snapshot = get_snapshot_for_user(request, year, quarter)
        return file_download(s._report_of(snapshot), user=request.user)


class National(ApiView):
    """The national picture (/landelijk/): totals and counts, no region names."""

    roles = NATIONAL_ROLES
    serializer_class = s.NationalSerializer

    def get(self, request):
        figures = national_figures(timezone.localdate())

        def counts(items):
            return [{"key": key, "label": label, "count": n} for key, label, n in items]

        data = {
            "region_count": figures.region_count,
            "municipality_count": figures.municipality_count,
            "population": figures.population,
            "status": counts(figures.status),
            "readiness": counts(figures.readiness),
            "stages": counts(figures.stages),
            "status_per_quarter": [
                {"quarter": label, "counts": values} for label, values in figures.status_per_quarter
            ],
        }
        return Response(self.get_serializer(data).data)


# --- the schema and its documentation page ------------------------------------------------------


class Schema(ApiView, SpectacularAPIView):
    """The OpenAPI 3 schema, for signed-in users and token holders."""


class Docs(ApiView, SpectacularSwaggerSplitView):
    """Swagger UI from the app's own static files (drf-spectacular-sidecar), in the site's
    layout with a Dutch introduction. Its start-up script is a separate request (`?script`),
    so the Content-Security-Policy needs no inline script. Anonymous visitors go to the log-in."""

    renderer_classes = [TemplateHTMLRenderer]
    template_name = "api/docs.html"
    url_name = "api:schema"
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if request.GET.get("script") is None and not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        response = super().get(request, *args, **kwargs)
        if request.GET.get("script") is None:
            response.data["tokens_url"] = reverse("profile:index")
        return response
