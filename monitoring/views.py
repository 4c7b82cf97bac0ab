from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from monitoring.forms import ProgressUpdateForm
from monitoring.queries import current_quarter, recent_updates
from monitoring.services import record_progress_update
from regions.access import get_rw_region_for_user


@login_required
def progress_update_create(request, code: str):
    """Record a voortgangsupdate; inline on the region page with htmx, a plain page without."""
    region = get_rw_region_for_user(request, code)
    if request.method == "POST":
        form = ProgressUpdateForm(request.POST)
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
                return render(request, "regions/detail.html#progress", context)
            return redirect(region)
    else:
        year, quarter = current_quarter(timezone.localdate())
        form = ProgressUpdateForm(initial={"year": year, "quarter": quarter})
    template = "monitoring/progress_form.html"
    if request.htmx:
        template += "#form"
    return render(request, template, {"region": region, "form": form})
