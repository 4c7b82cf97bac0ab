"""Quarterly snapshots and reports, and dossier exports. Thin views: access, parse, service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

from accounts.models import Role
from core.access import require_roles
from core.params import int_or_none, posted
from notifications.models import PartnerContact
from reporting import services
from reporting.access import (
    READ_ROLES,
    approval_refusal,
    can_manage_reports,
    get_export_for_user,
    get_rw_snapshot_for_user,
    get_snapshot_for_user,
    publication_refusal,
    region_for_export,
    snapshots_visible_to,
)
from reporting.distribution import read_contact_link
from reporting.downloads import file_download
from reporting.forms import ApproveForm, FreezeForm, PublishForm
from reporting.models import JobState, Report, ReportStatus
from reporting.snapshots import compare as compare_data
from reporting.snapshots import shown_indicators, shown_regions


def _report_of(snapshot) -> Report | None:
    try:
        return snapshot.report
    except Report.DoesNotExist:
        return None


@require_roles(*READ_ROLES)
def index(request):
    """All snapshots with their report; programme management freezes a quarter here."""
    snapshots = list(snapshots_visible_to(request.user))
    form = None
    if can_manage_reports(request.user):
        today = timezone.localdate()
        quarters = services.frozen_quarters_open(today)
        form = FreezeForm(posted(request), quarters=quarters, today=today)
        if request.method == "POST" and form.is_valid():
            year, quarter = form.year_quarter()
            snapshot = services.freeze_quarter(year=year, quarter=quarter, by=request.user)
            services.request_report(snapshot=snapshot, by=request.user)
            messages.success(
                request,
                _("Quarter %(quarter)s is frozen; its report is being made.")
                % {"quarter": snapshot.label},
            )
            return redirect("reporting:snapshot", year=year, quarter=quarter)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "reporting/index.html",
        {"snapshots": snapshots, "form": form, "can_manage": can_manage_reports(request.user)},
    )


def _snapshot_context(request, snapshot):
    report = _report_of(snapshot)
    manage = can_manage_reports(request.user)
    draft_ready = report and report.status == ReportStatus.CONCEPT and report.state == JobState.DONE
    approved = report and report.status == ReportStatus.APPROVED
    # Four eyes: where the rule refuses, the page says why instead of offering the button.
    approve_refusal = approval_refusal(report, request.user) if manage and draft_ready else ""
    publish_refusal = publication_refusal(report) if manage and approved else ""
    return {
        "snapshot": snapshot,
        "report": report,
        "can_manage": manage,
        "approve_form": ApproveForm(initial={"version": report.version})
        if manage and draft_ready and not approve_refusal
        else None,
        "approve_refusal": approve_refusal,
        "publish_form": PublishForm(initial={"version": report.version})
        if manage and approved and not publish_refusal
        else None,
        "publish_refusal": publish_refusal,
    }


def _snapshot_page(request, snapshot, status=200, **overrides):
    context = _snapshot_context(request, snapshot)
    context |= {
        "regions": shown_regions(snapshot.data),
        "indicators": shown_indicators(snapshot.data),
        "others": [s for s in snapshots_visible_to(request.user) if s.pk != snapshot.pk],
        "can_compare": request.user.role != Role.PARTNER,
        **overrides,
    }
    return render(request, "reporting/snapshot.html", context, status=status)


@require_roles(*READ_ROLES)
def snapshot_detail(request, year: int, quarter: int):
    snapshot = get_snapshot_for_user(request, year, quarter, with_data=True)
    return _snapshot_page(request, snapshot)


@require_GET
@require_roles(*READ_ROLES)
def report_status(request, year: int, quarter: int):
    """The report card; polled by htmx while the report is being made (286 stops polling)."""
    return _report_card(request, get_snapshot_for_user(request, year, quarter))


def _unchanged(request, job) -> bool:
    """A poll whose card would look the same: answered 204, so htmx swaps nothing and keyboard
    focus stays where it is (on the card's restart button, say)."""
    return bool(request.htmx and job and request.GET.get("stand") == job.card_state)


def _report_card(request, snapshot):
    context = _snapshot_context(request, snapshot)
    report = context["report"]
    if report and report.is_pending and _unchanged(request, report):
        return HttpResponse(status=204)
    response = render(request, "reporting/snapshot.html#report-card", context)
    if request.htmx and not (report and report.is_pending):
        return HttpResponseStopPolling(response.content)
    return response


@require_POST
@require_roles(*READ_ROLES)
def report_render(request, year: int, quarter: int):
    """Make the report (once), or start again one that failed or waits too long."""
    snapshot = get_rw_snapshot_for_user(request, year, quarter)
    report = _report_of(snapshot)
    if report is None:
        services.request_report(snapshot=snapshot, by=request.user)
    elif report.state == JobState.FAILED or report.waits_too_long:
        try:
            services.retry_job(job=report)
        except services.WorkflowError as error:
            messages.error(request, str(error))
    else:
        messages.info(request, _("This report is already made or being made."))
    if request.htmx:
        # read again: whether the message reached the queue is known only after commit
        return _report_card(request, get_snapshot_for_user(request, year, quarter))
    return redirect("reporting:snapshot", year=year, quarter=quarter)


@require_POST
@require_roles(*READ_ROLES)
def report_approve(request, year: int, quarter: int):
    snapshot = get_rw_snapshot_for_user(request, year, quarter)
    report = _report_of(snapshot)
    if report is None:
        raise Http404
    if approval_refusal(report, request.user):
        raise PermissionDenied
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.approve_report(
                report=report,
                by=request.user,
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except services.WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report is approved."))
            return redirect("reporting:snapshot", year=year, quarter=quarter)
    snapshot = get_snapshot_for_user(request, year, quarter, with_data=True)
    return _snapshot_page(request, snapshot, status=400, approve_form=form)


@require_POST
@require_roles(*READ_ROLES)
def report_publish(request, year: int, quarter: int):
    snapshot = get_rw_snapshot_for_user(request, year, quarter)
    report = _report_of(snapshot)
    if report is None:
        raise Http404
    if publication_refusal(report):
        raise PermissionDenied
    form = PublishForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else -1
    try:
        services.publish_report(report=report, by=request.user, version=version)
    except services.WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The report is published; the partners can download it."))
    return redirect("reporting:snapshot", year=year, quarter=quarter)


@require_GET
@require_roles(*READ_ROLES)
def report_download(request, year: int, quarter: int):
    snapshot = get_snapshot_for_user(request, year, quarter)
    return file_download(_report_of(snapshot), user=request.user)


@never_cache
@require_GET
def contact_download(request, token: str):
    """A partner contact's personal link to a published report (in the e-mail when the PDF is
    too large to attach); no log-in, the signed token is the key. Each download is logged."""
    found = read_contact_link(token)
    report = contact = None
    if found is not None:
        report = Report.objects.filter(
            pk=found[0], status=ReportStatus.PUBLISHED, state=JobState.DONE
        ).first()
        contact = PartnerContact.objects.filter(pk=found[1], active=True).first()
    if contact is None:
        raise Http404
    return file_download(report, contact=contact)


@require_GET
@require_roles(*READ_ROLES)
def compare(request):
    """What moved between two snapshots (?van=<id>&naar=<id>)."""
    if request.user.role == Role.PARTNER:
        raise Http404
    visible = snapshots_visible_to(request.user).defer(None)
    snapshots = list(visible.order_by("year", "quarter"))
    by_id = {s.pk: s for s in snapshots}
    older = by_id.get(int_or_none(request.GET.get("van")))
    newer = by_id.get(int_or_none(request.GET.get("naar")))
    if older is None and newer is None and len(snapshots) >= 2:
        older, newer = snapshots[-2], snapshots[-1]
    result = None
    if older and newer:
        if (older.year, older.quarter) > (newer.year, newer.quarter):
            older, newer = newer, older
        result = compare_data(older.data, newer.data)
    return render(
        request,
        "reporting/compare.html",
        {"snapshots": snapshots, "older": older, "newer": newer, "result": result},
    )


@require_POST
@login_required
def export_create(request, code: str):
    region = region_for_export(request, code)
    export = services.request_dossier_export(region=region, by=request.user)
    return redirect("reporting:export", code=region.code, pk=export.pk)


@login_required
def export_detail(request, code: str, pk: int):
    """The export's progress; its card is polled by htmx until ready or failed (286)."""
    export = get_export_for_user(request, code, pk)
    if request.method == "POST":
        try:
            services.retry_job(job=export)
        except services.WorkflowError as error:
            messages.error(request, str(error))
        return redirect("reporting:export", code=code, pk=pk)
    context = {"export": export, "region": export.region}
    if request.htmx:
        if export.is_pending and _unchanged(request, export):
            return HttpResponse(status=204)
        response = render(request, "reporting/export.html#export-card", context)
        if not export.is_pending:
            return HttpResponseStopPolling(response.content)
        return response
    return render(request, "reporting/export.html", context)


@require_GET
@login_required
def export_download(request, code: str, pk: int):
    return file_download(get_export_for_user(request, code, pk), user=request.user)
