"""Settings shared by every environment.

Safe for production as it stands: no secrets, DEBUG off. Environment-specific
modules (dev, test, production) import this and change only what they must.
Every environment variable read anywhere is listed in .env.example.
"""

import os
import zoneinfo
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first so their templates and translations override the libraries'.
    "portal.accounts",
    "portal.union",
    "portal.pages",
    "portal.branches",
    "portal.workplaces",
    "portal.agreements",
    "portal.people",
    "portal.membercard",
    "portal.access",
    "portal.audit",
    "portal.privacy",  # the personal-data registry; apps declare to it
    "portal.adminpanel",
    "portal.messaging",
    "portal.activity",
    "portal.home",
    "portal.api",
    "portal.register",
    "portal.imports",
    "portal.dataquality",
    "portal.customfields",
    "portal.lifeevents",
    "portal.groups",
    "portal.officials",
    "portal.merging",
    "portal.dpo",  # data protection officer: audit-log review (issue 17)
    "portal.contacts",
    "portal.notifications",  # notifications, digests, system messages (issue 18)
    "portal.discussions",  # conversations and messages (issue 18)
    "portal.mapping",  # workplace mapping, potential members, union density (issue 19)
    "portal.campaigns",  # campaign centre, teams, contact log (issue 19)
    "portal.erasure",  # erasure and retention (issue 17): on top, imports every app
    "portal.stepup",
    "portal.terms",
    "portal.identity",
    "portal.passkeys",
    "search",
    "themes",
    # django-ninja (portal/api): installed so that its docs page uses its static files,
    # not scripts from a CDN (the Content-Security-Policy allows only 'self').
    "ninja",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "portal.adminpanel.apps.UnionUsersAppConfig",  # replaces "wagtail.users"
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "guardian",
    "axes",
    "django_otp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Wagtail's widget templates get the request's nonce from here (adminpanel/csp.py).
    "portal.adminpanel.csp.CSPNonceMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.accounts.middleware.BlockedUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.union.middleware.UnionMiddleware",
    # A session counts only on its own union's hostname (the operator's: the platform's);
    # elsewhere request.user is anonymous. Then responses for signed-in users are private.
    "portal.accounts.middleware.TenantUserMiddleware",
    "portal.accounts.middleware.PrivateResponseMiddleware",
    # Instead of Django's LocaleMiddleware: the union's default language needs the union.
    "portal.union.middleware.UnionLocaleMiddleware",
    "portal.audit.middleware.RequestIdMiddleware",
    # The terms of use gate (U-3.1.3): after the tenant's user is known (portal/terms).
    "portal.terms.middleware.TermsGateMiddleware",
    # Ids past BIGINT in any URL are a 404 (not a database error, 500).
    "portal.union.middleware.OutOfRangeIdMiddleware",
    # Admin URLs naming another union's page, image or document are a 404.
    "portal.union.middleware.AdminObjectScopeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A member-only page opened by an account without a profile: an explaining page.
    "portal.people.middleware.NoProfileMiddleware",
    # Last: turns a sign-in refused for too many failures into the paced sign-in page.
    "axes.middleware.AxesMiddleware",
]

# Hostnames of the platform itself (the operator's admin): never a union's site, even if
# a union's site is Wagtail's default. Any hostname that resolves to no union's site is
# the platform's too. Platform operators are signed in only there (docs/architecture.md).
PLATFORM_HOSTNAMES = [host.lower() for host in env_list("PLATFORM_HOSTNAMES")]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.union.context_processors.union",
                # also provides `nav_items` (portal.navigation), computed once per request
                "themes.context_processors.chrome",
                # `system_banners`: system messages for the viewer (portal/notifications)
                "portal.notifications.context_processors.system_banners",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the portal runs short queries, and PostgreSQL's cost estimates
    # for the search fallback's LIKEs over 300,000 people crossed jit_above_cost, so a
    # 57 ms query spent another 450 ms compiling itself (docs/search.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses an account or address locked for too many failures (pacing.py).
    "portal.accounts.backends.PacedBackend",
    # The accounts backend, refusing passwords where the union's sign-in methods do not
    # allow them for the account's role (portal/identity/policy.py).
    "portal.identity.backends.PolicyModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# An email address is unique per union, not across the service (accounts.User): the
