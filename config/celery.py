import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("regiomonitor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.celeryd_init.connect
def warm_up_pdf_worker(sender=None, options=None, **kwargs):
    """A worker serving the pdf queue loads WeasyPrint before forking its pool processes (it
    runs one pool process per render: `--max-tasks-per-child 1`, see README)."""
    from django.conf import settings

    queues = (options or {}).get("queues") or []
    if isinstance(queues, str):
        queues = queues.split(",")
    if settings.PDF_QUEUE in queues:
        from reporting.pdf import warm_up

        warm_up()
