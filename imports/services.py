"""An import from upload to confirmation.

`start` reads the upload, stores it unless it is refused (a refused file is never kept), and
checks it: at once for a small file, by a Celery task (`imports.tasks.process`) for one of more
than IMPORT_SYNC_ROWS rows, while the page shows its progress. `confirm` writes the plan in one
transaction (again by the task for a large file): every row is checked once more against what
is stored now, and if anything differs from the preview the user confirmed (someone changed a
record meanwhile) nothing is written and the new preview is shown. The audit history of every
record written names the import, its file and who ran it (the pghistory context).
"""

import uuid

import pghistory
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs
from core.hashing import sha256_hex
from core.jobs import JobState
from core.records import Conflict, create_record, update_record
from imports.checking import ADD, CHANGE, check_table
from imports.kinds import KINDS
from imports.models import ImportPhase, ImportRun
from imports.reading import Refused, read_table
from regions.models import Region
from regions.services import handover_portfolio
from specialists.services import request_deployment

__all__ = ["check", "confirm", "start"]


class _Stale(Exception):
    """The stored records differ from the preview: write nothing."""


def _read(run: ImportRun):
    with run.file.open("rb") as handle:
        return read_table(handle, run.original_name)


def start(*, upload, kind: str, region: Region | None, by) -> ImportRun:
    run = ImportRun(
        created_by=by,
        region=region,
        kind=kind,
        original_name=upload.name[:255],
        sha256=sha256_hex(upload),
    )
    # Read before storing: a refused file (too large, a compression bomb, not a spreadsheet)
    # is never written under MEDIA_ROOT; its run keeps the name, hash and reason, no file.
    try:
        table = read_table(upload, upload.name)
    except Refused as refused:
        return _finish(run, {"refused": str(refused)})
    extension = ".csv" if upload.name.lower().endswith(".csv") else ".xlsx"
    run.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
    run.state = JobState.RUNNING
    run.save()
    run.total_rows = len(table.rows)
    if run.total_rows > settings.IMPORT_SYNC_ROWS:
        run.state = JobState.QUEUED
        run.save(update_fields=["total_rows", "state"])
        jobs.enqueue(run)
        return run
    return _finish(run, check(run, table=table), done_rows=run.total_rows)


def _finish(run: ImportRun, outcome: dict, **fields) -> ImportRun:
    run.outcome = outcome
    run.state = JobState.DONE
    run.finished_at = timezone.now()
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()
    return run


def check(run: ImportRun, table=None, progress=None) -> dict:
    """The plan for the run's file, as stored in `outcome`."""
    if table is None:
        try:
            table = _read(run)
        except Refused as refused:
            return {"refused": str(refused)}
    plan = check_table(
        KINDS[run.kind], table, user=run.created_by, region=run.region, progress=progress
    )
    return plan.as_json()


def confirm(run: ImportRun) -> bool:
    """Write the checked plan (or hand it to the task); False when it was confirmed before or
    cannot be. Compare-and-set, so a double click writes once."""
    if not run.can_confirm:
        return False
    large = run.total_rows > settings.IMPORT_SYNC_ROWS
    claimed = ImportRun.objects.filter(
        pk=run.pk, phase=ImportPhase.CHECK, state=JobState.DONE, applied_at__isnull=True
    ).update(
        phase=ImportPhase.APPLY,
        state=JobState.QUEUED if large else JobState.RUNNING,
        attempts=0,
        task_id="",
        queued_at=timezone.now(),
        sent_at=None,
        done_rows=0,
    )
    if not claimed:
        return False
    run.refresh_from_db()
    if large:
        transaction.on_commit(lambda: jobs.send(ImportRun, run.pk))
        return True
    _finish(run, apply(run))
    return True


def apply(run: ImportRun) -> dict:
    """Write the run's plan in one transaction and mark it applied in the same one; the outcome
    to store. A plan that no longer holds writes nothing and comes back as a new preview."""
    if run.applied_at is not None:
        return run.outcome  # done by an earlier run of the task whose worker then died
    kind = KINDS[run.kind]
    planned = run.outcome
    try:
        with (
            transaction.atomic(),
            pghistory.context(
                user=run.created_by_id,
                url=run.get_absolute_url(),
                import_run=run.pk,
                import_file=run.original_name,
            ),
        ):
            fresh = check(run)
            if _differs(planned, fresh):
                raise _Stale
            written = _write(kind, run, fresh["rows"])
            now = timezone.now()
            fresh["applied"] = written
            ImportRun.objects.filter(pk=run.pk).update(applied_at=now, outcome=fresh)
            run.applied_at = now
    except _Stale:
        fresh = check(run)
        fresh["stale"] = True
        _back_to_preview(run)
        return fresh
    return fresh


def _back_to_preview(run: ImportRun) -> None:
    run.phase = ImportPhase.CHECK
    ImportRun.objects.filter(pk=run.pk).update(phase=ImportPhase.CHECK)


def _differs(planned: dict, fresh: dict) -> bool:
    def summary(outcome):
        return [
            (r["number"], r["action"], r["region"], r["pk"], r["version"], r["data"])
            for r in outcome.get("rows", [])
        ]

    return bool(fresh.get("refused") or fresh.get("problems")) or summary(planned) != summary(fresh)


def _write(kind, run: ImportRun, rows: list[dict]) -> dict:
    regions = {r.code: r for r in Region.objects.defer("svg_path", "bbox")}
    by = run.created_by
    added = changed = 0
    handovers: dict[str, list[Region]] = {}
    for row in rows:
        if row["action"] not in (ADD, CHANGE):
            continue
        region = regions[row["region"]]
        if kind.key == "portefeuilles":
            handovers.setdefault(row["data"]["adviser"], []).append(region)
            changed += 1
            continue
        if kind.key == "inzetaanvragen":
            step = region.route_steps.filter(title=row["data"]["route_step"]).first()
            request_deployment(
                region=region,
                expertise=row["data"]["expertise"],
                route_step=step if row["data"]["route_step"] else None,
                note=row["data"]["request_note"],
                by=by,
            )
            added += 1
            continue
        instance = None
        if row["action"] == CHANGE:
            instance = kind.model.objects.get(pk=row["pk"])
        form = kind.build_form(row["data"], region=region, instance=instance)
        if not form.is_valid():
            raise _Stale
        if row["action"] == ADD:
            if kind.key == "voortgang":
                form.instance.author = by
            if create_record(form=form, by=by) is None:
                raise _Stale
            added += 1
        else:
            if isinstance(
                update_record(form=form, expected_version=row["version"], by=by), Conflict
            ):
                raise _Stale
            changed += 1
    if handovers:
        from accounts.models import User

        note = _("Import of %(file)s") % {"file": run.original_name}
        for username, chosen in handovers.items():
            handover_portfolio(
                to_adviser=User.objects.get(username=username), regions=chosen, by=by, note=note
            )
    return {"added": added, "changed": changed}
