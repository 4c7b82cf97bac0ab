from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.access import require_roles
from core.display import hours_display
from core.params import posted
from monitoring.models import Expertise
from regions.access import get_rw_region_for_user, regions_visible_to
from specialists.access import (
    can_assign,
    can_cancel,
    can_report,
    deployments_visible_to,
    get_deployment_for_user,
)
from specialists.forms import AssignForm, ReportForm, RequestForm
from specialists.models import DEPLOYED_STATUSES
from specialists.services import (
    assign_deployment,
    cancel_deployment,
    report_deployment,
    request_deployment,
)


def over_plan_message(deployment) -> str:
    """The warning when the hours log passes the plan: "30 of 24 planned hours: 6 hours more
    than planned" (a warning, not a refusal: the hours were worked)."""
    return _("%(spent)s of %(planned)s planned hours: %(over)s hours more than planned.") % {
        "spent": hours_display(deployment.spent_hours),
        "planned": hours_display(deployment.planned_hours),
        "over": hours_display(deployment.hours_over_plan),
    }


@login_required
def deployment_request(request, code: str):
    """The region's adviser asks for a specialist's expertise (optionally for a route step)."""
    region = get_rw_region_for_user(request, code)
    form = RequestForm(posted(request), region=region)
    if request.method == "POST" and form.is_valid():
        try:
            request_deployment(
                region=region,
                expertise=form.cleaned_data["expertise"],
                route_step=form.cleaned_data["route_step"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The request for expertise has been sent."))
            return redirect(f"{region.get_absolute_url()}#inzet")
    return render(request, "specialists/request.html", {"region": region, "form": form})


@require_roles(Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST)
def deployment_list(request):
    """Which expertise was used where and when, what is waiting, and the expertise x region
    matrix. A specialist sees only their own deployments."""
    deployments = list(
        deployments_visible_to(request.user)
        .select_related("region", "specialist", "route_step", "requested_by")
        .defer("region__svg_path", "region__bbox")
    )
    regions = list(regions_visible_to(request.user).defer("svg_path", "bbox").order_by("name"))
    counts = Counter(
        (d.region_id, d.expertise) for d in deployments if d.status in DEPLOYED_STATUSES
    )
    matrix = [
        (region, [counts.get((region.pk, e.value), 0) for e in Expertise]) for region in regions
    ]
    return render(
        request,
        "specialists/list.html",
        {
            "deployments": deployments,
            "waiting": [d for d in deployments if d.is_waiting_too_long],
            "expertise": list(Expertise),
            "matrix": matrix,
        },
    )


@login_required
def deployment_detail(request, pk: int):
    deployment = get_deployment_for_user(request, pk)
    assign_form = (
        AssignForm(deployment=deployment) if can_assign(request.user, deployment) else None
    )
    report_form = (
        ReportForm(
            initial={
                "day": timezone.localdate(),
                "progress": deployment.progress,
                "result": deployment.result,
            }
        )
        if can_report(request.user, deployment)
        else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "assign":
                if assign_form is None:
                    raise PermissionDenied
                assign_form = AssignForm(request.POST, deployment=deployment)
                if assign_form.is_valid():
                    assign_deployment(
                        deployment=deployment, by=request.user, **assign_form.cleaned_data
                    )
                    messages.success(request, _("The specialist has been assigned."))
                    return redirect("specialists:detail", pk=deployment.pk)
            elif action == "report":
                if report_form is None:
                    raise PermissionDenied
                report_form = ReportForm(request.POST)
                if report_form.is_valid():
                    deployment = report_deployment(
                        deployment=deployment, by=request.user, **report_form.cleaned_data
                    )
                    messages.success(request, _("Your report has been saved."))
                    if deployment.hours_over_plan:
                        messages.warning(request, over_plan_message(deployment))
                    return redirect("specialists:detail", pk=deployment.pk)
            elif action == "cancel":
                if not can_cancel(request.user, deployment):
                    raise PermissionDenied
                cancel_deployment(deployment=deployment, by=request.user)
                messages.success(request, _("The deployment has been cancelled."))
                return redirect("specialists:detail", pk=deployment.pk)
            else:
                raise PermissionDenied
        except ValidationError as error:
            target = assign_form if action == "assign" else report_form
            if target is not None:
                target.add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
    return render(
        request,
        "specialists/detail.html",
        {
            "deployment": deployment,
            "hours_log": list(deployment.hours_entries.select_related("recorded_by")),
            "over_plan": over_plan_message(deployment) if deployment.hours_over_plan else "",
            "assign_form": assign_form,
            "report_form": report_form,
            "can_cancel": can_cancel(request.user, deployment),
        },
    )
