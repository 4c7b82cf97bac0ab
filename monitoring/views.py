from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from core.files import download_response
from core.forms import DocumentUploadForm
from core.quarters import current_quarter
from core.records import (
    Conflict,
    conflict_form,
    create_record,
    delete_record,
    posted_version,
    update_record,
)
from monitoring.display import record_urls, record_view
from monitoring.forms import (
    DocumentTitleForm,
    PlanMilestoneForm,
    ProgressUpdateForm,
    StageReachedForm,
)
from monitoring.freshness import freshness_by_region
from monitoring.models import Document, PlanMilestone, PlanStage, ProgressUpdate, RouteStep
from monitoring.queries import recent_updates, section_block
from monitoring.sections import PROGRESS, SECTIONS, get_section, record_url
from monitoring.services import add_document, remove_document, replace_document
from monitoring.timeline import current_stage, next_stage, plan_timeline
from regions.access import can_change_region, get_region_for_user, get_rw_region_for_user

SECTIONS_TEMPLATE = "monitoring/sections.html"


@login_required
def progress_update_create(request, code: str):
    """Record a voortgangsupdate; inline on the region page with htmx, a plain page without."""
    region = get_rw_region_for_user(request, code)
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST, region=region)
        form.instance.author = request.user
        if form.is_valid() and create_record(form=form, by=request.user) is not None:
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


def _progress_update_or_404(region, pk: int) -> ProgressUpdate:
    return get_object_or_404(ProgressUpdate.objects.select_related("author"), region=region, pk=pk)


def _progress_list(request, region, **extra):
    """The region page's progress list again (after a removal: the count and the newest
    update change), to replace it whole."""
    updates = recent_updates(region)
    context = {
        "region": region,
        "updates": updates,
        "latest": updates[0] if updates else None,
        "can_change": True,  # only sent after a change by someone who may make it
        **extra,
    }
    response = render(request, "regions/detail.html#progress", context)
    return _with_header(request, region, reswap(retarget(response, "#progress"), "outerHTML"))


def _progress_item(request, region, update, **extra):
    context = {
        "region": region,
        "update": update,
        "can_change": can_change_region(request.user, region),
        **extra,
    }
    return render(request, "regions/detail.html#progress_item", context)


@login_required
def progress_update_item(request, code: str, pk: int):
    """One progress update in read mode (what Cancel returns to), focus on its "Wijzigen"."""
    region = get_region_for_user(request, code)
    update = _progress_update_or_404(region, pk)
    if not request.htmx:
        return redirect(record_url(region.code, PROGRESS, update.pk))
    return _progress_item(request, region, update, focus=True)


def _render_progress_form(request, region, form, update, conflict=None):
    template = "monitoring/progress_edit.html"
    if request.htmx:
        template += "#form_item"
    context = {"region": region, "form": form, "update": update, "conflict": conflict}
    return render(request, template, context, status=409 if conflict and not request.htmx else 200)


@login_required
def progress_update_edit(request, code: str, pk: int):
    """Correct a voortgangsupdate: the same form and rules as a new one, saved against the
    version the form started from, so a change by someone else in the meantime is shown
    next to this one instead of being overwritten."""
    region = get_rw_region_for_user(request, code)
    update = _progress_update_or_404(region, pk)
    if request.method != "POST":
        form = ProgressUpdateForm(instance=update, region=region)
        return _render_progress_form(request, region, form, update)
    form = ProgressUpdateForm(request.POST, instance=update, region=region)
    if not form.is_valid():
        return _render_progress_form(request, region, form, update)
    result = update_record(form=form, expected_version=posted_version(request), by=request.user)
    if isinstance(result, Conflict):
        conflict, fresh = conflict_form(form, result.current, region=region)
        return _render_progress_form(request, region, fresh, result.current, conflict)
    if not request.htmx:
        return redirect(record_url(region.code, PROGRESS, pk))
    response = _progress_item(request, region, result, update_saved=True, focus=True)
    return _with_header(request, region, response)


@login_required
def progress_update_delete(request, code: str, pk: int):
    """Remove a voortgangsupdate after a confirmation (a page of its own without JavaScript,
    in place of the update with htmx). The history keeps it; a change by someone else since
    the confirmation was shown refuses the removal and shows the update as it now is."""
    region = get_rw_region_for_user(request, code)
    update = _progress_update_or_404(region, pk)
    error = None
    if request.method == "POST":
        result = delete_record(instance=update, expected_version=posted_version(request))
        if not isinstance(result, Conflict):
            if request.htmx:
                return _progress_list(request, region, removed=True)
            messages.success(request, _("The progress update has been removed."))
            return redirect(f"{region.get_absolute_url()}#progress")
        update = result.current
        error = _("Someone changed this progress update in the meantime; check it before removing.")
    template = "monitoring/progress_delete.html"
    if request.htmx:
        template += "#confirm"
    context = {"region": region, "update": update, "error": error}
    return render(request, template, context, status=409 if error and not request.htmx else 200)


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


