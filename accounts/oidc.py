"""Single sign-on with OpenID Connect (mozilla-django-oidc), configured from the environment.

The provider's endpoints come from its discovery document (``<issuer>/.well-known/openid-
configuration``), read when someone signs in and kept for an hour; an endpoint set in the
environment wins. The ID token is checked as OpenID Connect Core 3.1.3.7 asks: signature (the
provider's keys), issuer, audience (and ``azp`` when there are several), expiry, nonce; the state
is used once. A user is found by the provider's ``sub`` (remembered at the first sign-in) or by a
verified e-mail address; someone new gets an account without a role and waits for a beheerder,
who is told. With OIDC_TRUST_PROVIDER_MFA, an ID token whose ``amr`` names a second factor counts
as the second factor here.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.dispatch import Signal
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import sessions
from accounts.models import OidcIdentity, Role
from accounts.twofactor import Method, mark_passed

__all__ = [
    "Backend",
    "CallbackView",
    "StartView",
    "access_requested",
    "enabled",
    "end_session_url",
]

logger = logging.getLogger(__name__)

# Sent when someone signs in for the first time and has no role yet (notifications tells the
# beheerders): sender=User, user=<the new user>.
access_requested = Signal()

# The settings mozilla-django-oidc reads, and the discovery document's names for them.
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_LOGOUT_ENDPOINT": "end_session_endpoint",
}


class Refused(SuspiciousOperation):
    """A sign-in the provider vouched for but we do not accept; the message is for the user."""


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def discovery() -> dict:
    """The provider's discovery document; its issuer must be the configured one."""
    key = f"oidc-discovery:{settings.OIDC_ISSUER}"
    document = cache.get(key)
    if document is None:
        url = settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        if document.get("issuer") != settings.OIDC_ISSUER:
            raise Refused(
                _("The sign-in service presents itself as another issuer than the one configured.")
            )
        cache.set(key, document, 60 * 60)
    return document


def endpoint(setting: str) -> str:
    explicit = getattr(settings, setting, "")
    if explicit or not enabled():
        return explicit
    return discovery().get(ENDPOINTS[setting], "")


def _get_settings(attr, *args):
    if attr in ENDPOINTS:
        return endpoint(attr)
    return import_from_settings(attr, *args)


