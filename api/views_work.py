"""The API's endpoints about the user's own work: search, their saved dashboard views, their
imports, a region's dossier exports, and the health of the services. The access rules are the
pages' (api/views.py says how they answer)."""

from django.db.models import F
from django.db.models.fields.json import KT
from django.http import QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.reverse import reverse

from accounts.models import Role
from api import serializers as s
from api.views import ApiView
from core.health import check_broker, check_database, check_workers, extra_checks, label_of
from core.params import int_or_none
from core.search import MAX_QUERY_LENGTH
from dashboard.models import SavedView
from dashboard.saved import dashboard_url, describe
from dashboard.views import DASHBOARD_ROLES
from imports.access import get_run_for_user, runs_visible_to
from reporting.access import get_export_for_user, region_for_export
from reporting.downloads import file_download
from reporting.models import DossierExport
from search.kinds import SEARCH_ROLES, kinds_for
from search.queries import GROUP_SIZE, PAGE_SIZE, search

# The dashboard's filters under the API's names (api.views._filters).
FILTER_NAMES = {
    "adviseur": "adviser",
    "provincie": "province",
    "fase": "stage",
    "status": "status",
    "gereedheid": "readiness",
}


class Search(ApiView):
    """The header's search: every kind of record the user may see, best hits first, GROUP_SIZE
    of each kind with each kind's total; with `kind`, that kind's hits PAGE_SIZE at a time."""

    roles = SEARCH_ROLES
    serializer_class = s.SearchSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="The words to find."),
            OpenApiParameter(
                "kind", str, description="One kind's hits, paged (`kind` of a group)."
            ),
            OpenApiParameter("page", int),
        ]
    )
    def get(self, request):
        text = request.query_params.get("q", "").strip()
        if len(text) > MAX_QUERY_LENGTH:
            raise exceptions.ValidationError(
                {
                    "q": [
                        _(
                            "Search with at most %(limit)d characters; you typed %(count)d. "
                            "Nothing was searched."
                        )
                        % {"limit": MAX_QUERY_LENGTH, "count": len(text)}
                    ]
                }
            )
        kinds = {kind.key: kind for kind in kinds_for(request.user)}
        kind_key = request.query_params.get("kind", "")
        if kind_key and kind_key not in kinds:
            raise exceptions.ValidationError(
                {"kind": [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(kinds)}]}
            )
        page = max(int_or_none(request.query_params.get("page")) or 1, 1) if kind_key else None
        groups = search(request.user, text, kind_key=kind_key, page=page or 1) if text else []
        data = {
            "query": text,
            "page": page,
            "page_size": PAGE_SIZE if kind_key else GROUP_SIZE,
            "groups": groups,
        }
        return Response(self.get_serializer(data).data)


class SavedViewList(ApiView, ListAPIView):
    """The dashboard views the user saved (their menu), each with the dashboard and this API's
    regions list under its filter."""

    roles = DASHBOARD_ROLES
    serializer_class = s.SavedViewSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return []
        views = list(SavedView.objects.filter(user=self.request.user))
        described = describe([view.query for view in views])
        regions = reverse("api:regions", request=self.request)
        for view in views:
            view.description = described.get(view.query, "")
            view.dashboard = self.request.build_absolute_uri(dashboard_url(view.query))
            view.regions = _with_query(regions, _api_filters(view.query))
        return views


def _api_filters(query: str) -> str:
    params = QueryDict(query)
    api = QueryDict(mutable=True)
    for name, api_name in FILTER_NAMES.items():
        if name in params:
            api[api_name] = params[name]
    return api.urlencode()


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


class ImportList(ApiView, ListAPIView):
    """The user's own imports, newest first: what each file added and changed, or why it was
    refused (who may import: advisers and programme management)."""

    roles = (Role.ADVISER, Role.PROGRAMME)
    serializer_class = s.ImportRunSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return []
        # What the list shows of the outcome, without the rows of a large file.
        return (
            runs_visible_to(self.request.user)
            .defer("outcome")
            .annotate(listed_counts=F("outcome__counts"), listed_refused=KT("outcome__refused"))
        )


class ImportDetail(ApiView):
    """One import with its rows: each error at its row and column, each change from what to
    what; its uploader's only (404 for anyone else)."""

    serializer_class = s.ImportRunDetailSerializer

    def get(self, request, pk: int):
        return Response(self.get_serializer(get_run_for_user(request, pk)).data)


class ExportList(ApiView, ListAPIView):
    """A region's dossier exports, newest first, for who may export its dossier (its adviser,
    programme management); 403 for who only reads the region, 404 for who may not see it."""

    serializer_class = s.DossierExportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return DossierExport.objects.none()
        region = region_for_export(self.request, self.kwargs["code"])
        return DossierExport.objects.filter(region=region).select_related("region", "requested_by")


class ExportDownload(ApiView):
    """The export's ZIP (a PDF/A dossier, the original documents and a manifest); every
    download is logged, as on the page."""

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY, 404: None})
    def get(self, request, code: str, pk: int):
        return file_download(get_export_for_user(request, code, pk), user=request.user)


class Health(ApiView):
    """The health page's checks: database, broker, workers and the jobs waiting (programme
    management and the beheerder, as the page)."""

    roles = (Role.PROGRAMME, Role.ADMIN)
    serializer_class = s.HealthSerializer

    def get(self, request):
        checks = [check_database(), check_broker(), check_workers(), *extra_checks()]
        data = {
            "healthy": all(check.ok for check in checks),
            "checks": [
                {
                    "name": check.name,
                    "label": label_of(check.name),
                    "ok": check.ok,
                    "detail": check.detail,
                    "millis": check.millis,
                }
                for check in checks
            ],
        }
        return Response(self.get_serializer(data).data)
