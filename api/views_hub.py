"""The API's endpoints of the Innovatiehub's pages (development lines, quality criteria,
certifications, the innovation agenda and the knowledge cycle: the hub and programme
management) and the contracted results (as the results page: advisers, programme management
and the hub). The access rules are the pages' (api/views.py says how they answer)."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from accounts.models import Role
from api import serializers as s
from api.views import ApiView
from core.params import int_or_none
from dashboard.results import compute_indicators
from innovation.access import AGENDA_ROLES
from innovation.models import AgendaItem, Certification, Insight, ProductVersion, QualityCriterion
from innovation.queries import development_lines_overview, mark_expiry
from regions.models import Region

# The development lines, criteria and certifications pages: the hub and programme management.
HUB_PAGE_ROLES = (Role.HUB, Role.PROGRAMME)
RESULTS_ROLES = (Role.PROGRAMME, Role.HUB, Role.ADVISER)


def _versions():
    return ProductVersion.objects.select_related("product").order_by("product__name", "-pk")


class DevelopmentLineList(ApiView, ListAPIView):
    """Ontwikkellijnen with their products: delivered (a published version) and applied
    (regions using them), and whether the line counts for result B4."""

    roles = HUB_PAGE_ROLES
    serializer_class = s.DevelopmentLineSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return []
        lines, _unlined = development_lines_overview()
        for line in lines:
            line.all_products = list(line.products.all())
        return lines


class CriterionList(ApiView, ListAPIView):
    """The quality framework's criteria every product version is reviewed against."""

    roles = HUB_PAGE_ROLES
    serializer_class = s.CriterionSerializer
    queryset = QualityCriterion.objects.order_by("name", "pk")


class CertificationList(ApiView, ListAPIView):
    """Train-de-trainer certifications, soonest expiry first, marked expired or expiring."""

    roles = HUB_PAGE_ROLES
    serializer_class = s.CertificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return []
        certifications = Certification.objects.select_related(
            "specialist", "version__product"
        ).order_by("expires_on", "pk")
        return mark_expiry(certifications, timezone.localdate())


class AgendaItemList(ApiView, ListAPIView):
    """The innovation agenda 2026-2027 with the insights that motivate each item and the
    product versions it led to."""

    roles = AGENDA_ROLES
    serializer_class = s.AgendaItemSerializer

    def get_queryset(self):
        return (
            AgendaItem.objects.select_related("owner", "development_line")
            .prefetch_related("insights", Prefetch("product_versions", _versions()))
            .order_by(*AgendaItem._meta.ordering, "pk")
        )


class CycleParameters(serializers.Serializer):
    signal = serializers.IntegerField(required=False, help_text="Insights from this signal.")
    version = serializers.IntegerField(
        required=False, help_text="Insights that led to this product version."
    )


class InsightList(ApiView, ListAPIView):
    """Kenniscyclus: each insight with the regional signals it is drawn from and the agenda
    items (and their product versions) it motivates; narrowed to one signal or version."""

    roles = AGENDA_ROLES
    serializer_class = s.InsightSerializer

    def get_queryset(self):
        insights = Insight.objects.prefetch_related(
            "signals__region",
            Prefetch(
                "agenda_items",
                AgendaItem.objects.prefetch_related(Prefetch("product_versions", _versions())),
            ),
        ).order_by("-created_at", "-pk")
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return insights.none()
        params = CycleParameters(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        if "signal" in params.validated_data:
            insights = insights.filter(signals__pk=params.validated_data["signal"]).distinct()
        if "version" in params.validated_data:
            insights = insights.filter(
                agenda_items__product_versions__pk=params.validated_data["version"]
            ).distinct()
        return insights

    @extend_schema(parameters=[CycleParameters])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Results(ApiView):
    """Every contracted result computed from the records, with its target, whether it is met
    and the first records that count; for one adviser's portfolio with `?adviser=`."""

    roles = RESULTS_ROLES
    serializer_class = s.IndicatorSerializer

    @extend_schema(
        parameters=[OpenApiParameter("adviser", int, description="The adviser's user id.")],
        responses=s.IndicatorSerializer(many=True),
    )
    def get(self, request):
        regions = Region.objects.all()
        adviser = int_or_none(request.query_params.get("adviser"))
        if adviser is not None:
            regions = regions.filter(adviser_id=adviser)
        indicators = compute_indicators(regions, timezone.localdate())
        return Response(self.get_serializer(indicators, many=True).data)
