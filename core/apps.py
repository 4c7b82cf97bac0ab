from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _is_project_app(config) -> bool:
    path = Path(config.path)
    return path.is_relative_to(Path(settings.BASE_DIR)) and "site-packages" not in path.parts


def _tables(config) -> list[str]:
    return [
        model._meta.db_table
        for model in config.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _uncounted(config) -> list[str]:
    """Tables whose model says its writes are no change to the records (a reader's visits):
    `counts_as_data_change = False`."""
    return [
        model._meta.db_table
        for model in config.get_models()
        if not getattr(model, "counts_as_data_change", True)
    ]


def project_tables() -> list[str]:
    """The tables of the project's own apps (not those of installed packages), with their
    many-to-many tables."""
    return sorted({t for c in apps.get_app_configs() if _is_project_app(c) for t in _tables(c)})


def uncounted_tables() -> list[str]:
    """The project's tables that draw no number from core_data_changes."""
    return sorted({t for c in apps.get_app_configs() if _is_project_app(c) for t in _uncounted(c)})


def count_changes_on_every_table(sender, using="default", **kwargs):
    """After migrate, each project app's tables count their changes: every statement that
    changes one draws a number from core_data_changes (core/migrations/0001_data_changes.py),
    on which a kept page is keyed (core/pagecache.py). Django sends this for every app with
    models, so a new app or table is counted without a list to update; a model that sets
    `counts_as_data_change = False` (a reader's visits, which no kept page shows) is not."""
    if not _is_project_app(sender):
        return
    connection = connections[using]
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    uncounted = set(_uncounted(sender))
    with connection.cursor() as cursor:
        for table in _tables(sender):
            if table in existing and table in uncounted:
                cursor.execute(f"DROP TRIGGER IF EXISTS core_count_change ON {quote(table)}")
            elif table in existing:
                cursor.execute(
                    "CREATE OR REPLACE TRIGGER core_count_change AFTER INSERT OR UPDATE OR DELETE "
                    f"OR TRUNCATE ON {quote(table)} FOR EACH STATEMENT "
                    "EXECUTE FUNCTION core_count_change()"
                )


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        post_migrate.connect(count_changes_on_every_table)
