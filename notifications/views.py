from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from notifications.calendar import calendar_for, feed_user, renew_feed
from notifications.models import CalendarFeed


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
