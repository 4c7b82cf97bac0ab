"""Who sees and changes the product line.

The Innovatiehub changes products, versions, reviews, criteria and certifications; programme
management reads everything; advisers and specialists see published versions only; partners
and beheerders see none of it (403 for the pages, 404 for a product they may not know).

Documents of a draft version are the hub's working material: only the hub sees and downloads
them. Documents of a published version are for every catalogue role.

Four eyes (settings.FOUR_EYES): the author of a version (who added it) does not review it; the
page says why instead of showing the review form, and a POST gets 403.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Role
from innovation.models import (
    AgendaItem,
    Insight,
    Product,
    ProductVersion,
    VersionDocument,
    VersionStatus,
)

__all__ = [
    "AGENDA_ROLES",
    "CATALOGUE_ROLES",
    "agenda_items_visible_to",
    "documents_visible_to",
    "get_product_for_user",
    "get_version_document_for_user",
    "insights_visible_to",
    "products_visible_to",
    "review_refusal",
    "sees_drafts",
    "versions_visible_to",
]

CATALOGUE_ROLES = (Role.HUB, Role.PROGRAMME, Role.ADVISER, Role.SPECIALIST)
# The innovation agenda and the knowledge cycle (its insights): the hub and programme management.
AGENDA_ROLES = (Role.HUB, Role.PROGRAMME)


def sees_drafts(user) -> bool:
    return user.role in {Role.HUB, Role.PROGRAMME}


def products_visible_to(user):
    if sees_drafts(user):
        return Product.objects.all()
    if user.role in CATALOGUE_ROLES:
        return Product.objects.filter(versions__status=VersionStatus.PUBLISHED).distinct()
    return Product.objects.none()


def versions_visible_to(user, product=None):
    """The versions of `product` (of every product without one) this user may see."""
    versions = ProductVersion.objects.all()
    if product is not None:
        versions = versions.filter(product=product)
    return versions if sees_drafts(user) else versions.filter(status=VersionStatus.PUBLISHED)


def get_product_for_user(request, pk: int) -> Product:
    products = products_visible_to(request.user).select_related("owner", "development_line")
    return get_object_or_404(products, pk=pk)


def documents_visible_to(user):
    if user.role == Role.HUB:
        return VersionDocument.objects.all()
    if user.role in CATALOGUE_ROLES:
        return VersionDocument.objects.filter(version__status=VersionStatus.PUBLISHED)
    return VersionDocument.objects.none()


def agenda_items_visible_to(user):
    return AgendaItem.objects.all() if user.role in AGENDA_ROLES else AgendaItem.objects.none()


def insights_visible_to(user):
    return Insight.objects.all() if user.role in AGENDA_ROLES else Insight.objects.none()


def get_version_document_for_user(request, pk: int) -> VersionDocument:
    return get_object_or_404(documents_visible_to(request.user), pk=pk)


def review_refusal(version, user) -> str:
    """Why this user may not review the version under the four-eyes rule; "" if they may."""
    if (
        settings.FOUR_EYES
        and version.created_by_id is not None
        and version.created_by_id == user.pk
    ):
        return _(
            "You added this version, so you may not review it yourself (four-eyes principle): "
            "another member of the Innovatiehub reviews it."
        )
    return ""
