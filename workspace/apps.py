from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The region pages: the overview, a region's page and history, the portfolios. They draw
    on every domain app (monitoring's sections, the specialists' deployments), so they sit
    above them; the URL names keep the namespace "regions"."""

    name = "workspace"
    verbose_name = _("Workspace")
