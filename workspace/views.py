from collections import Counter
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from core.access import require_roles
from core.forms import HistoryFilterForm
from core.history import history_choices, history_entries, history_events
from monitoring.fragments import rendered_sections
from monitoring.freshness import freshness_by_region
from monitoring.models import PlanMilestone
from monitoring.queries import STATUS_ORDER, recent_updates, with_latest_status
from monitoring.sections import PROGRESS, SECTIONS
from monitoring.views import stage_context
from regions.access import can_change_region, get_region_for_user, regions_visible_to
from regions.forms import HandoverForm, StandInForm
from regions.maps import (
    NO_STATUS,
    STATUS_LEGEND,
    national_map,
    region_map,
    shapes_svg,
    shapes_url,
)
from regions.models import Handover, Region, StandIn
from regions.services import add_stand_in, handover_portfolio
from specialists.access import deployments_visible_to
from workspace.changes import changes_in, count_changes
from workspace.forms import ChangesForm
from workspace.visits import previous_visit, record_visit


def _regions_for_overview(queryset):
    # Without outlines: the map draws them from one cached file (regions.maps.shapes_url).
    regions = queryset.select_related("adviser").defer("svg_path")
    return list(with_latest_status(regions).order_by("name"))


@require_roles(Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST)
def overview(request):
    """All regions with their adviser and status; a specialist sees the regions they work in."""
    visible = regions_visible_to(request.user)
    regions = _regions_for_overview(visible)
    href = shapes_url()
    if request.user.role == Role.SPECIALIST:
        all_regions = _regions_for_overview(Region.objects.all())
        svg_map = national_map(
            all_regions, linked_codes={r.code for r in regions}, shapes_href=href
        )
    else:
        svg_map = national_map(regions, shapes_href=href)
    return render(
        request,
        "regions/overview.html",
        {"regions": regions, "map": svg_map, "legend_counts": _status_counts(regions)},
    )


@require_roles(Role.ADVISER)
def portfolio(request):
    """Mijn portefeuille: the adviser's own regions, and those they stand in for today."""
    regions = _regions_for_overview(Region.objects.filter(adviser=request.user))
    today = timezone.localdate()
    stand_ins = list(
        StandIn.objects.filter(
            substitute=request.user, start_date__lte=today, end_date__gte=today
        ).select_related("adviser")
    )
    covering = (
        _regions_for_overview(Region.objects.filter(adviser__in=[s.adviser_id for s in stand_ins]))
        if stand_ins
        else []
    )
    record_visit(user=request.user)
    return render(
        request,
        "regions/portfolio.html",
        {
            "regions": regions,
            "legend_counts": _status_counts(regions),
            "stand_ins": stand_ins,
            "covering": covering,
        },
    )


@login_required
def detail(request, code: str):
    region = get_region_for_user(request, code)
    expand = request.GET.get("toon", "")  # the one part shown in full (record links ask it)
    updates = recent_updates(region, limit=None) if expand == PROGRESS else recent_updates(region)
    context = {
        "region": region,
        "updates": updates,
        "latest": updates[0] if updates else None,
        "can_change": can_change_region(request.user, region),
    }
    # The audit-ready export: programme management and whoever may change the region.
    context["can_export"] = context["can_change"] or request.user.role == Role.PROGRAMME
    # Any opening of the page counts, its refreshed parts too (one visit: workspace/visits.py).
    record_visit(user=request.user, region=region)
    if request.htmx and request.htmx.target == "progress":
        return render(request, "regions/detail.html#progress", context)
    municipalities = list(region.municipalities.order_by("name"))
    sections = rendered_sections(
        request,
        region,
        {m.code: m.name for m in municipalities},
        can_change=context["can_change"],
        expand=expand,
    )
    milestones = list(PlanMilestone.objects.filter(region=region))
    freshness = freshness_by_region([region.pk])[region.pk]
    deployments = list(
        deployments_visible_to(request.user)
        .filter(region=region)
        .select_related("specialist", "route_step", "region")
    )
    context |= {
        "municipalities": municipalities,
        "map": region_map(region, municipalities),
        "population": sum(m.population for m in municipalities),
        "sections": SECTIONS,
        "sections_html": sections,
        "documents": list(region.documents.current().select_related("uploaded_by")),
        "deployments": deployments,
        "waiting": sum(d.is_waiting_too_long for d in deployments),
        "freshness": freshness,
        **stage_context(milestones),
    }
    return render(request, "regions/detail.html", context)


@require_roles(Role.ADVISER, Role.PROGRAMME, Role.HUB, Role.SPECIALIST)
def shapes(request):
    """Every region's outline, for the maps' <use> elements. Asked for with the current version
    (`shapes_url()`), the browser may keep it for good; a new version is a new address."""
    response = HttpResponse(
        shapes_svg(Region.objects.only("code", "svg_path").order_by("code")),
        content_type="image/svg+xml; charset=utf-8",
    )
    current = shapes_url().rpartition("?v=")[2]
    if request.GET.get("v") == current:
        response["Cache-Control"] = "private, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "private, no-cache"
    return response


