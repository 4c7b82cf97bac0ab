from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Role, User
from core.access import require_roles
from notifications.calendar import calendar_for, feed_user, renew_feed
from notifications.forms import PartnerContactForm, PreferencesForm
from notifications.models import CalendarFeed, Delivery, Notification, PartnerContact, Preference
from notifications.services import mark_all_read, mark_read, read_unsubscribe_token
from notifications.topics import TOPICS

PAGE_SIZE = 25


@login_required
def notification_list(request):
    """The user's notifications, newest first; the unread ones stand out."""
    page = Paginator(
        Notification.objects.filter(recipient=request.user).only(
            "pk", "kind", "title", "text", "translations", "created_at", "read_at", "delivery"
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("pagina"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_GET
def notification_open(request, pk: int):
    """Mark the notification read and go to its record."""
    notification = mark_read(request.user, pk)
    if notification is None:
        raise Http404
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications:list")
    return redirect(target)


@login_required
@require_POST
def notifications_read(request):
    changed = mark_all_read(request.user)
    if changed:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def preferences(request):
    """Per kind the user's role is told of: by e-mail at once, in the digest, only here, or
    off."""
    current = dict(Preference.objects.filter(user=request.user).values_list("kind", "delivery"))
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, user=request.user, current=current
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for kind, delivery in form.cleaned_data.items():
                Preference.objects.update_or_create(
                    user=request.user, kind=kind, defaults={"delivery": delivery}
                )
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # the signed token is the key; mail programs post here (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Stop one kind of e-mail without logging in: the link in every e-mail. A GET only asks
    (a link checker must not unsubscribe anyone); the POST does it."""
    payload = read_unsubscribe_token(token)
    contact = user = None
    if payload is not None and "c" in payload:
        contact = PartnerContact.objects.filter(pk=payload["c"]).first()
    elif payload is not None and payload.get("k") in TOPICS:
        user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if contact is None and user is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    kind = TOPICS[payload["k"]].kind if user else None
    done = request.method == "POST"
    if done and contact is not None:
        PartnerContact.objects.filter(pk=contact.pk).update(active=False)
    elif done:
        Preference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": Delivery.OFF}
        )
    context = {"contact": contact, "subscriber": user, "kind": kind, "done": done}
    return render(request, "notifications/unsubscribe.html", context)


@require_roles(Role.PROGRAMME)
def partner_contacts(request):
    """Programme management keeps who at SZW, VNG, Cedris and Divosa receives each published
    quarterly report."""
    form = PartnerContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        contact = form.save()
        messages.success(
            request, _("%(name)s will receive the published reports.") % {"name": contact}
        )
        return redirect("notifications:contacts")
    context = {"form": form, "contacts": PartnerContact.objects.all()}
    return render(request, "notifications/contacts.html", context)


@require_roles(Role.PROGRAMME)
@require_POST
def partner_contact_change(request, pk: int):
    """Stop or resume a contact's reports, or remove the contact."""
    contact = get_object_or_404(PartnerContact, pk=pk)
    action = request.POST.get("actie")
    if action == "verwijderen" and contact.downloads.exists():
        messages.error(
            request,
            _(
                "%(name)s downloaded a report, which the download log keeps; stop their "
                "reports instead of removing them."
            )
            % {"name": contact},
        )
    elif action == "verwijderen":
        contact.delete()
        messages.success(request, _("%(name)s is removed from the list.") % {"name": contact})
    elif action in ("stoppen", "hervatten"):
        contact.active = action == "hervatten"
        contact.save(update_fields=["active"])
    else:
        messages.error(request, _("Choose to stop, resume or remove the contact."))
    return redirect("notifications:contacts")


@login_required
def calendar_page(request):
    """The user's own calendar address: made (or renewed, which ends the old one) by a POST and
    shown once, as only its hash is stored."""
    address = None
    if request.method == "POST":
        token = renew_feed(request.user)
        address = request.build_absolute_uri(reverse("notifications:feed", args=[token]))
    context = {
        "address": address,
        "feed": CalendarFeed.objects.filter(user=request.user).first(),
    }
    return render(request, "notifications/calendar.html", context)


@never_cache
@require_GET
def calendar_feed(request, token: str):
    """The feed itself, for calendar programs (no log-in: the token is the key)."""
    user = feed_user(token)
    if user is None:
        raise Http404
    content = calendar_for(user, request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="regiomonitor.ics"'
    return response
