"""The task that checks and writes a large import (core/jobs.py: claimed, retried, and never
done twice: a write that was committed is marked in the same transaction)."""

from celery import shared_task

from core import jobs
from imports import services
from imports.models import ImportPhase, ImportRun

__all__ = ["process"]


def _work(run: ImportRun) -> dict:
    if run.phase == ImportPhase.APPLY:
        return {"outcome": services.apply(run)}

    def progress(done: int, total: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(done_rows=done, total_rows=total)

    outcome = services.check(run, progress=progress)
    rows = len(outcome.get("rows", []))
    return {"outcome": outcome, "done_rows": rows, "total_rows": max(rows, run.total_rows)}


@shared_task(bind=True, name="imports.process", ignore_result=True)
def process(self, run_pk: int) -> None:
    jobs.run(self, ImportRun, run_pk, _work)