def stage_context(milestones) -> dict:
    """The plan stage in the page's header: the current one, the timeline, and the next stage
    with its milestone (if planned) for the "reached" action."""
    upcoming = next_stage(milestones)
    return {
        "stage": current_stage(milestones),
        "timeline": plan_timeline(milestones),
        "next_stage": upcoming,
        "next_milestone": next((m for m in milestones if m.stage == upcoming), None),
        "stage_form": StageReachedForm(initial={"reached_date": timezone.localdate()}),
    }


def region_header(request, region, **extra) -> str:
    """The parts of the region page a save elsewhere on it can change (the plan stage and current
    status in the lead, the next-stage action, the timeline, the record's currency), as htmx
    out-of-band swaps to send with the response."""
    updates = recent_updates(region, limit=1)
    milestones = list(PlanMilestone.objects.filter(region=region))
    context = {
        "region": region,
        "latest": updates[0] if updates else None,
        "can_change": True,  # only sent after a change by someone who may make it
        "oob": True,
        "freshness": freshness_by_region([region.pk])[region.pk],
        **stage_context(milestones),
        **extra,
    }
    return "".join(
        render_to_string(f"regions/detail.html#{part}", context, request)
        for part in ("lead", "next_stage", "timeline", "freshness")
    )


def region_freshness(request, region) -> str:
    """The region page's "Actualiteit" block again, as an htmx out-of-band swap."""
    context = {"freshness": freshness_by_region([region.pk])[region.pk], "oob": True}
    return render_to_string("regions/detail.html#freshness", context, request)


def _with_header(request, region, response, section=None):
    """`response` with the page's stage, status and timeline again, when what was saved can
    change them: a plan stage or a progress update (not a meeting …); after a route step only
    the record's currency (its count of late steps)."""
    if section is None or section.model is PlanMilestone:
        response.write(region_header(request, region))
    elif section.model is RouteStep:
        response.write(region_freshness(request, region))
    return response


@login_required
@require_POST
def stage_reached(request, code: str):
    """The header's action: the next stage of the plan is reached (today or on a given day).
    Saved through the stage's PlanMilestone with the version the page showed, so a change by
    someone else in the meantime is refused, and kept in the history like any other save."""
    region = get_rw_region_for_user(request, code)
    stage = request.POST.get("stage", "")
    if stage not in PlanStage.values:
        raise Http404
    form = StageReachedForm(request.POST)
    milestone = PlanMilestone.objects.filter(region=region, stage=stage).first()
    saved = None
    if form.is_valid():
        data = {
            "stage": stage,
            "planned_date": milestone.planned_date.isoformat()
            if milestone and milestone.planned_date
            else "",
            "reached_date": form.cleaned_data["reached_date"].isoformat(),
        }
        record_form = PlanMilestoneForm(data, instance=milestone, region=region)
        if not record_form.is_valid():
            for message in record_form.errors.get("reached_date", []):
                form.add_error("reached_date", message)
            for message in record_form.non_field_errors():
                form.add_error(None, message)
        elif milestone is None and request.POST.get("version"):
            form.add_error(None, _STAGE_CHANGED)  # deleted in the meantime
        elif milestone is None:
            saved = create_record(form=record_form, by=request.user)
            for message in record_form.non_field_errors():
                form.add_error(None, message)
        else:
            result = update_record(
                form=record_form, expected_version=posted_version(request), by=request.user
            )
            if isinstance(result, Conflict):
                form.add_error(None, _STAGE_CHANGED)
            else:
                saved = result
    if not request.htmx:
        if saved is None:
            for message in [*form.non_field_errors(), *form.errors.get("reached_date", [])]:
                messages.error(request, message)
        return redirect(f"{region.get_absolute_url()}#region-lead")
    if saved is None:
        milestones = list(PlanMilestone.objects.filter(region=region))
        context = {"region": region, "can_change": True, **stage_context(milestones)}
        context["stage_form"] = form
        return render(request, "regions/detail.html#next_stage", context)
    response = HttpResponse(region_header(request, region, stage_saved=saved))
    # The stages section below shows the reached date too.
    fasen = next(section for section in SECTIONS if section.model is PlanMilestone)
    section = render_to_string(
        SECTIONS_TEMPLATE + "#section",
        {
            "block": section_block(region, fasen, {}),
            "region": region,
            "can_change": True,
            "oob": True,
        },
        request,
    )
    response.write(section)
    return reswap(response, "none")


_STAGE_CHANGED = gettext_lazy(
    "Someone changed the stages of this plan in the meantime; check them below and try again."
)


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
        "open": True,  # the reader is working in it: it stays unfolded
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
        return redirect(record_url(region.code, section.key, record.pk))
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
    names = _municipality_names(section, region)
    conflict, fresh = conflict_form(form, current, names, region=region)
    context = _form_context(region, section, fresh, record=current, conflict=conflict)
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
        "documents": Document.objects.current().filter(region=region).select_related("uploaded_by"),
        "can_change": can_change_region(request.user, region),
        **extra,
    }


