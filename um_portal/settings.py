"""UM Portal settings, read from environment variables.

Embedded default: SQLite under var/, tasks run in-process after commit, e-mail to the console.
Production: DATABASE_URL (PostgreSQL), REDIS_URL (Celery broker and cache), DJANGO_DEBUG=false and a
real SECRET_KEY.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("UM_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEV_SECRET_KEY = "insecure-dev-key-only-for-the-embedded-demo"  # noqa: S105
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    # Production mode must never sign sessions with a key that is public or guessable.
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DJANGO_DEBUG "
        "is false."
    )

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "um_portal.accounts",
    "um_portal.audit",
    "um_portal.demo",
    "intake",
    "review",
    "determinations",
    "scheduling",
    "appeals",
    "reports",
    "portal",
    "stays",
    "inbox",
    "quality",
    "subscriptions",
    "members",
    "oauth2_provider",
    "interop",
    "access",
    "caremgmt",
    "crd",
    "mailroom",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The member's pages speak English or Spanish (the browser's language, or the switcher's).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "um_portal.accounts.middleware.AdminStaffOnlyMiddleware",
    "um_portal.accounts.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a lockout noted during the request into the answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "um_portal.urls"
WSGI_APPLICATION = "um_portal.wsgi.application"

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
                "um_portal.accounts.context_processors.roles",
                "review.context_processors.notifications",
            ],
            "builtins": ["um_portal.lib.template_formats"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "um_portal.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
# A streaming read replica for the reports' long reads (um_portal/lib/replica.py); its test
# database mirrors the primary's.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
READ_REPLICA = "replica" if DATABASE_REPLICA_URL else ""
DATABASE_ROUTERS = ["um_portal.lib.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS 2.1.1 and issue 15: at least 12 characters, and none of the common passwords.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
ANONYMOUS_USER_NAME = None  # guardian: no anonymous object permissions

# HIPAA automatic logoff (45 CFR 164.312(a)(2)(iii)): the session ends after this much idle time.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "15"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# No page of ours is ever framed (clickjacking); documents open in their own tab.
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", "English"), ("es", "Español")]
from interop.scopes import SCOPES as PATIENT_ACCESS_SCOPES  # noqa: E402 - plain data

# SMART App Launch for the Patient Access API (interop): authorization codes with PKCE, short
# access tokens, refresh tokens that rotate.
OAUTH2_PROVIDER = {
    "SCOPES": PATIENT_ACCESS_SCOPES,
    "PKCE_REQUIRED": True,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 90 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    # access.oauth adds SMART Backend Services (private_key_jwt) to interop's validator.
    "OAUTH2_VALIDATOR_CLASS": "access.oauth.BackendServicesValidator",
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: no implicit or password grant, PKCE with
    # S256 only, tokens only in the Authorization header, stored hashed, `iss` in the
    # authorization response, a replayed refresh token revokes its family, and redirect URIs over
    # https only.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
# django-oauth-toolkit's models are swappable; naming them lets migrations refer to them.
# (Model names, not secrets.)
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"  # noqa: S105
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"  # noqa: S105
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"  # noqa: S105
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER_DEVICE_GRANT_MODEL = "oauth2_provider.DeviceGrant"
# Translations of the pages (Spanish). `make install` compiles the .po files (gettext's msgfmt).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request while it does not exist
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media-not-served/"  # case files are served only by views that check access
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Uploads: PDFs and images only, sniffed from content (intake.documents), size limited.
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# The fax inbox (issue 16): a folder a fax server writes into (empty: no folder is watched), how
# often it is scanned, and the most pages one document may have (a 200-page "fax" is a mistake).
INBOX_WATCH_DIR = os.environ.get("INBOX_WATCH_DIR", "")
INBOX_WATCH_SECONDS = int(os.environ.get("INBOX_WATCH_SECONDS", "30"))
INBOX_MAX_PAGES = int(os.environ.get("INBOX_MAX_PAGES", "50"))
# A document "reading" with no progress for this long lost its worker (killed, out of memory):
# a periodic task reads it again, at most INBOX_READ_ATTEMPTS times in all, then leaves it for
# manual entry. A page takes seconds, so minutes of silence is not a slow page.
INBOX_STALE_MINUTES = int(os.environ.get("INBOX_STALE_MINUTES", "10"))
INBOX_READ_ATTEMPTS = int(os.environ.get("INBOX_READ_ATTEMPTS", "3"))
INBOX_STALE_CHECK_SECONDS = int(os.environ.get("INBOX_STALE_CHECK_SECONDS", "120"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://localhost/"
    # No broker: tasks run in-process; services still queue them with transaction.on_commit.
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a killed worker's task is redelivered; tasks are idempotent
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_TIMEZONE = TIME_ZONE
# Periodic tasks are registered by each app in its tasks.py (on_after_finalize), so that
# beat and the tasks stay side by side.

# The print-and-mail house (mailroom, ADR 0008): "download" (the manager downloads each batch) or
# "sftp" (beat uploads it). The host key is required for SFTP: the files name members.
MAILROOM_HANDOVER = os.environ.get("MAILROOM_HANDOVER", "download")
MAILROOM_SFTP_HOST = os.environ.get("MAILROOM_SFTP_HOST", "")
MAILROOM_SFTP_PORT = int(os.environ.get("MAILROOM_SFTP_PORT", "22"))
MAILROOM_SFTP_USER = os.environ.get("MAILROOM_SFTP_USER", "")
MAILROOM_SFTP_PASSWORD = os.environ.get("MAILROOM_SFTP_PASSWORD", "")
MAILROOM_SFTP_KEY_FILE = os.environ.get("MAILROOM_SFTP_KEY_FILE", "")
MAILROOM_SFTP_HOST_KEY = os.environ.get("MAILROOM_SFTP_HOST_KEY", "")
MAILROOM_SFTP_DIR = os.environ.get("MAILROOM_SFTP_DIR", ".")

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "UM Portal <um-portal@example.org>")
# Where people reach this site: links in e-mails must be absolute (a mail client has no page to
# resolve a path against).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "intake.apis.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "EXCEPTION_HANDLER": "um_portal.lib.api_errors.api_exception_handler",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "um_portal.lib.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PARSER_CLASSES": [
        "um_portal.lib.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "UM Portal API",
    "DESCRIPTION": "Prior authorization: care requests, documents, notes and workflow actions.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "um_portal.lib.openapi.add_error_responses",
    ],
}

# Clocks (DESIGN §5): a case is "at risk" when less than this share of its time is left.
AT_RISK_FRACTION = float(os.environ.get("AT_RISK_FRACTION", "0.25"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF at INFO; their warnings still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes narrates each sign-in attempt at INFO; failures and lockouts are WARNING.
        "axes": {"level": "WARNING"},
        # In-process (eager) tasks would log each run into the web server's console.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Production mode runs behind TLS: browsers are told to use nothing else for a year.
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)

# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT failures for one username, or from
# one client address, within LOGIN_COOLOFF_MINUTES, sign-in is refused until that time has passed
# without failures or a UM manager unlocks it (/accounts/lockouts/). Attempts are kept in the
# database so the unlock page can list them; every failure, lockout and unlock is an AuditEvent.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_USE_ATTEMPT_EXPIRATION = True  # failures older than the cool-off no longer count
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "um_portal.accounts.views.locked_out"
# Unlocking goes through our audited page, not axes' own admin pages.
AXES_ENABLE_ADMIN = False
# Behind a proxy, X-Forwarded-For is only believed from the proxies counted here; otherwise a
# client could name any address it likes and never be locked out by address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Bearer-token failures of the API and FHIR, counted per client address in the cache.
API_TOKEN_FAILURE_LIMIT = int(os.environ.get("API_TOKEN_FAILURE_LIMIT", "10"))
API_TOKEN_COOLOFF_SECONDS = int(os.environ.get("API_TOKEN_COOLOFF_SECONDS", "900"))
API_TOKEN_THROTTLE_NAMESPACE = "api-token-failures"  # noqa: S105 - a cache key prefix

# Second factor (django-otp, TOTP with recovery codes): required in production mode for the
# medical director, nurse, intake and manager roles; STAFF_2FA_REQUIRED=false turns it off (the
# embedded demo has it off). Anyone may enrol on /accounts/two-factor/setup/.
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "UM Portal")

# Single sign-on for staff through OpenID Connect (mozilla-django-oidc), off by default. The
# identity provider's groups claim (OIDC_GROUPS_CLAIM) gives the roles: a group named like a
# role, or mapped in OIDC_GROUP_ROLES, e.g. '{"UM Nurses": "um_nurse"}'. The IdP is trusted to
# have asked its own second factor, so SSO sign-ins are not asked for ours.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("um_portal.accounts.oidc.RoleMappingOIDCBackend")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile groups")
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUP_ROLES = os.environ.get("OIDC_GROUP_ROLES", "{}")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/?sso=failed"

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from this site;
# no inline script or style anywhere (templates keep their JavaScript in static/), no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# CDS Hooks (crd app): whether a client's jwks_url may be fetched (off: only keys stored on the
# client are trusted, so an outage or a hijacked URL elsewhere cannot change whom we trust), and
# how long a fetch may take before the call is refused.
CDS_JWKS_FETCH = env_bool("CDS_JWKS_FETCH", False)
CDS_JWKS_TIMEOUT = float(os.environ.get("CDS_JWKS_TIMEOUT", "3"))
