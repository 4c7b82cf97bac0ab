"""The API's endpoints about people: specialists and their availability, the advisers'
portfolios, the caller's own notifications, and the partners' contacts who receive the
reports. The access rules are the pages' (api/views.py says how they answer)."""

from collections import defaultdict

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.response import Response

from accounts.models import Role, User
from api import serializers as s
from api.views import ApiView
from dashboard.queries import dashboard_rows
from monitoring.models import Expertise
from notifications.models import Notification, PartnerContact
from regions.models import Handover, Region, StandIn
from specialists.access import PROFILE_READERS, get_specialist_for_user
from specialists.queries import profile_facts, specialist_rows

# The latest handovers the portfolios answer lists (as its page).
HANDOVERS_SHOWN = 50


class SpecialistList(ApiView, ListAPIView):
    """Every maatwerkspecialist with expertise, availability (away now, next away), valid
    certifications and open deployments, as the specialists' page (not for specialists)."""

    roles = PROFILE_READERS
    serializer_class = s.SpecialistSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return []
        expertise = self.request.query_params.get("expertise", "")
        return specialist_rows(self.request.user, timezone.localdate(), expertise)

    @extend_schema(parameters=[OpenApiParameter("expertise", str, enum=Expertise.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SpecialistDetail(ApiView):
    """One specialist's profile: a specialist reads their own, no one else's (404)."""

    serializer_class = s.SpecialistDetailSerializer

    def get(self, request, pk: int):
        specialist = get_specialist_for_user(request, pk)
        return Response(
            self.get_serializer(profile_facts(request.user, specialist, timezone.localdate())).data
        )


class Portfolio(ApiView):
    """Mijn portefeuille: the adviser's own regions with the dashboard's figures, and the
    regions of the advisers they stand in for today."""

    roles = (Role.ADVISER,)
    serializer_class = s.PortfolioSerializer

    def get(self, request):
        today = timezone.localdate()
        stand_ins = list(
            StandIn.objects.filter(
                substitute=request.user, start_date__lte=today, end_date__gte=today
            ).select_related("adviser", "substitute")
        )
        own = Region.objects.filter(adviser=request.user)
        covered = Region.objects.filter(adviser__in=[s.adviser_id for s in stand_ins])
        data = {
            "regions": dashboard_rows(regions=own),
            "standing_in_for": stand_ins,
            "covering": dashboard_rows(regions=covered) if stand_ins else [],
        }
        return Response(self.get_serializer(data).data)


class Portfolios(ApiView):
    """Every adviser's regions, the stand-ins and the latest handovers (programme management,
    who hand regions over)."""

    roles = (Role.PROGRAMME,)
    serializer_class = s.PortfoliosSerializer

    def get(self, request):
        regions = defaultdict(list)
        for region in Region.objects.only("code", "name", "adviser_id").order_by("name"):
            regions[region.adviser_id].append(region)
        advisers = User.objects.filter(role=Role.ADVISER, is_active=True).order_by(
            "first_name", "last_name", "pk"
        )
        data = {
            "advisers": [
                {"adviser": adviser, "regions": regions[adviser.pk]} for adviser in advisers
            ],
            "stand_ins": StandIn.objects.select_related("adviser", "substitute").order_by(
                "start_date", "pk"
            ),
            "handovers": Handover.objects.select_related(
                "region", "from_adviser", "to_adviser", "by"
            )[:HANDOVERS_SHOWN],
        }
        return Response(self.get_serializer(data).data)


class NotificationList(ApiView, ListAPIView):
    """The caller's own notifications, newest first, in the language asked for."""

    serializer_class = s.NotificationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return Notification.objects.none()
        return Notification.objects.filter(recipient=self.request.user).order_by(
            "-created_at", "-pk"
        )


class PartnerContactList(ApiView, ListAPIView):
    """Who at SZW, VNG, Cedris and Divosa receives the published reports (programme
    management keeps the list)."""

    roles = (Role.PROGRAMME,)
    serializer_class = s.PartnerContactSerializer
    queryset = PartnerContact.objects.order_by("organisation", "name", "pk")
