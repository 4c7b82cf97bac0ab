"""Regiomonitor settings: one module, every value read from the environment.

Defaults suit a local run against the private PostgreSQL and Redis that ``make demo`` and
``make test`` start (see scripts/services.sh). A deployment sets DEBUG=false, SECRET_KEY,
ALLOWED_HOSTS, HTTPS=true, DATABASE_URL and REDIS_URL; nothing here depends on anything else.
"""

import re
from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = BASE_DIR / ".local"

DEBUG = env_bool("DEBUG", default=False)
# Served over HTTPS, behind a proxy that sets X-Forwarded-Proto (true in every deployment).
HTTPS = env_bool("HTTPS", default=False)
# A deployment (HTTPS=true) must bring its own key: no start-up with the development key.
SECRET_KEY = env_str(
    "SECRET_KEY", default=None if HTTPS else "django-insecure-local-development-only"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

# With HTTPS: cookies only over TLS, HSTS, plain http redirected.
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from our own
# origin, no inline code and no eval. htmx's indicator styles and eval are off (the htmx-config
# meta in templates/base.html; .htmx-indicator lives in static/css/regiomonitor.css); charts and
# maps are SVG styled by classes. tests/browser/test_csp.py loads the pages and fails on any
# violation. Logging out of single sign-on posts to us and is sent on to the provider's
# end-session page: a form's redirect counts for form-action, so the provider's origin is named.
_SSO_ORIGIN = "/".join(env_str("OIDC_ISSUER", default="").split("/")[:3])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF, *([_SSO_ORIGIN] if _SSO_ORIGIN else [])],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

INSTALLED_APPS = [
    "config.apps.RegiomonitorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pgtrigger",
    "pghistory",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "regions",
    "monitoring",
    "specialists",
    "reporting",
    "innovation",
    "notifications",
    "dashboard",
    "imports",
    "search",
    "discussion",
    "workspace",
    "api",
    "core",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.HtmxSessionExpiredMiddleware",
    "axes.middleware.AxesMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.RoleRequiredMiddleware",
    "pghistory.middleware.HistoryMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "dashboard.context_processors.saved_views",
                "search.context_processors.search_field",
            ],
        },
    },
]

DATABASES = {
    "default": {
        **env_database(
            "DATABASE_URL",
            default="postgres://regiomonitor:regiomonitor@127.0.0.1:"
            f"{env_int('REGIOMONITOR_PG_PORT', default=55432)}/regiomonitor",
        ),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
        "ATOMIC_REQUESTS": False,
    }
}
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The defaults are the private servers of scripts/services.sh, on their ports.
REDIS_URL = env_str(
    "REDIS_URL", default=f"redis://127.0.0.1:{env_int('REGIOMONITOR_REDIS_PORT', default=56379)}/0"
)

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rendered sections of region pages (monitoring/fragments.py), per process. A key names the
    # data it shows, so an entry is never stale, only unused; the oldest go first past the limit.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "TIMEOUT": env_int("FRAGMENT_CACHE_SECONDS", default=6 * 3600),
        "OPTIONS": {"MAX_ENTRIES": env_int("FRAGMENT_CACHE_ENTRIES", default=4000)},
    },
    # The dashboard's and results page's content (core/pagecache.py), per process. A key names
    # the database state it was read from; a page is some hundreds of kB at 350 regions.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "TIMEOUT": env_int("PAGE_CACHE_SECONDS", default=6 * 3600),
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", default=64)},
    },
    # The API's rate limits (api/throttling.py), shared by every process in Redis, so a limit
    # holds however many gunicorn workers serve the API. A Redis outage lifts the limits for
    # its duration rather than failing requests; the short timeouts keep it from hanging one.
    "throttle": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "regiomonitor-throttle",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.oidc.Backend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 2.1.1: at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Login rate limiting (django-axes): after 5 failures for a username from one address, wait.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False  # lockouts are reset with `manage.py axes_reset`

# Second factor (django-otp's TOTP devices, recovery codes of our own, stored hashed): required
# right after log-in for these roles, optional for the others (BIO / ASVS level 2). "none" makes
# it optional for every role.
_ROLES = {
    "regioadviseur",
    "programmaleiding",
    "innovatiehub",
    "maatwerkspecialist",
    "partner",
    "beheerder",
}
SECOND_FACTOR_REQUIRED_ROLES = [
    role
    for role in env_list(
        "SECOND_FACTOR_REQUIRED_ROLES", default=["programmaleiding", "beheerder", "innovatiehub"]
    )
    if role != "none"
]
if not set(SECOND_FACTOR_REQUIRED_ROLES) <= _ROLES:
    raise ImproperlyConfigured(
        f"SECOND_FACTOR_REQUIRED_ROLES names unknown roles: "
        f"{sorted(set(SECOND_FACTOR_REQUIRED_ROLES) - _ROLES)}"
    )
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", default="Regiomonitor")
# A wrong code makes the next try wait 1, 2, 4 … seconds (django-otp); five wrong codes in a row
# lock the account for this address as five wrong passwords do (django-axes, above).
OTP_TOTP_THROTTLE_FACTOR = 1
RECOVERY_CODE_COUNT = 10

