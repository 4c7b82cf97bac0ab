from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API")

    def ready(self):
        # The OpenAPI description of the token authentication (drf-spectacular finds it by import).
        from api import schema  # noqa: F401