def _status_counts(regions) -> list[tuple[str, str, int]]:
    counts = Counter(getattr(r, "latest_status", None) or NO_STATUS for r in regions)
    labels = dict(STATUS_LEGEND)
    return [(key, labels[key], counts.get(key, 0)) for key in [*STATUS_ORDER, NO_STATUS]]


HISTORY_PAGE_SIZE = 50


@login_required
def history(request, code: str):
    """Geschiedenis: every change to the region's records, who made it and what changed."""
    region = get_region_for_user(request, code)
    kinds, people = history_choices(region)
    form = HistoryFilterForm(request.GET or None, kinds=kinds, people=people)
    filters = form.filters() if form.is_bound else {}
    page = Paginator(history_events(region, **filters), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "region": region,
        "form": form,
        "page": page,
        "entries": history_entries(list(page.object_list)),
        "page_query": query.urlencode(),
        "filtered": any(filters.values()),
    }
    return render(request, "regions/history.html", context)


@require_roles(Role.PROGRAMME)
def portfolios(request):
    """Programme management hands regions over and arranges stand-ins."""
    handover_form = HandoverForm(prefix="handover")
    stand_in_form = StandInForm(prefix="standin")
    if request.method == "POST":
        if "handover" in request.POST:
            handover_form = HandoverForm(request.POST, prefix="handover")
            if handover_form.is_valid():
                done = handover_portfolio(
                    to_adviser=handover_form.cleaned_data["to_adviser"],
                    regions=handover_form.cleaned_data["regions"],
                    note=handover_form.cleaned_data["note"],
                    by=request.user,
                )
                messages.success(
                    request, _("%(count)s region(s) handed over.") % {"count": len(done)}
                )
                return redirect("regions:portfolios")
        else:
            stand_in_form = StandInForm(request.POST, prefix="standin")
            if stand_in_form.is_valid():
                try:
                    add_stand_in(**stand_in_form.cleaned_data, by=request.user)
                except ValidationError as error:
                    stand_in_form.add_error(None, error)
                else:
                    messages.success(request, _("The stand-in has been recorded."))
                    return redirect("regions:portfolios")
    context = {
        "handover_form": handover_form,
        "stand_in_form": stand_in_form,
        "handovers": Handover.objects.select_related("region", "from_adviser", "to_adviser", "by")[
            :50
        ],
        "stand_ins": StandIn.objects.select_related("adviser", "substitute"),
    }
    return render(request, "regions/portfolios.html", context)


# Without a previous visit, "what changed" starts this many days back.
FIRST_VISIT_DAYS = 7


def _changes_context(request, regions, *, region=None):
    """What changed in `regions` since the reader's previous visit of this page (the region's
    page, or without `region` the portfolio), or since the day they chose."""
    form = ChangesForm(request.GET or None)
    context = {"form": form, "region": region, "regions": regions}
    if form.is_bound and not form.is_valid():
        return context
    chosen = form.cleaned_data.get("sinds") if form.is_bound else None
    own = bool(form.cleaned_data.get("eigen")) if form.is_bound else False
    visit = previous_visit(user=request.user, region=region)
    if chosen:
        since, basis = chosen, "date"
    elif visit:
        since, basis = visit, "visit"
    else:
        since = timezone.localdate() - timedelta(days=FIRST_VISIT_DAYS)
        basis = "first"
    context |= {
        "since": since,
        "basis": basis,
        "own": own,
        "first_visit_days": FIRST_VISIT_DAYS,
    }
    not_by = None if own else request.user.pk
    if request.htmx and request.htmx.target == "changes-summary":
        context["counts"] = count_changes(regions, since=since, not_by=not_by) if regions else None
    else:
        context["changes"] = changes_in(regions, since=since, not_by=not_by) if regions else None
    return context


@login_required
def changes(request, code: str):
    """Wat is er veranderd: a region's changes since the reader's previous visit of its page,
    or since a chosen day; with htmx (`#changes-summary` on the region page) only the counts."""
    region = get_region_for_user(request, code)
    context = _changes_context(request, [region], region=region)
    if request.htmx and request.htmx.target == "changes-summary":
        return render(request, "regions/changes.html#summary", context)
    return render(request, "regions/changes.html", context)


@require_roles(Role.ADVISER)
def portfolio_changes(request):
    """What changed in the adviser's regions (their own and those they stand in for today)
    since their previous visit of the portfolio, or since a chosen day."""
    today = timezone.localdate()
    standing_in_for = StandIn.objects.filter(
        substitute=request.user, start_date__lte=today, end_date__gte=today
    ).values("adviser")
    regions = list(
        Region.objects.filter(Q(adviser=request.user) | Q(adviser__in=standing_in_for))
        .defer("svg_path", "bbox")
        .order_by("name")
    )
    context = _changes_context(request, regions) | {"portfolio": True}
    if request.htmx and request.htmx.target == "changes-summary":
        return render(request, "regions/changes.html#summary", context)
    return render(request, "regions/changes.html", context)
