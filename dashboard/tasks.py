from celery import shared_task

from dashboard import alerts

__all__ = ["watch_readiness"]


@shared_task(name="dashboard.watch_readiness", ignore_result=True)
def watch_readiness() -> None:
    """Celery beat, every quarter of an hour: regions that turned critical."""
    alerts.watch_readiness()