# backend above looks an address up only in the site's union, so W004 is handled.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
LOGIN_URL = "accounts:login"
# A signed-in user lands on their personal home (portal/home, docs/home.md).
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "accounts:login"
# Pages restricted to signed-in users send visitors to the union's sign-in too (Wagtail's
# own unbranded form at /_util/login/ only redirects there).
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
# One sign-in page and one password reset, both on the union's own site (portal/accounts):
# Wagtail's reset (admin/password_reset/) would mail any union's account by its address,
# so it is off, and admin/login/ redirects to accounts:login (adminpanel/override_urls.py).
WAGTAIL_PASSWORD_RESET_ENABLED = False
# "Forgot your password?" links work for 2 hours (the person just asked); the invitation
# a new account gets (tokens.InvitationTokenGenerator) for 7 days. Both work once.
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
ACCOUNT_INVITATION_TIMEOUT = 7 * 24 * 60 * 60
# At most one reset email per account per 5 minutes (more requests are answered the same
# but send nothing) and one invitation per account per 10 minutes.
PASSWORD_RESET_EMAIL_INTERVAL = 5 * 60
ACCOUNT_INVITATION_RESEND_INTERVAL = 10 * 60
# Pacing (portal/accounts/pacing.py, docs/sign-in.md): this many failed sign-ins of an
# account or from an address, on one union's site, lock it for this many minutes after
# the last attempt. Reset requests and invitation/reset links are paced alike.
SIGNIN_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "5"))
SIGNIN_LOCKOUT_MINUTES = int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", "15"))
# Behind a reverse proxy: the request header with the client's address, as Django's META
# key (e.g. HTTP_X_REAL_IP); only if the proxy always sets it. Default: REMOTE_ADDR.
PACING_CLIENT_IP_HEADER = os.environ.get("PACING_CLIENT_IP_HEADER", "").strip()
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "pacing"
AXES_FAILURE_LIMIT = SIGNIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = "portal.accounts.pacing.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.accounts.pacing.account_key"
AXES_CLIENT_IP_CALLABLE = "portal.accounts.pacing.client_ip"
AXES_LOCKOUT_CALLABLE = "portal.accounts.pacing.lockout_response"
AXES_RESET_ON_SUCCESS = False  # a success must not clear an address's count
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# guardian: object permissions live in our own direct-FK models (portal.access),
# never in guardian's generic-FK tables; anonymous users get no object rights.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = True

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
# locale/overrides: fi and sv for strings Wagtail's own catalogues leave in English; after
# locale/ so that the project's catalogue wins, apart from it so makemessages keeps it.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "overrides"]
# English dates day first ("30 November 2026", "30/11/2026"); fi and sv keep Django's own.
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Helsinki"
# The admin account page offers every zone the system knows. Debian's tzdata also lists
# "localtime" (a link to the server's own zone), which browsers refuse: the page's
# time-zone script stopped with an error on it. Every other name is a real zone.
WAGTAIL_USER_TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime"})
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Cache: each process's own memory. It holds Wagtail's site-root lists and renditions,
# the shared sections of organisation pages and the site's chrome
# (portal.union.sections, themes.chrome), which a process drops at once when it makes a
# change itself and other processes within PAGE_SECTION_CACHE_SECONDS.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "portal",
        # Room for the sections of the most visited pages of several large unions.
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    # Sign-in pacing counters (django-axes, portal/accounts/pacing.py): in the database,
    # so every process counts together; the table is made after `migrate`.
    "pacing": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_pacing_cache",
        "OPTIONS": {"MAX_ENTRIES": 200_000},
    },
}
PAGE_SECTION_CACHE_SECONDS = int(os.environ.get("PAGE_SECTION_CACHE_SECONDS", "60"))
# A signed-in user's roles, whether they have a profile here and their unread count, kept
# per process (portal/union/viewer.py); other processes see a change within this time.
VIEWER_CACHE_SECONDS = int(os.environ.get("VIEWER_CACHE_SECONDS", "30"))

# Sessions: a short idle timeout because the portal shows special-category data
# (union membership). Requests extend a signed-in session at most once a minute
# (accounts.middleware.SlidingSessionMiddleware); idleness ends it.
# Django's database sessions, the row read from SQL compiled once (issue 13).
SESSION_ENGINE = "portal.accounts.session_store"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_EXTEND_INTERVAL = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: nothing from third parties. Wagtail's admin still
# sets some inline styles, hence 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # NONCE: only responses that use the nonce carry it (Wagtail admin's inline
        # scripts, portal/adminpanel/csp.py); all others stay 'self' alone.
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@digital-union.invalid")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Bulletin sending: at most this many messages a second per worker (0: no limit).
BULLETIN_RATE_PER_SECOND = float(os.environ.get("BULLETIN_RATE_PER_SECOND", "50"))
# ... through this many parallel mail connections (PostgreSQL only; SQLite uses one).
BULLETIN_SEND_WORKERS = int(os.environ.get("BULLETIN_SEND_WORKERS", "4"))

