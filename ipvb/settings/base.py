"""Settings shared by every environment. Everything that differs per deployment is read from
the environment (see docs/configuration.md); defaults are safe for a local demo only."""

import base64
import hashlib
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "insecure-demo-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "csp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "ipvb",
    "clients",
    "costing",
    "catalog",
    "conversations",
    "reporting",
    "family",
    "oauth2_provider",
]

# Machine access of the reporting party (reporting.transparency_api): OAuth2 client
# credentials with the scope reports:read. Client secrets are stored hashed; tokens expire
# after an hour and can be revoked (/o/revoke_token/ or by deleting the application).
OAUTH2_PROVIDER = {
    "SCOPES": {"reports:read": "Transparantierapporten lezen"},
    "DEFAULT_SCOPES": ["reports:read"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    # The OAuth 2.0 Security BCP (RFC 9700) in full: no implicit or password grant, PKCE S256
    # only, tokens only in the Authorization header, hashed token storage, refresh-token
    # replay detection, https redirect URIs only (the reporting party uses client credentials).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}

MIDDLEWARE = [
    # Outermost: every error answer under /api/ becomes JSON, wherever it came from.
    "ipvb.api.middleware.APIJSONErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp) and Permissions-Policy on every answer.
    "csp.middleware.CSPMiddleware",
    "ipvb.security.PermissionsPolicyMiddleware",
    "ipvb.security.TenancyOverrideGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ipvb.tenancy.ActiveOrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ipvb.mfa.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ipvb.urls"
WSGI_APPLICATION = "ipvb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # One way to format money, hours and percentages in every template.
            "builtins": ["ipvb.templatetags.ipvb_format"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ipvb.context_processors.tenancy",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://...) or the embedded SQLite demo database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'demo.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True


def bind_on_server(database: Any) -> None:  # dj_database_url.DBConfig
    """PostgreSQL: parameters bound by the server (``DATABASE_SERVER_SIDE_BINDING``, default on),
    so that psycopg can prepare the statements a connection repeats and the hot paths' queries
    are no longer planned on every request (issue 16; planning was a large part of a small
    query's time). Django turns psycopg's preparing off (prepare_threshold None) unless it is
    set: a statement a connection has run ``DATABASE_PREPARE_THRESHOLD`` times (1) is prepared
    when it runs again, so a one-off query is not (0: never). Unprepared, the composer's lookup of a line spent about 4 ms in
    PostgreSQL's planner on every request."""
    if database["ENGINE"] != "django.db.backends.postgresql" or not env_bool(
        "DATABASE_SERVER_SIDE_BINDING", True
    ):
        return
    options = database.setdefault("OPTIONS", {})
    options["server_side_binding"] = True
    threshold = int(os.environ.get("DATABASE_PREPARE_THRESHOLD", "1"))
    options["prepare_threshold"] = threshold or None


bind_on_server(DATABASES["default"])
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
# Two database roles on PostgreSQL (ipvb.db_roles, docs/security.md): DATABASE_URL is the
# application's role (owns nothing); DATABASE_OWNER_URL the owner that runs `migrate` and
# `setup_db_roles`. Without it one role does everything (the SQLite demo).
IPVB_DATABASE_OWNER = (
    dj_database_url.parse(os.environ["DATABASE_OWNER_URL"]) if os.environ.get("DATABASE_OWNER_URL") else None
)
# Row-level security on every tenant table (ipvb.rls); PostgreSQL only.
IPVB_RLS = env_bool("IPVB_RLS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "ipvb.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: e-mail login, no open sign-up (org admins create users), throttled logins.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_ADAPTER = "ipvb.accounts.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": os.environ.get("IPVB_LOGIN_FAILED_RATE", "5/5m/key,20/m/ip"),
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "iPVB"
# Require every user with a membership role to enrol TOTP before using the app.
IPVB_REQUIRE_MFA = env_bool("IPVB_REQUIRE_MFA", False)
# Access log retention (ipvb.accesslog_partitions): whole monthly partitions older than this
# are dropped by `manage.py accesslog_partitions` (PostgreSQL).
IPVB_ACCESSLOG_RETENTION_YEARS = int(os.environ.get("IPVB_ACCESSLOG_RETENTION_YEARS", "5"))
# Access log: number of trusted reverse proxies in front of the app (0: use REMOTE_ADDR).
IPVB_ACCESSLOG_PROXY_COUNT = int(os.environ.get("IPVB_ACCESSLOG_PROXY_COUNT", "0"))

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
# Sessions are kept in the database and read through the cache (Redis with REDIS_URL): a
# request reads its session without a query; a login, logout or change writes both.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline script or style anywhere (templates link static/css and static/js), no framing.
# See docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the application never uses are switched off (ipvb.security).
PERMISSIONS_POLICY = env_list(
    "PERMISSIONS_POLICY",
    "accelerometer=(),camera=(),geolocation=(),gyroscope=(),magnetometer=(),microphone=(),payment=(),usb=()",
)

# Internationalisation: Dutch first, English available.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "iPVB <noreply@ipvb.example>")

# Django REST framework: deny by default, paginated, filterable, documented.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so an anonymous request gets 401 with a WWW-Authenticate header.
        # Personal API keys (django-rest-knox, hashed, expiring, bound to an organisation).
        "ipvb.api_tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # MFA applies to the API too: a user who must have MFA and has not gets 403 (ipvb.mfa).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "ipvb.mfa.MFAEnrolled"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "ipvb.api.filters.TenantFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("API_USER_RATE", "2000/hour")},
    "EXCEPTION_HANDLER": "ipvb.api.exceptions.exception_handler",
    # Finite numbers and a sane nesting depth only (ipvb.api.parsers): anything else is a 400.
    "DEFAULT_PARSER_CLASSES": [
        "ipvb.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "COERCE_DECIMAL_TO_STRING": True,
}
# BSN encrypted at rest (clients.bsn_crypto, docs/security.md). IPVB_BSN_KEYS: Fernet keys,
# comma-separated, the first encrypts (rotation: new key first, `manage.py rotate_bsn_keys`).
# IPVB_BSN_HASH_KEY: the HMAC key of the lookup hash. Without them the demo and the tests use
# fixed development keys (public: never for real data); production refuses to start.
DEV_BSN_KEY = base64.urlsafe_b64encode(hashlib.sha256(b"ipvb-insecure-development-bsn-key").digest()).decode()
DEV_BSN_HASH_KEY = "ipvb-insecure-development-bsn-hash-key"
IPVB_BSN_KEYS = env_list("IPVB_BSN_KEYS", DEV_BSN_KEY)
IPVB_BSN_HASH_KEY = os.environ.get("IPVB_BSN_HASH_KEY", "") or DEV_BSN_HASH_KEY

# Personal API keys (ipvb.api_tokens): only a SHA-512 hash is stored; the key starts with
# "ipvb_" (so secret scanners recognise it) and is sent as "Authorization: Token <key>".
KNOX_TOKEN_MODEL = "ipvb.ApiToken"
# knox's own migrations create its default token table even when the model is swapped (a
# stray table whose foreign key to the user blocks TRUNCATE): knox is not migrated at all.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))),
    "TOKEN_PREFIX": "ipvb_",
    "AUTH_HEADER_PREFIX": "Token",
    "AUTO_REFRESH": False,
}
# The longest lifetime a user may choose for a new key (days).
API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))
SPECTACULAR_SETTINGS = {
    # The reporting party's machine access (reporting.transparency_api).
    "OAUTH2_FLOWS": ["clientCredentials"],
    "OAUTH2_TOKEN_URL": "/o/token/",
    "OAUTH2_REFRESH_URL": None,
    "OAUTH2_SCOPES": {"reports:read": "Transparantierapporten lezen"},
    "TITLE": "iPVB API",
    "DESCRIPTION": "Individual person-following budgets (iPVB) for Wlz nursing-home care.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated", "ipvb.mfa.MFAEnrolled"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"InvitationStatusEnum": "ipvb.models.MembershipInvitation.Status"},
    # Swagger UI and Redoc served from the installed sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Celery with Redis. Without REDIS_URL (the demo) tasks run in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "300"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "360"))
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# One queue ("celery"). A message taken by a worker that dies mid-task is handed to another
# worker after the visibility timeout: just above the hard time limit, not Redis' default
# hour (acks_late + reject_on_worker_lost make the redelivery safe; tasks are idempotent).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 60}

# The cache holds the login and API rate-limit counters: with REDIS_URL they live in Redis and
# hold across every gunicorn worker and restart; the embedded demo keeps them in memory.
CACHES = (
    {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("CACHE_URL", REDIS_URL),
            "KEY_PREFIX": "ipvb",
        }
    }
    if os.environ.get("CACHE_URL", REDIS_URL)
    else {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
)
CELERY_BEAT_SCHEDULE = {
    # Next months' access-log partitions (ipvb.accesslog_partitions); dropping old ones is
    # `manage.py accesslog_partitions`, run as the owner.
    "create-accesslog-partitions": {
        "task": "ipvb.tasks.create_accesslog_partitions",
        "schedule": crontab(hour=3, minute=5),
    },
    "clear-expired-sessions": {
        "task": "ipvb.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=15),
    },
    "weekly-snapshots": {
        "task": "reporting.tasks.take_weekly_snapshots",
        "schedule": crontab(day_of_week=1, hour=2, minute=30),
    },
    # Transparency reports (reporting.transparency): the month just ended, on the 1st, after
    # the Monday snapshots have been taken.
    "monthly-transparency-reports": {
        "task": "reporting.tasks.build_monthly_reports",
        "schedule": crontab(day_of_month=1, hour=4, minute=0),
    },
}
CELERY_RESULT_EXPIRES = timedelta(days=1)

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Password-reset keys never reach a log line (ipvb.security.RedactSecretsFilter).
    "filters": {"redact_secrets": {"()": "ipvb.security.RedactSecretsFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver's request lines, through the same redacting handler.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Uploaded spreadsheets (ipvb.spreadsheets): every import refuses a file beyond these limits
# before parsing it. See docs/configuration.md.
SPREADSHEET_MAX_UPLOAD_BYTES = int(os.environ.get("SPREADSHEET_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024)))
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("SPREADSHEET_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
)
SPREADSHEET_MAX_PART_BYTES = int(os.environ.get("SPREADSHEET_MAX_PART_BYTES", str(5 * 1024 * 1024)))
SPREADSHEET_MAX_COMPRESSION_RATIO = int(os.environ.get("SPREADSHEET_MAX_COMPRESSION_RATIO", "100"))
SPREADSHEET_MAX_ZIP_ENTRIES = int(os.environ.get("SPREADSHEET_MAX_ZIP_ENTRIES", "200"))
SPREADSHEET_MAX_ROWS = int(os.environ.get("SPREADSHEET_MAX_ROWS", "5000"))
SPREADSHEET_MAX_COLUMNS = int(os.environ.get("SPREADSHEET_MAX_COLUMNS", "100"))
SPREADSHEET_MAX_SHARED_STRINGS = int(os.environ.get("SPREADSHEET_MAX_SHARED_STRINGS", "100000"))
SPREADSHEET_MAX_CELL_CHARS = int(os.environ.get("SPREADSHEET_MAX_CELL_CHARS", "32767"))
