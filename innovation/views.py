from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Role
from core.access import require_roles
from core.files import download_response
from core.forms import DocumentUploadForm
from core.params import int_or_none, posted
from core.records import (
    Conflict,
    conflict_form,
    create_record,
    delete_record,
    posted_version,
    update_record,
)
from core.targets import CERTIFIED_SPECIALISTS, TARGETS
from innovation.access import (
    AGENDA_ROLES,
    CATALOGUE_ROLES,
    documents_visible_to,
    get_product_for_user,
    get_version_document_for_user,
    products_visible_to,
    review_refusal,
    sees_drafts,
    versions_visible_to,
)
from innovation.forms import (
    AgendaItemForm,
    CertificationForm,
    CriterionForm,
    DevelopmentLineForm,
    InsightForm,
    ProductForm,
    ReviewForm,
    VersionForm,
)
from innovation.models import (
    AgendaItem,
    Certification,
    DevelopmentLine,
    Insight,
    ProductVersion,
    QualityCriterion,
    VersionDocument,
    VersionStatus,
)
from innovation.queries import development_lines_overview, mark_expiry
from innovation.services import (
    add_version_document,
    failing_criteria,
    latest_reviews,
    publish_version,
    record_review,
)
from monitoring.models import ProductUse
from regions.access import regions_visible_to


@require_roles(*CATALOGUE_ROLES)
def catalogue(request):
    visible = VersionStatus.values if sees_drafts(request.user) else [VersionStatus.PUBLISHED]
    products = (
        products_visible_to(request.user)
        .select_related("owner", "development_line")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=ProductVersion.objects.filter(status__in=visible).order_by("-pk"),
            )
        )
    )
    form = None
    if request.user.role == Role.HUB:
        form = ProductForm(posted(request))
        if request.method == "POST" and form.is_valid():
            product = form.save(commit=False)
            product.owner = request.user
            product.save()
            messages.success(request, _("The product has been added."))
            return redirect("innovation:product", pk=product.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "innovation/catalogue.html", {"products": products, "form": form})


def _upload_prefix(version) -> str:
    return f"doc{version.pk}"


def _product_page(request, item, version_form=None, upload_forms=None, status=200):
    """The product page: versions with reviews, documents and the regions that use them."""
    hub = request.user.role == Role.HUB
    upload_forms = upload_forms or {}
    documents = {}
    for document in (
        documents_visible_to(request.user)
        .filter(version__product=item)
        .select_related("uploaded_by")
    ):
        documents.setdefault(document.version_id, []).append(document)
    uses = {}
    for use in (
        ProductUse.objects.filter(
            product_version__product=item, region__in=regions_visible_to(request.user)
        )
        .select_related("region", "specialist")
        .defer("region__svg_path", "region__bbox")
        .order_by("region__name", "-applied_on")
    ):
        uses.setdefault(use.product_version_id, []).append(use)
    versions = []
    criteria = list(QualityCriterion.objects.filter(active=True))
    for version in versions_visible_to(request.user, item).order_by("-pk"):
        latest = latest_reviews(version) if sees_drafts(request.user) else {}
        draft = version.status == VersionStatus.DRAFT
        refusal = review_refusal(version, request.user) if hub and draft else ""
        versions.append(
            {
                "version": version,
                "reviews": [(c, latest.get(c.pk)) for c in criteria],
                "failing": failing_criteria(version) if sees_drafts(request.user) else [],
                "review_form": ReviewForm(prefix=f"v{version.pk}") if hub and not refusal else None,
                "review_refusal": refusal,
                "documents": documents.get(version.pk, []),
                "uses": uses.get(version.pk, []),
                # A refused upload shows its form with the reason, even on a published version.
                "upload_form": upload_forms.get(version.pk)
                or (DocumentUploadForm(prefix=_upload_prefix(version)) if hub and draft else None),
            }
        )
    return render(
        request,
        "innovation/product.html",
        {
            "product": item,
            "versions": versions,
            "version_form": version_form,
            "hub": hub,
            "can_trace": sees_drafts(request.user),
            "regions_using": len({u.region_id for group in uses.values() for u in group}),
        },
        status=status,
    )


@login_required
def product(request, pk: int):
    item = get_product_for_user(request, pk)
    hub = request.user.role == Role.HUB
    version_form = VersionForm(posted(request), product=item) if hub else None
    if request.method == "POST":
        if not hub:
            raise PermissionDenied
        if version_form.is_valid():
            version_form.instance.created_by = request.user
            version_form.save()
            messages.success(request, _("The new version has been added as a draft."))
            return redirect("innovation:product", pk=item.pk)
    return _product_page(request, item, version_form=version_form)


def _version_or_404(pk: int) -> ProductVersion:
    return get_object_or_404(ProductVersion.objects.select_related("product"), pk=pk)