class Backend(OIDCAuthenticationBackend):
    """Checks the ID token in full and finds or makes the user (see the module's docstring).
    Cheap to make: Django makes a backend for every log-in and every request's user, so the
    endpoints are looked up only when a sign-in is completed."""

    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_IDP_SIGN_KEY = None

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    get_settings = staticmethod(_get_settings)

    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: endpoint("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: endpoint("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: endpoint("OIDC_OP_JWKS_ENDPOINT"))

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "code" not in request.GET:
            return None
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """The signature and the claims of OpenID Connect Core 3.1.3.7 (the nonce is checked
        after this, by mozilla-django-oidc)."""
        try:
            claims = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=settings.OIDC_LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.ExpiredSignatureError:
            raise Refused(_("The sign-in has expired. Please sign in again.")) from None
        except jwt.InvalidAudienceError:
            raise Refused(_("The sign-in was meant for another application.")) from None
        except jwt.InvalidIssuerError:
            raise Refused(_("The sign-in comes from another sign-in service.")) from None
        except jwt.InvalidTokenError as error:
            logger.warning("OIDC ID token refused: %s", error)
            raise Refused(_("The sign-in could not be verified.")) from None
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise Refused(_("The sign-in was meant for another application."))
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        """mozilla-django-oidc logs a refusal from here and returns no user; the reason is kept
        on the request for the callback's message."""
        try:
            return self._find_or_make_user(access_token, id_token, payload)
        except Refused as refusal:
            self.request.oidc_refusal = str(refusal)
            raise

    def _find_or_make_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload["sub"]:
            raise Refused(_("The sign-in could not be verified."))
        identity = (
            OidcIdentity.objects.filter(issuer=payload["iss"], subject=payload["sub"])
            .select_related("user")
            .first()
        )
        with transaction.atomic():
            if identity is not None:
                user = identity.user
            else:
                user = self._by_verified_email(claims)
                OidcIdentity.objects.create(
                    user=user, issuer=payload["iss"], subject=payload["sub"]
                )
            user = self._with_role_claim(user, claims)
        if not user.is_active:
            raise Refused(_("This account is blocked. Ask the administrator."))
        self.request.session["oidc_amr"] = list(payload.get("amr") or [])
        return user

    def _by_verified_email(self, claims: dict):
        email = (claims.get("email") or "").strip()
        if not email or claims.get("email_verified") not in (True, "true"):
            raise Refused(
                _(
                    "Your organisation's account has no verified e-mail address, so Regiomonitor "
                    "cannot tell who you are. Ask your organisation's administrator to verify it."
                )
            )
        users = list(self.UserModel.objects.filter(email__iexact=email)[:2])
        if len(users) > 1:
            raise Refused(
                _("More than one account has this e-mail address. Ask the administrator.")
            )
        if users:
            return users[0]
        user = self.UserModel.objects.create_user(
            username=self._free_username(email),
            email=email,
            first_name=(claims.get("given_name") or "")[:150],
            last_name=(claims.get("family_name") or "")[:150],
        )
        if not self._role_from(claims):
            access_requested.send(sender=type(user), user=user)
        return user

    def _free_username(self, email: str) -> str:
        base = email.lower()[:140]
        username, n = base, 1
        while self.UserModel.objects.filter(username=username).exists():
            n += 1
            username = f"{base}-{n}"
        return username

    @staticmethod
    def _role_from(claims: dict) -> str:
        if not settings.OIDC_ROLE_CLAIM:
            return ""
        value = claims.get(settings.OIDC_ROLE_CLAIM)
        return value if value in Role.values else ""

    def _with_role_claim(self, user, claims: dict):
        """The provider's role claim, when configured and naming a role, sets the user's role
        at every sign-in (a change at the organisation follows here)."""
        role = self._role_from(claims)
        if role and user.role != role:
            self.UserModel.objects.filter(pk=user.pk).update(role=role)
            user.role = role
        return user


class StartView(OIDCAuthenticationRequestView):
    """Off to the provider (a 404 while single sign-on is not configured)."""

    get_settings = staticmethod(_get_settings)

    def get(self, request):
        if not enabled():
            raise Http404
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: refusals become a Dutch message on the log-in page, never an
    error page; a used or unknown state is refused (replay)."""

    get_settings = staticmethod(_get_settings)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except Refused as refusal:
            return self._refused(str(refusal))
        except SuspiciousOperation:
            return self.login_failure()  # an unknown state: used before, or not this browser's
        except requests.RequestException:
            logger.exception("OIDC provider unreachable during the callback")
            return self._refused(
                _("The sign-in service cannot be reached right now. Try again in a moment.")
            )

    def _refused(self, message: str):
        self.request.oidc_refusal = message
        return self.login_failure()

    @property
    def failure_url(self):
        return reverse("login")

    def login_failure(self):
        if self.request.GET.get("error"):
            message = _("Signing in with your organisation was cancelled.")
        else:
            message = getattr(self.request, "oidc_refusal", None) or _(
                "This sign-in link was already used or does not belong to this browser. "
                "Please sign in again."
            )
        messages.error(self.request, message)
        return super().login_failure()

    def login_success(self):
        amr = set(self.request.session.get("oidc_amr", []))
        response = sessions.signed_in(self.request, self.user, super().login_success())
        if settings.OIDC_TRUST_PROVIDER_MFA and amr & set(settings.OIDC_MFA_AMR_VALUES):
            mark_passed(self.request, method=Method.PROVIDER)
        return response


def end_session_url(request, id_token: str) -> str:
    """The provider's end-session address (RP-initiated logout), back to our log-in page."""
    end = endpoint("OIDC_OP_LOGOUT_ENDPOINT") if enabled() else ""
    if not end or not id_token:
        return ""
    return (
        end
        + ("&" if "?" in end else "?")
        + urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
            }
        )
    )
