from django.urls import reverse

from dashboard.views import DASHBOARD_ROLES
from dashboard.views_saved import dashboard_url, normalise


def saved_views(request):
    """The user's saved views for the menu, from the copy on their row (no query); on the
    dashboard the one whose filters are the page's is marked current."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in DASHBOARD_ROLES:
        return {}
    on_dashboard = request.path == reverse("dashboard:index")
    current = normalise(request.GET) if on_dashboard else None
    entries = [
        {
            "name": view["name"],
            "url": dashboard_url(view["query"]),
            "current": view["query"] == current,
        }
        for view in user.saved_views
    ]
    return {
        "saved_views_menu": entries,
        "saved_views_current": any(entry["current"] for entry in entries),
        "saved_views_in_menu": True,
    }
