from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for `make demo`: personas for every role and a varied state of every region.
    It stands on top of every app and nothing imports it."""

    name = "demo"
    verbose_name = _("Demo data")
