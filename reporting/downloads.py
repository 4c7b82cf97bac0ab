"""Handing out a finished report or dossier export: the pages, a partner contact's personal link
and the API all answer with the file and log who downloaded it."""

from django.http import FileResponse, Http404

from reporting.models import DossierExport, JobState, Report
from reporting.services import log_download

__all__ = ["file_download"]

CONTENT_TYPES = {Report: "application/pdf", DossierExport: "application/zip"}


def file_download(job: Report | DossierExport | None, *, user=None, contact=None) -> FileResponse:
    """The job's file as an attachment, its download logged (by a user or a partner contact);
    404 while there is no finished file. Call after the access check."""
    if job is None or job.state != JobState.DONE or not job.file:
        raise Http404
    report = job if isinstance(job, Report) else None
    export = job if isinstance(job, DossierExport) else None
    log_download(user=user, contact=contact, report=report, export=export)
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=CONTENT_TYPES[type(job)],
    )
