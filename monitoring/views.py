from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from core.files import download_response
from core.forms import DocumentUploadForm
from core.quarters import current_quarter
from core.records import (
    Conflict,
    conflict_details,
    create_record,
    delete_record,
    posted_version,
    update_record,
)
from monitoring.display import record_urls, record_view
from monitoring.forms import ProgressUpdateForm
from monitoring.models import Document, PlanMilestone
from monitoring.queries import recent_updates, section_block
from monitoring.sections import get_section
from monitoring.services import add_document, record_progress_update
from monitoring.timeline import current_stage, plan_timeline
from regions.access import can_change_region, get_region_for_user, get_rw_region_for_user

SECTIONS_TEMPLATE = "monitoring/sections.html"


@login_required
def progress_update_create(request, code: str):
    """Record a voortgangsupdate; inline on the region page with htmx, a plain page without."""
    region = get_rw_region_for_user(request, code)
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST, region=region)
        if form.is_valid():
            record_progress_update(region=region, author=request.user, **form.cleaned_data)
            if request.htmx:
                updates = recent_updates(region)
                context = {
                    "region": region,
                    "updates": updates,
                    "latest": updates[0],
                    "can_change": True,
                    "saved": True,
                }
                response = render(request, "regions/detail.html#progress", context)
                return _with_header(request, region, response)
            return redirect(region)
    else:
        year, quarter = current_quarter(timezone.localdate())
        form = ProgressUpdateForm(initial={"year": year, "quarter": quarter}, region=region)
    template = "monitoring/progress_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, {"region": region, "form": form})


def _section_or_404(key: str):
    section = get_section(key)
    if section is None:
        raise Http404
    return section


def _record_or_404(section, region, pk: int):
    return get_object_or_404(
        section.model.objects.select_related(*section.related), region=region, pk=pk
    )


def _municipality_names(section, region) -> dict[str, str] | None:
    """Names for sections that show municipality codes; None (no query) for the others."""
    if "municipality_codes" not in section.columns:
        return None
    return dict(region.municipalities.values_list("code", "name"))


def _item_context(request, region, section, record, **extra):
    names = _municipality_names(section, region)
    return {
        "region": region,
        "section": section,
        "record": record_view(
            record, section.columns, names, record_urls(region.code, section.key)
        ),
        "can_change": can_change_region(request.user, region),
        **extra,
    }


def _form_context(region, section, form, record=None, conflict=None, **extra):
    return {
        "region": region,
        "section": section,
        "form": form,
        "record": record,
        "conflict": conflict,
        **extra,
    }


def _render_form(request, context, status=200):
    template = SECTIONS_TEMPLATE + "#form_item" if request.htmx else "monitoring/record_page.html"
    return render(request, template, context, status=status)


def region_header(request, region) -> str:
    """The parts of the region page a save elsewhere on it can change (the plan stage and current
    status in the lead, the timeline), as htmx out-of-band swaps to send with the response."""
    updates = recent_updates(region, limit=1)
    milestones = list(PlanMilestone.objects.filter(region=region))
    context = {
        "region": region,
        "stage": current_stage(milestones),
        "latest": updates[0] if updates else None,
        "timeline": plan_timeline(milestones),
        "oob": True,
    }
    return render_to_string("regions/detail.html#lead", context, request) + render_to_string(
        "regions/detail.html#timeline", context, request
    )


def _with_header(request, region, response, section=None):
    """`response` with the page's stage, status and timeline again, when what was saved can
    change them: a plan stage or a progress update (not a route step, a meeting …)."""
    if section is None or section.model is PlanMilestone:
        response.write(region_header(request, region))
    return response


def _after_save(request, region, section, record):
    """An edited record in read mode, "Opgeslagen." on it and focus on its "Wijzigen"."""
    if request.htmx:
        context = _item_context(request, region, section, record, saved=True, focus=True)
        response = render(request, SECTIONS_TEMPLATE + "#item", context)
        return _with_header(request, region, response, section)
    return redirect(f"{region.get_absolute_url()}#section-{section.key}")


def _after_create(request, region, section, record):
    """The whole section again, so the new record stands in the list's own order (shown in full
    if it would otherwise fall beyond the first records); the add button is back below it."""
    if not request.htmx:
        return redirect(f"{region.get_absolute_url()}#section-{section.key}")
    names = _municipality_names(section, region) or {}
    block = section_block(region, section, names)
    if all(view.obj.pk != record.pk for view in block.records):
        block = section_block(region, section, names, expand=section.key)
    context = {
        "block": block,
        "region": region,
        "can_change": can_change_region(request.user, region),
        "saved_pk": record.pk,
    }
    response = render(request, SECTIONS_TEMPLATE + "#section", context)
    response = reswap(retarget(response, f"#section-{section.key}"), "outerHTML")
    return _with_header(request, region, response, section)


