from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts.twofactor import has_passed

# What a signed-in user may reach before passing the second factor: the second-factor pages,
# logging out, the language switch and the health probe.
OPEN_BEFORE_SECOND_FACTOR = {
    "accounts:second_factor",
    "accounts:second_factor_setup",
    "logout",
    "set_language",
    "core:liveness",
}
# What a signed-in user without a role (new through single sign-on) may reach.
OPEN_WITHOUT_ROLE = {"accounts:waiting", "logout", "set_language", "core:liveness"}


def _gate(request, url: str):
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


class RoleRequiredMiddleware:
    """Someone who signed in through their organisation for the first time has no role yet and
    reaches only the waiting page until a beheerder gives one (accounts.oidc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.role or user.is_superuser:
            return None
        if request.resolver_match.view_name in OPEN_WITHOUT_ROLE:
            return None
        return _gate(request, reverse("accounts:waiting"))


class SecondFactorMiddleware:
    """Right after log-in, before any other page: a user with an authenticator app, or whose
    role requires one, passes the second factor first (accounts.twofactor). Reads the session
    and the user row only, so pages spend no query on it. API requests with a personal token
    carry no session user and pass here; the token is the credential."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or has_passed(request):
            return None
        if not (user.second_factor_enabled or user.second_factor_required):
            return None
        if request.resolver_match.view_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        target = (
            "accounts:second_factor"
            if user.second_factor_enabled
            else ("accounts:second_factor_setup")
        )
        url = reverse(target)
        if request.method == "GET" and not getattr(request, "htmx", False):
            url += "?" + urlencode({"next": request.get_full_path()})
        return _gate(request, url)
