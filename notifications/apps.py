from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from core import jobs
        from core.health import register
        from notifications.health import LABEL, outbox_probe
        from notifications.models import OutboxMessage

        jobs.register(OutboxMessage, "notifications.send_message")
        register("mail", LABEL, outbox_probe)