@require_roles(Role.HUB)
def document_upload(request, pk: int):
    """Attach a document to a draft version: type from content, size limit, SHA-256 kept."""
    version = _version_or_404(pk)
    item = get_product_for_user(request, version.product_id)
    if request.method != "POST":
        return redirect(f"{item.get_absolute_url()}#version-{version.pk}")
    form = DocumentUploadForm(
        request.POST,
        request.FILES,
        prefix=_upload_prefix(version),
        existing=VersionDocument.objects.filter(version=version),
    )
    if form.is_valid():
        try:
            add_version_document(
                version=version,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                content_type=form.detected_type,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The document has been added to the version."))
            return redirect(f"{item.get_absolute_url()}#version-{version.pk}")
    return _product_page(
        request, item, version_form=VersionForm(product=item), upload_forms={version.pk: form}
    )


@login_required
def document_download(request, pk: int):
    return download_response(get_version_document_for_user(request, pk))


@require_roles(Role.HUB, Role.PROGRAMME)
def lines(request):
    """Ontwikkellijnen with their products: delivered (a published version) and applied
    (regions using it). The hub adds lines here."""
    form = DevelopmentLineForm(posted(request)) if request.user.role == Role.HUB else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and create_record(form=form, by=request.user) is not None:
            messages.success(request, _("The development line has been added."))
            return redirect("innovation:lines")
    all_lines, unlined = development_lines_overview()
    return render(
        request,
        "innovation/lines.html",
        {"lines": all_lines, "unlined": unlined, "form": form, "target": TARGETS["B4"]},
    )


@require_roles(Role.HUB)
def line_edit(request, pk: int):
    """The hub changes a line; a stale save changes nothing and shows both versions."""
    line = get_object_or_404(DevelopmentLine.objects, pk=pk)
    template = "innovation/line_form.html"
    if request.htmx:
        template += "#form"
    if request.method != "POST":
        form = DevelopmentLineForm(instance=line)
        return render(request, template, {"line": line, "form": form})
    form = DevelopmentLineForm(request.POST, instance=line)
    if not form.is_valid():
        return render(request, template, {"line": line, "form": form})
    result = update_record(form=form, expected_version=posted_version(request), by=request.user)
    if not isinstance(result, Conflict):
        messages.success(request, _("The development line has been saved."))
        return redirect("innovation:lines")
    current = result.current
    conflict, fresh = conflict_form(form, current)
    return render(
        request,
        template,
        {"line": current, "form": fresh, "conflict": conflict},
        status=200 if request.htmx else 409,
    )


@require_roles(Role.HUB)
@require_POST
def version_action(request, pk: int):
    version = get_object_or_404(ProductVersion.objects.select_related("product"), pk=pk)
    try:
        if request.POST.get("action") == "publish":
            publish_version(version=version, by=request.user)
            messages.success(request, _("The version has been published."))
        else:
            if review_refusal(version, request.user):
                raise PermissionDenied
            form = ReviewForm(request.POST, prefix=f"v{version.pk}")
            if not form.is_valid():
                raise ValidationError(_("Choose a criterion and a judgement."))
            record_review(version=version, by=request.user, **form.cleaned_data)
            messages.success(request, _("The review has been recorded."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("innovation:product", pk=version.product_id)


@require_roles(Role.HUB, Role.PROGRAMME)
def criteria(request):
    form = CriterionForm(posted(request)) if request.user.role == Role.HUB else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, _("The criterion has been added."))
            return redirect("innovation:criteria")
    return render(
        request,
        "innovation/criteria.html",
        {"criteria": QualityCriterion.objects.all(), "form": form},
    )


@require_roles(Role.HUB, Role.PROGRAMME)
def certifications(request):
    form = CertificationForm(posted(request)) if request.user.role == Role.HUB else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid() and create_record(form=form, by=request.user) is not None:
            messages.success(request, _("The certification has been recorded."))
            return redirect("innovation:certifications")
    today = timezone.localdate()
    items = mark_expiry(
        Certification.objects.select_related("specialist", "version__product"), today
    )
    valid = [c for c in items if not c.expired]
    return render(
        request,
        "innovation/certifications.html",
        {
            "certifications": items,
            "form": form,
            "today": today,
            "qualified": len({c.specialist_id for c in valid}),
            "target_low": CERTIFIED_SPECIALISTS[0],
            "target_high": CERTIFIED_SPECIALISTS[1],
            "expiring": [c for c in items if c.expiring],
        },
    )


@require_roles(*AGENDA_ROLES)
def agenda(request):
    """Innovatieagenda 2026-2027, with the insights that motivate each item."""
    hub = request.user.role == Role.HUB
    agenda_form = AgendaItemForm(posted(request), prefix="agenda") if hub else None
    insight_form = InsightForm(posted(request), prefix="insight") if hub else None
    if request.method == "POST":
        if not hub:
            raise PermissionDenied
        form = agenda_form if "agenda" in request.POST else insight_form
        if form is agenda_form:
            form.instance.owner = request.user
        if form.is_valid() and create_record(form=form, by=request.user) is not None:
            messages.success(request, _("Saved."))
            return redirect("innovation:agenda")
        # keep only the submitted form's errors
        if form is agenda_form:
            insight_form = InsightForm(prefix="insight")
        else:
            agenda_form = AgendaItemForm(prefix="agenda")
    items = AgendaItem.objects.select_related("owner", "development_line").prefetch_related(
        "insights", "product_versions__product"
    )
    return render(
        request,
        "innovation/agenda.html",
        {"items": items, "agenda_form": agenda_form, "insight_form": insight_form},
    )


@dataclass(frozen=True)
class _Correctable:
    """What the shared correct/remove pages need to know about one kind of hub record."""

    form_class: type
    name: str  # URL names: "<name>_edit", "<name>_delete"
    list_url: str  # the URL name of the page that lists (and adds) these records
    heading: str  # gettext_lazy: what the page calls one record
    saved: str
    removed: str


CERTIFICATION = _Correctable(
    CertificationForm,
    "innovation:certification",
    "innovation:certifications",
    gettext_lazy("Certification"),
    gettext_lazy("The certification has been saved."),
    gettext_lazy("The certification has been removed."),
)
AGENDA_ITEM = _Correctable(
    AgendaItemForm,
    "innovation:agenda_item",
    "innovation:agenda",
    gettext_lazy("Agenda item"),
    gettext_lazy("The agenda item has been saved."),
    gettext_lazy("The agenda item has been removed."),
)


def _record_context(kind: _Correctable, record, **extra) -> dict:
    column = type(record).version_column
    return {
        "kind": kind,
        "record": record,
        "version_name": column,
        "version_value": getattr(record, column),
        "back_url": reverse(kind.list_url),
        "edit_url": reverse(f"{kind.name}_edit", args=[record.pk]),
        "delete_url": reverse(f"{kind.name}_delete", args=[record.pk]),
        **extra,
    }


def _correct(request, kind: _Correctable, record):
    """Correct a hub record; a stale save changes nothing and shows both versions."""
    template = "innovation/record_form.html"
    if request.method != "POST":
        context = _record_context(kind, record, form=kind.form_class(instance=record))
        return render(request, template, context)
    form = kind.form_class(request.POST, instance=record)
    if not form.is_valid():
        return render(request, template, _record_context(kind, record, form=form))
    column = type(record).version_column
    try:
        result = update_record(
            form=form, expected_version=posted_version(request, column), by=request.user
        )
    except IntegrityError:
        # A concurrent save took the same (specialist, version) or title after the form checked.
        form.add_error(None, _("Someone else recorded this at the same moment; reload the page."))
        return render(request, template, _record_context(kind, record, form=form))
    if not isinstance(result, Conflict):
        messages.success(request, kind.saved)
        return redirect(kind.list_url)
    current = result.current
    conflict, fresh = conflict_form(form, current)
    context = _record_context(kind, current, form=fresh, conflict=conflict)
    return render(request, template, context, status=409)


def _remove(request, kind: _Correctable, record):
    """Ask before removing; a record changed since the question was asked is not removed."""
    template = "innovation/record_delete.html"
    if request.method != "POST":
        return render(request, template, _record_context(kind, record))
    column = type(record).version_column
    result = delete_record(instance=record, expected_version=posted_version(request, column))
    if isinstance(result, Conflict):
        error = _("Someone changed this record in the meantime; check it before removing it.")
        context = _record_context(kind, result.current, error=error)
        return render(request, template, context, status=409)
    messages.success(request, kind.removed)
    return redirect(kind.list_url)


def _certification_or_404(pk: int) -> Certification:
    return get_object_or_404(
        Certification.objects.select_related("specialist", "version__product"), pk=pk
    )


@require_roles(Role.HUB)
def certification_edit(request, pk: int):
    """The hub corrects a certification's specialist, version or dates (as it adds them)."""
    return _correct(request, CERTIFICATION, _certification_or_404(pk))


@require_roles(Role.HUB)
def certification_delete(request, pk: int):
    """The hub removes a certification recorded by mistake; the history keeps it."""
    return _remove(request, CERTIFICATION, _certification_or_404(pk))


@require_roles(Role.HUB)
def agenda_item_edit(request, pk: int):
    return _correct(request, AGENDA_ITEM, get_object_or_404(AgendaItem.objects, pk=pk))


@require_roles(Role.HUB)
def agenda_item_delete(request, pk: int):
    return _remove(request, AGENDA_ITEM, get_object_or_404(AgendaItem.objects, pk=pk))


@require_roles(*AGENDA_ROLES)
def knowledge_cycle(request):
    """Kenniscyclus: signal -> insight -> agenda item -> product version, both ways."""
    insights = Insight.objects.prefetch_related(
        "signals__region", "agenda_items__product_versions__product"
    )
    signal_pk = int_or_none(request.GET.get("signaal"))
    version_pk = int_or_none(request.GET.get("versie"))
    if signal_pk:
        insights = insights.filter(signals__pk=signal_pk).distinct()
    if version_pk:
        insights = insights.filter(agenda_items__product_versions__pk=version_pk).distinct()
    return render(
        request,
        "innovation/cycle.html",
        {"insights": insights, "signal_pk": signal_pk, "version_pk": version_pk},
    )