# Single sign-on with OpenID Connect (accounts/oidc.py, mozilla-django-oidc): on when OIDC_ISSUER
# is set. The endpoints come from the issuer's discovery document unless set here. Password
# log-in stays for the demo and for installations without SSO; PASSWORD_LOGIN=false ends it.
OIDC_ISSUER = env_str("OIDC_ISSUER", default="")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", default="openid email profile")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT", default="")
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_END_SESSION_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for the provider's log-out (id_token_hint)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_LEEWAY_SECONDS = env_int("OIDC_LEEWAY_SECONDS", default=60)
# A claim that names the user's role (one of accounts.models.Role's values), when the
# organisation keeps roles; without it a beheerder gives new users their role.
OIDC_ROLE_CLAIM = env_str("OIDC_ROLE_CLAIM", default="")
# Trust the provider's own second factor: an ID token whose `amr` holds one of these values
# (RFC 8176) passes the second factor here too.
OIDC_TRUST_PROVIDER_MFA = env_bool("OIDC_TRUST_PROVIDER_MFA", default=False)
OIDC_MFA_AMR_VALUES = env_list("OIDC_MFA_AMR_VALUES", default=["mfa", "otp", "hwk", "swk"])
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "login"
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", default=True)

# Audit history (django-pghistory): database triggers record every insert, update and delete of
# tracked models with the user and URL of the request; the event tables are append-only.
PGHISTORY_APPEND_ONLY = True

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = LOCAL_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht", BASE_DIR / "node_modules/@utrecht/component-library-css/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Uploaded files live outside the web root and are only served through access-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(LOCAL_DIR / "media")))
DOSSIER_MAX_UPLOAD_MB = env_int("DOSSIER_MAX_UPLOAD_MB", default=15)
# Four eyes: whoever froze a quarter or made its report does not approve it, and a product
# version's author does not review it. Off only for an installation run by one person.
FOUR_EYES = env_bool("FOUR_EYES", default=True)
# Uploads above this size go to a temporary file rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Spreadsheet imports (imports/): the largest file, the most rows, and the most rows checked
# and written while the user waits; a larger file is checked and written by a Celery task.
IMPORT_MAX_UPLOAD_MB = env_int("IMPORT_MAX_UPLOAD_MB", default=10)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", default=10000)
IMPORT_SYNC_ROWS = env_int("IMPORT_SYNC_ROWS", default=300)

# E-mail: an SMTP server from the environment (the usual Django variables); without one, the
# local server that `make demo` starts (MailDev, with a web inbox). Every message goes through
# the outbox (notifications/models.py), never straight from a request.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", default="127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", default=env_int("REGIOMONITOR_SMTP_PORT", default=1025))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS) or EMAIL_USE_SSL, not both.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", default="Regiomonitor <noreply@regiomonitor.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address e-mails link to (they are sent by workers, outside any request).
SITE_URL = env_str("SITE_URL", default="http://127.0.0.1:8000")
# An unsubscribe link in an e-mail works this long (it needs no log-in: it is signed).
UNSUBSCRIBE_MAX_AGE_DAYS = env_int("UNSUBSCRIBE_MAX_AGE_DAYS", default=90)
# A published report is attached to the partners' e-mail up to this size; above it the e-mail
# holds a personal download link instead (signed, expiring after REPORT_LINK_MAX_AGE_DAYS).
MAIL_ATTACHMENT_MAX_BYTES = env_int("MAIL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
REPORT_LINK_MAX_AGE_DAYS = env_int("REPORT_LINK_MAX_AGE_DAYS", default=90)

# Celery: Redis broker; a task is acknowledged only after it ran, and given back when the worker
# dies; one message at a time per process; a publish to an unreachable broker gives up quickly.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", default=270)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Must exceed the hard time limit, or Redis hands a running task to a second worker.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # How often a worker looks for messages of a dead worker older than the visibility timeout.
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    # The lock a worker holds while it looks: a worker killed in that moment leaves it held, and
    # no worker looks again until it expires (kombu's default, 300 s).
    "unacked_mutex_expire": env_int("CELERY_UNACKED_MUTEX_EXPIRE", default=300),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 2,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# PDFs and exports have their own queue, served by a worker with concurrency 1 (one render uses
# one core); everything else goes to "default".
PDF_QUEUE = env_str("PDF_QUEUE", default="pdf")
# Outgoing e-mail (notifications/tasks.py) goes to "default" unless MAIL_QUEUE says otherwise.
MAIL_QUEUE = env_str("MAIL_QUEUE", default="default")
# Large spreadsheet imports (imports/tasks.py) go to "default" unless IMPORT_QUEUE says otherwise.
IMPORT_QUEUE = env_str("IMPORT_QUEUE", default="default")
# Reading an uploaded document's text for search (core/tasks.py) goes to "default" unless
# TEXT_QUEUE says otherwise.
TEXT_QUEUE = env_str("TEXT_QUEUE", default="default")
CELERY_TASK_ROUTES = {
    "imports.process": {"queue": IMPORT_QUEUE},
    "core.extract_text": {"queue": TEXT_QUEUE},
    "reporting.render_report": {"queue": PDF_QUEUE},
    "reporting.export_dossier": {"queue": PDF_QUEUE},
    "notifications.send_message": {"queue": MAIL_QUEUE},
}
# What a worker serving a queue loads before it forks its pool processes (config/celery.py).
WORKER_WARM_UP = {PDF_QUEUE: "reporting.pdf.warm_up"}
# Jobs (reports, dossier exports): the database is the source of truth, the broker only carries
# messages. Every JOBS_RECONCILE_SECONDS a task (core/jobs.py) sends again each job whose
# message never reached the broker or that has waited JOBS_RESEND_AFTER_SECONDS since it was
# last sent (a Redis restart without its data loses messages), and takes back a job that has
# been running for JOBS_LEASE_SECONDS: past the hard time limit its worker is gone. The claim in
# the task makes a second message for the same job harmless. A job waiting longer than
# JOBS_RESEND_AFTER_SECONDS says so on its card.
JOBS_RECONCILE_SECONDS = env_int("JOBS_RECONCILE_SECONDS", default=60)
JOBS_RESEND_AFTER_SECONDS = env_int("JOBS_RESEND_AFTER_SECONDS", default=300)
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 60)
if JOBS_LEASE_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "JOBS_LEASE_SECONDS must exceed CELERY_TASK_TIME_LIMIT: a running job is only taken "
        "back once its worker's hard time limit has passed."
    )
