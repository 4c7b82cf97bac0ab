"""Writes for the Innovatiehub. Keep it small."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.files import store_upload
from core.tasks import read_text_later
from innovation.access import review_refusal
from innovation.models import (
    ProductVersion,
    QualityCriterion,
    Review,
    VersionDocument,
    VersionStatus,
)

__all__ = [
    "add_version_document",
    "failing_criteria",
    "latest_reviews",
    "publish_version",
    "record_review",
]


def latest_reviews(version) -> dict[int, Review]:
    latest: dict[int, Review] = {}
    for review in version.reviews.order_by("reviewed_at", "pk"):
        latest[review.criterion_id] = review
    return latest


def failing_criteria(version) -> list[QualityCriterion]:
    """Active criteria this version has not (yet) passed, judged by the latest review."""
    latest = latest_reviews(version)
    return [
        criterion
        for criterion in QualityCriterion.objects.filter(active=True)
        if not (criterion.pk in latest and latest[criterion.pk].passed)
    ]


def record_review(*, version, criterion, passed: bool, note: str, by) -> Review:
    """One judgement of a draft version; refused (PermissionDenied) to its author while the
    four-eyes rule is on."""
    if refusal := review_refusal(version, by):
        raise PermissionDenied(refusal)
    if version.status == VersionStatus.PUBLISHED:
        raise ValidationError(_("A published version is not reviewed again; make a new version."))
    return Review.objects.create(
        version=version, criterion=criterion, passed=passed, note=note, reviewer=by
    )


@transaction.atomic
def publish_version(*, version, by) -> ProductVersion:
    """Publish only when every active criterion passes: enforced here, not only in the page."""
    version = ProductVersion.objects.select_for_update().get(pk=version.pk)
    failing = failing_criteria(version)
    if failing:
        raise ValidationError(
            _("Not published: these criteria have not passed: %(names)s.")
            % {"names": ", ".join(c.name for c in failing)}
        )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    return version


@transaction.atomic
def add_version_document(*, version, title: str, upload, content_type: str, by) -> VersionDocument:
    """Attach an uploaded (already checked) file to a draft version, with its SHA-256.

    A published version was reviewed with the documents it had; it is not changed afterwards."""
    version = ProductVersion.objects.select_for_update().get(pk=version.pk)
    if version.status == VersionStatus.PUBLISHED:
        raise ValidationError(
            _("A published version is not changed; add the document to a new version.")
        )
    document = store_upload(
        VersionDocument(version=version),
        title=title,
        upload=upload,
        content_type=content_type,
        by=by,
    )
    read_text_later(document)  # for search
    return document
