from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.db.models.signals import post_save

        from accounts.oidc import access_requested
        from accounts.sessions import new_browser_sign_in
        from core import jobs
        from core.health import register
        from innovation.models import ProductVersion
        from notifications import receivers
        from notifications.health import LABEL, outbox_probe
        from notifications.models import OutboxMessage
        from specialists.services import deployment_assigned

        jobs.register(OutboxMessage, "notifications.send_message")
        register("mail", LABEL, outbox_probe)
        jobs.job_failed.connect(receivers.on_job_failed, dispatch_uid="notify-job-failed")
        deployment_assigned.connect(
            receivers.on_deployment_assigned, dispatch_uid="notify-deployment-assigned"
        )
        access_requested.connect(receivers.on_access_requested, dispatch_uid="notify-access")
        new_browser_sign_in.connect(
            receivers.on_new_browser_sign_in, dispatch_uid="notify-new-browser"
        )
        post_save.connect(
            receivers.on_version_saved, sender=ProductVersion, dispatch_uid="notify-review"
        )
