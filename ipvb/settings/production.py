"""Production: secrets required, MFA required, secure cookies, static files collected."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
if not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
IPVB_REQUIRE_MFA = env_bool("IPVB_REQUIRE_MFA", True)
# The BSN keys (docs/security.md): the public development keys never encrypt real data.
if not os.environ.get("IPVB_BSN_KEYS") or DEV_BSN_KEY in IPVB_BSN_KEYS:  # noqa: F405
    raise ImproperlyConfigured("IPVB_BSN_KEYS must be set in production (Fernet keys, see docs/security.md).")
if not os.environ.get("IPVB_BSN_HASH_KEY") or IPVB_BSN_HASH_KEY == DEV_BSN_HASH_KEY:  # noqa: F405
    raise ImproperlyConfigured("IPVB_BSN_HASH_KEY must be set in production (see docs/security.md).")
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
# HTTPS only, on by default; switched off only by an explicit environment value (for example
# behind a proxy that already redirects). The health checks stay reachable over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The console e-mail backend prints every mail, password-reset links included, into the
# application log: refused unless explicitly allowed (a demo without a mail server).
if EMAIL_BACKEND.endswith("console.EmailBackend") and not env_bool("IPVB_ALLOW_CONSOLE_EMAIL", False):  # noqa: F405
    raise ImproperlyConfigured(
        "EMAIL_BACKEND is the console backend: set EMAIL_BACKEND (and EMAIL_HOST ...) for production, "
        "or IPVB_ALLOW_CONSOLE_EMAIL=true for a demo without mail."
    )
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
