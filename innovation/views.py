from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from core.access import require_roles
from core.params import int_or_none
from innovation.access import (
    CATALOGUE_ROLES,
    get_product_for_user,
    products_visible_to,
    sees_drafts,
    versions_visible_to,
)
from innovation.forms import (
    AgendaItemForm,
    CertificationForm,
    CriterionForm,
    InsightForm,
    ProductForm,
    ReviewForm,
    VersionForm,
)
from innovation.models import (
    AgendaItem,
    Certification,
    Insight,
    ProductVersion,
    QualityCriterion,
    VersionStatus,
)
from innovation.services import failing_criteria, latest_reviews, publish_version, record_review

CERTIFICATION_TARGET = (10, 20)
EXPIRY_WARNING_DAYS = 60


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
        form = ProductForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            product = form.save(commit=False)
            product.owner = request.user
            product.save()
            messages.success(request, _("The product has been added."))
            return redirect("innovation:product", pk=product.pk)
    elif request.method == "POST":
        raise Http404
    return render(request, "innovation/catalogue.html", {"products": products, "form": form})


@login_required
def product(request, pk: int):
    item = get_product_for_user(request, pk)
    hub = request.user.role == Role.HUB
    version_form = VersionForm(request.POST or None, product=item) if hub else None
    if request.method == "POST":
        if not hub:
            raise Http404
        if version_form.is_valid():
            version_form.save()
            messages.success(request, _("The new version has been added as a draft."))
            return redirect("innovation:product", pk=item.pk)
    versions = []
    criteria = list(QualityCriterion.objects.filter(active=True))
    for version in versions_visible_to(request.user, item).order_by("-pk"):
        latest = latest_reviews(version) if sees_drafts(request.user) else {}
        versions.append(
            {
                "version": version,
                "reviews": [(c, latest.get(c.pk)) for c in criteria],
                "failing": failing_criteria(version) if sees_drafts(request.user) else [],
                "review_form": ReviewForm(prefix=f"v{version.pk}") if hub else None,
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
        },
    )


@require_roles(Role.HUB)
@require_POST
def version_action(request, pk: int):
    try:
        version = ProductVersion.objects.select_related("product").get(pk=pk)
    except ProductVersion.DoesNotExist:
        raise Http404 from None
    try:
        if request.POST.get("action") == "publish":
            publish_version(version=version, by=request.user)
            messages.success(request, _("The version has been published."))
        else:
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
    form = CriterionForm(request.POST or None) if request.user.role == Role.HUB else None
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
    form = CertificationForm(request.POST or None) if request.user.role == Role.HUB else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, _("The certification has been recorded."))
            return redirect("innovation:certifications")
    today = timezone.localdate()
    items = list(Certification.objects.select_related("specialist", "version__product"))
    valid = [c for c in items if c.expires_on >= today]
    return render(
        request,
        "innovation/certifications.html",
        {
            "certifications": items,
            "form": form,
            "today": today,
            "qualified": len({c.specialist_id for c in valid}),
            "target_low": CERTIFICATION_TARGET[0],
            "target_high": CERTIFICATION_TARGET[1],
            "expiring": [
                c for c in valid if c.expires_on <= today + timedelta(days=EXPIRY_WARNING_DAYS)
            ],
        },
    )


@require_roles(Role.HUB, Role.PROGRAMME)
def agenda(request):
    """Innovatieagenda 2026-2027, with the insights that motivate each item."""
    hub = request.user.role == Role.HUB
    agenda_form = AgendaItemForm(request.POST or None, prefix="agenda") if hub else None
    insight_form = InsightForm(request.POST or None, prefix="insight") if hub else None
    if request.method == "POST":
        if not hub:
            raise PermissionDenied
        form = agenda_form if "agenda" in request.POST else insight_form
        if form.is_valid():
            item = form.save(commit=False)
            if form is agenda_form:
                item.owner = request.user
            item.save()
            form.save_m2m()
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


@require_roles(Role.HUB, Role.PROGRAMME)
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
