"""Signing in with a second factor, and the user's own security page."""

from io import BytesIO

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import oidc, sessions, twofactor
from accounts.forms import AppConfirmForm, LoginForm, SecondFactorForm
from accounts.models import SignIn
from core.params import posted

# The pages before the second factor show no menu and no search: nothing is open yet.
GATE = {"nav_items": [], "search_field": False, "gate": True}


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _locked_out(request):
    """Too many wrong codes: the half-open session ends, as a locked password log-in does."""
    logout(request)
    return render(request, "registration/locked_out.html", status=429)


@never_cache
@login_required
def second_factor(request):
    """The code after the password (or after the organisation's log-in)."""
    user = request.user
    if twofactor.has_passed(request):
        return redirect(_next(request))
    if not user.second_factor_enabled:
        return redirect("accounts:second_factor_setup")
    if twofactor.is_locked_out(request, user):
        return _locked_out(request)
    form = SecondFactorForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if twofactor.verify(request, form.cleaned_data["code"]):
            if twofactor.unused_recovery_codes(user) <= 2:
                messages.warning(
                    request,
                    _(
                        "You have few unused recovery codes left. Make new ones on the page "
                        "“Security”."
                    ),
                )
            return redirect(_next(request))
        if twofactor.is_locked_out(request, user):
            return _locked_out(request)
        form.refuse()
    return render(
        request,
        "accounts/second_factor.html",
        {**GATE, "form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def second_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code,
    receive the recovery codes once. Replacing an app needs the second factor passed first."""
    user = request.user
    if user.second_factor_enabled and not twofactor.has_passed(request):
        return redirect("accounts:second_factor")
    if twofactor.is_locked_out(request, user):
        return _locked_out(request)
    form = AppConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_app(request=request, code=form.cleaned_data["code"])
        if codes is not None:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next(request), "first_time": True},
            )
        if twofactor.is_locked_out(request, user):
            return _locked_out(request)
        form.refuse()
    config_url = twofactor.pending_config_url(request)
    secret = config_url.split("secret=", 1)[1].split("&", 1)[0]
    context = {
        "form": form,
        "next": _next(request),
        "qr_svg": _qr_svg(config_url),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "replacing": user.second_factor_enabled,
    }
    if not twofactor.has_passed(request):
        context |= GATE
    return render(
        request,
        "accounts/second_factor_setup.html",
        context,
        status=400 if form.errors else 200,
    )


@never_cache
@login_required
def security(request):
    """The user's own security page: the second factor and its recovery codes."""
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "unused_codes": twofactor.unused_recovery_codes(user)
            if user.second_factor_enabled
            else 0,
            "sign_ins": sessions.active_sign_ins(user),
            "this_session": request.session.session_key,
        },
    )


@require_POST
@login_required
def sign_in_end(request, pk: int):
    """End one of the user's own sessions (someone else's is a 404); ending this one logs out."""
    sign_in = get_object_or_404(SignIn, pk=pk, user=request.user)
    if sign_in.session_key == request.session.session_key:
        return log_out(request)
    sessions.end_sign_in(sign_in)
    messages.success(request, _("The session is ended: that browser is logged out."))
    return redirect("accounts:security")


@require_POST
@login_required
def sign_ins_end_others(request):
    ended = sessions.end_other_sign_ins(request.user, keep=request.session.session_key)
    messages.success(
        request,
        ngettext("%(count)d other session is ended.", "%(count)d other sessions are ended.", ended)
        % {"count": ended},
    )
    return redirect("accounts:security")


@never_cache
@require_POST
@login_required
def recovery_codes_renew(request):
    """New recovery codes in place of the old ones, shown this once."""
    if not request.user.second_factor_enabled:
        return redirect("accounts:security")
    codes = twofactor.make_recovery_codes(user=request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": resolve_url("accounts:security"), "first_time": False},
    )


@require_POST
@login_required
def second_factor_remove(request):
    """Turn an optional second factor off; a required one cannot be (set up a new app instead)."""
    user = request.user
    if user.second_factor_required:
        messages.error(
            request,
            _("Your role requires a second factor; you can set up a new app, not turn it off."),
        )
    elif user.second_factor_enabled:
        twofactor.remove_second_factor(user=user)
        messages.success(request, _("The second factor is turned off."))
    return redirect("accounts:security")


def _qr_svg(data: str) -> str:
    """The QR code of the authenticator app's address as inline SVG (drawn here, nothing is
    fetched); its text alternative is the key typed out beside it."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    out = BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


class LoginView(auth_views.LoginView):
    """The log-in page: the organisation's sign-in (when configured) and the password form
    (unless PASSWORD_LOGIN is off, which refuses a posted password too)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if oidc.enabled():  # the organisation's sign-in comes first on the page, not the name
            form.fields["username"].widget.attrs.pop("autofocus", None)
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            **kwargs, sso=oidc.enabled(), password_login=settings.PASSWORD_LOGIN
        )

    def form_valid(self, form):
        return sessions.signed_in(self.request, form.get_user(), super().form_valid(form))

    def post(self, request, *args, **kwargs):
        if not settings.PASSWORD_LOGIN:
            messages.error(
                request, _("Log in with your organisation's account; passwords are not used here.")
            )
            return redirect("login")
        return super().post(request, *args, **kwargs)


@require_POST
def log_out(request):
    """Log out here and, after a single sign-on, at the organisation's sign-in service too."""
    provider = oidc.end_session_url(request, request.session.get("oidc_id_token", ""))
    sessions.signed_out(request)
    logout(request)
    return redirect(provider or settings.LOGOUT_REDIRECT_URL)


@never_cache
@login_required
def waiting(request):
    """Signed in through the organisation, but no role yet: a beheerder gives one."""
    if request.user.role or request.user.is_superuser:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/waiting.html", GATE)
