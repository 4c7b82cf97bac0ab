"""The import pages: on a region's page (its records, for whoever may change the region) and
nationally (an adviser's regions, programme management's portfolios); the template of each
kind; one import's progress and preview, for its uploader only; and the confirmation."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.models import Role
from core.access import require_roles
from imports import services
from imports.access import get_run_for_user
from imports.checking import ADD, CHANGE, ERROR, SAME
from imports.forms import UploadForm
from imports.kinds import KINDS, kinds_for
from imports.models import ImportRun
from imports.workbook import template_workbook
from regions.access import get_rw_region_for_user

PREVIEW_ROWS = 200  # rows listed per action; the counts always cover every row
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kinds(request, region):
    return kinds_for(national=region is None, programme=request.user.role == Role.PROGRAMME)


def _page(request, region):
    kinds = _kinds(request, region)
    form = UploadForm(kinds=kinds)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            run = services.start(
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                region=region,
                by=request.user,
            )
            return redirect(run)
        # The page comes back whole: the keyboard starts at the first field to correct.
        first = next((name for name in form.errors if name in form.fields), None)
        if first:
            form.fields[first].widget.attrs["autofocus"] = True
    earlier = ImportRun.objects.filter(created_by=request.user, region=region).defer("outcome")
    context = {
        "region": region,
        "form": form,
        "kinds": kinds,
        "earlier": earlier[:10],
    }
    return render(request, "imports/page.html", context, status=400 if form.errors else 200)


@login_required
def region_import(request, code):
    return _page(request, get_rw_region_for_user(request, code))


@require_roles(Role.ADVISER, Role.PROGRAMME)
def national_import(request):
    return _page(request, None)


def _template_response(kind, region) -> HttpResponse:
    name = slugify(f"sjabloon-{kind.key}-{region.code if region else 'landelijk'}")
    response = HttpResponse(template_workbook(kind, region=region), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _kind(request, region, key):
    kind = KINDS.get(key)
    if kind is None or kind not in _kinds(request, region):
        raise Http404
    return kind


@login_required
def region_template(request, code, kind):
    region = get_rw_region_for_user(request, code)
    return _template_response(_kind(request, region, kind), region)


@require_roles(Role.ADVISER, Role.PROGRAMME)
def national_template(request, kind):
    return _template_response(_kind(request, None, kind), None)


def _rows(run, action):
    rows = [row for row in run.outcome.get("rows", []) if row["action"] == action]
    return rows[:PREVIEW_ROWS], max(0, len(rows) - PREVIEW_ROWS)


@login_required
def run_detail(request, pk):
    run = get_run_for_user(request, pk)
    errors, more_errors = _rows(run, ERROR)
    added, more_added = _rows(run, ADD)
    changed, more_changed = _rows(run, CHANGE)
    context = {
        "run": run,
        "region": run.region,
        "kind": KINDS.get(run.kind),
        "errors": errors,
        "more_errors": more_errors,
        "added": added,
        "more_added": more_added,
        "changed": changed,
        "more_changed": more_changed,
        "same": run.counts.get(SAME, 0),
        "back": reverse("imports:region", args=[run.region.code])
        if run.region
        else reverse("imports:national"),
    }
    if request.htmx and request.GET.get("poll"):
        if run.is_pending and request.GET.get("poll") == f"{run.phase}-{run.done_rows}":
            return HttpResponse(status=204)  # nothing new: htmx keeps the card
        return render(request, "imports/run.html#status", context)
    return render(request, "imports/run.html", context)


@login_required
@require_POST
def run_confirm(request, pk):
    run = get_run_for_user(request, pk)
    services.confirm(run)
    return redirect(run)
