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
from innovation.access import (
    CATALOGUE_ROLES,
    get_product_for_user,
    products_visible_to,
    sees_drafts,
    versions_visible_to,
)
from innovation.forms import CertificationForm, CriterionForm, ProductForm, ReviewForm, VersionForm
from innovation.models import Certification, ProductVersion, QualityCriterion, VersionStatus
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
        {"product": item, "versions": versions, "version_form": version_form, "hub": hub},
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