CELERY_BEAT_SCHEDULE = {
    # The first days after each quarter: freeze it and render its report (a concept). Freezing
    # is idempotent, so the runs after the first change nothing; they catch up a night on which
    # the scheduler or the broker was down.
    "freeze-previous-quarter": {
        "task": "reporting.freeze_previous_quarter",
        "schedule": crontab(minute=30, hour=1, day_of_month="1-7", month_of_year="1,4,7,10"),
    },
    # Advisers: the weekly digest of their portfolio on Monday morning, and each morning the
    # reminders due 14 and 3 days before a quarter ends (both idempotent per week or day).
    "adviser-digests": {
        "task": "notifications.send_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon"),
    },
    "quarter-reminders": {
        "task": "notifications.send_reminders",
        "schedule": crontab(minute=5, hour=7),
    },
    # Specialists: certifications that expire within 60 days (once per certification and date).
    "certification-warnings": {
        "task": "notifications.warn_certifications",
        "schedule": crontab(minute=10, hour=7),
    },
    # Programme management: regions that turned critical since the previous check.
    "critical-regions": {
        "task": "dashboard.watch_readiness",
        "schedule": crontab(minute="*/15"),
    },
    # Uploaded documents whose text was not read yet (its message lost, or stored before).
    "read-pending-texts": {
        "task": "core.read_pending_texts",
        "schedule": timedelta(minutes=10),
    },
    "reconcile-jobs": {
        "task": "reporting.reconcile_jobs",
        "schedule": timedelta(seconds=JOBS_RECONCILE_SECONDS),
        "options": {"expires": JOBS_RECONCILE_SECONDS},
    },
}

# The API (api/): Django REST framework with the OpenAPI 3 schema of drf-spectacular. Clients
# authenticate with a personal token (Authorization: Bearer …, made on the profile page) or the
# browser's session (with its CSRF check). Rates are requests per user (token or session) and per
# address for requests without a valid credential, as DRF writes them ("120/min", "1000/hour").
API_RATE_USER = env_str("API_RATE_USER", default="120/min")
API_RATE_ANON = env_str("API_RATE_ANON", default="30/min")
for _name, _rate in (("API_RATE_USER", API_RATE_USER), ("API_RATE_ANON", API_RATE_ANON)):
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(f"{_name} must read like 120/min or 1000/hour, not {_rate!r}.")
API_PAGE_SIZE = env_int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", default=200)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": API_PAGE_SIZE,
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.UserRateThrottle",
        "api.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"user": API_RATE_USER, "anon": API_RATE_ANON},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Regiomonitor API",
    "DESCRIPTION": (
        "Read access to everything a user may see in Regiomonitor, with the same access rules "
        "as the pages, and writes of progress updates and route steps with the version check."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ProgressStatusEnum": "monitoring.models.progress.Status",
        "StepStatusEnum": "monitoring.models.route.StepStatus",
    },
    # No badge from validator.swagger.io: the documentation page fetches nothing from elsewhere.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every layout step at INFO; its warnings (refused URLs) still show.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