WAGTAIL_SITE_NAME = "Digital union"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "txt", "csv"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No Gravatar: it would send a hash of every admin user's email address to an outside
# service. The admin shows initials instead (portal/accounts/wagtail_hooks.py).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "").strip()
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "portal")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "wagtail.search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": f"{SEARCH_INDEX_PREFIX}-wagtail-",
            "TIMEOUT": 10,
        }
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Personal identity codes are stored only as a keyed hash; the key is a secret of
# its own so that rotating SECRET_KEY does not break matching.
IDENTITY_CODE_HASH_KEY = os.environ.get("IDENTITY_CODE_HASH_KEY", "")

# Background tasks: bulletin sends, search outbox drains, position expiry.
# TASKS_BACKEND=database (the default here and in production): tasks wait in a table
# (django-tasks-db) until `manage.py db_worker` runs them, so no web request sends mail.
# immediate: each task runs in the process that enqueues it (the test suite, the demo).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def tasks_setting(default: str) -> dict:
    name = os.environ.get("TASKS_BACKEND", "").strip().lower() or default
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {name!r}.")
    return {"default": {"BACKEND": TASK_BACKENDS[name], "QUEUES": ["default"]}}


TASKS = tasks_setting("database")

# django-anymail's tracking webhooks (bounces, complaints) authenticate the provider
# with HTTP basic auth "user:password". They are mounted only when this is set
# (portal/messaging/webhooks.py): without a secret anymail would accept anyone's POST.
ANYMAIL_WEBHOOK_SECRET = os.environ.get("ANYMAIL_WEBHOOK_SECRET", "").strip()
ANYMAIL = {"WEBHOOK_SECRET": ANYMAIL_WEBHOOK_SECRET} if ANYMAIL_WEBHOOK_SECRET else {}

# The register REST API (portal/api, docs/register-integration.md "REST API"): calls per
# API client in a fixed window (429 with Retry-After beyond), the largest bulk call (413),
# and how long the answer to an Idempotency-Key is kept.
API_RATE_LIMIT = int(os.environ.get("API_RATE_LIMIT", "120"))
API_RATE_WINDOW = int(os.environ.get("API_RATE_WINDOW", "60"))
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(16 * 1024 * 1024)))
API_MAX_RECORDS = int(os.environ.get("API_MAX_RECORDS", "10000"))
API_IDEMPOTENCY_HOURS = int(os.environ.get("API_IDEMPOTENCY_HOURS", "24"))

# SMS step-up (portal/stepup, docs/identity.md "SMS step-up"): how long a second step
# counts, the code's life, the pause between codes, the doubling wait after a wrong code
# (seconds, django-otp's throttle factor), the lock, and the SMS limits per account and
# per union. STEPUP_ENFORCED=False (the test settings) lets views through without it.
STEPUP_ENFORCED = env_bool("STEPUP_ENFORCED", True)
STEPUP_MAX_AGE = int(os.environ.get("STEPUP_MAX_AGE", "600"))
STEPUP_CODE_VALIDITY = int(os.environ.get("STEPUP_CODE_VALIDITY", "300"))
STEPUP_RESEND_SECONDS = int(os.environ.get("STEPUP_RESEND_SECONDS", "30"))
STEPUP_THROTTLE_FACTOR = int(os.environ.get("STEPUP_THROTTLE_FACTOR", "1"))
STEPUP_MAX_FAILURES = int(os.environ.get("STEPUP_MAX_FAILURES", "5"))
STEPUP_LOCK_MINUTES = int(os.environ.get("STEPUP_LOCK_MINUTES", "30"))
STEPUP_SMS_PER_USER = int(os.environ.get("STEPUP_SMS_PER_USER", "5"))
STEPUP_SMS_USER_WINDOW_MINUTES = int(os.environ.get("STEPUP_SMS_USER_WINDOW_MINUTES", "15"))
STEPUP_SMS_PER_UNION_HOUR = int(os.environ.get("STEPUP_SMS_PER_UNION_HOUR", "1000"))
# The SMS gateway: portal.stepup.sms.HttpApiBackend POSTs {"to", "text"} with the bearer
# token to SMS_API_URL; ConsoleBackend (development) writes the message to the log.
STEPUP_SMS_BACKEND = os.environ.get("STEPUP_SMS_BACKEND", "portal.stepup.sms.HttpApiBackend")
SMS_API_URL = os.environ.get("SMS_API_URL", "")
SMS_API_TOKEN = os.environ.get("SMS_API_TOKEN", "")
SMS_API_TIMEOUT = int(os.environ.get("SMS_API_TIMEOUT", "10"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
