"""Maatwerkspecialisten: the list, one profile page, and the version-checked edits on it.

The hub and programme management keep expertise and profile text; the specialist keeps their
own availability. A stale save changes nothing and shows the stored values next to the typed
ones (compare-and-set on the profile's version, as on the region page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import require_roles
from core.records import (
    Conflict,
    conflict_form,
    create_record,
    delete_record,
    posted_version,
    update_record,
)
from monitoring.models import Expertise
from specialists.access import (
    PROFILE_READERS,
    can_edit_availability,
    can_edit_profile,
    get_specialist_for_availability,
    get_specialist_for_profile_edit,
    get_specialist_for_user,
)
from specialists.forms import AvailabilityForm, ProfileForm, UnavailabilityForm
from specialists.models import SpecialistProfile, Unavailability
from specialists.queries import profile_facts, specialist_rows
from specialists.services import ensure_profile

TEMPLATE = "specialists/profile.html"


@require_roles(*PROFILE_READERS)
def profile_list(request):
    """Every specialist with expertise, availability, valid certifications and open work."""
    wanted = request.GET.get("expertise", "")
    return render(
        request,
        "specialists/profiles.html",
        {
            "rows": specialist_rows(request.user, timezone.localdate(), wanted),
            "expertise": list(Expertise),
            "wanted": wanted,
        },
    )


def _profile_context(request, specialist, **forms):
    """Everything the profile page shows; forms passed in (bound, with errors) win."""
    user = request.user
    profile = getattr(specialist, "specialist_profile", None)
    context = {
        **profile_facts(user, specialist, timezone.localdate()),
        "can_edit_profile": can_edit_profile(user),
        "can_edit_availability": can_edit_availability(user, specialist),
        "conflict": None,
    }
    if context["can_edit_profile"]:
        context["profile_form"] = ProfileForm(instance=profile)
    if context["can_edit_availability"]:
        context["availability_form"] = AvailabilityForm(instance=profile)
        context["period_form"] = UnavailabilityForm(profile=profile)
    context.update(forms)
    return context


@login_required
def profile(request, pk: int):
    specialist = get_specialist_for_user(request, pk)
    return render(request, TEMPLATE, _profile_context(request, specialist))


def _save(request, specialist, form_class, form_key: str, success: str):
    """Create the profile or update it with a version check; re-render with errors kept."""
    profile = getattr(specialist, "specialist_profile", None)
    fragment = f"{TEMPLATE}#{form_key}"
    if request.method != "POST":
        context = _profile_context(request, specialist)
        return render(request, fragment if request.htmx else TEMPLATE, context)
    form = form_class(request.POST, instance=profile or SpecialistProfile(user=specialist))
    if form.is_valid():
        if profile is None:
            result = create_record(form=form, by=request.user)
        else:
            result = update_record(
                form=form, expected_version=posted_version(request), by=request.user
            )
        if isinstance(result, Conflict):
            return _render_conflict(request, specialist, form_class, form, form_key, result.current)
        if result is not None:
            messages.success(request, success)
            return redirect("specialists:profile", pk=specialist.pk)
    context = _profile_context(request, specialist, **{form_key: form})
    return render(request, fragment if request.htmx else TEMPLATE, context)


def _render_conflict(request, specialist, form_class, form, form_key, current):
    """Theirs (stored) next to yours (posted); the form keeps yours with the stored version."""
    conflict, fresh = conflict_form(form, current)
    specialist.specialist_profile = current
    context = _profile_context(request, specialist, **{form_key: fresh})
    context["conflict"] = {"form": form_key, **conflict}
    template = f"{TEMPLATE}#{form_key}" if request.htmx else TEMPLATE
    return render(request, template, context, status=200 if request.htmx else 409)


@login_required
def profile_edit(request, pk: int):
    """The hub or programme management changes expertise and profile text."""
    specialist = get_specialist_for_profile_edit(request, pk)
    return _save(request, specialist, ProfileForm, "profile_form", _("The profile has been saved."))


@login_required
def availability_edit(request, pk: int):
    """The specialist changes their own hours per week and availability note."""
    specialist = get_specialist_for_availability(request, pk)
    return _save(
        request,
        specialist,
        AvailabilityForm,
        "availability_form",
        _("Your availability has been saved."),
    )


@login_required
def unavailability_add(request, pk: int):
    specialist = get_specialist_for_availability(request, pk)
    if request.method != "POST":
        context = _profile_context(request, specialist)
        return render(request, f"{TEMPLATE}#period_form" if request.htmx else TEMPLATE, context)
    profile = ensure_profile(specialist=specialist, by=request.user)
    specialist.specialist_profile = profile
    form = UnavailabilityForm(request.POST, profile=profile)
    if form.is_valid() and create_record(form=form, by=request.user) is not None:
        messages.success(request, _("The period has been recorded."))
        return redirect("specialists:profile", pk=specialist.pk)
    context = _profile_context(request, specialist, period_form=form)
    return render(request, f"{TEMPLATE}#period_form" if request.htmx else TEMPLATE, context)


@login_required
@require_POST
def unavailability_delete(request, pk: int, period: int):
    specialist = get_specialist_for_availability(request, pk)
    record = get_object_or_404(Unavailability.objects, pk=period, profile__user=specialist)
    if isinstance(
        delete_record(instance=record, expected_version=posted_version(request)), Conflict
    ):
        messages.error(request, _("This period was changed in the meantime; check it again."))
    else:
        messages.success(request, _("The period has been removed."))
    return redirect("specialists:profile", pk=specialist.pk)
