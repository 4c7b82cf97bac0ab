"""Gates between log-in and the pages: the second factor, and a role for someone new. Each reads
the session and the user row only, so pages spend no query on them. API requests with a personal
token carry no session user and pass; the token is the credential."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts.twofactor import has_passed


class _Gate:
    """Sends a signed-in user who may not go on yet to `target` (an htmx request by HX-Redirect),
    but for the pages named in `open`."""

    open: frozenset[str] = frozenset()

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def target(self, request) -> str | None:
        raise NotImplementedError

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or request.resolver_match.view_name in self.open:
            return None
        url = self.target(request)
        if url is None:
            return None
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)


class SecondFactorMiddleware(_Gate):
    """Right after log-in, before any other page: a user with an authenticator app, or whose
    role requires one, passes the second factor first (accounts.twofactor)."""

    open = frozenset(
        {
            "accounts:second_factor",
            "accounts:second_factor_setup",
            "logout",
            "set_language",
            "core:liveness",
        }
    )

    def target(self, request) -> str | None:
        user = request.user
        if has_passed(request) or not (user.second_factor_enabled or user.second_factor_required):
            return None
        url = reverse(
            "accounts:second_factor"
            if user.second_factor_enabled
            else "accounts:second_factor_setup"
        )
        if request.method == "GET" and not getattr(request, "htmx", False):
            url += "?" + urlencode({"next": request.get_full_path()})
        return url


class RoleRequiredMiddleware(_Gate):
    """Someone who signed in through their organisation for the first time has no role yet and
    reaches only the waiting page until a beheerder gives one (accounts.oidc)."""

    open = frozenset({"accounts:waiting", "logout", "set_language", "core:liveness"})

    def target(self, request) -> str | None:
        user = request.user
        if user.role or user.is_superuser:
            return None
        return reverse("accounts:waiting")