@login_required
def document_upload(request, code: str):
    """Add a file to the region's dossier: type from content, size limit, SHA-256 kept."""
    region = get_rw_region_for_user(request, code)
    if request.method == "POST":
        form = DocumentUploadForm(
            request.POST, request.FILES, existing=Document.objects.current().filter(region=region)
        )
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
    document = _document_or_404(region, pk)
    return download_response(document)


def _document_or_404(region, pk: int) -> Document:
    """A document of this region still in its dossier; a removed one is unknown here."""
    return get_object_or_404(
        Document.objects.current().select_related("uploaded_by"), region=region, pk=pk
    )


def _document_row(request, region, document, **extra):
    context = {
        "region": region,
        "document": document,
        "can_change": can_change_region(request.user, region),
        **extra,
    }
    return render(request, "monitoring/dossier.html#document_row", context)


@login_required
def document_item(request, code: str, pk: int):
    """One document in read mode (what Cancel returns to), focus on its "Wijzigen"."""
    region = get_region_for_user(request, code)
    document = _document_or_404(region, pk)
    if not request.htmx:
        return redirect(f"{region.get_absolute_url()}#document-{document.pk}")
    return _document_row(request, region, document, focus=True)


def _render_document_form(request, region, form, document, conflict=None):
    template = "monitoring/document_edit.html"
    if request.htmx:
        template += "#form_row"
    context = {"region": region, "form": form, "document": document, "conflict": conflict}
    return render(request, template, context, status=409 if conflict and not request.htmx else 200)


@login_required
def document_edit(request, code: str, pk: int):
    """Correct a dossier document's title, saved against the version the form started from,
    so a change by someone else in the meantime is shown next to this one, not overwritten."""
    region = get_rw_region_for_user(request, code)
    document = _document_or_404(region, pk)
    if request.method != "POST":
        return _render_document_form(
            request, region, DocumentTitleForm(instance=document), document
        )
    form = DocumentTitleForm(request.POST, instance=document)
    if not form.is_valid():
        return _render_document_form(request, region, form, document)
    result = update_record(form=form, expected_version=posted_version(request), by=request.user)
    if isinstance(result, Conflict):
        conflict, fresh = conflict_form(form, result.current)
        return _render_document_form(request, region, fresh, result.current, conflict)
    if not request.htmx:
        return redirect(f"{region.get_absolute_url()}#document-{pk}")
    return _document_row(request, region, result, saved=True, focus=True)


@login_required
def document_replace(request, code: str, pk: int):
    """Replace a dossier document by a new file (a page of its own: a file is sent as a whole
    form). The old one leaves the dossier and names its successor; a change to it since the
    form was shown refuses the replacement and says so."""
    region = get_rw_region_for_user(request, code)
    document = _document_or_404(region, pk)
    error = None
    existing = Document.objects.current().filter(region=region)
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES, existing=existing)
        if form.is_valid():
            result = replace_document(
                document=document,
                expected_version=posted_version(request),
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                content_type=form.detected_type,
                by=request.user,
            )
            if not isinstance(result, Conflict):
                messages.success(request, _("The document has been replaced."))
                return redirect(f"{region.get_absolute_url()}#document-{result.pk}")
            document = result.current
            form = DocumentUploadForm(initial={"title": form.cleaned_data["title"]})
            error = _(
                "Someone changed this document in the meantime, so it was not replaced. Check "
                "it and choose the file again."
            )
    else:
        form = DocumentUploadForm(initial={"title": document.title})
    context = {"region": region, "document": document, "form": form, "error": error}
    return render(
        request, "monitoring/document_replace.html", context, status=409 if error else 200
    )


@login_required
def document_delete(request, code: str, pk: int):
    """Remove a document from the dossier after a confirmation (a page of its own without
    JavaScript, in place of the document with htmx). Record and file are kept (see
    `remove_document`); a change since the confirmation was shown refuses the removal."""
    region = get_rw_region_for_user(request, code)
    document = _document_or_404(region, pk)
    error = None
    if request.method == "POST":
        result = remove_document(
            document=document, expected_version=posted_version(request), by=request.user
        )
        if result is None:
            if request.htmx:
                context = _dossier_context(request, region, removed=True)
                response = render(request, "monitoring/dossier.html#dossier", context)
                return reswap(retarget(response, "#dossier"), "outerHTML")
            messages.success(request, _("The document has been removed from the dossier."))
            return redirect(f"{region.get_absolute_url()}#dossier")
        document = result.current
        error = _("Someone changed this document in the meantime; check it before removing.")
    template = "monitoring/document_delete.html"
    if request.htmx:
        template += "#confirm"
    context = {"region": region, "document": document, "error": error}
    return render(request, template, context, status=409 if error and not request.htmx else 200)
