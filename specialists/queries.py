"""Reads that feed the specialists' pages and the API: the list of specialists with their
availability, and one specialist's profile, each as the reader may see it."""

from datetime import timedelta

from django.db.models import Count, Prefetch, Q

from innovation.models import Certification
from innovation.queries import mark_expiry
from monitoring.models import Expertise, ProductUse
from regions.access import regions_visible_to
from specialists.access import deployments_visible_to, specialists_visible_to
from specialists.models import DeploymentStatus, Unavailability

__all__ = ["OPEN_STATUSES", "profile_facts", "specialist_rows"]

OPEN_STATUSES = (DeploymentStatus.ASSIGNED, DeploymentStatus.ACTIVE)
# The profile lists periods of unavailability that ended up to this many days ago.
PAST_PERIOD_DAYS = 30


def specialist_rows(user, today, expertise: str = "") -> list[dict]:
    """Every specialist `user` may see (with `expertise`, if one is given), with their profile,
    the period they are away now and the next one, and the counts of valid certifications and
    open deployments. Three queries."""
    specialists = (
        specialists_visible_to(user)
        .select_related("specialist_profile")
        .annotate(
            valid_certifications=Count(
                "certifications", filter=Q(certifications__expires_on__gte=today), distinct=True
            ),
            open_deployments=Count(
                "deployments", filter=Q(deployments__status__in=OPEN_STATUSES), distinct=True
            ),
        )
        .prefetch_related(
            Prefetch(
                "specialist_profile__unavailable_periods",
                queryset=Unavailability.objects.filter(end_date__gte=today),
                to_attr="coming_periods",
            )
        )
        .order_by("first_name", "last_name", "pk")
    )
    if expertise in Expertise.values:
        specialists = specialists.filter(specialist_profile__expertise__contains=[expertise])
    rows = []
    for specialist in specialists:
        profile = getattr(specialist, "specialist_profile", None)
        periods = profile.coming_periods if profile else []
        rows.append(
            {
                "specialist": specialist,
                "profile": profile,
                "away_now": next((p for p in periods if p.covers(today)), None),
                "next_away": next((p for p in periods if p.start_date > today), None),
            }
        )
    return rows


def profile_facts(user, specialist, today) -> dict:
    """What one specialist's profile shows `user`: the profile, the periods of unavailability
    (from PAST_PERIOD_DAYS back), the one now, the certifications (marked expired or expiring),
    and the deployments and product uses in what `user` may see."""
    profile = getattr(specialist, "specialist_profile", None)
    periods = (
        list(
            profile.unavailable_periods.filter(
                end_date__gte=today - timedelta(days=PAST_PERIOD_DAYS)
            )
        )
        if profile
        else []
    )
    return {
        "specialist": specialist,
        "profile": profile,
        "today": today,
        "periods": periods,
        "away_now": next((p for p in periods if p.covers(today)), None),
        "certifications": mark_expiry(
            Certification.objects.filter(specialist=specialist).select_related("version__product"),
            today,
        ),
        "deployments": list(
            deployments_visible_to(user)
            .filter(specialist=specialist)
            .select_related("region", "specialist", "route_step")
            .defer("region__svg_path", "region__bbox")
        ),
        "uses": list(
            ProductUse.objects.filter(
                specialist=specialist, region__in=regions_visible_to(user)
            ).select_related("region", "product_version__product")
        ),
    }
