import re

import pghistory
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of DOMAIN.md. One role per user; it decides what they see and change."""

    ADVISER = "regioadviseur", _("Regional adviser")
    PROGRAMME = "programmaleiding", _("Programme management")
    HUB = "innovatiehub", _("Innovation hub")
    SPECIALIST = "maatwerkspecialist", _("Specialist")
    PARTNER = "partner", _("National partner")
    ADMIN = "beheerder", _("Administrator")


# What the audit history keeps of a user: who they are, their role and access, and whether a
# second factor is set up. Not the password hash, the last log-in or the header's copies.
AUDITED_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "organisation",
    "is_active",
    "is_staff",
    "is_superuser",
    "second_factor_enabled",
]


@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    fields=AUDITED_FIELDS,
    model_name="UserEvent",
)
class User(AbstractUser):
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    organisation = models.CharField(
        _("organisation"),
        max_length=100,
        blank=True,
        help_text=_("For partners: SZW, VNG, Cedris or Divosa."),
    )
    # The count the header shows, kept by notifications.services with every notification made
    # or read (a count of the rows, never added to blindly), so no page spends a query on it.
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"), default=0, editable=False
    )
    # The menu's copy of the user's saved dashboard views ([{"id", "name", "query"}, ...]), kept
    # by dashboard.saved in the transaction that changes the rows, so no page spends a query on it.
    saved_views = models.JSONField(_("saved views"), default=list, blank=True, editable=False)
    # Whether the user has a confirmed authenticator app, kept by accounts.twofactor beside the
    # device, so the check after log-in (accounts.middleware) spends no query on it.
    second_factor_enabled = models.BooleanField(
        _("second factor enabled"), default=False, editable=False
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_adviser(self) -> bool:
        return self.role == Role.ADVISER

    @property
    def is_programme(self) -> bool:
        return self.role == Role.PROGRAMME

    @property
    def is_hub(self) -> bool:
        return self.role == Role.HUB

    @property
    def is_specialist(self) -> bool:
        return self.role == Role.SPECIALIST

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def second_factor_required(self) -> bool:
        """Programme management, beheerders and the Innovatiehub see non-public data across all
        regions: they sign in with a second factor (settings.SECOND_FACTOR_REQUIRED_ROLES)."""
        return self.role in settings.SECOND_FACTOR_REQUIRED_ROLES or self.is_superuser


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app. Only its SHA-256 is kept: the
    code itself is shown once, when it is made (accounts.twofactor.make_recovery_codes)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(_("code (SHA-256)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class OidcIdentity(models.Model):
    """The account at the organisation's sign-in service (OpenID Connect) that belongs to a user:
    found by the provider's `sub` at every sign-in after the first (accounts.oidc)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject (sub)"), max_length=255)
    created_at = models.DateTimeField(_("first sign-in"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-in account")
        verbose_name_plural = _("sign-in accounts")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_user_per_oidc_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


# In the order they must be tried: Edge and Opera also call themselves Chrome and Safari.
BROWSERS = [
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("Firefox", "Firefox"),
    ("HeadlessChrome", "Chromium"),
    ("Chrome", "Chrome"),
    ("Version", "Safari"),
]
SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


class SignIn(models.Model):
    """One signed-in session of a user, for the sessions page (accounts.sessions): which browser,
    from where, since when. The row follows its session's key; ending it ends the session."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="sign_ins"
    )
    session_key = models.CharField(_("session"), max_length=40, unique=True, editable=False)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-ins")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def browser(self) -> str:
        """ "Firefox 132 on Windows" from the user agent, as a person names their browser; the
        full text is shown on hover. Empty when nothing is recognised."""
        agent = self.user_agent
        name = next(
            (
                f"{label} {match.group(1)}"
                for token, label in BROWSERS
                if (match := re.search(rf"{token}/(\d+)", agent))
            ),
            "",
        )
        system = next((label for token, label in SYSTEMS if token in agent), "")
        return f"{name} · {system}" if name and system else name or system


class KnownBrowser(models.Model):
    """A browser the user signed in from before, known by a random id in a long-lived cookie of
    which only the SHA-256 is kept; a sign-in from a browser not known yet is told by e-mail."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="known_browsers"
    )
    browser_hash = models.CharField(_("browser (SHA-256)"), max_length=64, editable=False)
    first_seen = models.DateTimeField(_("first seen"), auto_now_add=True)

    class Meta:
        verbose_name = _("known browser")
        verbose_name_plural = _("known browsers")
        constraints = [
            models.UniqueConstraint(fields=["user", "browser_hash"], name="one_row_per_browser")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.first_seen:%Y-%m-%d})"
