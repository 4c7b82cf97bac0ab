import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("regiomonitor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.celeryd_init.connect
def warm_up_worker(sender=None, options=None, **kwargs):
    """A worker loads what its queues need before forking its pool processes
    (settings.WORKER_WARM_UP): the pdf worker loads WeasyPrint once, as it runs one pool
    process per render (`--max-tasks-per-child 1`, see README)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    queues = (options or {}).get("queues") or []
    if isinstance(queues, str):
        queues = queues.split(",")
    for queue in queues:
        if queue in settings.WORKER_WARM_UP:
            import_string(settings.WORKER_WARM_UP[queue])()