@login_required
def record_item(request, code: str, key: str, pk: int):
    """One record in read mode (what Cancel returns to)."""
    section = _section_or_404(key)
    region = get_region_for_user(request, code)
    record = _record_or_404(section, region, pk)
    if not request.htmx:
        return redirect(f"{region.get_absolute_url()}#{section.key}-{record.pk}")
    context = _item_context(request, region, section, record, focus=True)
    return render(request, SECTIONS_TEMPLATE + "#item", context)


@login_required
def record_new(request, code: str, key: str):
    section = _section_or_404(key)
    region = get_rw_region_for_user(request, code)
    if request.method == "GET" and request.GET.get("annuleren"):
        context = {"region": region, "section": section, "focus": True}
        return render(request, SECTIONS_TEMPLATE + "#add_button", context)
    if section.single and section.model.objects.filter(region=region).exists():
        return redirect(f"{region.get_absolute_url()}#section-{section.key}")
    if request.method == "POST":
        form = section.form(request.POST, region=region)
        if form.is_valid():
            record = create_record(form=form, by=request.user)
            if record is not None:
                return _after_create(request, region, section, record)
    else:
        form = section.form(region=region)
    return _render_form(request, _form_context(region, section, form))


@login_required
def record_edit(request, code: str, key: str, pk: int):
    section = _section_or_404(key)
    region = get_rw_region_for_user(request, code)
    record = _record_or_404(section, region, pk)
    if request.method != "POST":
        form = section.form(instance=record, region=region)
        return _render_form(request, _form_context(region, section, form, record=record))

    form = section.form(request.POST, instance=record, region=region)
    expected = posted_version(request)
    if not form.is_valid():
        return _render_form(request, _form_context(region, section, form, record=record))
    result = update_record(form=form, expected_version=expected, by=request.user)
    if isinstance(result, Conflict):
        return _render_conflict(request, region, section, form, result.current)
    return _after_save(request, region, section, result)


def _render_conflict(request, region, section, form, current):
    """Theirs (stored) next to yours (posted); the form keeps yours with the new version."""
    conflict = conflict_details(form, current, _municipality_names(section, region))
    fresh_form = section.form(request.POST, instance=current, region=region)
    fresh_form.is_valid()
    context = _form_context(
        region,
        section,
        fresh_form,
        record=current,
        conflict=conflict,
    )
    return _render_form(request, context, status=409 if not request.htmx else 200)


@login_required
@require_POST
def record_delete(request, code: str, key: str, pk: int):
    section = _section_or_404(key)
    region = get_rw_region_for_user(request, code)
    record = _record_or_404(section, region, pk)
    expected = posted_version(request)
    result = delete_record(instance=record, expected_version=expected)
    if isinstance(result, Conflict):
        context = _item_context(
            request,
            region,
            section,
            result.current,
            error=_("Someone changed this record in the meantime; check it before deleting."),
        )
        return render(
            request, SECTIONS_TEMPLATE + "#item", context, status=200 if request.htmx else 409
        )
    if request.htmx:
        return _with_header(request, region, HttpResponse(""), section)
    return redirect(f"{region.get_absolute_url()}#section-{section.key}")


def _dossier_context(request, region, **extra):
    return {
        "region": region,
        "documents": Document.objects.filter(region=region).select_related("uploaded_by"),
        "can_change": can_change_region(request.user, region),
        **extra,
    }


@login_required
def document_upload(request, code: str):
    """Add a file to the region's dossier: type from content, size limit, SHA-256 kept."""
    region = get_rw_region_for_user(request, code)
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES)
        if form.is_valid():
            add_document(
                region=region,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                content_type=form.detected_type,
                by=request.user,
            )
            if request.htmx:
                context = _dossier_context(request, region, uploaded=True)
                response = render(request, "monitoring/dossier.html#dossier", context)
                return reswap(retarget(response, "#dossier"), "outerHTML")
            return redirect(f"{region.get_absolute_url()}#dossier")
    else:
        form = DocumentUploadForm()
    template = "monitoring/dossier.html#upload_form" if request.htmx else "monitoring/upload.html"
    return render(request, template, {"region": region, "form": form})


@login_required
def document_download(request, code: str, pk: int):
    region = get_region_for_user(request, code)
    document = get_object_or_404(Document.objects, region=region, pk=pk)
    return download_response(document)
