import sys

from django.contrib.auth.decorators import login_required
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache

from accounts.models import Role
from core.access import require_roles
from core.health import check_broker, check_database, check_workers, extra_checks, label_of

LANDING_PAGES = {
    Role.ADVISER: "regions:portfolio",
    Role.PROGRAMME: "dashboard:index",
    Role.HUB: "dashboard:index",
    Role.SPECIALIST: "specialists:list",
    Role.PARTNER: "dashboard:national",
    Role.ADMIN: "admin:index",
}


@login_required
def home(request):
    """Each role lands on its own starting page."""
    if request.user.is_superuser and not request.user.role:
        return redirect("admin:index")
    landing = LANDING_PAGES.get(request.user.role)
    if landing is None:
        return render(request, "core/no_role.html", status=403)
    return redirect(landing)


def about(request):
    """Sources and licences of the reference data; public."""
    return render(request, "core/about.html")


@never_cache
@require_roles(Role.PROGRAMME, Role.ADMIN)
def health(request):
    checks = [check_database(), check_broker(), check_workers(), *extra_checks()]
    rows = [(check, label_of(check.name)) for check in checks]
    return render(request, "core/health.html", {"rows": rows, "healthy": all(c.ok for c in checks)})


@never_cache
def liveness(request):
    """For container health checks: the process answers and reaches its database. No details."""
    ok = check_database().ok
    return HttpResponse(
        "ok" if ok else "unavailable", status=200 if ok else 503, content_type="text/plain"
    )


def server_error(request):
    """Django's 500 handler, except when the database cannot be reached (restarting, failing
    over): then a 503 that says so and when to try again. Renders without the database."""
    error = sys.exc_info()[1]
    if isinstance(error, (OperationalError, InterfaceError)):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)
