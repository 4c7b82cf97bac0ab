from celery import shared_task


@shared_task(name="core.echo")
def echo(value: str) -> str:
    """A round trip through the broker and a worker, used by the health page and its test."""
    return value
