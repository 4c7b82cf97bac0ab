"""What can be discussed, and who reads and writes each discussion.

A discussion follows its record: who may see the record reads its comments (anyone else gets
404); who may change the record, or is a party to it, writes. Per kind of record:

- a region page record (every section, progress updates, dossier documents): read by who sees
  the region (regions/access.py); written by who may change the region (its adviser, a
  stand-in) and by programme management, who steer the regions with their advisers;
- a deployment: read by who sees it (specialists/access.py); written by its specialist, whoever
  requested it, the region's adviser, programme management and the hub;
- a product version: read by who sees it (innovation/access.py: drafts only the hub and
  programme management); written by the hub, the product's owner and the version's author;
- a quarterly report: read by programme management, the hub and advisers (partners never see
  the internal discussion); written by programme management while it is a draft. Reporting
  registers that kind itself (reporting/discussion.py), as it sits above this app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from innovation.access import versions_visible_to
from innovation.models import ProductVersion, VersionStatus
from monitoring.models import RECORD_KINDS, Document, ProgressUpdate
from monitoring.sections import DOCUMENTS, PROGRESS, record_url
from regions.access import ROLES_SEEING_ALL_REGIONS, can_change_region, regions_visible_to
from specialists.access import ASSIGNERS, deployments_visible_to
from specialists.models import DEPLOYED_STATUSES, Deployment

__all__ = ["SUBJECTS", "Subject", "active_users", "get_subject", "register"]

# Who sees a product version before it is published (innovation.access.sees_drafts).
DRAFT_READERS = (Role.HUB, Role.PROGRAMME)


@dataclass(frozen=True)
class Subject:
    key: str  # in the URL: /discussie/processtappen/12/
    label: object  # what kind of record it is, shown above the discussion
    model: type
    visible: Callable[..., QuerySet]  # the records this user may see
    writes: Callable[..., bool]  # (user, record): may this user write here
    readers: Callable[..., QuerySet]  # (record): the active users who may read it
    url: Callable[..., str]  # (record): the record where it is shown
    region: Callable = lambda record: None  # (record): the region it belongs to, if any
    closed: Callable = lambda record: ""  # (record): why no one writes any more, if so

    def record_for(self, user, pk: int):
        return self.visible(user).filter(pk=pk).first()

    def may_write(self, user, record) -> bool:
        """Whether `user` may write here now (post, edit or remove a comment): one of the
        record's writers, while its discussion is not closed."""
        return not self.closed(record) and self.writes(user, record)


def active_users(queryset) -> QuerySet:
    return queryset.filter(is_active=True).exclude(role="")


# Region page records ---------------------------------------------------------------------------


def _region_records(model) -> Callable[..., QuerySet]:
    def visible(user) -> QuerySet:
        return model.objects.select_related("region").filter(region__in=regions_visible_to(user))

    return visible


def _writes_region(user, record) -> bool:
    return user.role == Role.PROGRAMME or can_change_region(user, record.region)


def _region_readers(record) -> QuerySet:
    return active_users(
        User.objects.filter(
            Q(role__in=ROLES_SEEING_ALL_REGIONS)
            | Q(
                role=Role.SPECIALIST,
                deployments__region_id=record.region_id,
                deployments__status__in=DEPLOYED_STATUSES,
            )
        ).distinct()
    )


def _on_region_page(key: str) -> Callable[..., str]:
    """The record on its region's page, on the page that shows it (monitoring's record_url)."""

    def url(record) -> str:
        return record_url(record.region.code, key, record.pk)

    return url


def _region_subject(key: str, model, label) -> Subject:
    return Subject(
        key=key,
        label=label,
        model=model,
        visible=_region_records(model),
        writes=_writes_region,
        readers=_region_readers,
        url=_on_region_page(key),
        region=lambda record: record.region,
    )


# Deployments -----------------------------------------------------------------------------------


def _writes_deployment(user, deployment) -> bool:
    return (
        user.role in ASSIGNERS
        or deployment.specialist_id == user.pk
        or deployment.requested_by_id == user.pk
        or can_change_region(user, deployment.region)
    )


def _deployment_readers(deployment) -> QuerySet:
    return active_users(
        User.objects.filter(
            Q(role__in=(Role.ADVISER, Role.PROGRAMME, Role.HUB)) | Q(pk=deployment.specialist_id)
        )
    )


# Product versions ------------------------------------------------------------------------------


def _writes_version(user, version) -> bool:
    return user.role == Role.HUB or user.pk in {version.product.owner_id, version.created_by_id}


def _version_readers(version) -> QuerySet:
    if version.status == VersionStatus.PUBLISHED:
        roles = (Role.HUB, Role.PROGRAMME, Role.ADVISER, Role.SPECIALIST)
    else:
        roles = DRAFT_READERS
    return active_users(User.objects.filter(role__in=roles))


SUBJECTS: dict[str, Subject] = {
    subject.key: subject
    for subject in (
        *(
            _region_subject(key, kind.model, kind.model._meta.verbose_name)
            for key, kind in RECORD_KINDS.items()
        ),
        _region_subject(PROGRESS, ProgressUpdate, _("progress update")),
        _region_subject(DOCUMENTS, Document, _("document")),
        Subject(
            key="inzet",
            label=Deployment._meta.verbose_name,
            model=Deployment,
            visible=lambda user: deployments_visible_to(user).select_related("region"),
            writes=_writes_deployment,
            readers=_deployment_readers,
            url=lambda deployment: reverse("specialists:detail", args=[deployment.pk]),
            region=lambda deployment: deployment.region,
        ),
        Subject(
            key="productversies",
            label=ProductVersion._meta.verbose_name,
            model=ProductVersion,
            visible=lambda user: versions_visible_to(user).select_related("product"),
            writes=_writes_version,
            readers=_version_readers,
            url=lambda version: (
                f"{reverse('innovation:product', args=[version.product_id])}#version-{version.pk}"
            ),
        ),
    )
}


def register(subject: Subject) -> None:
    """A kind of record discussed, from an app above this one (reporting's reports)."""
    SUBJECTS[subject.key] = subject


def get_subject(key: str) -> Subject | None:
    return SUBJECTS.get(key)
