"""What the other apps announce and who is told of it (connected in NotificationsConfig.ready):
a specialist assigned to a deployment, a new product version waiting for review, a job that
failed for good. Each is told in the transaction of the event, under a key that makes telling
it twice impossible."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from notifications.models import Delivery, MessageKind, OutboxMessage
from notifications.services import notify, notify_everyone

__all__ = [
    "on_access_requested",
    "on_deployment_assigned",
    "on_job_failed",
    "on_new_browser_sign_in",
    "on_version_saved",
]


def on_deployment_assigned(sender, deployment, by=None, **kwargs):
    def text():
        parts = [
            _("Assigned by %(name)s.") % {"name": by} if by else "",
            _("Planned: %(hours)s hours.") % {"hours": formats.localize(deployment.planned_hours)}
            if deployment.planned_hours
            else "",
        ]
        return " ".join(part for part in parts if part)

    notify(
        deployment.specialist,
        MessageKind.DEPLOYMENT,
        key=f"deployment:{deployment.pk}:{deployment.specialist_id}",
        title=lambda: (
            _("You are assigned: %(expertise)s in %(region)s")
            % {"expertise": deployment.get_expertise_display(), "region": deployment.region}
        ),
        text=text,
        url=reverse("specialists:detail", args=[deployment.pk]),
    )


def on_version_saved(sender, instance, created, **kwargs):
    """A new draft version waits for the quality review of the hub's other members (its author
    may not review it: four eyes)."""
    if not created or instance.status != instance.Status.DRAFT:
        return
    author = instance.created_by
    notify_everyone(
        MessageKind.REVIEW,
        exclude=author,
        key=f"review:{instance.pk}",
        title=lambda: _("%(version)s waits for review") % {"version": instance},
        text=lambda: _("Added by %(name)s.") % {"name": author} if author else "",
        url=instance.product.get_absolute_url(),
    )


def on_job_failed(sender, job, **kwargs):
    """Programme management and the administrator are told of a job that failed for good. A
    failed e-mail is told only in the application: an e-mail about it would likely fail too."""
    # A report or export opens its own page; anything else (an e-mail) the health page, which
    # both roles may open and which counts what failed.
    url = job.get_absolute_url() if hasattr(job, "get_absolute_url") else reverse("core:health")
    notify_everyone(
        MessageKind.JOB_FAILED,
        key=f"failed:{job._meta.label_lower}:{job.pk}:{job.queued_at.isoformat()}",
        title=lambda: _("Failed: %(job)s") % {"job": job},
        text=lambda: f"{job._meta.verbose_name}: {job.error}",
        url=url,
        deliveries=(Delivery.APP,) if isinstance(job, OutboxMessage) else None,
    )


def on_access_requested(sender, user, **kwargs):
    """Someone signed in through their organisation for the first time and has no role yet:
    the beheerders give one (their user page in the admin)."""
    notify_everyone(
        MessageKind.ACCESS,
        key=f"access:{user.pk}",
        title=lambda: _("%(name)s waits for access") % {"name": user.get_full_name() or user},
        text=lambda: (
            _(
                "Signed in through their organisation with %(email)s and has no role yet. Give "
                "them a role on their user page."
            )
            % {"email": user.email}
        ),
        url=reverse("admin:accounts_user_change", args=[user.pk]),
    )


def on_new_browser_sign_in(sender, user, sign_in, **kwargs):
    """A log-in from a browser the user has not used before: told at once, by e-mail too, so a
    stolen password or session shows (the user may choose the app only)."""
    at = timezone.localtime(sign_in.created_at)
    notify(
        user,
        MessageKind.SIGN_IN,
        key=f"sign-in:{sign_in.pk}",
        title=lambda: _("New log-in to Regiomonitor from another browser"),
        text=lambda: (
            _(
                "On %(when)s someone logged in as you from a browser not used before (%(browser)s, "
                "address %(address)s). Was that not you? End that session on the page “Security” "
                "and change your password, or tell your organisation."
            )
            % {
                "when": formats.date_format(at, "DATETIME_FORMAT"),
                "browser": sign_in.browser or sign_in.user_agent[:120] or "?",
                "address": sign_in.ip_address or "?",
            }
        ),
        url=reverse("accounts:security"),
    )
