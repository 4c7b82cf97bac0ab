"""Reads that feed the Innovatiehub's pages."""

from datetime import timedelta

from django.db.models import Count, Prefetch, Q

from innovation.models import DevelopmentLine, Product, VersionStatus

__all__ = ["EXPIRY_WARNING_DAYS", "development_lines_overview", "mark_expiry"]

# A certification that ends within this many days is shown as expiring soon.
EXPIRY_WARNING_DAYS = 60

PUBLISHED = Q(versions__status=VersionStatus.PUBLISHED)


def _products():
    return (
        Product.objects.select_related("owner")
        .annotate(
            published_versions=Count("versions", filter=PUBLISHED, distinct=True),
            regions_using=Count("versions__uses__region", filter=PUBLISHED, distinct=True),
        )
        .order_by("name")
    )


def development_lines_overview() -> tuple[list[DevelopmentLine], list[Product]]:
    """Every line with its products, each product with its published versions and the number
    of regions using them; plus the products that belong to no line. Three queries."""
    published = Q(products__versions__status=VersionStatus.PUBLISHED)
    lines = list(
        DevelopmentLine.objects.select_related("updated_by")
        .annotate(
            regions_using=Count(
                "products__versions__uses__region", filter=published, distinct=True
            ),
        )
        .prefetch_related(Prefetch("products", queryset=_products()))
    )
    for line in lines:
        products = list(line.products.all())
        line.delivered_products = [p for p in products if p.published_versions]
        # The same rule as results indicator B4: both dates recorded.
        line.counts_for_result = bool(line.delivered_on and line.applied_nationally_on)
    unlined = list(_products().filter(development_line__isnull=True))
    return lines, unlined


def mark_expiry(certifications, today) -> list:
    """The certifications, each marked `expired` (ended before today) or `expiring` (ends
    within EXPIRY_WARNING_DAYS)."""
    certifications = list(certifications)
    soon = today + timedelta(days=EXPIRY_WARNING_DAYS)
    for certification in certifications:
        certification.expired = certification.expires_on < today
        certification.expiring = not certification.expired and certification.expires_on <= soon
    return certifications
